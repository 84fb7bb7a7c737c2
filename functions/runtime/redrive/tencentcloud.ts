// Redrive on Tencent Cloud: read a task's TDMQ CMQ dead-letter queue, re-invoke the task's SCF
// function asynchronously with each dead letter's original event, and delete a message only after
// SCF accepted the invocation. A redriven event that fails again goes through the task's retries
// and, judged last, back into the queue as a new dead letter: nothing is lost either way.
//
// - Messages are what the adapter sent (functions/runtime/clients/tencentcloud/dead-letter.ts):
//   `{ event, error, attempts, time }`, `event` being the SCF event as it first arrived.
// - Re-invoking: SCF Invoke with InvocationType "Event" (asynchronous), the event as ClientContext
//   (scf 2018-04-16 Invoke: "异步调用填写 Event"; an async event is at most 128 KB). A CloudEvent gets
//   the extension attribute `sbredrivetime` (ms) so that the adapter counts its retry window from
//   the redrive, not from the original publish; handlers see the same HubEvent.
// - Receiving hides a message for the queue's visibility timeout (300 s, components/tencentcloud/
//   async-task.ts): `list` therefore hides what it shows for that long, and a message whose
//   redrive failed comes back after it. Dead letters older than the queue's 12-hour retention are
//   brought back with `rewindFrom` (TDMQ RewindCmqQueue; the queue keeps 15 days for rewind).
// - The same event can be in the queue more than once (see attempts.ts): within one redrive, the
//   first copy is re-invoked and later copies of an event id are deleted, counted as duplicates.
// Needs, as the operator (TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY): scf:InvokeFunction on
// the function; the CMQ queue's receive and delete (cmqqueue:BatchReceiveMessage and
// cmqqueue:DeleteMessage in CAM's CMQ queue actions); tdmq:RewindCmqQueue to rewind.
import { createHash } from "node:crypto";
import type { InvokeRequest, InvokeResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/scf/v20180416/scf_models";
import type { RewindCmqQueueRequest, RewindCmqQueueResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/tdmq/v20200217/tdmq_models";
import { callApi3 } from "../clients/tencentcloud/api3";
import { REDRIVE_TIME_ATTRIBUTE } from "../clients/tencentcloud/attempts";
import { cmqDataClient, type CmqMessage, type CmqQueueClient } from "../clients/tencentcloud/cmq";

import type { DeadLetter } from "./dead-letter";

export type { DeadLetter };

export interface ScfInvokeClient {
    Invoke(request: InvokeRequest): Promise<InvokeResponse>;
}

export interface CmqRewindClient {
    RewindCmqQueue(request: RewindCmqQueueRequest): Promise<RewindCmqQueueResponse>;
}

/** Clients to use instead of the defaults (tests; other credentials). */
export interface RedriveClients {
    queue?: CmqQueueClient;
    scf?: ScfInvokeClient;
    rewind?: CmqRewindClient;
}

export interface ListOptions {
    /** The CMQ queue name: the AsyncTask's `deadLetterQueue` output. */
    deadLetterQueue: string;
    region: string;
    /** The queue service's API address from the TDMQ CMQ console; default TENCENTCLOUD_CMQ_ENDPOINT. */
    endpoint?: string;
    /** At most this many (default 100). */
    max?: number;
    clients?: RedriveClients;
}

export interface RedriveOptions extends ListOptions {
    /** The task's function: the AsyncTask's `functionName` output. */
    functionName: string;
    /** The function's namespace (default `default`). */
    namespace?: string;
    /** First rewind the queue to this time, to bring back dead letters past the 12-hour retention. */
    rewindFrom?: Date;
}

export interface RedriveResult {
    /** Dead letters whose event SCF accepted again and that were deleted. */
    redriven: number;
    /** Dead letters left in the queue: unreadable, or SCF refused the invocation. */
    failed: number;
    /** Further copies of an event already redriven in this run, deleted. */
    duplicates: number;
}

/** CMQ receives at most 16 messages at a time. */
const RECEIVE_BATCH = 16;
const DEFAULT_MAX = 100;

/**
 * The dead letters in the queue, oldest first as CMQ hands them out; they stay in the queue.
 *
 * @example await list({ deadLetterQueue: "ship-dlq", region: "ap-guangzhou", endpoint: "https://cmq-gz.public.tencenttdmq.com" })
 */
export async function list(options: ListOptions): Promise<DeadLetter[]> {
    const queue = options.clients?.queue ?? defaultQueueClient(options);
    const max = options.max ?? DEFAULT_MAX;
    const letters: DeadLetter[] = [];
    const seen = new Set<string>();
    while (letters.length < max) {
        const batch = await queue.receive(options.deadLetterQueue, Math.min(RECEIVE_BATCH, max - letters.length));
        const fresh = batch.filter((m) => !seen.has(m.msgId));
        if (fresh.length === 0) break;
        for (const message of fresh) {
            seen.add(message.msgId);
            letters.push(readLetter(message).letter);
        }
    }
    return letters;
}

/**
 * Re-invokes the task with each dead letter's event and deletes the letters SCF accepted.
 *
 * @example await redrive({ deadLetterQueue: "ship-dlq", functionName: "ship-1a2b3c4", region: "ap-guangzhou" })
 */
export async function redrive(options: RedriveOptions): Promise<RedriveResult> {
    const queue = options.clients?.queue ?? defaultQueueClient(options);
    const scf = options.clients?.scf ?? defaultScfClient(options.region);
    if (options.rewindFrom) await rewind(options);
    const max = options.max ?? DEFAULT_MAX;
    const result: RedriveResult = { redriven: 0, failed: 0, duplicates: 0 };
    const seenMessages = new Set<string>();
    const redrivenEvents = new Set<string>();
    const handled = () => result.redriven + result.failed + result.duplicates;
    while (handled() < max) {
        const batch = await queue.receive(options.deadLetterQueue, Math.min(RECEIVE_BATCH, max - handled()));
        // A message seen before has come back after its visibility timeout: the queue has been gone through.
        const fresh = batch.filter((m) => !seenMessages.has(m.msgId));
        if (fresh.length === 0) break;
        for (const message of fresh) {
            seenMessages.add(message.msgId);
            const { letter, readable } = readLetter(message);
            if (!readable) {
                result.failed++;
                continue;
            }
            const key = eventKey(letter.event);
            if (redrivenEvents.has(key)) {
                await deleteOrWarn(queue, options.deadLetterQueue, message);
                result.duplicates++;
                continue;
            }
            try {
                await scf.Invoke({
                    FunctionName: options.functionName,
                    Namespace: options.namespace ?? "default",
                    // The alias every caller invokes (LIVE_ALIAS): a pinned (rolled back) task reruns its pinned version.
                    Qualifier: "live",
                    InvocationType: "Event",
                    ClientContext: JSON.stringify(markRedriven(letter.event)),
                });
            } catch (err) {
                console.error(`redrive: SCF did not accept dead letter ${message.msgId} for ${options.functionName}; it stays in ${options.deadLetterQueue}:`, err);
                result.failed++;
                continue;
            }
            redrivenEvents.add(key);
            result.redriven++;
            // Deleted only now: had the invocation failed, the letter would still be there.
            await deleteOrWarn(queue, options.deadLetterQueue, message);
        }
    }
    return result;
}

/** A letter whose event SCF took but that could not be deleted comes back: redriven twice, never lost. */
async function deleteOrWarn(queue: CmqQueueClient, name: string, message: CmqMessage): Promise<void> {
    try {
        await queue.delete(name, message.receiptHandle);
    } catch (err) {
        console.error(`redrive: dead letter ${message.msgId} was redriven but not deleted from ${name}; it will show again after the visibility timeout:`, err);
    }
}

async function rewind(options: RedriveOptions): Promise<void> {
    const client = options.clients?.rewind ?? defaultTdmqClient(options.region);
    await client.RewindCmqQueue({ QueueName: options.deadLetterQueue, StartConsumeTime: Math.floor(options.rewindFrom!.getTime() / 1000) });
}

function readLetter(message: CmqMessage): { letter: DeadLetter; readable: boolean } {
    try {
        const body = JSON.parse(message.msgBody) as Record<string, unknown>;
        if (body && typeof body === "object" && "event" in body) {
            return {
                readable: true,
                letter: {
                    id: message.msgId,
                    event: body.event,
                    error: typeof body.error === "string" ? body.error : undefined,
                    attempts: typeof body.attempts === "number" ? body.attempts : undefined,
                    time: typeof body.time === "string" ? body.time : undefined,
                },
            };
        }
    } catch {
        // not JSON: reported below
    }
    return { readable: false, letter: { id: message.msgId, event: message.msgBody, error: "unreadable dead letter: not the JSON the task's adapter sends ({ event, error, attempts, time })" } };
}

/** The event's id when it is a CloudEvent, else its content: what makes two letters the same event. */
function eventKey(event: unknown): string {
    if (event && typeof event === "object" && typeof (event as { id?: unknown }).id === "string") return `id:${(event as { id: string }).id}`;
    return `sha256:${createHash("sha256").update(JSON.stringify(event) ?? "").digest("hex")}`;
}

function markRedriven(event: unknown): unknown {
    if (!event || typeof event !== "object" || Array.isArray(event)) return event;
    return { ...(event as Record<string, unknown>), [REDRIVE_TIME_ATTRIBUTE]: Date.now() };
}

function defaultQueueClient(options: ListOptions): CmqQueueClient {
    const endpoint = options.endpoint ?? process.env.TENCENTCLOUD_CMQ_ENDPOINT;
    if (!endpoint) {
        throw new Error(`redrive: no CMQ endpoint for queue ${options.deadLetterQueue}: pass endpoint or set TENCENTCLOUD_CMQ_ENDPOINT to the queue service's API address (TDMQ CMQ console, Queue Service > API request address)`);
    }
    return cmqDataClient({ endpoint, region: options.region });
}

// SCF Invoke and TDMQ RewindCmqQueue over API 3.0 (api3.ts), with the keys in the environment at each call.
function defaultScfClient(region: string): ScfInvokeClient {
    return {
        Invoke: async (request) => (await callApi3({ service: "scf", version: "2018-04-16", action: "Invoke", region, payload: { ...request } })) as InvokeResponse,
    };
}

function defaultTdmqClient(region: string): CmqRewindClient {
    return {
        RewindCmqQueue: async (request) =>
            (await callApi3({ service: "tdmq", version: "2020-02-17", action: "RewindCmqQueue", region, payload: { ...request } })) as RewindCmqQueueResponse,
    };
}
