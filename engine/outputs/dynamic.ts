// Realistic outputs of the project's Pulumi dynamic resources (`pulumi-nodejs:dynamic/...` types,
// components/tencentcloud/dynamic/): what their providers answer on `pulumi up`, so wiring that
// reads them (a release's dependency, an exported push address) renders concretely in a plan.
import { digest, Realiser, TENCENT_APP_ID } from "./common";

export const dynamicRealisers: Record<string, Realiser> = {
    // CreateApi's ApiId, and DescribeApi's InternalDomain (the push address). That address's form
    // is not documented beyond an internal http address; this one says it is a placeholder (.invalid).
    "pulumi-nodejs:dynamic/tencentcloud:ApiGatewayWebSocketApi": (f) => {
        const apiId = `api-${digest(f.urn, 8)}`;
        return { id: apiId, state: { apiId, internalDomain: `http://apigateway-push.invalid/${apiId}` } };
    },
    // CreateFlowService's FlowServiceResource, in the form of ASW's API examples
    // (qrn:qcs:asw:<region>:<appId>:http:json:flowmachine:<name>:<flowId>), and the physical name
    // the provider makes: the prefix and 7 hex digits.
    "pulumi-nodejs:dynamic/tencentcloud:AswStateMachine": (f) => {
        const name = `${f.inputs.namePrefix}-${digest(f.urn, 7)}`;
        const resourceId = `qrn:qcs:asw:${f.inputs.region ?? f.region}:${TENCENT_APP_ID}:http:json:flowmachine:${name}:${digest(`${f.urn}#flow`, 8)}`;
        return { id: resourceId, state: { resourceId, name } };
    },
};
