// What the rules share: how a violation reads (what is wrong, then how to fix it), the resource
// types they read, and the small parsers for what resources carry as text (policy documents, ARNs).
import type { PolicyResource } from "@pulumi/policy";

/** Every message ends with the fix, so `npm run check` and the CLI both say what to do. */
export function violation(what: string, fix: string): string {
    return `${what}. Fix: ${fix}`;
}

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string {
    return urn.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::")[0] : "";
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

/** A policy document arrives as JSON text (or, from some providers, already parsed); undefined if neither. */
export function parseDocument(value: unknown): Record<string, any> | undefined {
    if (value && typeof value === "object") return value as Record<string, any>;
    if (typeof value !== "string") return undefined;
    try {
        const parsed = JSON.parse(value);
        return parsed && typeof parsed === "object" ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** A statement with AWS's or CAM's spelling of its keys, read one way. */
export interface Statement {
    effect: string;
    actions: string[];
    notActions: boolean;
    resources: string[];
    principal: unknown;
    condition: Record<string, any> | undefined;
    sid?: string;
}

/** The statements of an IAM (`Statement`, `Effect`...) or CAM (`statement`, `effect`...) document. */
export function statementsOf(document: Record<string, any>): Statement[] {
    return asArray(document.Statement ?? document.statement).map((s: Record<string, any>) => ({
        effect: String(s.Effect ?? s.effect ?? "").toLowerCase(),
        actions: asArray<string>(s.Action ?? s.action ?? s.NotAction).map(String),
        notActions: s.NotAction !== undefined,
        resources: asArray<string>(s.Resource ?? s.resource).map(String),
        principal: s.Principal ?? s.principal,
        condition: s.Condition ?? s.condition,
        sid: s.Sid ?? s.sid,
    }));
}

/** CAM writes actions as `name/cos:GetObject` in bucket policies and `cos:GetObject` in role policies. */
export function bareAction(action: string): string {
    return action.replace(/^name\//, "");
}

/** A principal anyone matches: AWS `"*"` / `{ AWS: "*" }`, CAM `qcs::cam::anyone:anyone`. */
export function isAnyone(principal: unknown): boolean {
    if (principal === "*") return true;
    if (!principal || typeof principal !== "object") return false;
    return Object.values(principal as Record<string, unknown>).some((value) =>
        asArray(value as unknown).some((p) => p === "*" || (typeof p === "string" && /^qcs::cam::anyone(:anyone)?$/.test(p))));
}

/** The value of a condition key under any operator, case-insensitively (`Bool`, `bool`, ...). */
export function conditionValues(condition: Record<string, any> | undefined, key: string): string[] {
    if (!condition) return [];
    const found: string[] = [];
    for (const operands of Object.values(condition)) {
        if (!operands || typeof operands !== "object") continue;
        for (const [k, v] of Object.entries(operands)) if (k.toLowerCase() === key.toLowerCase()) found.push(...asArray(v as unknown).map(String));
    }
    return found;
}

/** Resources of one of `types`. */
export function ofTypes(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** True if `ref` names `target`: its URN as a dependency, or one of its identifying outputs as a value. */
export function refersTo(ref: unknown, target: PolicyResource, keys: string[] = ["id", "arn", "name", "bucket"]): boolean {
    if (typeof ref !== "string" || ref === "") return false;
    return keys.some((k) => typeof target.props[k] === "string" && target.props[k] === ref);
}

/** True if `resource` depends on `target` (through any input, or `dependsOn`). */
export function dependsOn(resource: PolicyResource, target: PolicyResource): boolean {
    return resource.dependencies.some((d) => d.urn === target.urn)
        || Object.values(resource.propertyDependencies).some((ds) => ds.some((d) => d.urn === target.urn));
}

/** Resource types the rules read, by cloud. */
export const AWS = {
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    role: "aws:iam/role:Role",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketAcl: "aws:s3/bucketAclV2:BucketAclV2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    bucketCors: "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    bucketCorsV2: "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
    bucketNotification: "aws:s3/bucketNotification:BucketNotification",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    lambda: "aws:lambda/function:Function",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    permission: "aws:lambda/permission:Permission",
    eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    api: "aws:apigatewayv2/api:Api",
    route: "aws:apigatewayv2/route:Route",
    integration: "aws:apigatewayv2/integration:Integration",
    table: "aws:dynamodb/table:Table",
    dbInstance: "aws:rds/instance:Instance",
    dbCluster: "aws:rds/cluster:Cluster",
} as const;

export const TENCENT = {
    camPolicy: "tencentcloud:index/camPolicy:CamPolicy",
    cosBucket: "tencentcloud:index/cosBucket:CosBucket",
    cosBucketPolicy: "tencentcloud:index/cosBucketPolicy:CosBucketPolicy",
    scfFunction: "tencentcloud:index/scfFunction:ScfFunction",
    invokeConfig: "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig",
    scfTrigger: "tencentcloud:index/scfTrigger:ScfTrigger",
    ebTarget: "tencentcloud:index/ebEventTarget:EbEventTarget",
    queue: "tencentcloud:index/tcmqQueue:TcmqQueue",
    alarmPolicy: "tencentcloud:index/monitorAlarmPolicy:MonitorAlarmPolicy",
    alarmBinding: "tencentcloud:index/monitorPolicyBindingObject:MonitorPolicyBindingObject",
    clsTopic: "tencentcloud:index/clsTopic:ClsTopic",
    apiGatewayApi: "tencentcloud:index/apiGatewayApi:ApiGatewayApi",
    cynosdb: "tencentcloud:index/cynosdbCluster:CynosdbCluster",
    mysql: "tencentcloud:index/mysqlInstance:MysqlInstance",
} as const;

/** What the app's adapters read from a function's environment (functions/runtime). */
export const ENV = {
    /** functions/runtime/auth/jwt.ts JWT_ENV.issuer: set on a Tencent route whose function checks the token. */
    jwtIssuer: "SB_API_JWT_ISSUER",
    /** functions/runtime/cors.ts CORS_ENV: the origins a Tencent route's function answers. */
    cors: "SB_API_CORS",
    /** functions/runtime/clients/tencentcloud/dead-letter.ts DEAD_LETTER_ENV.queue. */
    deadLetterQueue: "SB_DEAD_LETTER_QUEUE",
} as const;

/** How the BusinessApi components mark a route open on purpose (`public: true`) in its description. */
export const PUBLIC_ROUTE_MARK = "(public)";

/** A function's environment variables, for either cloud's shape. */
export function environmentOf(fn: { type: string; props: Record<string, any> }): Record<string, unknown> {
    const env = fn.props.environment;
    if (!env || typeof env !== "object") return {};
    return fn.type === AWS.lambda ? (env.variables ?? {}) : env;
}
