// A link from an event source to a function is scoped to that source: a Lambda permission for an
// AWS service principal without `sourceArn` lets any resource of that service, in any account,
// invoke the function. S3 bucket ARNs carry no account, so S3 also needs `sourceAccount`
// (Lambda Developer Guide, "Using resource-based policies for Lambda": confused deputy).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS, violation } from "./support";

/** Principals whose sourceArn does not name the account (S3 bucket ARNs). */
const NEEDS_SOURCE_ACCOUNT = new Set(["s3.amazonaws.com"]);

export const invokePermissionsScoped: ResourceValidationPolicy = {
    name: "invoke-permissions-scoped",
    description: "Lambda permissions for an AWS service name the source (sourceArn; S3 also sourceAccount), so no other resource or account can invoke the function.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== AWS.permission) return;
        const principal = String(args.props.principal ?? "");
        if (principal === "*") {
            reportViolation(violation(`permission ${args.name} lets anyone invoke ${args.props.function}`, "name the service principal and its sourceArn"));
            return;
        }
        if (!principal.endsWith(".amazonaws.com")) return;
        if (!args.props.sourceArn) {
            reportViolation(violation(`permission ${args.name} lets any ${principal} resource invoke the function (no sourceArn)`, "set sourceArn to the rule / bucket / API execution ARN that calls it"));
        }
        if (NEEDS_SOURCE_ACCOUNT.has(principal) && !args.props.sourceAccount) {
            reportViolation(violation(`permission ${args.name} for ${principal} has no sourceAccount: a bucket of that name in another account could invoke the function`, "set sourceAccount to the bucket owner's account id"));
        }
    },
};
