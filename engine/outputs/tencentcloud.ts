// Realistic outputs of the Tencent Cloud resources: ids in the provider's formats. Composite ids
// join their parts with `#`, as terraform-provider-tencentcloud does (tccommon.FILED_SP).
import { autoName, digest, numericId, Realiser, ResourceFacts } from "./common";
import { TENCENT_APP_ID } from "./common";

/** A Tencent short id, e.g. `eb-1a2b3c4d`: a prefix and 8 characters, stable per URN. */
const shortId = (prefix: string, f: ResourceFacts, salt = "") => `${prefix}-${digest(f.urn + salt, 8)}`;

export const tencentRealisers: Record<string, Realiser> = {
    // Table: its network, its TDSQL-C cluster (ids as the console shows them), its generated password.
    "tencentcloud:index/vpc:Vpc": (f) => ({ id: shortId("vpc", f), state: { name: f.inputs.name ?? autoName(f, 60), isDefault: false } }),
    "tencentcloud:index/subnet:Subnet": (f) => ({ id: shortId("subnet", f), state: { name: f.inputs.name ?? autoName(f, 60), availableIpCount: 4091 } }),
    "tencentcloud:index/securityGroup:SecurityGroup": (f) => ({ id: shortId("sg", f), state: { name: f.inputs.name ?? autoName(f, 60), projectId: 0 } }),
    "tencentcloud:index/securityGroupLiteRule:SecurityGroupLiteRule": (f) => ({ id: f.inputs.securityGroupId, state: {} }),
    "tencentcloud:index/cynosdbCluster:CynosdbCluster": (f) => {
        const id = shortId("cynosdbmysql", f);
        const address = `10.0.${parseInt(digest(f.urn, 2), 16) % 16}.${2 + (parseInt(digest(f.urn + "ip", 2), 16) % 250)}`;
        return {
            id,
            state: {
                instanceId: shortId("cynosdbmysql-ins", f),
                rwGroupAddrs: [{ ip: address, port: f.inputs.port ?? 3306 }],
                roGroupAddrs: [],
                clusterStatus: "running",
                serverlessStatus: "resume",
                charset: "utf8mb4",
            },
        };
    },
    "random:index/randomPassword:RandomPassword": (f) => ({ id: "none", state: { result: `Pw-${digest(f.urn, 12)}${digest(f.urn + "u", 12).toUpperCase()}7_`.slice(0, f.inputs.length ?? 32) } }),
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
    // SCF numbers a function's versions 1, 2, 3... as they are published: here a number from what was
    // published, at least 2, so that a plan shows a canary's split (components/tencentcloud/release.ts).
    "tencentcloud:index/scfFunctionVersion:ScfFunctionVersion": (f) => {
        const functionVersion = String(2 + (parseInt(digest(f.urn + f.inputs.description, 4), 16) % 40));
        return { id: `${f.inputs.functionName}#${f.inputs.namespace ?? ""}#${functionVersion}`, state: { functionVersion } };
    },
    "tencentcloud:index/scfFunctionAlias:ScfFunctionAlias": (f) => ({ id: `${f.inputs.namespace ?? ""}#${f.inputs.functionName}#${f.inputs.name}`, state: {} }),
    // The bus's id is the EventBusId every EB API takes.
    "tencentcloud:index/ebEventBus:EbEventBus": (f) => ({ id: shortId("eb", f), state: {} }),
    "tencentcloud:index/ebEventRule:EbEventRule": (f) => {
        const ruleId = shortId("rule", f);
        return { id: `${f.inputs.eventBusId}#${ruleId}`, state: { ruleId } };
    },
    "tencentcloud:index/ebEventTarget:EbEventTarget": (f) => ({
        id: `${f.inputs.eventBusId}#${f.inputs.ruleId}#${shortId("target", f)}`,
        state: { batchEventCount: f.inputs.batchEventCount ?? 1, batchTimeout: f.inputs.batchTimeout ?? 0 },
    }),
    "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig": (f) => ({
        id: `${f.inputs.functionName}#${f.inputs.namespace ?? "default"}`, state: {},
    }),
    "tencentcloud:index/scfTrigger:ScfTrigger": (f) => ({
        id: `${f.inputs.functionName}#${f.inputs.namespace}#${f.inputs.triggerName}`,
        state: { availableStatus: "Available", addTime: "2026-01-01 00:00:00", modTime: "2026-01-01 00:00:00", triggerAttribute: f.inputs.triggerDesc },
    }),
    // Auth's secret: an SSM secret is its name; a version is `<secretName>#<versionId>`.
    "tencentcloud:index/ssmSecret:SsmSecret": (f) => ({
        id: f.inputs.secretName,
        state: { status: f.inputs.isEnabled === false ? "Disabled" : "Enabled", kmsKeyId: f.inputs.kmsKeyId ?? "", secretType: f.inputs.secretType ?? 0 },
    }),
    "tencentcloud:index/ssmSecretVersion:SsmSecretVersion": (f) => ({ id: `${f.inputs.secretName}#${f.inputs.versionId}`, state: {} }),
    // A CMQ queue is named, not numbered: its name is its id.
    "tencentcloud:index/tcmqQueue:TcmqQueue": (f) => ({ id: f.inputs.queueName, state: {} }),
    // A service's public domain: its id, the account's APPID, the region's short name (gz for ap-guangzhou).
    "tencentcloud:index/apiGatewayService:ApiGatewayService": (f) => {
        const id = shortId("service", f);
        return {
            id,
            state: {
                outerSubDomain: `${id}-${TENCENT_APP_ID}.${API_GATEWAY_REGION[f.region] ?? f.region}.apigw.tencentcs.com`,
                internalSubDomain: "",
                innerHttpPort: 0,
                innerHttpsPort: 0,
                apiLists: [],
                usagePlanLists: [],
                createTime: "2026-01-01T00:00:00Z",
                modifyTime: "2026-01-01T00:00:00Z",
            },
        };
    },
    "tencentcloud:index/apiGatewayApi:ApiGatewayApi": (f) => ({
        id: shortId("api", f),
        state: { createTime: "2026-01-01T00:00:00Z", updateTime: "2026-01-01T00:00:00Z" },
    }),
    // A release is named by its version, a timestamp; each description gets its own.
    "tencentcloud:index/apiGatewayServiceRelease:ApiGatewayServiceRelease": (f) => {
        const releaseVersion = f.inputs.releaseVersion ?? `2026${(BigInt("0x" + digest(f.urn + f.inputs.releaseDesc, 12)) % 10n ** 10n).toString().padStart(10, "0")}`;
        return { id: `${f.inputs.serviceId}#${f.inputs.environmentName}#${releaseVersion}`, state: { releaseVersion } };
    },
    // StaticSite. A bucket is named `<name>-<APPID>`, which is also its id.
    "tencentcloud:index/cosBucket:CosBucket": (f) => ({
        id: f.inputs.bucket,
        state: { cosBucketUrl: `${f.inputs.bucket}.cos.${f.region}.myqcloud.com` },
    }),
    "tencentcloud:index/cosBucketPolicy:CosBucketPolicy": (f) => ({ id: f.inputs.bucket, state: {} }),
    "tencentcloud:index/cosBucketObject:CosBucketObject": (f) => ({
        id: `${f.inputs.bucket}${f.inputs.key}`,
        state: { etag: f.inputs.etag ?? digest(f.urn, 32), storageClass: f.inputs.storageClass ?? "STANDARD" },
    }),
    // A domain is its own id; the CNAME to point it at is the CDN's, `<domain>.cdn.dnsv1.com`.
    "tencentcloud:index/cdnDomain:CdnDomain": (f) => ({
        id: f.inputs.domain,
        state: { cname: `${f.inputs.domain}.cdn.dnsv1.com`, status: "online", createTime: "2026-01-01 00:00:00", area: f.inputs.area ?? "mainland" },
    }),
};

/** The region part of API Gateway's default domains. */
const API_GATEWAY_REGION: Record<string, string> = {
    "ap-guangzhou": "gz", "ap-shanghai": "sh", "ap-beijing": "bj", "ap-chengdu": "cd", "ap-chongqing": "cq",
    "ap-nanjing": "nj", "ap-hongkong": "hk", "ap-singapore": "sg", "ap-tokyo": "tokyo", "na-siliconvalley": "usw",
};
