// StaticSite on the local target: a descriptor (./descriptor.ts) of the site's directory, which the
// local runtime (local/static.ts) serves at `/` of its port with the CDNs' fallback, caching and
// header rules, the SSR paths answered by the site's Function in its worker.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Function } from "../function";
import type { StaticSiteRealisation, StaticSiteSpec } from "../provider";
import { projectRoot } from "../project-root";
import { LocalDescriptor, type LocalSiteDescriptor } from "./descriptor";
import { localUrl } from "./settings";

/** Nothing to refuse locally: the domain and certificate are the clouds' concern. */
export function checkLocalStaticSite(_spec: StaticSiteSpec): void {}

export function localStaticSite(parent: pulumi.Resource, spec: StaticSiteSpec): StaticSiteRealisation {
    const baseUrl = localUrl();
    const ssr = spec.ssr
        ? new Function(`${spec.name}-ssr`, spec.ssr.function, { parent }).functionName.apply((functionName) => ({ paths: spec.ssr!.paths, functionName }))
        : pulumi.output(undefined);
    const described = pulumi.all([spec.configJson, spec.csp, ssr]).apply(([configJson, csp, ssr]): LocalSiteDescriptor => ({
        name: spec.name,
        root: spec.directory,
        hasIndex: spec.hasIndex,
        hashedDirectories: spec.hashedDirectories,
        configJson,
        csp,
        ssr,
    }));
    new LocalDescriptor("Site", spec.name, described, parent);
    return {
        url: pulumi.output(`${baseUrl}/`),
        bucketName: pulumi.output(path.relative(projectRoot(), spec.directory) || "."),
        distributionId: pulumi.output(`local:site:${spec.name}`),
        dnsRecords: pulumi.output([]),
    };
}
