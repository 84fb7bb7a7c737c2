// The interface every cloud implements: one method per component kind (the Nitric model).
// `cloud.ts` picks the implementation; components hand it their validated specs.
import * as pulumi from "@pulumi/pulumi";
import type { Link, LinkPermission } from "./link";
import type { AlarmTarget } from "./alarms";
import type { FunctionArgs, FunctionRelease } from "./function";
import type { EventPattern } from "./events/pattern";
import type { Schedule } from "./events/schedule";
import type { TableNetworkArgs } from "./table";
import type { SiteFile } from "./build/site-files";
import type { SsrPath } from "./site-rules";
import type { DnsRecord } from "./static-site";
import type { DefinitionOptions, TaskRole } from "./payment/definition";

export type ResolvedPermission = pulumi.Unwrap<LinkPermission>;
import type { FunctionCode } from "./function-code";

export interface FunctionSpec {
    name: string;
    code: FunctionCode;
    memory: number;
    timeout: number;
    /** The function's own variables plus its links'. */
    environment: pulumi.Output<Record<string, string>>;
    /** How many links the function has (known before their values are). */
    linkCount: number;
    /** What its links allow, resolved. */
    permissions: pulumi.Output<ResolvedPermission[]>;
    logRetentionDays: number;
    description?: string;
    /** The VPC and subnet its links need it in (a Tencent table's), if any; AWS and local ignore it. */
    network?: pulumi.Output<{ vpcId: string; subnetId: string } | undefined>;
    /**
     * Publish a version per change and route callers through `release.alias`: to `pinnedVersion` when
     * set (a rollback), else to the newest version, or split `canaryPercent` to it and the rest to the
     * previous one; `provisionedConcurrency` instances on the alias.
     */
    release: FunctionRelease;
    /** Where its alarms (errors, throttles) go; none without it. */
    alarms?: pulumi.Output<AlarmTarget>;
}

export interface FunctionRealisation {
    /** The deployed function's name. */
    functionName: pulumi.Output<string>;
    /** The cloud's identifier for it: an ARN on AWS, a `qcs::` resource on Tencent Cloud. */
    resourceId: pulumi.Output<string>;
    /** The permission to invoke it (through its alias), for other functions. */
    invokePermission: { actions: string[]; resources: pulumi.Input<string>[] };
    /** The alias callers invoke, and its identifier (see Function's `aliasId`). */
    alias: { name: string; id: pulumi.Output<string> };
}

export interface EventHubSpec {
    name: string;
    /** Days the bus's archive keeps events for replay; 0 keeps none. */
    archiveRetentionDays: number;
    /** Protect the bus and its archive from deletion (prod). */
    protect: boolean;
}

export interface EventHubRealisation {
    busName: pulumi.Output<string>;
    /** The bus's ARN on AWS, `qcs::eb:...` on Tencent Cloud, `local:hub:<name>` locally. */
    resourceId: pulumi.Output<string>;
    /**
     * For publishers: permission to put events on this bus, `SB_HUB_<NAME>_NAME` = the bus name;
     * for subscribers, `resources` names the bus (`busName`, plus `busArn` / `busId` per cloud).
     */
    link: Link;
}

export interface AsyncTaskSpec {
    name: string;
    /** Checked Function args; the realisation makes the task's Function with them, adding its dead-letter wiring. */
    function: FunctionArgs;
    /** The function's timeout in seconds, checked and defaulted. */
    timeout: number;
    /** Retries after a failed attempt (0-2): attempts = retries + 1. */
    retries: number;
    /** An event older than this is not attempted again; it goes to the dead-letter queue. */
    maxEventAgeSeconds: number;
    /** Run for each event on `hub` matching `pattern` (EventBridge pattern language, validated). */
    subscription?: { hub: pulumi.Output<pulumi.Unwrap<Link>>; pattern: EventPattern };
    /** Run on a schedule (validated). */
    schedule?: Schedule;
    /** Where the dead-letter alarm's actions point (an Alarms' target). */
    alarms?: pulumi.Output<AlarmTarget>;
    protect: boolean;
}

export interface AsyncTaskRealisation {
    functionName: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
    /** The dead-letter queue: its URL on AWS, its name on Tencent Cloud (TDMQ CMQ), `local:dlq:<task>` locally. */
    deadLetterQueue: pulumi.Output<string>;
}

export interface AlarmsSpec {
    name: string;
    email?: string;
    /** Often carries a token (chat webhooks do): a secret Output is kept secret. */
    webhookUrl?: pulumi.Input<string>;
    /** Tencent Cloud: CAM user ids notified by email and SMS. */
    tencentUserIds: number[];
}

export interface AlarmsRealisation {
    target: pulumi.Output<AlarmTarget>;
}

export interface MailerSpec {
    name: string;
    from: string;
    /** Template names to Tencent Cloud SES template ids. */
    templateIds: { [name: string]: number };
}

export interface MailerRealisation {
    /** For senders: permission to send as `from`, and `SB_MAILER_<NAME>_FROM` (+ per-cloud settings). */
    link: Link;
}

export interface ApiRouteSpec {
    /** The route key as given, e.g. "GET /users/{id}". */
    key: string;
    method: string;
    path: string;
    /** The path's parameter names, in order. */
    params: string[];
    /** The route function's name: `routeFunctionName(api, key)`. */
    functionName: string;
    /** Checked Function args; the realisation makes the route's Function with them. */
    function: FunctionArgs;
    /** The function's timeout in seconds, checked and defaulted (the integration waits as long). */
    timeout: number;
    /** Requires a valid JWT (the API's `jwt`): every route not marked `public: true`. */
    auth: boolean;
    /** The token's `roles` claim must hold one of these (checked by the route function's adapter); empty: any valid token. */
    roles: string[];
}

export interface ApiCorsSpec {
    /** Origins, or exactly ["*"] (never with credentials). */
    allowOrigins: string[];
    allowMethods: string[];
    /** Lower-cased header names. */
    allowHeaders: string[];
    exposeHeaders: string[];
    allowCredentials: boolean;
    maxAge: number;
}

export interface ApiJwtSpec {
    issuer: pulumi.Input<string>;
    /** An output when the settings came as one (e.g. `auth.jwt`). */
    audience: pulumi.Input<pulumi.Input<string>[]>;
    /** Given, or issuer + "/.well-known/jwks.json". */
    jwksUrl: pulumi.Input<string>;
}

export interface BusinessApiSpec {
    name: string;
    routes: ApiRouteSpec[];
    cors?: ApiCorsSpec;
    jwt?: ApiJwtSpec;
    throttle: { burstLimit: number; rateLimit: number };
    protect: boolean;
    /** For the API's access logs. */
    logRetentionDays: number;
    /** Where the API's alarms (5xx rate, latency) go; none without it. Route functions carry their own. */
    alarms?: pulumi.Output<AlarmTarget>;
}

export interface BusinessApiRealisation {
    /** The base URL, without a trailing slash. */
    url: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
}

export interface RealtimeFunctionSpec {
    /** `$connect`, `$disconnect`, `$default`, or a message action. */
    route: string;
    /** `<realtime>-connect`, `-disconnect`, `-default`, `-<action>`. */
    functionName: string;
    /** Checked Function args (the user's, or a built-in handler's); make the function with realtimeFunctionArgs(). */
    function: FunctionArgs;
    /** The function's timeout in seconds, checked and defaulted. */
    timeout: number;
}

export interface RealtimeSpec {
    name: string;
    /** `$connect`, `$disconnect` and `$default` first (the user's or built-in), then the message routes. */
    functions: RealtimeFunctionSpec[];
    /** The JSON field a message's route is selected by (AWS: `$request.body.<field>`). */
    routeField: string;
    /** Where clients put their token: the `token` query parameter, or the subprotocol after "bearer". */
    tokenFrom: "query" | "protocol";
    jwt: ApiJwtSpec;
    /** Per connection (enforced by the adapters through the connection store). */
    messagesPerSecond: number;
    messageBurst: number;
    /** The whole endpoint's limits (AWS stage throttling; the local server per endpoint). */
    throttle: { burstLimit: number; rateLimit: number };
    /** The connection Table's link (the component made the Table). */
    connections: pulumi.Output<Link>;
    /**
     * Makes the Realtime's link from what the realisation knows: the endpoint functions post to
     * and the permission to post there. Call it once, before making the functions (they take it).
     */
    link(endpoint: pulumi.Input<string>, push: LinkPermission[]): pulumi.Output<Link>;
    protect: boolean;
    logRetentionDays: number;
}

export interface RealtimeRealisation {
    /** Where clients connect (`wss://...`, `ws://...` locally). */
    url: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
}

export interface FileUploadSpec {
    name: string;
    maxBytes: number;
    /** Lower-case MIME types; `image/*` families. */
    allowedTypes: string[];
    urlExpiresSeconds: number;
    /** Browser origins for the bucket's CORS (the signing API gets them from the component). */
    allowOrigins: string[];
    /** Lifecycle expiration of objects, if any. */
    expireAfterDays?: number;
    /**
     * The processing task: made with the cloud's own asyncTask realisation (retries, dead-letter
     * queue), its function's links plus the processor link; the realisation wires the store's
     * notification of new objects under `uploads/` to it.
     */
    processor: { name: string; function: FunctionArgs; timeout: number; retries: number; maxEventAgeSeconds: number; alarms?: pulumi.Output<AlarmTarget> };
    /**
     * Makes the signer's and the processor's links from the cloud's facts. Call it once, before
     * making the processor (it takes the processor link).
     */
    links(facts: FileUploadLinkFacts): { signer: Link; processor: Link };
    protect: boolean;
}

/** What a realisation knows that the links carry. */
export interface FileUploadLinkFacts {
    bucket: pulumi.Input<string>;
    /** The bucket's region; "" locally. */
    region: pulumi.Input<string>;
    /** Put objects under `uploads/` only. */
    signer: LinkPermission[];
    /** Read and delete objects under `uploads/` only. */
    processor: LinkPermission[];
    /** Anything else the cloud's client needs (e.g. the COS app id). */
    environment?: { [key: string]: pulumi.Input<string> };
}

export interface FileUploadRealisation {
    bucketName: pulumi.Output<string>;
    /** Where browsers send the signed uploads (scheme://host): the site's CSP must allow it. */
    uploadOrigin: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
    deadLetterQueue: pulumi.Output<string>;
    processorName: pulumi.Output<string>;
}

/** One of a PaymentWorkflow's task functions, made by the component. */
export interface PaymentTaskFunction {
    functionName: pulumi.Output<string>;
    /** The function's ARN on AWS, its `qcs::scf:` resource on Tencent Cloud, `local:function:<name>` locally. */
    resourceId: pulumi.Output<string>;
    /** The alias the workflow invokes (`live`), and its identifier (Function's `aliasId`). */
    alias: pulumi.Output<string>;
    aliasId: pulumi.Output<string>;
}

export interface PaymentWorkflowSpec {
    name: string;
    /** Build the workflow from `paymentDefinition(spec.definition, <this cloud's DefinitionTarget>)`. */
    definition: DefinitionOptions;
    /** Exactly the functions the definition runs (`taskRoles(spec.definition)`), by role. */
    tasks: { [role in TaskRole]?: PaymentTaskFunction };
    /** The payments Table's link (the component made the Table); `resources` names the table. */
    table: pulumi.Output<Link>;
    /**
     * Makes the workflow's links from what the realisation knows: the starter link (the
     * component's `link`) and the callback's. Call it once, after the workflow exists.
     */
    links(facts: PaymentWorkflowLinkFacts): void;
    protect: boolean;
    logRetentionDays: number;
    /** Where the workflow's alarms (failed, timed-out executions) go; none without it. Task functions carry their own. */
    alarms?: pulumi.Output<AlarmTarget>;
}

/** What a realisation knows that the links carry. */
export interface PaymentWorkflowLinkFacts {
    /** What the runtime client names the workflow by: the state machine ARN, the ASW flow id, the local id. */
    workflowId: pulumi.Input<string>;
    /** Start executions of this workflow and read them (the starter link). */
    start: LinkPermission[];
    /** Read a payment record in the payments table (the starter link). */
    read: LinkPermission[];
    /** Callback mode: resume this workflow's waits (the callback's link); empty otherwise. */
    resume: LinkPermission[];
}

export interface PaymentWorkflowRealisation {
    /** The state machine's ARN on AWS, the ASW flow's resource id on Tencent Cloud, `local:workflow:<name>` locally. */
    resourceId: pulumi.Output<string>;
}

export interface StaticSiteSpec {
    name: string;
    /** The directory published (the build's output when there is a build), absolute. */
    directory: string;
    /** Its files, sorted by key. */
    files: SiteFile[];
    /** index.html is at the root: client routes fall back to it. */
    hasIndex: boolean;
    /** Top-level directories of hashed files only (`assets`): cached a year, never the fallback. */
    hashedDirectories: string[];
    /** What /config.json holds, and the file's bytes. */
    config: pulumi.Output<Record<string, string>>;
    configJson: pulumi.Output<string>;
    /** Changes exactly when what the site serves changes. */
    contentHash: pulumi.Output<string>;
    csp: pulumi.Output<string>;
    /** Paths a Function renders; its name is `<site>-ssr`. */
    ssr?: { paths: SsrPath[]; function: FunctionArgs };
    domain?: string;
    certificateId?: string;
    hostedZoneId?: string;
    protect: boolean;
}

export interface StaticSiteRealisation {
    url: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    distributionId: pulumi.Output<string>;
    dnsRecords: pulumi.Output<DnsRecord[]>;
}

export interface TableSpec {
    name: string;
    partitionKey: string;
    sortKey?: string;
    ttlAttribute?: string;
    /** Tencent Cloud: an existing VPC, subnet and security group for the cluster. */
    network?: TableNetworkArgs;
    /** Tencent Cloud: the cluster's zone, when not the region's default. */
    availabilityZone?: string;
    /** Protect the table from deletion (prod). */
    protect: boolean;
}

export interface TableRealisation {
    tableName: pulumi.Output<string>;
    /** The table's ARN on AWS, its cluster's `qcs::cynosdb:...` on Tencent Cloud, `local:table:<name>` locally. */
    resourceId: pulumi.Output<string>;
    /**
     * For functions: exactly the access the runtime client needs, `SB_TABLE_<NAME>_*` to find the
     * table (on Tencent Cloud with the password as a secret); `resources` names the table (and on
     * Tencent Cloud its `vpcId` and `subnetId`, where linking functions must run).
     */
    link: Link;
    /** For functions that only read: the same variables plus `SB_TABLE_<NAME>_ACCESS=read`, and only read access. */
    readLink: Link;
}

export interface AuthSecretSpec {
    /** The Auth component's name. */
    name: string;
    /** Signing key generation: raising it makes a new key current and keeps the previous one. */
    keyRotation: number;
    protect: boolean;
}

/** What the secret store holds for an Auth besides its signing keys. */
export interface AuthSecretContent {
    /** The issuer URL of our tokens (known once the auth API exists). */
    issuer: pulumi.Output<string>;
    /** Provider name to its OAuth client secret. */
    clientSecrets: pulumi.Output<Record<string, string>>;
}

/**
 * An Auth's secret in the cloud's secret store (Secrets Manager, Tencent SSM, a file under the
 * local data directory). Its value is JSON, read by functions/runtime/clients/auth-secret.ts:
 * `{ issuer, keys: [{ privateKeyPem, current }], clientSecrets }`, the keys ES256 (P-256,
 * PKCS#8 PEM), the current one first, the previous one (if any) after it.
 */
export interface AuthSecretRealisation {
    /** For the auth functions: read access to exactly this secret, and `SB_AUTHSECRET_<NAME>_ID` naming it. */
    link: Link;
    /** Stores `content` with the signing keys as the secret's value. Called once. */
    write(content: AuthSecretContent): void;
}

/** A federated identity provider of a Cognito user pool, checked. */
export interface AuthCognitoIdentityProviderSpec {
    /** The provider's name in the pool: the type for a social provider (`Google`), the given name for OIDC. */
    providerName: string;
    /** `Google`, `Facebook`, `LoginWithAmazon` or `OIDC`. */
    type: string;
    clientId: pulumi.Input<string>;
    /** A Pulumi secret. */
    clientSecret: pulumi.Output<string>;
    /** OIDC only: the issuer URL (its discovery document gives the endpoints). */
    issuer?: pulumi.Input<string>;
    scopes: string[];
}

/** An Auth's Cognito mode: a managed user pool instead of our own issuer's tokens. */
export interface AuthCognitoSpec {
    /** The Auth component's name. */
    name: string;
    /** The hosted UI's domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. */
    domainPrefix: string;
    callbackUrls: string[];
    logoutUrls: string[];
    identityProviders: AuthCognitoIdentityProviderSpec[];
    /** Lifetimes of the tokens the pool issues. */
    accessTokenSeconds: number;
    refreshTokenDays: number;
    protect: boolean;
}

export interface AuthCognitoRealisation {
    /** The pool's issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
    issuer: pulumi.Output<string>;
    userPoolId: pulumi.Output<string>;
    /** The app client's id: the audience APIs accept. */
    clientId: pulumi.Output<string>;
    /** The hosted UI's base URL (`/oauth2/authorize`, `/oauth2/token`, `/logout` under it). */
    hostedUiUrl: pulumi.Output<string>;
}

export interface CloudProvider {
    /** The signing keys (generated at deploy) and secrets of an Auth. */
    authSecret(parent: pulumi.Resource, spec: AuthSecretSpec): AuthSecretRealisation;
    /** An Auth's managed user pool (Cognito mode); absent where the cloud has none. */
    authCognito?(parent: pulumi.Resource, spec: AuthCognitoSpec): AuthCognitoRealisation;
    table(parent: pulumi.Resource, spec: TableSpec): TableRealisation;
    function(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation;
    eventHub(parent: pulumi.Resource, spec: EventHubSpec): EventHubRealisation;
    asyncTask(parent: pulumi.Resource, spec: AsyncTaskSpec): AsyncTaskRealisation;
    mailer(parent: pulumi.Resource, spec: MailerSpec): MailerRealisation;
    alarms(parent: pulumi.Resource, spec: AlarmsSpec): AlarmsRealisation;
    businessApi(parent: pulumi.Resource, spec: BusinessApiSpec): BusinessApiRealisation;
    realtime(parent: pulumi.Resource, spec: RealtimeSpec): RealtimeRealisation;
    fileUpload(parent: pulumi.Resource, spec: FileUploadSpec): FileUploadRealisation;
    paymentWorkflow(parent: pulumi.Resource, spec: PaymentWorkflowSpec): PaymentWorkflowRealisation;
    /**
     * Refuse what this cloud cannot take, before the component registers (so a mistake registers
     * nothing): names and values the other clouds accept but this one does not.
     */
    checkFunction?(spec: Pick<FunctionSpec, "name" | "logRetentionDays" | "release">): void;
    checkEventHub?(spec: EventHubSpec): void;
    checkAsyncTask?(spec: AsyncTaskSpec): void;
    checkBusinessApi?(spec: BusinessApiSpec): void;
    /** Refuses what this cloud's workflow service cannot do (called before the PaymentWorkflow registers). */
    checkPaymentWorkflow?(spec: Pick<PaymentWorkflowSpec, "name" | "definition">): void;
    /** Refuses what this cloud cannot serve (called before the StaticSite registers). */
    checkStaticSite(spec: StaticSiteSpec): void;
    staticSite(parent: pulumi.Resource, spec: StaticSiteSpec): StaticSiteRealisation;
}
