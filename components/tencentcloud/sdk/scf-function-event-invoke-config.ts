// tencentcloud_scf_function_event_invoke_config: retries and message age for async invocations.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** One retry setting. */
export interface ScfFunctionEventInvokeConfigRetryConfig {
    /** Number of retries after a user error. */
    retryNum: pulumi.Input<number>;
}

/** How SCF retries an asynchronous invocation. */
export interface ScfFunctionEventInvokeConfigAsyncTriggerConfig {
    /** How long, in seconds, an event is kept for retrying. */
    msgTtl: pulumi.Input<number>;
    /** Retry settings (one entry). */
    retryConfigs: pulumi.Input<pulumi.Input<ScfFunctionEventInvokeConfigRetryConfig>[]>;
}

/** The arguments for constructing a ScfFunctionEventInvokeConfig. */
export interface ScfFunctionEventInvokeConfigArgs {
    /** Retry configuration. */
    asyncTriggerConfig: pulumi.Input<ScfFunctionEventInvokeConfigAsyncTriggerConfig>;
    /** Name of the function. */
    functionName: pulumi.Input<string>;
    /** Namespace of the function. Default `default`. */
    namespace?: pulumi.Input<string>;
}

/** Async invocation retries of a function (`tencentcloud_scf_function_event_invoke_config`). */
export class ScfFunctionEventInvokeConfig extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig";

    /** Reads an existing configuration by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ScfFunctionEventInvokeConfig {
        return new ScfFunctionEventInvokeConfig(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a ScfFunctionEventInvokeConfig, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is ScfFunctionEventInvokeConfig {
        return (
            pulumi.CustomResource.isInstance(obj) &&
            (obj as { __pulumiType?: string }).__pulumiType === ScfFunctionEventInvokeConfig.__pulumiType
        );
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly asyncTriggerConfig: pulumi.Output<pulumi.Unwrap<ScfFunctionEventInvokeConfigAsyncTriggerConfig>>;
    declare public readonly functionName: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string | undefined>;

    constructor(name: string, args: ScfFunctionEventInvokeConfigArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing configuration: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: ScfFunctionEventInvokeConfigArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(
            ScfFunctionEventInvokeConfig.__pulumiType,
            name,
            resourceInputs(scfFunctionEventInvokeConfigBinding, args, opts),
            withPackageDefaults(opts),
            false,
            getPackage(),
        );
    }
}

/** ScfFunctionEventInvokeConfig's registered property names, checked against the provider schema by the unit test. */
export const scfFunctionEventInvokeConfigBinding: BindingSchema<ScfFunctionEventInvokeConfigArgs> = {
    token: ScfFunctionEventInvokeConfig.__pulumiType,
    inputs: { asyncTriggerConfig: { msgTtl: true, retryConfigs: { retryNum: true } }, functionName: true, namespace: true },
    required: { asyncTriggerConfig: true, functionName: true },
    outputs: [],
};
