// CAM policy documents (policy syntax version 2.0), built from resolved resource strings.
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedPermission } from "../provider";

/**
 * Actions CAM authorises only at operation level: naming a resource makes them unauthorised, so
 * they alone may take "*" (CAM's per-product authorization tables, e.g. SES: 598/57150).
 */
export const OPERATION_LEVEL_ACTIONS = new Set(["ses:SendEmail"]);

const NOTHING_ALLOWED = { effect: "deny", action: ["*"], resource: ["*"] };

export function camPolicyDocument(permissions: pulumi.Input<ResolvedPermission[]>): pulumi.Output<string> {
    return pulumi.output(permissions).apply((ps) => {
        const statement = ps.map((p) => {
            const operationLevel = p.actions.every((a) => OPERATION_LEVEL_ACTIONS.has(a));
            if (p.resources.includes("*") && !operationLevel) {
                throw new Error(`CAM statement for ${p.actions.join(", ")}: resource '*' is not allowed; name the qcs:: resources`);
            }
            return { effect: "allow", action: [...p.actions].sort(), resource: p.resources };
        });
        // CAM refuses an empty policy. Links that grant nothing (a table is reached by password)
        // still leave the role a policy, so it says so outright: this role may do nothing.
        if (statement.length === 0) return JSON.stringify({ version: "2.0", statement: [NOTHING_ALLOWED] });
        return JSON.stringify({ version: "2.0", statement });
    });
}

/** Trust policy letting one Tencent Cloud service assume a role. */
export function assumeRoleBy(service: string): string {
    return JSON.stringify({
        version: "2.0",
        statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: [service] } }],
    });
}
