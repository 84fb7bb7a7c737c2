// Which SCF functions get public network access (issue 14: only those that need it).
//
// - Outside a VPC: on, as SCF has it. Only a function in a VPC can have it turned off (the
//   provider's `enable_public_net`: "NOTE: only `vpc_id` specified can disable public net config",
//   resource_tc_scf_function.go v1.83.25), and leaving the input unset would send its default,
//   false, which SCF would not apply: a plan that never settles.
// - In a VPC (a function linking a Table, whose TDSQL-C cluster has a private address only): on
//   exactly when the function must reach something outside the VPC, which its resolved links say:
//   - any CAM permission: every one is a Tencent Cloud API action (EB PutEvents for a hub, SES
//     SendEmail for a mailer, TDMQ SendCmqMsg for a dead-letter queue, SSM GetSecretValue for Auth's
//     secret, ASW StartExecution for payments, API Gateway look-ups for a Realtime's push address,
//     COS for uploads, SCF Invoke for a linked function), and those APIs are public endpoints.
//     A Table grants one too: SSM GetSecretValue on its account's secret, read at cold start, so
//     every function linking a Table has public access today. Tencent documents internal API
//     domains for some products, but none we could find for SSM from SCF in a VPC: with one, a
//     table-only function could go without (README, Known limits).
//   - a token check (`SB_API_JWT_JWKS_URL`, set on BusinessApi routes that are not public and on a
//     Realtime's functions): the adapter fetches the issuer's signing keys from that URL.
//   - Auth's settings (`SB_AUTH_SETTINGS`): its functions talk to the sign-in provider.
// A function in a VPC with none of these (no links that grant anything) gets no public network.
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import type { ResolvedPermission } from "../provider";

/** Variables naming an endpoint outside the VPC that the function's runtime calls. */
export const OUTSIDE_ENDPOINT_VARIABLES = [JWT_ENV.jwksUrl, "SB_AUTH_SETTINGS"];

/** Why the function gets public network access, or undefined when it does not. */
export function publicNetworkReason(
    network: { vpcId: string; subnetId: string } | undefined,
    permissions: ResolvedPermission[],
    environment: Record<string, string>,
): string | undefined {
    if (!network) return "outside a VPC: SCF keeps public access on";
    const actions = [...new Set(permissions.flatMap((p) => p.actions))].sort();
    if (actions.length > 0) return `calls Tencent Cloud APIs (${actions.join(", ")})`;
    const outside = OUTSIDE_ENDPOINT_VARIABLES.filter((key) => key in environment);
    if (outside.length > 0) return `fetches from outside the VPC (${outside.join(", ")})`;
    return undefined;
}
