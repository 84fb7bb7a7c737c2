// StaticSite on the local target: the site's directory served by the local runtime (local/static.ts)
// at `/` of its port, with the CDNs' fallback, caching and header rules, and the SSR paths
// answered by the site's Function in its worker.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { localRuntime } from "../../local/runtime";
import { registerSite } from "../../local/static";
import type { LocalHttpInput } from "../../functions/runtime/adapters/local";
import type { HttpRequest, NormalizedResponse } from "../../functions/runtime/http";
import { Function } from "../function";
import type { StaticSiteRealisation, StaticSiteSpec } from "../provider";
import { projectRoot } from "../project-root";

/** Nothing to refuse locally: the domain and certificate are the clouds' concern. */
export function checkLocalStaticSite(_spec: StaticSiteSpec): void {}

export function localStaticSite(parent: pulumi.Resource, spec: StaticSiteSpec): StaticSiteRealisation {
    const runtime = localRuntime(); // the evaluation's runtime, also when a render happens later
    let ssr;
    if (spec.ssr) {
        const functionName = valueOf(new Function(`${spec.name}-ssr`, spec.ssr.function, { parent }).functionName);
        ssr = {
            paths: spec.ssr.paths,
            async render(request: HttpRequest): Promise<NormalizedResponse> {
                const input: LocalHttpInput = { kind: "http", request };
                return (await runtime.function(await functionName).invoke(input)) as NormalizedResponse;
            },
        };
    }
    registerSite(runtime, {
        name: spec.name,
        root: spec.directory,
        hasIndex: spec.hasIndex,
        hashedDirectories: spec.hashedDirectories,
        configJson: valueOf(spec.configJson),
        csp: valueOf(spec.csp),
        ssr,
    });
    return {
        url: pulumi.output(`${runtime.baseUrl}/`),
        bucketName: pulumi.output(path.relative(projectRoot(), spec.directory) || "."),
        distributionId: pulumi.output(`local:site:${spec.name}`),
        dnsRecords: pulumi.output([]),
    };
}

/** An output's value for code that runs outside the program (the local server). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

