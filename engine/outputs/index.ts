// Realistic outputs for resources evaluated without a cloud: ids, physical names, ARNs,
// Tencent resource ids and endpoints in the provider's own formats, so that policies and
// wiring that reference other resources render concretely in a plan.
import { awsRealisers } from "./aws";
import { AWS_ACCOUNT, autoName, digest, ResourceFacts, ResourceOutputs, TENCENT_APP_ID, TENCENT_UIN } from "./common";
import { dynamicRealisers } from "./dynamic";
import { tencentRealisers } from "./tencentcloud";
import { tlsRealisers } from "./tls";

export { AWS_ACCOUNT, TENCENT_UIN, digest } from "./common";
export type { ResourceFacts, ResourceOutputs } from "./common";

/** Realises one resource; unknown types get a generic id and an ARN-like identifier so nothing renders as undefined. */
export function realise(f: ResourceFacts): ResourceOutputs {
    const realiser = awsRealisers[f.type] ?? tencentRealisers[f.type] ?? tlsRealisers[f.type] ?? dynamicRealisers[f.type];
    if (realiser) {
        const out = realiser(f);
        return { id: out.id, state: { ...f.inputs, ...out.state } };
    }
    const name = f.inputs.name ?? autoName(f);
    const [pkg, module] = f.type.split(":");
    const arn = pkg === "aws"
        ? `arn:aws:${module.split("/")[0]}:${f.region}:${AWS_ACCOUNT}:${module.split("/")[1] ?? "resource"}/${name}`
        : undefined;
    const id = pkg === "tencentcloud" ? `${module.split("/")[1] ?? "res"}-${digest(f.urn, 8)}` : name;
    return { id, state: { name, ...(arn ? { arn } : {}), ...f.inputs } };
}

/** Provider functions (invokes) the components call. */
export function answerInvoke(token: string, region: string): Record<string, unknown> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: AWS_ACCOUNT, arn: `arn:aws:iam::${AWS_ACCOUNT}:user/planner`, userId: "AIDAPLANNER", id: AWS_ACCOUNT };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, description: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "tencentcloud:index/getUserInfo:getUserInfo":
            return { appId: TENCENT_APP_ID, uin: TENCENT_UIN, ownerUin: TENCENT_UIN, id: TENCENT_UIN };
        default:
            throw new Error(`the in-process engine has no answer for provider function ${token}`);
    }
}
