// Alarms: where the app's alarms go. An alarm nobody hears of is no alarm, so components that
// watch something (an AsyncTask's dead letters, a FileUpload's failed files) take `alarms` and
// point their alarm actions at it: an SNS topic on AWS, a Cloud Monitor notice on Tencent Cloud.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, provider, target } from "./cloud";
import type { AlarmsSpec } from "./provider";

export interface AlarmsArgs {
    /**
     * An address told of every alarm and its recovery. AWS: an SNS email subscription (SNS mails a
     * confirmation link first; nothing arrives until it is followed). Tencent Cloud's Cloud Monitor
     * mails CAM users, not addresses: give `tencentUserIds` there.
     *
     * @example email: "oncall@shop.example.com"
     */
    email?: string;
    /**
     * An HTTPS endpoint each alarm is POSTed to (a chat or paging webhook). AWS: an SNS https
     * subscription (it must confirm the subscription SNS posts first); Tencent Cloud: a Cloud Monitor
     * URL callback.
     */
    webhookUrl?: pulumi.Input<string>;
    /** Tencent Cloud: the CAM user ids (uins of sub-users) Cloud Monitor notifies by email and SMS. Ignored on AWS. */
    tencentUserIds?: number[];
}

/** What alarm actions point at; give it to a component's `alarms`. */
export interface AlarmTarget {
    /** The SNS topic ARN (AWS), the Cloud Monitor notice id (Tencent Cloud), `local:alarms:<name>` locally. */
    id: string;
}

/** A deliberately plain check: one @, a dotted domain, no spaces or angle brackets. */
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
/** Cloud Monitor takes URL callbacks of up to 256 characters (monitorAlarmNotice urlNotices.url). */
const MAX_WEBHOOK_CHARS = 256;

/**
 * Where alarms go.
 *
 * @example
 * const alarms = new Alarms("ops", { email: "oncall@shop.example.com" });
 * new AsyncTask("send-welcome-email", { handler: "...", subscribe: { ... }, alarms: alarms.target });
 */
export class Alarms extends pulumi.ComponentResource {
    /** Give it to a component's `alarms`. */
    public readonly target!: pulumi.Output<AlarmTarget>;

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = checkAlarmsArgs(name, args);
        super("serverless-blocks:index:Alarms", name, {}, opts);
        const realised = provider().alarms(this, spec);
        Object.assign(this, { target: realised.target });
        this.registerOutputs({ target: this.target });
    }
}

/** Validates the args into the spec every cloud realises, before anything registers. */
export function checkAlarmsArgs(name: string, args: AlarmsArgs): AlarmsSpec {
    const where = `Alarms '${name}'`;
    if (args === undefined || args === null || typeof args !== "object") throw new ConfigError(where, args, "expected { email?, webhookUrl?, tencentUserIds? }");
    const { email, webhookUrl, tencentUserIds } = args;
    if (email !== undefined && (typeof email !== "string" || !ADDRESS.test(email))) {
        throw new ConfigError(`${where} email`, email, "expected an email address such as oncall@example.com");
    }
    // A plain string is checked now; a secret (chat webhooks carry a token) when its value is known.
    const checkWebhook = (url: unknown) => {
        if (!isHttpsUrl(url)) throw new ConfigError(`${where} webhookUrl`, typeof url === "string" ? "(not shown)" : url, `expected an https:// URL of at most ${MAX_WEBHOOK_CHARS} characters`);
        return url as string;
    };
    const webhook = webhookUrl === undefined ? undefined : typeof webhookUrl === "string" ? checkWebhook(webhookUrl) : pulumi.output(webhookUrl).apply(checkWebhook);
    if (tencentUserIds !== undefined && (!Array.isArray(tencentUserIds) || tencentUserIds.some((id) => !Number.isInteger(id) || id <= 0))) {
        throw new ConfigError(`${where} tencentUserIds`, tencentUserIds, "expected a list of CAM user ids (positive whole numbers)");
    }
    const cloud = target().cloud;
    const reachable = cloud === "tencentcloud" ? webhook ?? tencentUserIds?.length : email ?? webhook;
    // Locally an alarm is a line in the runtime's log, which the developer is already reading.
    if (cloud !== "local" && !reachable) {
        const allowed = cloud === "tencentcloud"
            ? "on Tencent Cloud give webhookUrl or tencentUserIds (Cloud Monitor notifies CAM users, not email addresses)"
            : "give email or webhookUrl";
        throw new ConfigError(where, args, `nobody would hear of an alarm: ${allowed}`);
    }
    return { name, email, webhookUrl: webhook, tencentUserIds: tencentUserIds ?? [] };
}

function isHttpsUrl(value: unknown): boolean {
    if (typeof value !== "string" || value.length > MAX_WEBHOOK_CHARS) return false;
    try {
        return new URL(value).protocol === "https:";
    } catch {
        return false;
    }
}
