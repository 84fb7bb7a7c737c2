// The transactional outbox of a Table: events travel inside the item's own write.
//
// DynamoDB's TransactWriteItems would put an item and an event record in one transaction, but a
// single-item write is atomic on every backend (DynamoDB, MySQL, SQLite) and needs nothing more:
// `put(item, { publish })` stores the events in a reserved attribute of the item (`_sbOutbox`)
// with a marker (`_sbOutboxAt`, epoch ms) that a sparse index finds (a DynamoDB GSI keyed on it;
// an indexed `outbox_at` column in SQL). So the events exist if and only if the item was written.
// Right after the write the client publishes them and clears them with a conditional update (only
// if the same events are still pending); if the publish fails, the Table's relay (an AsyncTask on
// a schedule: retries, dead letters, alarms) publishes whatever is still pending and clears it.
//
// Delivery is at least once: a publish that succeeded but whose clear failed is published again
// by the relay. Each event's id is fixed at write time and travels in its detail as
// `outboxEventId` (the hubs stamp their own envelope ids, which differ per publish), so consumers
// dedupe by it.
//
// Known limits: a `put` without `publish` that replaces an item, or a `delete`, drops events still
// pending on the item it replaces (write new keys with events, e.g. `ifNotExists`); an item holds
// at most MAX_OUTBOX_EVENTS pending events, from its latest write with `publish`.
import { randomUUID } from "node:crypto";
import { currentLogContext } from "../log";
import { hub, type OutgoingEvent } from "./hub";
import type { Item, JsonValue, StoredKey, TableBackend, TableSettings } from "./table";

/** Attributes with this prefix are the outbox's; the client refuses them in items and changes. */
export const OUTBOX_PREFIX = "_sbOutbox";
/** The pending events: PendingEvent[]. */
export const OUTBOX_ATTRIBUTE = "_sbOutbox";
/** When the events became pending, epoch ms: the sparse index's key (absent once published). */
export const OUTBOX_SINCE_ATTRIBUTE = "_sbOutboxAt";
/** The DynamoDB GSI on OUTBOX_SINCE_ATTRIBUTE (components/aws/table.ts makes it). */
export const OUTBOX_INDEX = "sb-outbox";
/** The detail field carrying the event's fixed id. */
export const OUTBOX_EVENT_ID = "outboxEventId";
/** Events per write: one EventBridge PutEvents batch. */
export const MAX_OUTBOX_EVENTS = 10;
/** The relay leaves events younger than this to the writer's own publish (and DynamoDB's index time to catch up). */
export const RELAY_GRACE_MS = 5_000;

/** An event to publish because of a write. */
export interface OutboxEvent {
    /** What happened, e.g. `OrderPlaced`. */
    type: string;
    /** A JSON object (EventBridge takes only objects). */
    detail: { [key: string]: unknown };
    /** Who says so; defaults to `SB_EVENT_SOURCE`, the writing function's name. */
    source?: string;
}

/** An event as the item holds it until it is published. */
export interface PendingEvent {
    id: string;
    /** The writing request's correlation id: the relay publishes with it, so the chain stays traceable. */
    correlationId?: string;
    type: string;
    detail: { [key: string]: JsonValue };
    source: string;
    time: string;
}

const EVENT_TYPE = /^[A-Za-z][\w.-]{0,127}$/;

/** The events of a put and the attributes that carry them; undefined when there are none. */
export function prepareOutbox(settings: TableSettings, publish: OutboxEvent[] | undefined, nowMs: number, where: string): { events: PendingEvent[]; attributes: Item } | undefined {
    if (publish === undefined) return undefined;
    if (!Array.isArray(publish)) throw new TypeError(`${where}: 'publish' is an array of { type, detail } events`);
    if (publish.length === 0) return undefined;
    if (!settings.outboxHub) {
        throw new TypeError(`${where}: 'publish' needs the table's outbox: give the Table 'outbox: hub.link' (SB_TABLE_${settings.name.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}_OUTBOX is not set)`);
    }
    if (publish.length > MAX_OUTBOX_EVENTS) throw new RangeError(`${where}: ${publish.length} events in one put, at most ${MAX_OUTBOX_EVENTS}`);
    const time = new Date(nowMs).toISOString();
    const events = publish.map((e, i): PendingEvent => {
        const at = `${where}: publish[${i}]`;
        if (typeof e !== "object" || e === null) throw new TypeError(`${at} is { type, detail }`);
        if (typeof e.type !== "string" || !EVENT_TYPE.test(e.type)) throw new TypeError(`${at}.type '${String(e.type)}': letters, digits, '.', '_' and '-', starting with a letter, at most 128`);
        const detail = e.detail as unknown;
        if (typeof detail !== "object" || detail === null || Array.isArray(detail)) throw new TypeError(`${at}.detail must be a JSON object`);
        if (OUTBOX_EVENT_ID in detail) throw new TypeError(`${at}.detail.${OUTBOX_EVENT_ID} is reserved: the outbox sets it to the event's id`);
        const source = e.source ?? process.env.SB_EVENT_SOURCE ?? "serverless-blocks";
        if (typeof source !== "string" || source.length === 0 || source.length > 256) throw new TypeError(`${at}.source is a string of 1 to 256 characters`);
        const correlationId = currentLogContext()?.correlationId;
        return { id: randomUUID(), ...(correlationId ? { correlationId } : {}), type: e.type, detail: JSON.parse(JSON.stringify(detail)), source, time };
    });
    return { events, attributes: { [OUTBOX_ATTRIBUTE]: events as unknown as JsonValue, [OUTBOX_SINCE_ATTRIBUTE]: nowMs } };
}

/** `item` without the outbox's attributes: what reads return. */
export function withoutOutbox(item: Item): Item {
    if (!(OUTBOX_ATTRIBUTE in item) && !(OUTBOX_SINCE_ATTRIBUTE in item)) return item;
    const copy: Item = {};
    for (const [attribute, value] of Object.entries(item)) if (!attribute.startsWith(OUTBOX_PREFIX)) copy[attribute] = value;
    return copy;
}

/** Puts events on the hub linked under `hubName`, or rejects; tests pass their own. */
export type OutboxPublisher = (hubName: string, events: Required<OutgoingEvent>[], correlationId?: string) => Promise<unknown>;

/** The hub client of the function's own link (`hub(name)`). */
export const linkedHubPublisher: OutboxPublisher = (hubName, events, correlationId) => hub(hubName).publishAll(events, { correlationId });

/** The events as published: each with its fixed id in its detail. */
export function outgoing(events: PendingEvent[]): Required<OutgoingEvent>[] {
    return events.map((e) => ({ type: e.type, source: e.source, time: e.time, detail: { ...e.detail, [OUTBOX_EVENT_ID]: e.id } }));
}

/**
 * The writer's fast path, right after its write: publish, then clear. A failure is not the
 * writer's: the write succeeded and its events are safe in the item, for the relay.
 */
export async function publishWritten(settings: TableSettings, backend: TableBackend, key: StoredKey, events: PendingEvent[], publish: OutboxPublisher): Promise<void> {
    try {
        await publish(settings.outboxHub!, outgoing(events), events[0]?.correlationId);
    } catch (error) {
        console.error(`table '${settings.name}': ${events.length} event(s) written with the item are not published yet; the table's outbox relay will publish them:`, (error as Error).message);
        return;
    }
    try {
        await backend.clearOutbox(settings, key, events[0].id);
    } catch (error) {
        console.error(`table '${settings.name}': events published but not cleared; the relay publishes them again (same ${OUTBOX_EVENT_ID}):`, (error as Error).message);
    }
}

export interface RelayOptions {
    /** Now, epoch ms. */
    now?: number;
    /** Leave events younger than this to their writer. Default RELAY_GRACE_MS. */
    graceMs?: number;
    /** Items per page. Default 100. */
    pageSize?: number;
    /** Pages per run at most (a run must end within its function's timeout). Default 20. */
    maxPages?: number;
    /** Default: the hub linked under the table's outbox hub name. */
    publish?: OutboxPublisher;
}

export interface RelayReport {
    /** Items whose events were published and cleared. */
    relayed: number;
    /** Events published. */
    events: number;
    /** Items whose publish or clear failed: `key: reason`. */
    failures: string[];
}

/** Publishes and clears what is still pending in the table: the relay's work, one run. */
export async function relayPending(settings: TableSettings, backend: TableBackend, options: RelayOptions = {}): Promise<RelayReport> {
    if (!settings.outboxHub) throw new Error(`table '${settings.name}' has no outbox: give the Table 'outbox: hub.link'`);
    const before = (options.now ?? Date.now()) - (options.graceMs ?? RELAY_GRACE_MS);
    const pageSize = options.pageSize ?? 100;
    const publish = options.publish ?? linkedHubPublisher;
    const report: RelayReport = { relayed: 0, events: 0, failures: [] };
    const failed = new Set<string>();
    for (let page = 0; page < (options.maxPages ?? 20); page++) {
        const items = (await backend.pendingOutbox(settings, before, pageSize)).filter((item) => !failed.has(keyText(settings, item)));
        for (const item of items) {
            const events = item[OUTBOX_ATTRIBUTE] as unknown as PendingEvent[] | undefined;
            const key: StoredKey = { partition: item[settings.partitionKey] as string, sort: settings.sortKey ? (item[settings.sortKey] as string) : undefined };
            if (!Array.isArray(events) || events.length === 0) continue; // only this client writes the marker, with events
            try {
                await publish(settings.outboxHub, outgoing(events), events[0]?.correlationId);
                // False: the writer (or another relay run) cleared them first; published twice at worst, same ids.
                await backend.clearOutbox(settings, key, events[0].id);
                report.relayed++;
                report.events += events.length;
            } catch (error) {
                failed.add(keyText(settings, item));
                report.failures.push(`${keyText(settings, item)}: ${(error as Error).message}`);
            }
        }
        // A short page was the last; failed items would come back on every page of this run.
        if (items.length < pageSize || items.length === 0) break;
    }
    return report;
}

function keyText(settings: TableSettings, item: Item): string {
    return JSON.stringify(settings.sortKey ? [item[settings.partitionKey], item[settings.sortKey]] : [item[settings.partitionKey]]);
}
