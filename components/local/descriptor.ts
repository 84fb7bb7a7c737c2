// What a local realisation leaves for the local runtime. The program may run in another process
// than the runtime (the SDK's launcher does that), so a realisation cannot hand the runtime
// anything directly: it registers a descriptor, a component whose outputs are the plain data the
// runtime needs, and the runtime reads them from the recorded resources (local/load.ts).
// This module is the contract between the two sides: the kinds and the shape of each one's data.
import * as pulumi from "@pulumi/pulumi";
import type { EventPattern } from "../events/pattern";
import type { ApiCorsSpec } from "../provider";
import type { SsrPath } from "../site-rules";

const TYPE_PREFIX = "serverless-blocks:local:";

/** A function the runtime runs in a worker thread of its own. */
export interface LocalFunctionDescriptor {
    name: string;
    /** Its zip, built for the local target, relative to the project's root. */
    zipPath: string;
    environment: Record<string, string>;
    timeoutSeconds: number;
    memoryMb: number;
    release: LocalFunctionRelease;
}

/**
 * Where a function's alias points (the stack config's `serverless-blocks:canary` and
 * `:pinnedVersions`, components/config.ts ReleaseConfig, applied to this function by components/function.ts): the runtime publishes a version per new
 * build under its data directory (local/function-versions.ts) and routes the alias by this.
 */
export interface LocalFunctionRelease {
    /** `live`: what callers invoke. */
    alias: string;
    /** 0, or the share (1-99) of invocations the newest version takes; the previous one takes the rest. */
    canaryPercent: number;
    /** A published version number ("3") that takes all invocations: a rollback's pin. */
    pinnedVersion?: string;
}

/** An event hub's bus. */
export interface LocalHubDescriptor {
    /** The EventHub component's name. */
    name: string;
    /** What publishers name (`SB_HUB_<NAME>_NAME`). */
    busName: string;
    /** Days the hub's event log keeps events; 0 keeps none. */
    archiveRetentionDays: number;
}

/** An async task's durable queue, delivering to its function. */
export interface LocalTaskDescriptor {
    /** The AsyncTask component's name (also its queue's and dead letters' name). */
    name: string;
    functionName: string;
    retries: number;
    maxEventAgeSeconds: number;
    /** The function's timeout, for the queue's visibility timeout. */
    timeoutSeconds: number;
    /** Events on `busName` matching `pattern` (validated). */
    subscription?: { busName: string; pattern: EventPattern };
    /** The schedule expression as given (validated), e.g. `rate(5 minutes)`. */
    schedule?: string;
}

export interface LocalApiRouteDescriptor {
    /** "POST /users/{id}" as the component was given it. */
    key: string;
    method: string;
    path: string;
    functionName: string;
    /** Requires a valid bearer token (the API's `jwt`): every route not marked public. */
    auth: boolean;
    /** The token's `roles` claim must hold one of these (the route function's adapter checks, from SB_API_ROLES); empty: any valid token. */
    roles: string[];
}

/** A business API's routes, served under the runtime's /api. */
export interface LocalApiDescriptor {
    /** The BusinessApi component's name. */
    name: string;
    routes: LocalApiRouteDescriptor[];
    cors?: ApiCorsSpec;
    jwt?: { issuer: string; audience: string[]; jwksUrl?: string };
    throttle: { burstLimit: number; rateLimit: number };
}

/** A static site served at the runtime's `/`. */
export interface LocalSiteDescriptor {
    /** The StaticSite component's name. */
    name: string;
    /** The directory served (the build's output when there is a build), absolute. */
    root: string;
    hasIndex: boolean;
    /** Top-level directories of hashed files: no index.html fallback there, as on the CDNs. */
    hashedDirectories: string[];
    /** The generated /config.json. */
    configJson: string;
    csp: string;
    /** Paths the named local function renders. */
    ssr?: { paths: SsrPath[]; functionName: string };
}

/**
 * An Auth's secret: the runtime keeps it in `file` (components/local/auth-secret.ts writes it),
 * with signing keys it generates and keeps across restarts, rotated when `keyRotation` rises.
 */
export interface LocalAuthSecretDescriptor {
    /** The Auth component's name. */
    name: string;
    /** The secret file (`SB_AUTHSECRET_<NAME>_ID`), absolute. */
    file: string;
    /** Signing key generation. */
    keyRotation: number;
    /** Our tokens' issuer URL. */
    issuer: string;
    /** Provider name to its OAuth client secret. */
    clientSecrets: Record<string, string>;
}

/** Where the runtime serves the Realtimes on its port: `/ws/<name>`. */
export const LOCAL_REALTIME_PATH = "/ws";

/**
 * A Realtime's WebSocket endpoint, served at `path` on the runtime's port (local/realtime/): the
 * token checked on the upgrade, each message routed to its function, pushes to its connections.
 */
export interface LocalRealtimeDescriptor {
    /** The Realtime component's name. */
    name: string;
    /** `/ws/<name>`. */
    path: string;
    /** What its functions post to (`SB_REALTIME_<NAME>_ENDPOINT`): `local:<name>`. */
    endpoint: string;
    /** Where clients put their token: the `token` query parameter, or the subprotocol after "bearer". */
    tokenFrom: "query" | "protocol";
    /** The JSON field of a message that names its route. */
    routeField: string;
    jwt: { issuer: string; audience: string[]; jwksUrl?: string };
    /** Function names by route: `$connect`, `$disconnect`, `$default`, and each message action. */
    functions: Record<string, string>;
    /** The whole endpoint's rate limit (connects and messages), as AWS's stage throttling. */
    throttle: { burstLimit: number; rateLimit: number };
}

/** Where the runtime takes a FileUpload's signed PUTs on its port: `/_local/uploads/<bucket>/<key>`. */
export const LOCAL_UPLOADS_PATH = "/_local/uploads";

/**
 * A FileUpload's object store (local/uploads/): signed PUTs taken at LOCAL_UPLOADS_PATH, objects
 * kept under `<dataDir>/uploads/<bucket>/`, each new one queued for the processor's task.
 */
export interface LocalUploadDescriptor {
    /** The FileUpload component's name. */
    name: string;
    /** What its links name (`SB_UPLOADS_<NAME>_BUCKET`): the component's name. */
    bucket: string;
    /** `local:uploads:<name>`: what the links' permissions name. */
    resourceId: string;
    /** The processor AsyncTask whose queue gets each ObjectCreated event. */
    task: string;
    /** The processor's function: the one function that holds the processor link (read and delete). */
    processorFunction: string;
    maxBytes: number;
    /** Lower-case MIME types; `image/*` families. */
    allowedTypes: string[];
    /** Seconds a signed URL stays valid. */
    expiresSeconds: number;
    /** Browser origins allowed to PUT (CORS). */
    allowOrigins: string[];
    /** The runtime's origin as the program was told it (`localUrl`): where signed URLs point unless the runtime knows better. */
    origin: string;
    /** Objects older than this many days are deleted; 0 keeps them. */
    expireAfterDays: number;
}

/** Where the runtime serves its workflows' executions on its port: `/_local/workflows/<name>/executions/<id>`. */
export const LOCAL_WORKFLOWS_PATH = "/_local/workflows";

/** A Task state's Resource that runs local function `<name>` on the state's input: `local:function:<name>`. */
export const LOCAL_FUNCTION_RESOURCE = "local:function:";
/** The task-token integration, as `arn:aws:states:::lambda:invoke.waitForTaskToken` on AWS: invoke `Parameters.FunctionName` with `Parameters.Payload`, then wait for the token's resume. */
export const LOCAL_WAIT_FOR_TOKEN_RESOURCE = "local:states:::function:invoke.waitForTaskToken";

/**
 * A workflow (a PaymentWorkflow's state machine) the runtime executes (local/workflows/): the
 * same Amazon States Language definition the clouds run, its Task states naming local functions.
 */
export interface LocalWorkflowDescriptor {
    /** The component's name. */
    name: string;
    /** `local:workflow:<name>`: what its links name (`SB_PAYMENTS_<NAME>_WORKFLOW`) and their permissions. */
    resourceId: string;
    /** The definition, as JSON text: each Task's Resource is LOCAL_FUNCTION_RESOURCE + a function, or LOCAL_WAIT_FOR_TOKEN_RESOURCE. */
    definition: string;
    /** The functions its Task states may invoke, by role (the execution role's policy, as data). */
    tasks: Record<string, string>;
    /** The workflow's callback may resume its task-token waits (callback mode). */
    resumable: boolean;
}

/** Each kind, by the last part of its type token (`serverless-blocks:local:<Kind>`), and its data. */
export interface LocalDescriptors {
    Function: LocalFunctionDescriptor;
    Hub: LocalHubDescriptor;
    Task: LocalTaskDescriptor;
    Api: LocalApiDescriptor;
    Site: LocalSiteDescriptor;
    AuthSecret: LocalAuthSecretDescriptor;
    Realtime: LocalRealtimeDescriptor;
    Upload: LocalUploadDescriptor;
    Workflow: LocalWorkflowDescriptor;
}

export type LocalDescriptorKind = keyof LocalDescriptors;

export const LOCAL_DESCRIPTOR_KINDS: readonly LocalDescriptorKind[] = ["Function", "Hub", "Task", "Api", "Site", "AuthSecret", "Realtime", "Upload", "Workflow"];

/** Whether `type` is a descriptor's, of a kind known here or not. */
export function isLocalDescriptor(type: string): boolean {
    return type.startsWith(TYPE_PREFIX);
}

/** The kind of a descriptor's type token; undefined for any other type or an unknown kind. */
export function localDescriptorKind(type: string): LocalDescriptorKind | undefined {
    const kind = type.slice(TYPE_PREFIX.length);
    return isLocalDescriptor(type) && (LOCAL_DESCRIPTOR_KINDS as readonly string[]).includes(kind) ? (kind as LocalDescriptorKind) : undefined;
}

/** A descriptor: named as its component, its child, its data in its outputs. */
export class LocalDescriptor<K extends LocalDescriptorKind> extends pulumi.ComponentResource {
    constructor(kind: K, name: string, data: pulumi.Input<LocalDescriptors[K]>, parent: pulumi.Resource) {
        super(`${TYPE_PREFIX}${kind}`, name, {}, { parent });
        this.registerOutputs(pulumi.output(data) as pulumi.Output<pulumi.Inputs>);
    }
}
