// AsyncTask: a Function run asynchronously, for hub events or on a schedule, with retries and a
// dead-letter queue that is always on: work that fails is kept, with its error, never dropped.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { ConfigError, provider, target, wholeInRange } from "./cloud";
import { parsePattern } from "./events/pattern";
import { parseSchedule } from "./events/schedule";
import { checkFunctionArgs, FunctionArgs } from "./function";
import type { Link } from "./link";

export interface HubSubscription {
    /** The hub to listen on: `hub.link`. */
    hub: pulumi.Input<Link>;
    /**
     * An EventBridge event pattern, as JSON, matched against `{ source, "detail-type", detail }`.
     * Supports exact values, prefix, suffix, anything-but, numeric, exists, wildcard and `$or`.
     *
     * @example JSON.stringify({ "detail-type": ["UserRegistered"] })
     * @example JSON.stringify({ source: [{ prefix: "shop." }], detail: { total: [{ numeric: [">", 100] }] } })
     */
    pattern: string;
}

export interface AsyncTaskArgs extends FunctionArgs {
    /** Run for every event on a hub that matches a pattern. */
    subscribe?: HubSubscription;
    /**
     * Run on a schedule, in EventBridge syntax, UTC: `rate(5 minutes)` or `cron(0 8 * * ? *)`.
     *
     * @example schedule: "rate(1 hour)"
     */
    schedule?: string;
    /** Retries after a failed attempt, 0 to 2 (so up to 3 attempts). Default 2. */
    retries?: number;
    /** Seconds after which an event is no longer attempted but dead-lettered, 60 to 21600. Default 21600 (6 hours). */
    maxEventAge?: number;
    /**
     * Who hears of dead letters: an Alarms' `target`. Without it the dead-letter alarm exists but
     * tells no one (`npm run check` refuses that).
     *
     * @example alarms: alarms.target
     */
    alarms?: pulumi.Input<AlarmTarget>;
}

export const RETRIES = { min: 0, max: 2, default: 2 };
export const MAX_EVENT_AGE_SECONDS = { min: 60, max: 21600, default: 21600 };

/**
 * An asynchronous task.
 *
 * @example
 * new AsyncTask("send-welcome-email", {
 *     handler: "functions/users/welcome-email.handler",
 *     subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["UserRegistered"] }) },
 *     retries: 2,
 * });
 */
export class AsyncTask extends pulumi.ComponentResource {
    /** The task function's name. */
    public readonly functionName!: pulumi.Output<string>;
    /** The task function's cloud identifier. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Where failed work is kept: a queue URL on AWS, a TDMQ CMQ queue name on Tencent Cloud, `local:dlq:<task>` locally. */
    public readonly deadLetterQueue!: pulumi.Output<string>;

    constructor(name: string, args: AsyncTaskArgs, opts?: pulumi.ComponentResourceOptions) {
        const stack = target();
        const { subscribe, schedule, retries, maxEventAge, alarms, ...functionArgs } = args;
        const { timeout } = checkFunctionArgs(name, functionArgs);
        const where = `AsyncTask '${name}'`;
        if (!subscribe && schedule === undefined) {
            throw new ConfigError(`${where} trigger`, undefined, "give 'subscribe' (a hub and a pattern), 'schedule', or both");
        }
        const spec = {
            name,
            // Its function's own alarms (errors, throttles) go where the dead-letter alarm goes.
            function: { ...functionArgs, alarms },
            timeout,
            retries: wholeInRange(`${where} retries`, retries, RETRIES),
            maxEventAgeSeconds: wholeInRange(`${where} maxEventAge`, maxEventAge, MAX_EVENT_AGE_SECONDS),
            subscription: subscribe && {
                hub: pulumi.output(subscribe.hub) as pulumi.Output<pulumi.Unwrap<Link>>,
                pattern: parsePattern(subscribe.pattern, `${where} subscribe.pattern`),
            },
            schedule: schedule === undefined ? undefined : parseSchedule(schedule, `${where} schedule`),
            alarms: alarms === undefined ? undefined : pulumi.output(alarms),
            protect: stack.protect,
        };
        const cloud = provider();
        cloud.checkAsyncTask?.(spec);
        super("serverless-blocks:index:AsyncTask", name, {}, opts);
        const realised = cloud.asyncTask(this, spec);
        Object.assign(this, realised);
        this.registerOutputs({ functionName: this.functionName, resourceId: this.resourceId, deadLetterQueue: this.deadLetterQueue });
    }
}
