// The interface every cloud implements: one method per component kind (the Nitric model).
// `cloud.ts` picks the implementation; components hand it their validated specs.
import * as pulumi from "@pulumi/pulumi";
import type { LinkPermission } from "./link";

export type ResolvedPermission = pulumi.Unwrap<LinkPermission>;
import type { FunctionCode } from "./function-code";

export interface FunctionSpec {
    name: string;
    code: FunctionCode;
    memory: number;
    timeout: number;
    /** The function's own variables plus its links'. */
    environment: pulumi.Output<Record<string, string>>;
    /** How many links the function has (known before their values are). */
    linkCount: number;
    /** What its links allow, resolved. */
    permissions: pulumi.Output<ResolvedPermission[]>;
    logRetentionDays: number;
    description?: string;
}

export interface FunctionRealisation {
    /** The deployed function's name. */
    functionName: pulumi.Output<string>;
    /** The cloud's identifier for it: an ARN on AWS, a `qcs::` resource on Tencent Cloud. */
    resourceId: pulumi.Output<string>;
    /** The permission to invoke it, for other functions. */
    invokePermission: { actions: string[]; resources: pulumi.Input<string>[] };
}

export interface CloudProvider {
    function(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation;
}
