// tencentcloud_scf_function: a Serverless Cloud Function with its code, runtime and network.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** A CFS file system mounted into the function. */
export interface ScfFunctionCfsConfig {
    /** File system instance ID. */
    cfsId: pulumi.Input<string>;
    /** Local mount directory. */
    localMountDir: pulumi.Input<string>;
    /** File system mount target ID. */
    mountInsId: pulumi.Input<string>;
    /** Remote mount directory. */
    remoteMountDir: pulumi.Input<string>;
    /** ID of the user group. */
    userGroupId: pulumi.Input<string>;
    /** ID of the user. */
    userId: pulumi.Input<string>;
}

/** A container image to run instead of a code package. */
export interface ScfFunctionImageConfig {
    /** Arguments of the command. */
    args?: pulumi.Input<string>;
    /** Entrypoint command. */
    command?: pulumi.Input<string>;
    /** Image acceleration switch. */
    containerImageAccelerate?: pulumi.Input<boolean>;
    /** Entrypoint of the app. */
    entryPoint?: pulumi.Input<string>;
    /** Image port; default `9000`, `-1` for none. */
    imagePort?: pulumi.Input<number>;
    /** `personal` or `enterprise`. */
    imageType: pulumi.Input<string>;
    /** Image URI: `registry/repo:tag` or `registry/repo@sha256:digest`. */
    imageUri: pulumi.Input<string>;
    /** TCR registry ID; required for `enterprise` images. */
    registryId?: pulumi.Input<string>;
}

/** GPU node mix for dynamic concurrency. */
export interface ScfFunctionInstanceConcurrencyMixNodeConfig {
    /** GPU model name. */
    nodeSpec?: pulumi.Input<string>;
    /** Number of concurrent instances. */
    num?: pulumi.Input<number>;
}

/** Session affinity for session-based concurrency. */
export interface ScfFunctionInstanceConcurrencySessionConfig {
    /** Idle timeout strategy. */
    idleTimeoutStrategy?: pulumi.Input<string>;
    /** Maximum concurrent sessions per instance. */
    maximumConcurrencySessionPerInstance?: pulumi.Input<number>;
    /** Session idle timeout, in seconds. */
    maximumIdleTimeInSeconds?: pulumi.Input<number>;
    /** Session lifetime, in seconds. */
    maximumTtlInSeconds?: pulumi.Input<number>;
    /** Session name: a letter first, 5-40 letters, digits, `_` or `-`. */
    sessionName?: pulumi.Input<string>;
    /** Session path. */
    sessionPath?: pulumi.Input<string>;
    /** Where the session key is read: `HEADER`, `COOKIE` or `QUERY_STRING`. */
    sessionSource?: pulumi.Input<string>;
}

/** Requests one instance serves at a time. */
export interface ScfFunctionInstanceConcurrencyConfig {
    /** `TRUE` for intelligent dynamic concurrency, `FALSE` for static. */
    dynamicEnabled?: pulumi.Input<string>;
    /** Security isolation switch: `TRUE` or `FALSE`. */
    instanceIsolationEnabled?: pulumi.Input<string>;
    /** Maximum concurrency of one instance, 1-100. */
    maxConcurrency?: pulumi.Input<number>;
    /** Dynamic concurrency node mix. */
    mixNodeConfigs?: pulumi.Input<pulumi.Input<ScfFunctionInstanceConcurrencyMixNodeConfig>[]>;
    /** Session settings for `Session-Based` concurrency. */
    sessionConfig?: pulumi.Input<ScfFunctionInstanceConcurrencySessionConfig>;
    /** `Session-Based` or `Request-Based`. */
    type?: pulumi.Input<string>;
}

/** Fixed intranet IP for the function's VPC traffic. */
export interface ScfFunctionIntranetConfig {
    /** `ENABLE` or `DISABLE`. */
    ipFixed: pulumi.Input<string>;
}

/** A layer attached to the function. */
export interface ScfFunctionLayer {
    /** Name of the layer. */
    layerName: pulumi.Input<string>;
    /** Version of the layer. */
    layerVersion: pulumi.Input<number>;
}

/** An inline trigger; prefer ScfTrigger, since changing this list recreates every trigger. */
export interface ScfFunctionTrigger {
    /** Region of the COS bucket, for `cos` triggers. */
    cosRegion?: pulumi.Input<string>;
    /** Trigger name (for `cos`, the bucket; for `ckafka`, `<instanceId>-<topicId>`). */
    name: pulumi.Input<string>;
    /** Trigger parameters: a cron expression for `timer`, JSON for `cos`, `apigw`, `ckafka`... */
    triggerDesc: pulumi.Input<string>;
    /** `timer`, `ckafka`, `custom_kafka`, `apigw`, `cmq`, `cos`, `mqtt`, `cls`, `clb`, `mps`, `vod`, `cm`, `eb` or `http`. */
    type: pulumi.Input<string>;
}

/** A trigger as the function reports it. */
export interface ScfFunctionTriggerInfo {
    createTime: string;
    customArgument: string;
    enable: boolean;
    modifyTime: string;
    name: string;
    triggerDesc: string;
    type: string;
}

/** The arguments for constructing a ScfFunction. */
export interface ScfFunctionArgs {
    /** Asynchronous execution attribute: `TRUE` or `FALSE`. Replaces the function. */
    asyncRunEnable?: pulumi.Input<string>;
    /** CFS file systems to mount. */
    cfsConfigs?: pulumi.Input<pulumi.Input<ScfFunctionCfsConfig>[]>;
    /** CLS logset that receives the function's logs. */
    clsLogsetId?: pulumi.Input<string>;
    /** CLS topic that receives the function's logs. */
    clsTopicId?: pulumi.Input<string>;
    /** COS bucket holding the code package (e.g. `code-1234567890`); conflicts with `zipFile`. */
    cosBucketName?: pulumi.Input<string>;
    /** Region of the COS bucket holding the code package; conflicts with `zipFile`. */
    cosBucketRegion?: pulumi.Input<string>;
    /** COS object key of the code package (`.zip` or `.jar`); conflicts with `zipFile`. */
    cosObjectName?: pulumi.Input<string>;
    /** Description of the function. */
    description?: pulumi.Input<string>;
    /** DNS caching (event functions only). Default false. */
    dnsCache?: pulumi.Input<boolean>;
    /** Fixed EIP when `enablePublicNet` is true. Default false. */
    enableEipConfig?: pulumi.Input<boolean>;
    /** Public network access. Only a function in a VPC can turn it off. */
    enablePublicNet?: pulumi.Input<boolean>;
    /** Environment variables. */
    environment?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** `Event` (default) for trigger-driven functions, `HTTP` for a web function. */
    funcType?: pulumi.Input<string>;
    /** Entry point, `<file>.<function>`, e.g. `index.main_handler`. */
    handler?: pulumi.Input<string>;
    /** Container image instead of a code package. */
    imageConfigs?: pulumi.Input<pulumi.Input<ScfFunctionImageConfig>[]>;
    /** Per-instance concurrency. */
    instanceConcurrencyConfig?: pulumi.Input<ScfFunctionInstanceConcurrencyConfig>;
    /** Fixed intranet IP. */
    intranetConfig?: pulumi.Input<ScfFunctionIntranetConfig>;
    /** L5 service discovery. Default false. */
    l5Enable?: pulumi.Input<boolean>;
    /** Layers to attach. */
    layers?: pulumi.Input<pulumi.Input<ScfFunctionLayer>[]>;
    /** Memory, MB, in steps of 128. Default 128. */
    memSize?: pulumi.Input<number>;
    /** Function name: a letter first, letters, digits, `-` and `_`, 2-60 long. Auto-named when omitted. Replaces the function. */
    name?: pulumi.Input<string>;
    /** Namespace. Default `default`. Replaces the function. */
    namespace?: pulumi.Input<string>;
    /** CAM role the function runs as (the role name). */
    role?: pulumi.Input<string>;
    /**
     * Runtime, e.g. `Nodejs18.15`. The provider passes the value through unchecked; its own doc
     * still lists runtimes only up to `Nodejs12.16`. Default `Python2.7`.
     */
    runtime?: pulumi.Input<string>;
    /** Subnet of the function's VPC. */
    subnetId?: pulumi.Input<string>;
    /** Tags of the function. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Timeout, seconds, 1-900. Default 3. */
    timeout?: pulumi.Input<number>;
    /** Inline triggers; changing the list deletes and recreates all of them. */
    triggers?: pulumi.Input<pulumi.Input<ScfFunctionTrigger>[]>;
    /** VPC the function runs in. */
    vpcId?: pulumi.Input<string>;
    /** Code package: a local path to a zip file; conflicts with the `cos*` code source. */
    zipFile?: pulumi.Input<string>;
}

/** A Serverless Cloud Function (`tencentcloud_scf_function`). */
export class ScfFunction extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/scfFunction:ScfFunction";

    /** Reads an existing function by ID (`<namespace>+<name>`). */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ScfFunction {
        return new ScfFunction(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a ScfFunction, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is ScfFunction {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === ScfFunction.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly asyncRunEnable: pulumi.Output<string>;
    declare public readonly cfsConfigs: pulumi.Output<pulumi.Unwrap<ScfFunctionCfsConfig>[] | undefined>;
    declare public readonly clsLogsetId: pulumi.Output<string>;
    declare public readonly clsTopicId: pulumi.Output<string>;
    declare public readonly cosBucketName: pulumi.Output<string | undefined>;
    declare public readonly cosBucketRegion: pulumi.Output<string | undefined>;
    declare public readonly cosObjectName: pulumi.Output<string | undefined>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly dnsCache: pulumi.Output<boolean | undefined>;
    declare public readonly enableEipConfig: pulumi.Output<boolean | undefined>;
    declare public readonly enablePublicNet: pulumi.Output<boolean | undefined>;
    declare public readonly environment: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly funcType: pulumi.Output<string | undefined>;
    declare public readonly handler: pulumi.Output<string | undefined>;
    declare public readonly imageConfigs: pulumi.Output<pulumi.Unwrap<ScfFunctionImageConfig>[] | undefined>;
    declare public readonly instanceConcurrencyConfig: pulumi.Output<pulumi.Unwrap<ScfFunctionInstanceConcurrencyConfig> | undefined>;
    declare public readonly intranetConfig: pulumi.Output<pulumi.Unwrap<ScfFunctionIntranetConfig> & { ipAddresses?: string[] }>;
    declare public readonly l5Enable: pulumi.Output<boolean | undefined>;
    declare public readonly layers: pulumi.Output<pulumi.Unwrap<ScfFunctionLayer>[] | undefined>;
    declare public readonly memSize: pulumi.Output<number | undefined>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string | undefined>;
    declare public readonly role: pulumi.Output<string | undefined>;
    declare public readonly runtime: pulumi.Output<string | undefined>;
    declare public readonly subnetId: pulumi.Output<string | undefined>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly timeout: pulumi.Output<number | undefined>;
    declare public readonly triggers: pulumi.Output<pulumi.Unwrap<ScfFunctionTrigger>[] | undefined>;
    declare public readonly vpcId: pulumi.Output<string | undefined>;
    declare public readonly zipFile: pulumi.Output<string | undefined>;
    /** Code error message. */
    declare public readonly codeError: pulumi.Output<string>;
    /** Whether the code is correct. */
    declare public readonly codeResult: pulumi.Output<string>;
    /** Code size, MB. */
    declare public readonly codeSize: pulumi.Output<number>;
    /** Whether the EIP is fixed. */
    declare public readonly eipFixed: pulumi.Output<boolean>;
    /** EIPs of the function. */
    declare public readonly eips: pulumi.Output<string[]>;
    /** Code error code. */
    declare public readonly errNo: pulumi.Output<number>;
    /** Function ID (`lam-...`). */
    declare public readonly functionId: pulumi.Output<string>;
    /** Domain name of the function. */
    declare public readonly host: pulumi.Output<string>;
    /** Whether dependencies are installed automatically. */
    declare public readonly installDependency: pulumi.Output<boolean>;
    /** Last modification time. */
    declare public readonly modifyTime: pulumi.Output<string>;
    /** Status, e.g. `Active`. */
    declare public readonly status: pulumi.Output<string>;
    /** Status description. */
    declare public readonly statusDesc: pulumi.Output<string>;
    /** Triggers of the function, inline or not. */
    declare public readonly triggerInfos: pulumi.Output<ScfFunctionTriggerInfo[]>;
    /** VIP of the function. */
    declare public readonly vip: pulumi.Output<string>;

    constructor(name: string, args?: ScfFunctionArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, args: ScfFunctionArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(ScfFunction.__pulumiType, name, resourceInputs(scfFunctionBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** ScfFunction's registered property names, checked against the provider schema by the unit test. */
export const scfFunctionBinding: BindingSchema<ScfFunctionArgs> = {
    token: ScfFunction.__pulumiType,
    inputs: {
        asyncRunEnable: true,
        cfsConfigs: { cfsId: true, localMountDir: true, mountInsId: true, remoteMountDir: true, userGroupId: true, userId: true },
        clsLogsetId: true,
        clsTopicId: true,
        cosBucketName: true,
        cosBucketRegion: true,
        cosObjectName: true,
        description: true,
        dnsCache: true,
        enableEipConfig: true,
        enablePublicNet: true,
        environment: true,
        funcType: true,
        handler: true,
        imageConfigs: {
            args: true,
            command: true,
            containerImageAccelerate: true,
            entryPoint: true,
            imagePort: true,
            imageType: true,
            imageUri: true,
            registryId: true,
        },
        instanceConcurrencyConfig: {
            dynamicEnabled: true,
            instanceIsolationEnabled: true,
            maxConcurrency: true,
            mixNodeConfigs: { nodeSpec: true, num: true },
            sessionConfig: {
                idleTimeoutStrategy: true,
                maximumConcurrencySessionPerInstance: true,
                maximumIdleTimeInSeconds: true,
                maximumTtlInSeconds: true,
                sessionName: true,
                sessionPath: true,
                sessionSource: true,
            },
            type: true,
        },
        intranetConfig: { ipFixed: true },
        l5Enable: true,
        layers: { layerName: true, layerVersion: true },
        memSize: true,
        name: true,
        namespace: true,
        role: true,
        runtime: true,
        subnetId: true,
        tags: true,
        timeout: true,
        triggers: { cosRegion: true, name: true, triggerDesc: true, type: true },
        vpcId: true,
        zipFile: true,
    },
    required: {},
    outputs: [
        "codeError",
        "codeResult",
        "codeSize",
        "eipFixed",
        "eips",
        "errNo",
        "functionId",
        "host",
        "installDependency",
        "modifyTime",
        "status",
        "statusDesc",
        "triggerInfos",
        "vip",
    ],
};
