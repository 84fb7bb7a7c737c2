// The relay of a Table's outbox: an AsyncTask on a schedule that publishes the events written
// with the table's items whose writer's own publish failed, then clears them
// (functions/outbox/relay.ts; the design is in functions/runtime/clients/table-outbox.ts). As an
// AsyncTask it has retries, a dead-letter queue and alarms on every cloud: a run that cannot
// publish fails, is retried, and after its retries is dead-lettered, which alarms.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { AsyncTask } from "./async-task";
import { PACKAGE_ROOT } from "./build/package-root";
import type { Link } from "./link";

/** The built-in relay handler, shipped with the package (package.json "files"). */
export const OUTBOX_RELAY_HANDLER = path.join(PACKAGE_ROOT, "functions", "outbox", "relay.handler");
/** Every minute: EventBridge's and Tencent's timers' finest rate; the writer's own publish is the fast path. */
export const OUTBOX_RELAY_SCHEDULE = "rate(1 minute)";
/** The variable naming the table the relay serves (its link is the relay's). */
export const OUTBOX_TABLE_VARIABLE = "SB_OUTBOX_TABLE";

export interface OutboxRelayArgs {
    /** The Table's name (its link's). */
    table: string;
    /** The Table's read-write link: the relay reads pending events and clears them. */
    tableLink: pulumi.Input<Link>;
    /** The hub the events go to. */
    hub: pulumi.Input<Link>;
    alarms?: pulumi.Input<AlarmTarget>;
}

/** The relay task of table `args.table`, named `<table>-outbox-relay`. */
export function outboxRelay(args: OutboxRelayArgs, parent: pulumi.Resource): AsyncTask {
    return new AsyncTask(`${args.table}-outbox-relay`, {
        handler: OUTBOX_RELAY_HANDLER,
        schedule: OUTBOX_RELAY_SCHEDULE,
        // `SB_` variables are links' to set: this one names the table and grants nothing.
        link: [args.tableLink, args.hub, { type: "outbox", name: args.table, environment: { [OUTBOX_TABLE_VARIABLE]: args.table }, permissions: [] }],
        retries: 2,
        // A run left behind by a minute is overtaken by the next; keeping it longer only duplicates work.
        maxEventAge: 300,
        alarms: args.alarms,
        description: `Publishes the events written with items of table ${args.table} that their writer could not publish`,
    }, { parent });
}
