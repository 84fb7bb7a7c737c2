// AsyncTask on Tencent Cloud: an SCF function run asynchronously by an EB rule (hub events) or a
// timer trigger (schedule), with SCF's async retries and a dead-letter queue that is always on.
//
// Retries: `ScfFunctionEventInvokeConfig` sets SCF's asynchronous retry count (RetryNum) and how
// long an event is kept for retrying (MsgTTL) (UpdateFunctionEventInvokeConfig, SCF API 2018-04-16,
// cloud.tencent.com/document/api/583/53639). Timer triggers always invoke asynchronously (583/9708).
// Dead letters: the provider has no input for SCF's dead-letter queue, so the function's adapter
// (functions/runtime/adapters/tencentcloud.ts) sends `{ event, error, attempts, time }` to a TDMQ
// CMQ queue when it judges an attempt to be the last; that judgement and its limits are
// documented in functions/runtime/clients/tencentcloud/attempts.ts. The adapter finds the queue,
// its region and the retry settings in variables this task's dead-letter link sets.
// Redrive: functions/runtime/redrive/tencentcloud.ts re-invokes the task with the original events.
//
// EB -> SCF: the target names the function as `qcs::scf:<region>:uin/<uin>:namespace/<ns>/function/<name>/<qualifier>`
// (tencentcloud_eb_event_target docs); batch delivery stays off so that each invocation carries one
// event, retried and dead-lettered on its own. EB invokes functions through the service role it is
// granted when EB is activated in the account; the provider has no per-function permission resource.
// EB documents a default limit of 2,000 deliveries per target per day, and 300 s of function run time
// per delivery ("SCF 云函数目标", cloud.tencent.com/document/product/248/87558; tencentcloud.com 1108/46254).
import * as pulumi from "@pulumi/pulumi";
import { DEAD_LETTER_ENV } from "../../functions/runtime/clients/tencentcloud/dead-letter";
import { ConfigError, target } from "../config";
import { Function } from "../function";
import type { Link } from "../link";
import type { AsyncTaskRealisation, AsyncTaskSpec } from "../provider";
import { accountUin } from "./account";
import { deadLetterAlarm } from "./dead-letter-alarm";
import { ebName } from "./event-hub";
import { toTencentPattern } from "./events-pattern";
import { aliasQualifier, SCF_NAMESPACE } from "./function";
import { stackScoped } from "./names";
import { EbEventRule, EbEventTarget, ScfFunctionEventInvokeConfig, ScfTrigger, TcmqQueue } from "./sdk";
import { scfTimerCron } from "./timer-cron";

/**
 * The dead-letter queue keeps messages for TDMQ CMQ's longest retention, 12 hours (MsgRetentionSeconds
 * 30-43200, CreateCmqQueue, TDMQ API 2020-02-17), and can be rewound for 15 days (RewindSeconds up to
 * 1296000, with at least 10240 MB of rewind storage): dead letters older than 12 hours come back with
 * RewindCmqQueue (redrive's `rewindFrom`).
 */
export const DLQ_SETTINGS = {
    msgRetentionSeconds: 43200,
    rewindSeconds: 1296000,
    retentionSizeInMb: 10240,
    /** Long enough for a redrive to invoke the task and delete the message before it shows again. */
    visibilityTimeout: 300,
    /** The provider's documented maximum (1024-65536 bytes); a larger dead letter fails its send loudly. */
    maxMsgSize: 65536,
} as const;

/** CMQ queue names: a letter first, letters, digits, `-` and `_`, at most 64 characters (CreateCmqQueue). */
const CMQ_QUEUE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** SCF timer trigger names: a letter first, letters, digits, `-` and `_`, at most 60 characters (583/9708). */
const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** The task, and its function's alias for what else invokes it (a FileUpload's COS trigger). */
/** Names and values SCF, EB and CMQ cannot take, refused before the AsyncTask registers; what they will be. */
export function checkTencentAsyncTask(spec: AsyncTaskSpec) {
    const where = `AsyncTask '${spec.name}'`;
    const queueName = checked(stackScoped(`${spec.name}-dlq`), CMQ_QUEUE_NAME, `${where} dead-letter queue name`, "CMQ queue names take up to 64 letters, digits, '-' and '_', starting with a letter");
    const subscription = spec.subscription && {
        hub: spec.subscription.hub,
        ruleName: ebName(spec.name, where),
        pattern: JSON.stringify(toTencentPattern(spec.subscription.pattern, `${where} subscribe.pattern`)),
    };
    const timer = spec.schedule && {
        triggerName: checked(`${spec.name}-schedule`, TRIGGER_NAME, `${where} timer trigger name`, "SCF trigger names take up to 60 letters, digits, '-' and '_', starting with a letter"),
        cron: scfTimerCron(spec.schedule, `${where} schedule`),
    };
    return { queueName, subscription, timer };
}

export function tencentAsyncTask(parent: pulumi.Resource, spec: AsyncTaskSpec): AsyncTaskRealisation & { aliasId: pulumi.Output<string> } {
    const where = `AsyncTask '${spec.name}'`;
    const { queueName, subscription, timer } = checkTencentAsyncTask(spec);
    const opts = { parent };
    const region = target().region;

    // First, so that nothing can fail before there is somewhere to keep the failure.
    const queue = new TcmqQueue(`${spec.name}-dlq`, { queueName, ...DLQ_SETTINGS }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const fn = new Function(spec.name, {
        ...spec.function,
        link: [...(spec.function.link ?? []), deadLetterLink(spec, queue, region)],
    }, opts);

    const invokeConfig = new ScfFunctionEventInvokeConfig(`${spec.name}-invoke-config`, {
        functionName: fn.functionName,
        namespace: SCF_NAMESPACE,
        asyncTriggerConfig: { retryConfigs: [{ retryNum: spec.retries }], msgTtl: spec.maxEventAgeSeconds },
    }, opts);
    // Triggers wait for the retry settings, so that no event is ever run under the defaults.
    const afterRetrySettings = { parent, dependsOn: [invokeConfig] };

    if (subscription) {
        const busId = subscription.hub.apply((link) => hubBusId(where, link));
        const rule = new EbEventRule(`${spec.name}-on-hub`, {
            eventBusId: busId,
            ruleName: subscription.ruleName,
            eventPattern: subscription.pattern,
            enable: true,
            description: pulumi.interpolate`Runs task ${spec.name} for matching events on hub ${subscription.hub.name}`,
        }, opts);
        new EbEventTarget(`${spec.name}-on-hub-target`, {
            eventBusId: busId,
            ruleId: rule.ruleId,
            type: "scf",
            targetDescription: {
                // The alias `live` (its id is this qualified form).
                resourceDescription: fn.aliasId,
                scfParams: { enableBatchDelivery: false },
            },
            enableBatchDelivery: false,
        }, afterRetrySettings);
    }
    if (timer) {
        new ScfTrigger(`${spec.name}-schedule`, {
            functionName: fn.functionName,
            namespace: SCF_NAMESPACE,
            type: "timer",
            qualifier: aliasQualifier(fn.aliasId),
            triggerName: timer.triggerName,
            triggerDesc: timer.cron,
            enable: "OPEN",
            description: `Runs task ${spec.name} on ${spec.schedule!.expression} (UTC)`,
        }, afterRetrySettings);
    }

    if (spec.alarms) deadLetterAlarm(parent, spec.name, queue.queueName, spec.alarms);

    return { functionName: fn.functionName, resourceId: fn.resourceId, deadLetterQueue: queue.queueName, aliasId: fn.aliasId };
}

/**
 * Lets the task's function send dead letters to its own queue and nothing else, and tells the
 * adapter where the queue is and what the retry settings are.
 *
 * CAM: SendCmqMsg is a TDMQ API (tdmq:SendCmqMsg). Tencent documents TDMQ CMQ queues in two
 * forms: `qcs::tdmq:${region}:uin/${uin}:cmqqueue/${queueName}` (CAM API authorization table for
 * TDMQ, cloud.tencent.com/document/product/598/98179) and `...:queue/${queueName}` (TDMQ CMQ's
 * resource-level authorization list, 1496/61031); both name only this queue, so both are granted.
 */
function deadLetterLink(spec: AsyncTaskSpec, queue: TcmqQueue, region: string): Link {
    const queueResource = (kind: string) => pulumi.interpolate`qcs::tdmq:${region}:uin/${accountUin()}:${kind}/${queue.queueName}`;
    return {
        type: "dlq",
        name: spec.name,
        environment: {
            [DEAD_LETTER_ENV.queue]: queue.queueName,
            [DEAD_LETTER_ENV.region]: region,
            [DEAD_LETTER_ENV.retries]: String(spec.retries),
            [DEAD_LETTER_ENV.maxEventAge]: String(spec.maxEventAgeSeconds),
        },
        permissions: [{ actions: ["tdmq:SendCmqMsg"], resources: [queueResource("cmqqueue"), queueResource("queue")] }],
    };
}

/** The bus a subscription's hub link names; anything but an EventHub's link is a config mistake. */
export function hubBusId(where: string, link: pulumi.Unwrap<Link>): string {
    const busId = link.resources?.busId;
    if (link.type !== "hub" || !busId) {
        throw new ConfigError(`${where} subscribe.hub`, `${link.type} '${link.name}'`, "expected an EventHub's link (hub.link) on the same cloud");
    }
    return busId;
}

function checked(name: string, rule: RegExp, key: string, allowed: string): string {
    if (!rule.test(name)) throw new ConfigError(key, name, allowed);
    return name;
}
