// Realistic outputs for resources evaluated without a cloud: ids, physical names, ARNs,
// Tencent resource ids and endpoints in the provider's own formats, so that policies and
// wiring that reference other resources render concretely in a plan.
import { createHash } from "node:crypto";

export const AWS_ACCOUNT = "123456789012";
export const TENCENT_UIN = "100000000001";
export const TENCENT_APP_ID = "1250000000";

export interface ResourceFacts {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, any>;
    region: string;
}

export interface ResourceOutputs {
    id: string;
    state: Record<string, unknown>;
}

/** A short, stable hex digest: the same resource gets the same fake id in every run. */
export function digest(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Pulumi's auto-naming: logical name plus a random-looking suffix, stable per URN here. */
function autoName(facts: ResourceFacts, max = 64): string {
    return `${facts.name}-${digest(facts.urn, 7)}`.slice(0, max);
}

function numericId(facts: ResourceFacts, digits: number): string {
    const n = BigInt("0x" + digest(facts.urn, 15)) % 10n ** BigInt(digits);
    return n.toString().padStart(digits, "1");
}

type Realiser = (f: ResourceFacts) => ResourceOutputs;

const aws = (f: ResourceFacts) => ({ region: f.region, account: AWS_ACCOUNT });

const awsRealisers: Record<string, Realiser> = {
    "aws:iam/role:Role": (f) => {
        const name = f.inputs.name ?? autoName(f);
        return { id: name, state: { name, arn: `arn:aws:iam::${AWS_ACCOUNT}:role/${name}`, uniqueId: `AROA${digest(f.urn, 17).toUpperCase()}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (f) => {
        const name = f.inputs.name ?? autoName(f);
        return { id: `${f.inputs.role}:${name}`, state: { name } };
    },
    "aws:cloudwatch/logGroup:LogGroup": (f) => {
        const name = f.inputs.name ?? autoName(f, 512);
        const { region, account } = aws(f);
        return { id: name, state: { name, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` } };
    },
    "aws:lambda/function:Function": (f) => {
        const name = f.inputs.name ?? autoName(f);
        const { region, account } = aws(f);
        const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
        return {
            id: name,
            state: {
                name, arn, qualifiedArn: `${arn}:$LATEST`, version: "$LATEST",
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            },
        };
    },
    "aws:sqs/queue:Queue": (f) => {
        const name = f.inputs.name ?? autoName(f, 80);
        const { region, account } = aws(f);
        const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
        return { id: url, state: { name, url, arn: `arn:aws:sqs:${region}:${account}:${name}` } };
    },
};

const tencentRealisers: Record<string, Realiser> = {
    "tencentcloud:index/camRole:CamRole": (f) => ({ id: `4611686${numericId(f, 12)}`, state: { name: f.inputs.name ?? autoName(f) } }),
    "tencentcloud:index/camPolicy:CamPolicy": (f) => ({ id: numericId(f, 9), state: { name: f.inputs.name ?? autoName(f) } }),
    "tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment": (f) => ({
        id: `${f.inputs.roleId}#${f.inputs.policyId}`, state: {},
    }),
    "tencentcloud:index/scfFunction:ScfFunction": (f) => {
        const name = f.inputs.name ?? autoName(f, 60);
        const namespace = f.inputs.namespace ?? "default";
        return { id: `${namespace}+${name}`, state: { name, namespace, status: "Active", modifyTime: "2026-01-01 00:00:00" } };
    },
};

/** Realises one resource; unknown types get a generic id and an ARN-like identifier so nothing renders as undefined. */
export function realise(f: ResourceFacts): ResourceOutputs {
    const realiser = awsRealisers[f.type] ?? tencentRealisers[f.type];
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
