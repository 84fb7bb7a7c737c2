// tencentcloud_tcmq_queue: a TDMQ CMQ queue (the dead-letter queue of async SCF edges).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a TcmqQueue. */
export interface TcmqQueueArgs {
    /** Name of this queue's own dead-letter queue. */
    deadLetterQueueName?: pulumi.Input<string>;
    /** First lookback interval. */
    firstQueryInterval?: pulumi.Input<number>;
    /** Maximum number of heaped messages. */
    maxMsgHeapNum?: pulumi.Input<number>;
    /** Maximum message size, bytes, 1024-65536. Default 65536. */
    maxMsgSize?: pulumi.Input<number>;
    /** Maximum number of lookbacks. */
    maxQueryCount?: pulumi.Input<number>;
    /** Receives before a message goes to the dead-letter queue, 1-1000 (`policy` 0). */
    maxReceiveCount?: pulumi.Input<number>;
    /** Seconds before an unconsumed message goes to the dead-letter queue (required when `policy` is 1). */
    maxTimeToLive?: pulumi.Input<number>;
    /** Seconds a message is retained before it expires. */
    msgRetentionSeconds?: pulumi.Input<number>;
    /** Dead-letter policy: 0 after `maxReceiveCount` receives, 1 after `maxTimeToLive`. */
    policy?: pulumi.Input<number>;
    /** Long-polling wait, seconds, 0-30. Default 0. */
    pollingWaitSeconds?: pulumi.Input<number>;
    /** Queue name, unique per account and region. Not auto-named. */
    queueName: pulumi.Input<string>;
    /** Storage, MB, kept for message rewind. */
    retentionSizeInMb?: pulumi.Input<number>;
    /** How far back, seconds, messages can be rewound. */
    rewindSeconds?: pulumi.Input<number>;
    /** Whether message tracing is on. */
    trace?: pulumi.Input<boolean>;
    /** 1 for a transaction queue, 0 for a general one. */
    transaction?: pulumi.Input<number>;
    /** Visibility timeout, seconds, 1-43200. Default 30. */
    visibilityTimeout?: pulumi.Input<number>;
}

/** A TDMQ CMQ queue (`tencentcloud_tcmq_queue`). */
export class TcmqQueue extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/tcmqQueue:TcmqQueue";

    /** Reads an existing queue by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): TcmqQueue {
        return new TcmqQueue(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a TcmqQueue, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is TcmqQueue {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === TcmqQueue.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly deadLetterQueueName: pulumi.Output<string | undefined>;
    declare public readonly firstQueryInterval: pulumi.Output<number | undefined>;
    declare public readonly maxMsgHeapNum: pulumi.Output<number | undefined>;
    declare public readonly maxMsgSize: pulumi.Output<number | undefined>;
    declare public readonly maxQueryCount: pulumi.Output<number | undefined>;
    declare public readonly maxReceiveCount: pulumi.Output<number | undefined>;
    declare public readonly maxTimeToLive: pulumi.Output<number | undefined>;
    declare public readonly msgRetentionSeconds: pulumi.Output<number | undefined>;
    declare public readonly policy: pulumi.Output<number | undefined>;
    declare public readonly pollingWaitSeconds: pulumi.Output<number | undefined>;
    declare public readonly queueName: pulumi.Output<string>;
    declare public readonly retentionSizeInMb: pulumi.Output<number | undefined>;
    declare public readonly rewindSeconds: pulumi.Output<number | undefined>;
    declare public readonly trace: pulumi.Output<boolean | undefined>;
    declare public readonly transaction: pulumi.Output<number | undefined>;
    declare public readonly visibilityTimeout: pulumi.Output<number | undefined>;

    constructor(name: string, args: TcmqQueueArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing queue: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: TcmqQueueArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(TcmqQueue.__pulumiType, name, resourceInputs(tcmqQueueBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** TcmqQueue's registered property names, checked against the provider schema by the unit test. */
export const tcmqQueueBinding: BindingSchema<TcmqQueueArgs> = {
    token: TcmqQueue.__pulumiType,
    inputs: {
        deadLetterQueueName: true,
        firstQueryInterval: true,
        maxMsgHeapNum: true,
        maxMsgSize: true,
        maxQueryCount: true,
        maxReceiveCount: true,
        maxTimeToLive: true,
        msgRetentionSeconds: true,
        policy: true,
        pollingWaitSeconds: true,
        queueName: true,
        retentionSizeInMb: true,
        rewindSeconds: true,
        trace: true,
        transaction: true,
        visibilityTimeout: true,
    },
    required: { queueName: true },
    outputs: [],
};
