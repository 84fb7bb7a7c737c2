// Redrive on AWS, with documented SDK calls only: read a task's SQS dead-letter queue, re-invoke the
// task's Lambda asynchronously with each dead letter's original event, and delete a message only
// after Lambda accepted the invocation. A redriven event that fails again goes through the task's
// retries and back into the queue, with a new record: nothing is lost either way.
//
// A message in the queue is one of two kinds (see components/aws/async-task.ts):
//  - execution failure: Lambda's on-failure destination record, a JSON document
//    `{ version, timestamp, requestContext: { condition, approximateInvokeCount, ... }, requestPayload,
//    responseContext, responsePayload: { errorType, errorMessage } }`; `requestPayload` is the event
//    https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
//  - delivery failure: EventBridge's target dead letter; the body is the event itself, the failure is
//    in message attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION,
//    RETRY_ATTEMPTS  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
//
// Needs, as the operator: sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility on the
// queue, lambda:InvokeFunction on the task's function.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
    ChangeMessageVisibilityBatchCommand,
    DeleteMessageCommand,
    ReceiveMessageCommand,
    SQSClient,
    type Message,
} from "@aws-sdk/client-sqs";
import type { DeadLetter } from "./dead-letter";

/** What `list` shows of a dead letter on AWS: which edge failed, besides the portable fields. */
export interface AwsDeadLetter extends DeadLetter {
    /** `execution`: the handler failed every attempt (or the event got too old); `delivery`: EventBridge could not hand it to Lambda. */
    failure: "execution" | "delivery" | "unreadable";
}

export interface ListOptions {
    /** The queue URL: the AsyncTask's `deadLetterQueue` output. */
    deadLetterQueue: string;
    region: string;
    /** At most this many (default 100). */
    max?: number;
    sqs?: SQSClient;
}

export interface RedriveOptions extends ListOptions {
    /** The task's function: its name or ARN (the AsyncTask's `functionName`). */
    functionName: string;
    lambda?: LambdaClient;
}

export interface RedriveResult {
    redriven: number;
    failed: number;
    /** Why each failed one is still in the queue. */
    errors: string[];
}

/** Long enough to read a page and re-invoke it; anything not deleted is made visible again at the end. */
const HOLD_SECONDS = 60;
/** Long polling asks every SQS server, so an empty answer means an empty queue, not an unlucky sample. */
const WAIT_SECONDS = 1;

/** The dead letters in the queue, oldest first as SQS hands them out; they stay in the queue, visible. */
export async function list(options: ListOptions): Promise<AwsDeadLetter[]> {
    const sqs = options.sqs ?? new SQSClient({ region: options.region });
    const max = options.max ?? 100;
    const held = new Map<string, Message>();
    try {
        while (held.size < max) {
            const fresh = (await receive(sqs, options.deadLetterQueue)).filter((m) => {
                const known = held.has(m.MessageId!);
                held.set(m.MessageId!, m); // the newest receipt handle is the one that works
                return !known;
            });
            if (fresh.length === 0) break;
        }
    } finally {
        await release(sqs, options.deadLetterQueue, [...held.values()]);
    }
    return [...held.values()].slice(0, max).map(parseDeadLetter);
}

/** Re-invokes the function with each dead letter's original event; deletes only what Lambda accepted. */
export async function redrive(options: RedriveOptions): Promise<RedriveResult> {
    const sqs = options.sqs ?? new SQSClient({ region: options.region });
    const lambda = options.lambda ?? new LambdaClient({ region: options.region });
    const max = options.max ?? Infinity;
    const result: RedriveResult = { redriven: 0, failed: 0, errors: [] };
    const seen = new Set<string>();
    const keep = new Map<string, Message>(); // received, not deleted: made visible again at the end
    // A redriven event that fails again comes back as a new message; it waits for the next run
    // rather than going round in this one.
    const startedAt = Date.now();
    try {
        while (result.redriven + result.failed < max) {
            const fresh = (await receive(sqs, options.deadLetterQueue)).filter((m) => {
                if (seen.has(m.MessageId!)) {
                    if (keep.has(m.MessageId!)) keep.set(m.MessageId!, m);
                    return false;
                }
                seen.add(m.MessageId!);
                return true;
            });
            if (fresh.length === 0) break;
            for (const message of fresh) {
                if (result.redriven + result.failed >= max || Number(message.Attributes?.SentTimestamp) >= startedAt) {
                    keep.set(message.MessageId!, message);
                    continue;
                }
                const letter = parseDeadLetter(message);
                const problem = letter.failure === "unreadable" ? letter.error! : await invoke(lambda, options.functionName, letter.event);
                if (problem) {
                    result.failed++;
                    result.errors.push(`${letter.id}: ${problem}`);
                    keep.set(message.MessageId!, message);
                    continue;
                }
                // Accepted: from here Lambda's retries and on-failure destination own the event.
                await sqs.send(new DeleteMessageCommand({ QueueUrl: options.deadLetterQueue, ReceiptHandle: message.ReceiptHandle }));
                result.redriven++;
            }
        }
    } finally {
        await release(sqs, options.deadLetterQueue, [...keep.values()]);
    }
    return result;
}

/** Reads one SQS message of either kind; never throws (an unreadable one is reported as such). */
export function parseDeadLetter(message: Message): AwsDeadLetter {
    const id = message.MessageId ?? "";
    const sent = Number(message.Attributes?.SentTimestamp);
    const sentTime = Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined;
    let body: unknown;
    try {
        body = JSON.parse(message.Body ?? "");
    } catch {
        return { id, event: message.Body, failure: "unreadable", error: "the message body is not JSON: neither a Lambda invocation record nor an EventBridge event", time: sentTime };
    }
    if (isInvocationRecord(body)) {
        const context = body.requestContext;
        const response = isObject(body.responsePayload) ? body.responsePayload : undefined;
        const thrown = response && typeof response.errorMessage === "string"
            ? `${typeof response.errorType === "string" ? response.errorType : "Error"}: ${response.errorMessage}`
            : undefined;
        const condition = typeof context.condition === "string" ? context.condition : "Failed";
        return {
            id,
            event: body.requestPayload,
            failure: "execution",
            error: thrown ? `${thrown} (${condition})` : condition,
            attempts: typeof context.approximateInvokeCount === "number" ? context.approximateInvokeCount : undefined,
            time: typeof body.timestamp === "string" ? body.timestamp : sentTime,
        };
    }
    const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
    const code = attribute("ERROR_CODE");
    const text = attribute("ERROR_MESSAGE");
    const condition = attribute("EXHAUSTED_RETRY_CONDITION");
    const retries = Number(attribute("RETRY_ATTEMPTS"));
    const error = [code, text].filter(Boolean).join(": ") || undefined;
    return {
        id,
        event: body,
        failure: "delivery",
        error: error && condition ? `${error} (${condition})` : error,
        // EventBridge counts retries; the first try is one more attempt.
        attempts: Number.isInteger(retries) && attribute("RETRY_ATTEMPTS") !== undefined ? retries + 1 : undefined,
        time: sentTime,
    };
}

async function receive(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
    const out = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: HOLD_SECONDS,
        WaitTimeSeconds: WAIT_SECONDS,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["SentTimestamp"],
    }));
    return (out.Messages ?? []).filter((m) => m.MessageId && m.ReceiptHandle);
}

/** Returns the problem, or undefined once Lambda accepted the asynchronous invocation (202). */
async function invoke(lambda: LambdaClient, functionName: string, event: unknown): Promise<string | undefined> {
    try {
        const out = await lambda.send(new InvokeCommand({
            FunctionName: functionName,
            // The alias every caller invokes (LIVE_ALIAS): its event invoke config (retries, on-failure
            // destination) is the alias's, and a pinned (rolled back) task reruns its pinned version.
            Qualifier: "live",
            InvocationType: "Event",
            Payload: Buffer.from(JSON.stringify(event)),
        }));
        return out.StatusCode === 202 ? undefined : `Lambda answered ${out.StatusCode ?? "no status"} instead of 202 Accepted`;
    } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
    }
}

/** Makes held messages visible again at once, ten per call (the batch limit). */
async function release(sqs: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
        await sqs.send(new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }));
    }
}

interface InvocationRecord {
    timestamp?: unknown;
    requestContext: { condition?: unknown; approximateInvokeCount?: unknown };
    requestPayload: unknown;
    responsePayload?: unknown;
}

function isInvocationRecord(body: unknown): body is InvocationRecord {
    return isObject(body) && isObject(body.requestContext) && "requestPayload" in body;
}

function isObject(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
