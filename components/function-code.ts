// Where a Function's code comes from (a handler file or a code archive) and how it becomes
// a zip for one target. Resolving happens at construction, so a bad reference fails the plan
// before any resource is registered; bundling happens once the target is known.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { bundle, Bundle } from "./build/bundle";
import { archiveSource } from "./build/closure";
import { resolveHandlerRef } from "./build/handler-ref";
import { PACKAGE_ROOT } from "./build/package-root";
import { projectRoot } from "./project-root";

/**
 * Function code is bundled against the runtime's TypeScript sources (they ship with the package),
 * whether the components run from sources or from the compiled dist/: esbuild tree-shakes ES
 * modules but not compiled CommonJS, so the zips stay small and come out the same either way.
 */
const RUNTIME_DIR = path.join(PACKAGE_ROOT, "functions", "runtime");
const ADAPTERS_DIR = path.join(RUNTIME_DIR, "adapters");

/**
 * Handler files of a project that does not install this package (a Python, Go, C# or YAML program
 * using the component package) import the runtime by the package's name; the bundler finds it here.
 */
const RUNTIME_ALIAS = { "serverless-blocks/functions/runtime": RUNTIME_DIR };

export interface Adapter {
    /** The target, and the file name of its adapter under functions/runtime/adapters, e.g. `aws`. */
    module: string;
    exportName: string;
}

export class FunctionCode {
    private constructor(
        private readonly name: string,
        private readonly source: () => Promise<{ file: string; exportName: string; sloppy?: boolean }>,
        /** What the plan shows as the code's origin. */
        readonly origin: string,
    ) {}

    static from(name: string, args: { handler?: string; code?: pulumi.asset.Archive }): FunctionCode {
        const projectDir = projectRoot();
        if ((args.handler === undefined) === (args.code === undefined)) {
            throw new Error(`Function '${name}': give exactly one of 'handler' (e.g. "functions/users/register.handler") or 'code' (closure(...), or an archive of a folder whose index.js exports 'handler')`);
        }
        if (args.handler !== undefined) {
            const ref = resolveHandlerRef(args.handler, projectDir);
            return new FunctionCode(name, async () => ref, args.handler);
        }
        const code = args.code!;
        return new FunctionCode(name, () => archiveSource(code, name, projectDir), "path" in code ? "archive" : "closure");
    }

    /** The zip for one target: the portable handler wrapped in that target's adapter. */
    bundle(adapter: Adapter, external: string[]): pulumi.Output<Bundle> {
        return pulumi.output(
            this.source().then((src) =>
                bundle({
                    name: this.name,
                    file: src.file,
                    exportName: src.exportName,
                    target: adapter.module,
                    adapter: { module: path.join(ADAPTERS_DIR, adapter.module), exportName: adapter.exportName },
                    external,
                    alias: RUNTIME_ALIAS,
                    sloppy: src.sloppy,
                    projectDir: projectRoot(),
                }),
            ),
        );
    }
}
