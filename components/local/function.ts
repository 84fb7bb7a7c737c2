// Function on the local target: the same portable handler, bundled with the local adapter,
// registered with the local runtime, which runs it in a worker thread of its own.
import * as pulumi from "@pulumi/pulumi";
import { localRuntime } from "../../local/runtime";
import type { FunctionRealisation, FunctionSpec } from "../provider";

export function localFunction(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation {
    const runtime = localRuntime();
    const registered = pulumi
        .all([spec.code.bundle({ module: "local", exportName: "toLocal" }, []), spec.environment])
        .apply(([bundle, environment]) => {
            runtime.registerFunction({
                name: spec.name,
                zipPath: bundle.zipPath,
                environment,
                timeoutSeconds: spec.timeout,
                memoryMb: spec.memory,
            });
            return spec.name;
        });
    return {
        functionName: registered,
        resourceId: pulumi.interpolate`local:function:${registered}`,
        invokePermission: { actions: ["invoke"], resources: [pulumi.interpolate`local:function:${registered}`] },
    };
}
