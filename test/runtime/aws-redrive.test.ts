// Redrive on AWS: both kinds of dead letter read, and each re-delivered to the task's Lambda with its
// original event, deleted only once Lambda accepted it. SQS is a small in-memory queue with
// SQS's visibility semantics behind aws-sdk-client-mock; Lambda is mocked.
import * as assert from "node:assert/strict";
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from "@aws-sdk/client-lambda";
import {
    ChangeMessageVisibilityBatchCommand,
    DeleteMessageCommand,
    ReceiveMessageCommand,
    SQSClient,
    type Message,
    type ReceiveMessageCommandInput,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import * as awsRedrive from "../../functions/runtime/redrive/aws";
import { list, parseDeadLetter, redrive } from "../../functions/runtime/redrive/aws";
import type { RedriveModule } from "../../functions/runtime/redrive/dead-letter";

// What `npm run dlq` loads for --stack prod: checked by the compiler.
const asLoadedByDlq: RedriveModule = awsRedrive;

const QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/ship-dlq-1a2b3c4";
const FUNCTION = "ship-5d6e7f8";

const event = (id: string) => ({
    version: "0",
    id,
    "detail-type": "OrderPlaced",
    source: "checkout",
    account: "123456789012",
    time: "2026-03-01T12:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { orderId: `o-${id}` },
});

/** Lambda's on-failure destination record: the handler threw on every attempt. */
function executionFailure(id: string, eventId: string): Message {
    return {
        MessageId: id,
        Body: JSON.stringify({
            version: "1.0",
            timestamp: "2026-03-01T12:09:00.000Z",
            requestContext: {
                requestId: "e4b46cbf-b738-4a1d-8880-a18cdf61200e",
                functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}:$LATEST`,
                condition: "RetriesExhausted",
                approximateInvokeCount: 3,
            },
            requestPayload: event(eventId),
            responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
            responsePayload: { errorType: "Error", errorMessage: "carrier API down", trace: ["Error: carrier API down", "    at ship (index.js:1:1)"] },
        }),
        Attributes: { SentTimestamp: String(Date.now() - 60_000) },
    };
}

/** EventBridge's target dead letter: the event itself, the failure in message attributes. */
function deliveryFailure(id: string, eventId: string): Message {
    const attribute = (StringValue: string, DataType = "String") => ({ DataType, StringValue });
    return {
        MessageId: id,
        Body: JSON.stringify(event(eventId)),
        Attributes: { SentTimestamp: "1772366400000" },
        MessageAttributes: {
            RULE_ARN: attribute("arn:aws:events:us-east-1:123456789012:rule/orders-9f8e7d6/ship-on-hub-0a1b2c3"),
            TARGET_ARN: attribute(`arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`),
            ERROR_CODE: attribute("NO_PERMISSIONS"),
            ERROR_MESSAGE: attribute("Lambda did not allow events.amazonaws.com to invoke the function"),
            EXHAUSTED_RETRY_CONDITION: attribute("MaximumRetryAttempts"),
            RETRY_ATTEMPTS: attribute("0", "Number"),
        },
    };
}

/** SQS's visibility rules, in memory: a received message is hidden until deleted or made visible again. */
class FakeQueue {
    private readonly stored: { message: Message; visible: boolean; handle?: string }[] = [];
    private receipts = 0;
    readonly log: string[] = [];

    constructor(messages: Message[]) {
        for (const message of messages) this.add(message);
    }

    add(message: Message): void {
        this.stored.push({ message, visible: true });
    }

    receive(input: ReceiveMessageCommandInput) {
        const taken = this.stored.filter((s) => s.visible).slice(0, input.MaxNumberOfMessages ?? 1);
        for (const s of taken) {
            s.handle = `${s.message.MessageId}#${++this.receipts}`;
            s.visible = input.VisibilityTimeout === 0;
        }
        return { Messages: taken.map((s) => ({ ...s.message, ReceiptHandle: s.handle })) };
    }

    delete(handle: string) {
        const at = this.stored.findIndex((s) => s.handle === handle);
        if (at < 0) throw Object.assign(new Error(`receipt handle ${handle} is stale`), { name: "ReceiptHandleIsInvalid" });
        this.log.push(`delete ${this.stored[at].message.MessageId}`);
        this.stored.splice(at, 1);
        return {};
    }

    makeVisible(entries: { ReceiptHandle?: string; VisibilityTimeout?: number }[]) {
        for (const entry of entries) {
            const s = this.stored.find((x) => x.handle === entry.ReceiptHandle);
            if (s && entry.VisibilityTimeout === 0) s.visible = true;
        }
        return { Successful: [], Failed: [] };
    }

    get ids(): string[] {
        return this.stored.map((s) => s.message.MessageId!);
    }

    get visibleIds(): string[] {
        return this.stored.filter((s) => s.visible).map((s) => s.message.MessageId!);
    }
}

describe("dead letters on AWS", () => {
    const sqsMock = mockClient(SQSClient);
    const lambdaMock = mockClient(LambdaClient);
    const sqs = new SQSClient({ region: "us-east-1" });
    const lambda = new LambdaClient({ region: "us-east-1" });
    let queue: FakeQueue;
    let invoked: InvokeCommandInput[];

    function serve(messages: Message[], accept: (input: InvokeCommandInput) => number | Error = () => 202) {
        queue = new FakeQueue(messages);
        invoked = [];
        sqsMock.on(ReceiveMessageCommand).callsFake((input) => queue.receive(input));
        sqsMock.on(DeleteMessageCommand).callsFake((input) => queue.delete(input.ReceiptHandle));
        sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => queue.makeVisible(input.Entries));
        lambdaMock.on(InvokeCommand).callsFake((input: InvokeCommandInput) => {
            invoked.push(input);
            const answer = accept(input);
            if (answer instanceof Error) throw answer;
            queue.log.push(`invoke ${payload(input).id}`);
            return { StatusCode: answer };
        });
    }

    const payload = (input: InvokeCommandInput) => JSON.parse(Buffer.from(input.Payload as Uint8Array).toString("utf8"));

    beforeEach(() => {
        sqsMock.reset();
        lambdaMock.reset();
    });
    after(() => {
        sqsMock.restore();
        lambdaMock.restore();
    });

    it("exports what npm run dlq calls", () => {
        assert.equal(typeof asLoadedByDlq.list, "function");
        assert.equal(typeof asLoadedByDlq.redrive, "function");
    });

    it("reads Lambda's on-failure record: the original event, the error, the attempts", () => {
        const letter = parseDeadLetter({ ...executionFailure("m-1", "ev-1"), ReceiptHandle: "h" });
        assert.deepEqual(letter, {
            id: "m-1",
            event: event("ev-1"),
            failure: "execution",
            error: "Error: carrier API down (RetriesExhausted)",
            attempts: 3,
            time: "2026-03-01T12:09:00.000Z",
        });
    });

    it("reads EventBridge's target dead letter: the body is the event, the error is in the attributes", () => {
        const letter = parseDeadLetter({ ...deliveryFailure("m-2", "ev-2"), ReceiptHandle: "h" });
        assert.deepEqual(letter, {
            id: "m-2",
            event: event("ev-2"),
            failure: "delivery",
            error: "NO_PERMISSIONS: Lambda did not allow events.amazonaws.com to invoke the function (MaximumRetryAttempts)",
            attempts: 1,
            time: "2026-03-01T12:00:00.000Z",
        });
    });

    it("reports a body that is neither as unreadable, keeping the raw text", () => {
        const letter = parseDeadLetter({ MessageId: "m-3", Body: "not json", ReceiptHandle: "h" });
        assert.equal(letter.failure, "unreadable");
        assert.equal(letter.event, "not json");
        assert.match(letter.error!, /not JSON/);
    });

    it("lists every dead letter, page by page, and leaves them all in the queue, visible", async () => {
        const messages = Array.from({ length: 23 }, (_, i) => (i % 2 ? deliveryFailure : executionFailure)(`m-${i}`, `ev-${i}`));
        serve(messages);
        const letters = await list({ deadLetterQueue: QUEUE, region: "us-east-1", sqs });
        assert.deepEqual(letters.map((l) => l.id), messages.map((m) => m.MessageId));
        assert.deepEqual(letters.map((l) => (l.event as { id: string }).id), messages.map((_, i) => `ev-${i}`));
        assert.deepEqual(queue.visibleIds, messages.map((m) => m.MessageId));
        assert.equal(sqsMock.commandCalls(DeleteMessageCommand).length, 0);
        const receive = sqsMock.commandCalls(ReceiveMessageCommand)[0].args[0].input;
        assert.equal(receive.QueueUrl, QUEUE);
        assert.deepEqual(receive.MessageAttributeNames, ["All"]);
        assert.equal(invoked.length, 0);
    });

    it("redrives both kinds with their original event as an async invoke, deleting each only after Lambda accepted it", async () => {
        serve([executionFailure("m-1", "ev-1"), deliveryFailure("m-2", "ev-2")]);
        const result = await redrive({ deadLetterQueue: QUEUE, functionName: FUNCTION, region: "us-east-1", sqs, lambda });
        assert.deepEqual(result, { redriven: 2, failed: 0, errors: [] });
        assert.deepEqual(invoked.map((i) => [i.FunctionName, i.InvocationType]), [[FUNCTION, "Event"], [FUNCTION, "Event"]]);
        assert.deepEqual(invoked.map(payload), [event("ev-1"), event("ev-2")]);
        assert.deepEqual(queue.log, ["invoke ev-1", "delete m-1", "invoke ev-2", "delete m-2"]);
        assert.deepEqual(queue.ids, []);
    });

    it("keeps, visible, what Lambda did not accept, and says why", async () => {
        serve([executionFailure("m-1", "ev-1"), executionFailure("m-2", "ev-2"), deliveryFailure("m-3", "ev-3")], (input) => {
            const id = payload(input).id;
            if (id === "ev-2") return Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
            if (id === "ev-3") return 500;
            return 202;
        });
        const result = await redrive({ deadLetterQueue: QUEUE, functionName: FUNCTION, region: "us-east-1", sqs, lambda });
        assert.equal(result.redriven, 1);
        assert.equal(result.failed, 2);
        assert.deepEqual(result.errors, ["m-2: TooManyRequestsException: Rate exceeded", "m-3: Lambda answered 500 instead of 202 Accepted"]);
        assert.deepEqual(queue.ids, ["m-2", "m-3"]);
        assert.deepEqual(queue.visibleIds, ["m-2", "m-3"]);
        assert.deepEqual(queue.log, ["invoke ev-1", "delete m-1", "invoke ev-3"]);
    });

    it("redrives at most `max`, leaving the rest visible", async () => {
        serve(Array.from({ length: 15 }, (_, i) => executionFailure(`m-${i}`, `ev-${i}`)));
        const result = await redrive({ deadLetterQueue: QUEUE, functionName: FUNCTION, region: "us-east-1", sqs, lambda, max: 4 });
        assert.deepEqual(result, { redriven: 4, failed: 0, errors: [] });
        assert.deepEqual(invoked.map((i) => payload(i).id), ["ev-0", "ev-1", "ev-2", "ev-3"]);
        assert.equal(queue.ids.length, 11);
        assert.deepEqual(queue.visibleIds, queue.ids);
    });

    it("leaves for the next run a dead letter that arrives while it runs (a redriven event failing again)", async () => {
        serve([executionFailure("m-1", "ev-1")], (input) => {
            const again = executionFailure(`again-${payload(input).id}`, payload(input).id);
            queue.add({ ...again, Attributes: { SentTimestamp: String(Date.now() + 1) } });
            return 202;
        });
        const result = await redrive({ deadLetterQueue: QUEUE, functionName: FUNCTION, region: "us-east-1", sqs, lambda });
        assert.deepEqual(result, { redriven: 1, failed: 0, errors: [] });
        assert.deepEqual(queue.ids, ["again-ev-1"]);
        assert.deepEqual(queue.visibleIds, ["again-ev-1"]);
    });

    it("does not redrive an unreadable message, and keeps it", async () => {
        serve([{ MessageId: "m-x", Body: "{{", Attributes: { SentTimestamp: "1" } }]);
        const result = await redrive({ deadLetterQueue: QUEUE, functionName: FUNCTION, region: "us-east-1", sqs, lambda });
        assert.equal(result.failed, 1);
        assert.equal(invoked.length, 0);
        assert.deepEqual(queue.visibleIds, ["m-x"]);
    });
});
