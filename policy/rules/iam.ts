// No wildcard grants: an Allow statement names its actions and, where the action takes a resource,
// the resources. Deny statements may use wildcards (a deny-all, a TLS-only deny are the point).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS, bareAction, parseDocument, statementsOf, TENCENT, violation } from "./support";

/**
 * Actions that authorise only at operation level, so `Resource: "*"` is the only resource they
 * take. Each entry says where that is documented; add one only with such a reference.
 */
export const RESOURCE_WILDCARD_ALLOWED = new Set([
    // AWS X-Ray: "X-Ray does not support resource-level permissions" for these (Step Functions
    // tracing, Service Authorization Reference, AWS X-Ray actions table).
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    // CloudWatch Logs vended log delivery, which Step Functions logging needs with Resource "*"
    // (Step Functions Developer Guide, "IAM policies for logging to CloudWatch Logs").
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
    // Tencent SES SendEmail is authorised at operation level only (CAM authorization table of
    // SES, cloud.tencent.com/document/product/598/57150); components/tencentcloud/policy.ts.
    "ses:SendEmail",
]);

/** Where each type keeps its policy documents. */
const DOCUMENTS: Record<string, (props: Record<string, any>) => unknown[]> = {
    [AWS.rolePolicy]: (p) => [p.policy],
    [AWS.policy]: (p) => [p.policy],
    [AWS.userPolicy]: (p) => [p.policy],
    [AWS.groupPolicy]: (p) => [p.policy],
    [AWS.role]: (p) => (p.inlinePolicies ?? []).map((i: { policy?: unknown }) => i.policy),
    [AWS.bucketPolicy]: (p) => [p.policy],
    [AWS.queuePolicy]: (p) => [p.policy],
    [TENCENT.camPolicy]: (p) => [p.document],
    [TENCENT.cosBucketPolicy]: (p) => [p.policy],
};

/** `*`, `s3:*` or `name/cos:*`: every action (of a service). */
function isWildcardAction(action: string): boolean {
    const bare = bareAction(action);
    return bare === "*" || /^[\w-]+:\*$/.test(bare);
}

export const noWildcardGrants: ResourceValidationPolicy = {
    name: "no-wildcard-grants",
    description: "IAM and CAM policies (role, managed, bucket and queue policies) allow named actions on named resources: no '*' action, no '*' resource unless the action takes no resource.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const documentsOf = DOCUMENTS[args.type];
        if (!documentsOf) return;
        for (const text of documentsOf(args.props)) {
            if (text === undefined || text === null) continue;
            const document = parseDocument(text);
            if (!document) {
                reportViolation(violation(`${args.name}: its policy is not a JSON document`, "give the policy as JSON text (JSON.stringify of the document)"));
                continue;
            }
            for (const statement of statementsOf(document)) {
                if (statement.effect !== "allow") continue;
                const where = `${args.name}${statement.sid ? ` statement ${statement.sid}` : ""}`;
                if (statement.notActions) {
                    reportViolation(violation(`${where} allows NotAction [${statement.actions.join(", ")}]: everything else`, "allow the actions the code calls, by name"));
                }
                const wildcards = statement.actions.filter(isWildcardAction);
                if (wildcards.length > 0) {
                    reportViolation(violation(`${where} allows every action: ${wildcards.join(", ")}`, "list the actions the code calls, e.g. s3:GetObject; a link's `permissions` say which"));
                }
                if (statement.resources.includes("*")) {
                    const needing = statement.actions.map(bareAction).filter((a) => !RESOURCE_WILDCARD_ALLOWED.has(a));
                    if (needing.length > 0) {
                        reportViolation(violation(`${where} allows ${needing.join(", ")} on every resource ('*')`, "name the ARNs / qcs:: resources; only actions without resource-level permissions (the rule's commented allowlist) take '*'"));
                    }
                }
            }
        }
    },
};
