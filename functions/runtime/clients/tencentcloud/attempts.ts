// When is a failed SCF attempt the last one? The adapter must know, to dead-letter the event then
// and only then, and SCF does not say.
//
// What SCF documents: asynchronous invocations (EB deliveries, timers) that fail in the function
// are retried RetryNum times (0-2 here; SCF's default is 2) while the event is younger than MsgTTL
// (UpdateFunctionEventInvokeConfig, cloud.tencent.com/document/api/583/53639; "错误类型与重试策略",
// 583/41138). The function's context carries request_id, memory_limit_in_mb, time_limit_in_ms,
// function_name, function_version, namespace, tencentcloud_region/appid/uin and environment
// (SCF "函数入口参数" context samples): no attempt or retry number. The event is the same on each
// retry, so the EB CloudEvent `id` (or a timer's name and fire time) identifies it across attempts.
//
// So the adapter judges, per failed attempt:
//   1. Counted attempts: each function instance keeps a ledger (in memory, per instance: SCF reuses
//      warm instances, and /tmp would be no more shared) of attempts per event; attempt
//      retries + 1 is the last.
//   2. Age: an event older than MsgTTL (less a margin, for the time EB took to deliver it) is not
//      retried by SCF, so its failure is final whatever the count says. The age counts from the
//      event's time, or from when a redrive re-sent it (the `sbredrivetime` CloudEvents extension
//      attribute redrive adds).
// Limits, stated plainly:
//   - A retry that lands on another instance starts counting at 1 there; if every attempt lands
//     on a different instance and the event is young, the last failure is not recognised and the
//     event is not dead-lettered: SCF's own log and async event status (ListAsyncEvents) still
//     record the failed invocation. Closing this gap needs a ledger shared by instances (a Table).
//   - The age rule may call a failure final while SCF still retries (it errs towards dead-lettering):
//     the dead letter can then be for an event a later retry processed. Redrive delivers it again,
//     so handlers must be idempotent on the event id (delivery is at least once anyway).
//   - `attempts` in a dead letter is what this instance counted: at least 1, at most retries + 1.
/** The CloudEvents extension attribute redrive adds: when it sent the event again, in ms. */
export const REDRIVE_TIME_ATTRIBUTE = "sbredrivetime";

export interface AttemptSettings {
    /** SCF RetryNum: retries after the first attempt. */
    retries: number;
    /** SCF MsgTTL, seconds. */
    maxEventAgeSeconds: number;
}

export interface Judgement {
    last: boolean;
    /** Why it is (or is not) the last attempt, for logs. */
    reason: string;
}

/** The share of MsgTTL, up to a minute, allowed for EB's delivery delay before an event counts as too old to retry. */
const AGE_MARGIN = { share: 0.1, maxSeconds: 60 };

/** Attempts per event, as far as this function instance has seen them; bounded, oldest forgotten first. */
export class AttemptLedger {
    private readonly attempts = new Map<string, { count: number; deadLettered: boolean }>();

    constructor(private readonly capacity = 10_000) {}

    /** Counts an attempt at `key` and returns its number (1 for the first this instance sees). */
    count(key: string): number {
        const entry = this.attempts.get(key) ?? { count: 0, deadLettered: false };
        entry.count += 1;
        this.attempts.delete(key); // re-insert: the map's order is then least recently used first
        this.attempts.set(key, entry);
        if (this.attempts.size > this.capacity) this.attempts.delete(this.attempts.keys().next().value as string);
        return entry.count;
    }

    /** The event was dead-lettered: later failures of it on this instance are not sent again. */
    markDeadLettered(key: string): void {
        const entry = this.attempts.get(key);
        if (entry) entry.deadLettered = true;
    }

    isDeadLettered(key: string): boolean {
        return this.attempts.get(key)?.deadLettered ?? false;
    }

    /** The event succeeded: nothing more to count. */
    forget(key: string): void {
        this.attempts.delete(key);
    }
}

/** The ledger of this function instance. */
export const instanceLedger = new AttemptLedger();

/**
 * Whether a failed attempt is the last SCF will make.
 *
 * @example judgeAttempt({ attempt: 3, settings: { retries: 2, maxEventAgeSeconds: 21600 }, eventTimeMs: Date.now(), nowMs: Date.now() })  // { last: true, ... }
 */
export function judgeAttempt(input: { attempt: number; settings: AttemptSettings; eventTimeMs?: number; nowMs: number }): Judgement {
    const { attempt, settings, eventTimeMs, nowMs } = input;
    const attempts = settings.retries + 1;
    if (attempt >= attempts) return { last: true, reason: `attempt ${attempt} of ${attempts}` };
    if (eventTimeMs !== undefined && Number.isFinite(eventTimeMs)) {
        const margin = Math.min(AGE_MARGIN.maxSeconds, settings.maxEventAgeSeconds * AGE_MARGIN.share);
        const ageSeconds = (nowMs - eventTimeMs) / 1000;
        if (ageSeconds >= settings.maxEventAgeSeconds - margin) {
            return { last: true, reason: `the event is ${Math.round(ageSeconds)} s old and SCF keeps events for ${settings.maxEventAgeSeconds} s` };
        }
    }
    return { last: false, reason: `attempt ${attempt} of ${attempts} as counted by this instance` };
}
