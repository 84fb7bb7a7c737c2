// Where a Function's code comes from (a handler file or a closure archive) and how it becomes
// a zip for one target. Resolving happens at construction, so a bad reference fails the plan
// before any resource is registered; bundling happens once the target is known.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { bundle, Bundle } from "./build/bundle";
import { writeClosureModule } from "./build/closure";
import { resolveHandlerRef } from "./build/handler-ref";
import { projectRoot } from "./project-root";

const ADAPTERS_DIR = path.join(__dirname, "..", "functions", "runtime", "adapters");

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
            throw new Error(`Function '${name}': give exactly one of 'handler' (e.g. "functions/users/register.handler") or 'code' (closure(...))`);
        }
        if (args.handler !== undefined) {
            const ref = resolveHandlerRef(args.handler, projectDir);
            return new FunctionCode(name, async () => ref, args.handler);
        }
        const code = args.code!;
        return new FunctionCode(name, async () => {
            const file = await writeClosureModule(code, name, projectDir);
            if (!file) throw new Error(`Function '${name}': 'code' must be an archive made by closure(handler)`);
            return { file, exportName: "handler", sloppy: true };
        }, "closure");
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
                    sloppy: src.sloppy,
                    projectDir: projectRoot(),
                }),
            ),
        );
    }
}
