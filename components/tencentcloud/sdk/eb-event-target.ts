// tencentcloud_eb_event_target: where a rule delivers matching events (an SCF function, CKafka, ES).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** Retry strategy of a CKafka target. */
export interface EbEventTargetCkafkaRetryPolicy {
    /** Maximum number of retries. */
    maxRetryAttempts: pulumi.Input<number>;
    /** Retry interval, seconds. */
    retryInterval: pulumi.Input<number>;
}

/** Delivery to a CKafka topic. */
export interface EbEventTargetCkafkaTargetParams {
    /** Retry strategy. */
    retryPolicy: pulumi.Input<EbEventTargetCkafkaRetryPolicy>;
    /** The CKafka topic to deliver to. */
    topicName: pulumi.Input<string>;
}

/** Delivery to Elasticsearch. */
export interface EbEventTargetEsTargetParams {
    /** Index prefix. */
    indexPrefix: pulumi.Input<string>;
    /** DTS index configuration. */
    indexSuffixMode: pulumi.Input<string>;
    /** ES template type. */
    indexTemplateType?: pulumi.Input<string>;
    /** Network connection type. */
    netMode: pulumi.Input<string>;
    /** DTS event configuration. */
    outputMode: pulumi.Input<string>;
    /** ES log rotation granularity. */
    rotationInterval: pulumi.Input<string>;
}

/** Batching of deliveries to an SCF function. */
export interface EbEventTargetScfParams {
    /** Maximum number of events per batch. */
    batchEventCount?: pulumi.Input<number>;
    /** Maximum wait for a batch, seconds. */
    batchTimeout?: pulumi.Input<number>;
    /** Whether deliveries are batched. */
    enableBatchDelivery?: pulumi.Input<boolean>;
}

/** What the target is. */
export interface EbEventTargetTargetDescription {
    /** CKafka parameters. */
    ckafkaTargetParams?: pulumi.Input<EbEventTargetCkafkaTargetParams>;
    /** Elasticsearch parameters. */
    esTargetParams?: pulumi.Input<EbEventTargetEsTargetParams>;
    /** The target in QCS six-segment form, e.g. `qcs::scf:<region>:uin/<uin>:namespace/<ns>/function/<name>/<qualifier>`. */
    resourceDescription: pulumi.Input<string>;
    /** SCF function parameters. */
    scfParams?: pulumi.Input<EbEventTargetScfParams>;
}

/** The arguments for constructing an EbEventTarget. */
export interface EbEventTargetArgs {
    /** Maximum number of events per batch. */
    batchEventCount?: pulumi.Input<number>;
    /** Maximum wait for a batch. */
    batchTimeout?: pulumi.Input<number>;
    /** Whether deliveries are batched. */
    enableBatchDelivery?: pulumi.Input<boolean>;
    /** ID of the bus. */
    eventBusId: pulumi.Input<string>;
    /** ID of the rule (an EbEventRule's `ruleId`). */
    ruleId: pulumi.Input<string>;
    /** The target. */
    targetDescription: pulumi.Input<EbEventTargetTargetDescription>;
    /** Target type, e.g. `scf`. */
    type: pulumi.Input<string>;
}

/** A rule's delivery target (`tencentcloud_eb_event_target`). */
export class EbEventTarget extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/ebEventTarget:EbEventTarget";

    /** Reads an existing target by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): EbEventTarget {
        return new EbEventTarget(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an EbEventTarget, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is EbEventTarget {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === EbEventTarget.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly batchEventCount: pulumi.Output<number>;
    declare public readonly batchTimeout: pulumi.Output<number>;
    declare public readonly enableBatchDelivery: pulumi.Output<boolean>;
    declare public readonly eventBusId: pulumi.Output<string>;
    declare public readonly ruleId: pulumi.Output<string>;
    declare public readonly targetDescription: pulumi.Output<pulumi.Unwrap<EbEventTargetTargetDescription>>;
    declare public readonly type: pulumi.Output<string>;

    constructor(name: string, args: EbEventTargetArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing target: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: EbEventTargetArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(EbEventTarget.__pulumiType, name, resourceInputs(ebEventTargetBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** EbEventTarget's registered property names, checked against the provider schema by the unit test. */
export const ebEventTargetBinding: BindingSchema<EbEventTargetArgs> = {
    token: EbEventTarget.__pulumiType,
    inputs: {
        batchEventCount: true,
        batchTimeout: true,
        enableBatchDelivery: true,
        eventBusId: true,
        ruleId: true,
        targetDescription: {
            ckafkaTargetParams: { retryPolicy: { maxRetryAttempts: true, retryInterval: true }, topicName: true },
            esTargetParams: {
                indexPrefix: true,
                indexSuffixMode: true,
                indexTemplateType: true,
                netMode: true,
                outputMode: true,
                rotationInterval: true,
            },
            resourceDescription: true,
            scfParams: { batchEventCount: true, batchTimeout: true, enableBatchDelivery: true },
        },
        type: true,
    },
    required: { eventBusId: true, ruleId: true, targetDescription: true, type: true },
    outputs: [],
};
