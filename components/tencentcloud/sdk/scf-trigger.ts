// tencentcloud_scf_trigger: one trigger (timer, COS, API gateway, ...) bound to a function.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a ScfTrigger. */
export interface ScfTriggerArgs {
    /** User parameter passed to the function; timer triggers only. */
    customArgument?: pulumi.Input<string>;
    /** Description of the trigger. */
    description?: pulumi.Input<string>;
    /** `OPEN` (enabled) or `CLOSE` (disabled). */
    enable?: pulumi.Input<string>;
    /** Name of the function the trigger invokes. Replaces the trigger. */
    functionName: pulumi.Input<string>;
    /** Namespace of the function (required, usually `default`). Replaces the trigger. */
    namespace: pulumi.Input<string>;
    /** Function version or alias invoked. Default `$LATEST`. */
    qualifier?: pulumi.Input<string>;
    /** Trigger parameters: a cron expression for `timer`, JSON for `cos`, `ckafka`, `http`. */
    triggerDesc?: pulumi.Input<string>;
    /** Name of the trigger: required unless `type` is `http`, where it must be omitted. */
    triggerName?: pulumi.Input<string>;
    /** `cos`, `timer`, `ckafka` or `http`. Replaces the trigger. */
    type: pulumi.Input<string>;
}

/** A function trigger (`tencentcloud_scf_trigger`). */
export class ScfTrigger extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/scfTrigger:ScfTrigger";

    /** Reads an existing trigger by ID (`<functionName>#<namespace>#<triggerName>`). */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ScfTrigger {
        return new ScfTrigger(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a ScfTrigger, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is ScfTrigger {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === ScfTrigger.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly customArgument: pulumi.Output<string | undefined>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly enable: pulumi.Output<string | undefined>;
    declare public readonly functionName: pulumi.Output<string>;
    declare public readonly namespace: pulumi.Output<string>;
    declare public readonly qualifier: pulumi.Output<string | undefined>;
    declare public readonly triggerDesc: pulumi.Output<string | undefined>;
    declare public readonly triggerName: pulumi.Output<string>;
    declare public readonly type: pulumi.Output<string>;
    /** Creation time. */
    declare public readonly addTime: pulumi.Output<string>;
    /** Whether the trigger is available. */
    declare public readonly availableStatus: pulumi.Output<string>;
    /** Last modification time. */
    declare public readonly modTime: pulumi.Output<string>;
    /** Trigger attributes as the service reports them. */
    declare public readonly triggerAttribute: pulumi.Output<string>;

    constructor(name: string, args: ScfTriggerArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing trigger: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: ScfTriggerArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(ScfTrigger.__pulumiType, name, resourceInputs(scfTriggerBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** ScfTrigger's registered property names, checked against the provider schema by the unit test. */
export const scfTriggerBinding: BindingSchema<ScfTriggerArgs> = {
    token: ScfTrigger.__pulumiType,
    inputs: {
        customArgument: true,
        description: true,
        enable: true,
        functionName: true,
        namespace: true,
        qualifier: true,
        triggerDesc: true,
        triggerName: true,
        type: true,
    },
    required: { functionName: true, namespace: true, type: true },
    outputs: ["addTime", "availableStatus", "modTime", "triggerAttribute"],
};
