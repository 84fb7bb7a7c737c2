// The policy pack as the Pulumi CLI runs it: `pulumi preview --policy-pack policy`. Creating the
// PolicyPack starts its gRPC analyzer server and prints the port for the CLI, so this file is
// only ever run by the CLI; `npm run check` imports ./policies instead.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
    description: "Secure and reliable defaults of serverless-blocks apps on AWS and Tencent Cloud.",
    enforcementLevel: "mandatory",
    policies,
});
