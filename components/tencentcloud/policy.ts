// CAM policy documents (policy syntax version 2.0), built from resolved resource strings.
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedPermission } from "../provider";

export function camPolicyDocument(permissions: pulumi.Input<ResolvedPermission[]>): pulumi.Output<string> {
    return pulumi.output(permissions).apply((ps) => {
        const statement = ps.map((p) => {
            if (p.resources.includes("*")) throw new Error(`CAM statement for ${p.actions.join(", ")}: resource '*' is not allowed; name the qcs:: resources`);
            return { effect: "allow", action: [...p.actions].sort(), resource: p.resources };
        });
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
