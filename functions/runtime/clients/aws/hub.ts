// Publishing on AWS: EventBridge PutEvents, in batches EventBridge accepts (10 entries, 256 KB by
// its own size rule), retrying only the entries that failed for a retryable reason.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { PublishError, type HubTransport, type OutgoingEvent } from "../hub";

/** PutEvents takes at most 10 entries. */
export const MAX_ENTRIES = 10;
/** PutEvents takes at most 256 KB of entries, counted as `entrySize` counts them. */
export const MAX_REQUEST_BYTES = 256 * 1024;
/** The per-entry errors EventBridge documents as retryable; the others (access, malformed detail...) will not pass on a retry. */
const RETRYABLE = new Set(["InternalFailure", "ThrottlingException"]);

export interface AwsHubOptions {
    /** The client; by default one per container, made at the first publish. */
    client?: () => EventBridgeClient;
    /** Tries per entry, the first included. Default 4. */
    attempts?: number;
    /** The first backoff; it doubles per retry, with jitter. Default 100 ms. */
    backoffMs?: number;
}

let shared: EventBridgeClient | undefined;
/** Made lazily and kept for the container's life: cold starts pay for it once, warm ones never. */
const sharedClient = () => (shared ??= new EventBridgeClient({}));

interface Pending {
    index: number;
    type: string;
    entry: PutEventsRequestEntry;
}
type Failure = PublishError["failures"][number];

export function createAwsHub(options: AwsHubOptions = {}): HubTransport {
    const client = options.client ?? sharedClient;
    const attempts = options.attempts ?? 4;
    const backoffMs = options.backoffMs ?? 100;

    return {
        async publish(bus: string, events: Required<OutgoingEvent>[]): Promise<string[]> {
            const ids: string[] = new Array(events.length);
            const failures: Failure[] = [];
            const sendable: Pending[] = [];
            events.forEach((event, index) => {
                const pending = { index, type: event.type, entry: toEntry(bus, event) };
                const refused = refusal(event, pending.entry);
                if (refused) failures.push({ index, type: event.type, reason: refused });
                else sendable.push(pending);
            });

            for (const batch of batches(sendable)) {
                let pending = batch;
                for (let attempt = 1; pending.length > 0; attempt++) {
                    const retry: Pending[] = [];
                    let results;
                    try {
                        // The SDK itself retries a whole request that was throttled or hit a 5xx.
                        results = (await client().send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }))).Entries ?? [];
                    } catch (err) {
                        const e = err as Error;
                        for (const p of pending) failures.push({ index: p.index, type: p.type, reason: `${e.name}: ${e.message}` });
                        break;
                    }
                    pending.forEach((p, i) => {
                        const result = results[i];
                        if (result?.EventId && !result.ErrorCode) {
                            ids[p.index] = result.EventId;
                        } else if (result?.ErrorCode && RETRYABLE.has(result.ErrorCode) && attempt < attempts) {
                            retry.push(p);
                        } else {
                            const why = result?.ErrorCode ? `${result.ErrorCode}: ${result.ErrorMessage ?? "no message"}` : "no result for this entry in the response";
                            failures.push({ index: p.index, type: p.type, reason: attempt > 1 ? `${why} (after ${attempt} attempts)` : why });
                        }
                    });
                    pending = retry;
                    if (pending.length > 0) await sleep(backoff(backoffMs, attempt));
                }
            }

            if (failures.length > 0) {
                const published = ids.flatMap((id, index) => (id === undefined ? [] : [{ index, id }]));
                throw new PublishError(failures.sort((a, b) => a.index - b.index), published);
            }
            return ids;
        },
    };
}

/** The transport `hub(name)` uses on AWS. */
export const awsHub: HubTransport = createAwsHub();

function toEntry(bus: string, event: Required<OutgoingEvent>): PutEventsRequestEntry {
    return {
        EventBusName: bus,
        Source: event.source,
        DetailType: event.type,
        Detail: JSON.stringify(event.detail),
        Time: new Date(event.time),
    };
}

/** What EventBridge would refuse anyway, said before sending: a non-object detail, an entry too big for any request. */
function refusal(event: Required<OutgoingEvent>, entry: PutEventsRequestEntry): string | undefined {
    const detail = event.detail;
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) {
        return `detail must be a JSON object on EventBridge, got ${Array.isArray(detail) ? "an array" : detail === null ? "null" : typeof detail}`;
    }
    if (Number.isNaN(entry.Time?.getTime())) return `time '${event.time}' is not a date`;
    const size = entrySize(entry);
    if (size > MAX_REQUEST_BYTES) return `entry is ${size} bytes; EventBridge takes at most ${MAX_REQUEST_BYTES}`;
    return undefined;
}

/** EventBridge's documented entry size: Time 14 bytes, then Source, DetailType, Detail and Resources in UTF-8. */
export function entrySize(entry: PutEventsRequestEntry): number {
    const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, "utf8"));
    return (entry.Time ? 14 : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail)
        + (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0);
}

/** Consecutive runs of at most MAX_ENTRIES entries and MAX_REQUEST_BYTES, in the order given. */
export function batches<T extends { entry: PutEventsRequestEntry }>(items: T[]): T[][] {
    const out: T[][] = [];
    let current: T[] = [];
    let bytes = 0;
    for (const item of items) {
        const size = entrySize(item.entry);
        if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_REQUEST_BYTES)) {
            out.push(current);
            current = [];
            bytes = 0;
        }
        current.push(item);
        bytes += size;
    }
    if (current.length > 0) out.push(current);
    return out;
}

/** Exponential, with half of it random so that throttled publishers do not retry in step. */
function backoff(baseMs: number, attempt: number): number {
    const ceiling = baseMs * 2 ** (attempt - 1);
    return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
