// tencentcloud_eb_event_bus: an EventBridge event bus.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing an EbEventBus. */
export interface EbEventBusArgs {
    /** Description, up to 200 characters. */
    description?: pulumi.Input<string>;
    /** Whether events are stored (EB storage). */
    enableStore?: pulumi.Input<boolean>;
    /** Bus name: a letter first, then letters, digits, `_` and `-`. Not auto-named. */
    eventBusName: pulumi.Input<string>;
    /** How many days events are stored. */
    saveDays?: pulumi.Input<number>;
    /** Tags of the bus. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** An EventBridge event bus (`tencentcloud_eb_event_bus`); its `id` is the bus ID. */
export class EbEventBus extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/ebEventBus:EbEventBus";

    /** Reads an existing bus by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): EbEventBus {
        return new EbEventBus(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an EbEventBus, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is EbEventBus {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === EbEventBus.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly enableStore: pulumi.Output<boolean | undefined>;
    declare public readonly eventBusName: pulumi.Output<string>;
    declare public readonly saveDays: pulumi.Output<number | undefined>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;

    constructor(name: string, args: EbEventBusArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing bus: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: EbEventBusArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(EbEventBus.__pulumiType, name, resourceInputs(ebEventBusBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** EbEventBus's registered property names, checked against the provider schema by the unit test. */
export const ebEventBusBinding: BindingSchema<EbEventBusArgs> = {
    token: EbEventBus.__pulumiType,
    inputs: { description: true, enableStore: true, eventBusName: true, saveDays: true, tags: true },
    required: { eventBusName: true },
    outputs: [],
};
