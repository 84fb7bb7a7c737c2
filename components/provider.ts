// The interface every cloud implements: one method per component kind (the Nitric model).
// `cloud.ts` picks the implementation; components hand it their validated specs.
import * as pulumi from "@pulumi/pulumi";
import type { Link, LinkPermission } from "./link";
import type { FunctionArgs } from "./function";
import type { EventPattern } from "./events/pattern";
import type { Schedule } from "./events/schedule";

export type ResolvedPermission = pulumi.Unwrap<LinkPermission>;
import type { FunctionCode } from "./function-code";

export interface FunctionSpec {
    name: string;
    code: FunctionCode;
    memory: number;
    timeout: number;
    /** The function's own variables plus its links'. */
    environment: pulumi.Output<Record<string, string>>;
    /** How many links the function has (known before their values are). */
    linkCount: number;
    /** What its links allow, resolved. */
    permissions: pulumi.Output<ResolvedPermission[]>;
    logRetentionDays: number;
    description?: string;
}

export interface FunctionRealisation {
    /** The deployed function's name. */
    functionName: pulumi.Output<string>;
    /** The cloud's identifier for it: an ARN on AWS, a `qcs::` resource on Tencent Cloud. */
    resourceId: pulumi.Output<string>;
    /** The permission to invoke it, for other functions. */
    invokePermission: { actions: string[]; resources: pulumi.Input<string>[] };
}

export interface EventHubSpec {
    name: string;
    /** Days the bus's archive keeps events for replay; 0 keeps none. */
    archiveRetentionDays: number;
    /** Protect the bus and its archive from deletion (prod). */
    protect: boolean;
}

export interface EventHubRealisation {
    busName: pulumi.Output<string>;
    /** The bus's ARN on AWS, `qcs::eb:...` on Tencent Cloud, `local:hub:<name>` locally. */
    resourceId: pulumi.Output<string>;
    /**
     * For publishers: permission to put events on this bus, `SB_HUB_<NAME>_NAME` = the bus name;
     * for subscribers, `resources` names the bus (`busName`, plus `busArn` / `busId` per cloud).
     */
    link: Link;
}

export interface AsyncTaskSpec {
    name: string;
    /** Checked Function args; the realisation makes the task's Function with them, adding its dead-letter wiring. */
    function: FunctionArgs;
    /** Retries after a failed attempt (0-2): attempts = retries + 1. */
    retries: number;
    /** An event older than this is not attempted again; it goes to the dead-letter queue. */
    maxEventAgeSeconds: number;
    /** Run for each event on `hub` matching `pattern` (EventBridge pattern language, validated). */
    subscription?: { hub: pulumi.Output<pulumi.Unwrap<Link>>; pattern: EventPattern };
    /** Run on a schedule (validated). */
    schedule?: Schedule;
    protect: boolean;
}

export interface AsyncTaskRealisation {
    functionName: pulumi.Output<string>;
    resourceId: pulumi.Output<string>;
    /** The dead-letter queue: its URL on AWS, its name on Tencent Cloud (TDMQ CMQ), `local:dlq:<task>` locally. */
    deadLetterQueue: pulumi.Output<string>;
}

export interface MailerSpec {
    name: string;
    from: string;
    /** Template names to Tencent Cloud SES template ids. */
    templateIds: { [name: string]: number };
}

export interface MailerRealisation {
    /** For senders: permission to send as `from`, and `SB_MAILER_<NAME>_FROM` (+ per-cloud settings). */
    link: Link;
}

export interface CloudProvider {
    function(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation;
    eventHub(parent: pulumi.Resource, spec: EventHubSpec): EventHubRealisation;
    asyncTask(parent: pulumi.Resource, spec: AsyncTaskSpec): AsyncTaskRealisation;
    mailer(parent: pulumi.Resource, spec: MailerSpec): MailerRealisation;
}
