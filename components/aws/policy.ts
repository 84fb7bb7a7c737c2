// IAM policy documents, built from resolved ARNs so every statement names its resources.
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedPermission } from "../provider";

export interface Statement {
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
    Principal?: unknown;
    Condition?: unknown;
    Sid?: string;
}

/**
 * What a function's role needs to send X-Ray traces (active tracing): X-Ray has no resource-level
 * permissions for these, so `*` is the only resource IAM takes (Lambda Developer Guide, "Visualize
 * Lambda function invocations using AWS X-Ray": execution role permissions; Service Authorization
 * Reference, AWS X-Ray). The policy pack's `no-wildcard-grants` allowlist names them too.
 */
export const XRAY_WRITE_ACTIONS = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"];
const WITHOUT_RESOURCES = new Set(XRAY_WRITE_ACTIONS);

/**
 * A policy document as JSON text; refuses a wildcard resource, which least privilege never needs
 * here, except for a statement of actions that take no resource (XRAY_WRITE_ACTIONS).
 */
export function policyDocument(permissions: pulumi.Input<ResolvedPermission[]>): pulumi.Output<string> {
    return pulumi.output(permissions).apply((ps) => {
        const Statement = ps.map((p): Statement => {
            if (p.resources.includes("*") && !p.actions.every((a) => WITHOUT_RESOURCES.has(a))) throw new Error(`IAM statement for ${p.actions.join(", ")}: resource '*' is not allowed; name the ARNs`);
            return { Effect: "Allow", Action: [...p.actions].sort(), Resource: p.resources };
        });
        return JSON.stringify({ Version: "2012-10-17", Statement });
    });
}

/** Trust policy letting one AWS service assume a role. */
export function assumeRoleBy(service: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    });
}
