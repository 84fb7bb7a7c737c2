// Function on the local target: the same portable handler, bundled with the local adapter, and a
// descriptor (./descriptor.ts) from which the local runtime runs it in a worker thread of its own.
import * as pulumi from "@pulumi/pulumi";
import type { FunctionRealisation, FunctionSpec } from "../provider";
import { LocalDescriptor, type LocalFunctionDescriptor } from "./descriptor";

export function localFunction(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation {
    const described = pulumi
        .all([spec.code.bundle({ module: "local", exportName: "toLocal" }, []), spec.environment])
        .apply(([bundle, environment]): LocalFunctionDescriptor => ({
            name: spec.name,
            zipPath: bundle.zipPath,
            environment,
            timeoutSeconds: spec.timeout,
            memoryMb: spec.memory,
            // Published versions exist only in the runtime's data directory: it routes the alias (local/function-versions.ts).
            release: {
                alias: spec.release.alias,
                canaryPercent: spec.release.canaryPercent,
                ...(spec.release.pinnedVersion === undefined ? {} : { pinnedVersion: spec.release.pinnedVersion }),
            },
        }));
    new LocalDescriptor("Function", spec.name, described, parent);
    // Known once the function is built: a handler that does not bundle fails the program.
    const functionName = described.apply((d) => d.name);
    return {
        functionName,
        resourceId: pulumi.interpolate`local:function:${functionName}`,
        invokePermission: { actions: ["invoke"], resources: [pulumi.interpolate`local:function:${functionName}`] },
        alias: { name: spec.release.alias, id: pulumi.interpolate`local:function:${functionName}:${spec.release.alias}` },
    };
}
