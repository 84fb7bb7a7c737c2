// EventHub: the bus services talk through. Publishers link it (`hub.link`); AsyncTasks subscribe
// to it with an event pattern.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, provider, target } from "./cloud";
import type { Link } from "./link";

export interface EventHubArgs {
    /**
     * Days the archive keeps every event, for replay after a bug fix (AWS EventBridge archive;
     * the local hub keeps its event log). 0 keeps none. Default 30.
     *
     * @example archiveRetentionDays: 90
     */
    archiveRetentionDays?: number;
}

export const ARCHIVE_RETENTION_DAYS = { min: 0, max: 3650, default: 30 };

/**
 * An event bus.
 *
 * @example
 * const hub = new EventHub("events");
 * new Function("register", { handler: "functions/users/register.handler", link: [hub.link] });
 */
export class EventHub extends pulumi.ComponentResource {
    /** The bus's name. */
    public readonly busName!: pulumi.Output<string>;
    /** The bus's ARN on AWS, `qcs::eb:...` on Tencent Cloud, `local:hub:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Give it to a Function's `link` to publish, or to an AsyncTask's `subscribe.hub`. */
    public readonly link!: pulumi.Output<Link>;

    constructor(name: string, args: EventHubArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const stack = target();
        const days = args.archiveRetentionDays ?? ARCHIVE_RETENTION_DAYS.default;
        if (!Number.isInteger(days) || days < ARCHIVE_RETENTION_DAYS.min || days > ARCHIVE_RETENTION_DAYS.max) {
            throw new ConfigError(`EventHub '${name}' archiveRetentionDays`, days, `expected a whole number from ${ARCHIVE_RETENTION_DAYS.min} to ${ARCHIVE_RETENTION_DAYS.max}`);
        }
        const spec = { name, archiveRetentionDays: days, protect: stack.protect };
        const cloud = provider();
        cloud.checkEventHub?.(spec);
        super("serverless-blocks:index:EventHub", name, {}, opts);
        const realised = cloud.eventHub(this, spec);
        Object.assign(this, { busName: realised.busName, resourceId: realised.resourceId, link: pulumi.output(realised.link) });
        this.registerOutputs({ busName: this.busName, resourceId: this.resourceId, link: this.link });
    }
}
