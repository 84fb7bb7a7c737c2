// hub.publish on AWS: what goes to EventBridge PutEvents, in which batches, and what happens when
// some entries fail (aws-sdk-client-mock stands in for EventBridge).
import * as assert from "node:assert/strict";
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput, type PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { hub, PublishError } from "../../functions/runtime/clients/hub";
import { createAwsHub, entrySize, MAX_REQUEST_BYTES } from "../../functions/runtime/clients/aws/hub";

const BUS = "orders-1a2b3c4";
const TIME = "2026-03-01T12:00:00.000Z";

function events(n: number, detail: (i: number) => unknown = (i) => ({ n: i })) {
    return Array.from({ length: n }, (_, i) => ({ type: `Order${i}`, detail: detail(i), source: "shop.checkout", time: TIME }));
}

/** Answers each PutEvents with ids `<DetailType>-<call>`, or the error `fail` picks for an entry. */
function answer(fail: (detailType: string, call: number) => PutEventsResultEntry | undefined = () => undefined) {
    let call = 0;
    return (input: PutEventsCommandInput) => {
        call++;
        const Entries = input.Entries!.map((e) => fail(e.DetailType!, call) ?? { EventId: `${e.DetailType}-${call}` });
        return { FailedEntryCount: Entries.filter((e) => e.ErrorCode).length, Entries };
    };
}

const sent = (eb: ReturnType<typeof mockClient>) => eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!);

describe("hub on AWS (EventBridge PutEvents)", () => {
    const eb = mockClient(EventBridgeClient);
    const transport = createAwsHub({ backoffMs: 1 });
    beforeEach(() => eb.reset());
    after(() => eb.restore());

    it("sends each event as a PutEvents entry on the bus", async () => {
        eb.on(PutEventsCommand).callsFake(answer());
        const ids = await transport.publish(BUS, [{ type: "OrderPlaced", detail: { orderId: "o-1", total: 120 }, source: "shop.checkout", time: TIME }]);
        assert.deepEqual(ids, ["OrderPlaced-1"]);
        assert.deepEqual(sent(eb), [[{
            EventBusName: BUS,
            Source: "shop.checkout",
            DetailType: "OrderPlaced",
            Detail: '{"orderId":"o-1","total":120}',
            Time: new Date(TIME),
        }]]);
    });

    it("batches at most 10 entries a request and returns the ids in the order given", async () => {
        eb.on(PutEventsCommand).callsFake(answer());
        const ids = await transport.publish(BUS, events(25));
        assert.deepEqual(sent(eb).map((entries) => entries.length), [10, 10, 5]);
        assert.deepEqual(sent(eb).flat().map((e) => e.DetailType), events(25).map((e) => e.type));
        assert.deepEqual(ids, events(25).map((e, i) => `${e.type}-${Math.floor(i / 10) + 1}`));
    });

    it("keeps each request within 256 KB by EventBridge's own entry size", async () => {
        eb.on(PutEventsCommand).callsFake(answer());
        const big = "x".repeat(100 * 1024);
        await transport.publish(BUS, events(5, () => ({ big })));
        const batches = sent(eb);
        assert.deepEqual(batches.map((entries) => entries.length), [2, 2, 1]);
        for (const entries of batches) assert.ok(entries.reduce((sum, e) => sum + entrySize(e), 0) <= MAX_REQUEST_BYTES);
        assert.equal(entrySize({ Time: new Date(), Source: "é", DetailType: "ab", Detail: "{}" }), 14 + 2 + 2 + 2);
    });

    it("retries just the entries that failed for a retryable reason, and returns every id in order", async () => {
        eb.on(PutEventsCommand).callsFake(answer((type, call) => {
            if (call === 1 && type === "Order1") return { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" };
            if (call === 1 && type === "Order3") return { ErrorCode: "InternalFailure", ErrorMessage: "try again" };
            return undefined;
        }));
        const ids = await transport.publish(BUS, events(4));
        assert.deepEqual(sent(eb).map((entries) => entries.map((e) => e.DetailType)), [["Order0", "Order1", "Order2", "Order3"], ["Order1", "Order3"]]);
        assert.deepEqual(ids, ["Order0-1", "Order1-2", "Order2-1", "Order3-2"]);
    });

    it("reports what never got through, naming each failure, and lists what was published", async () => {
        eb.on(PutEventsCommand).callsFake(answer((type) => {
            if (type === "Order1") return { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" };
            if (type === "Order2") return { ErrorCode: "AccessDeniedException", ErrorMessage: "not allowed on this bus" };
            return undefined;
        }));
        const error = await transport.publish(BUS, events(4)).then(() => assert.fail("expected a PublishError"), (e) => e);
        assert.ok(error instanceof PublishError, String(error));
        assert.deepEqual(error.failures, [
            { index: 1, type: "Order1", reason: "ThrottlingException: Rate exceeded (after 4 attempts)" },
            { index: 2, type: "Order2", reason: "AccessDeniedException: not allowed on this bus" },
        ]);
        assert.deepEqual(error.published, [{ index: 0, id: "Order0-1" }, { index: 3, id: "Order3-1" }]);
        assert.match(error.message, /2 event\(s\) not published: #1 Order1: ThrottlingException: Rate exceeded \(after 4 attempts\); #2 Order2: AccessDeniedException/);
        // The non-retryable one was sent once; the throttled one four times.
        assert.deepEqual(sent(eb).map((entries) => entries.map((e) => e.DetailType)), [["Order0", "Order1", "Order2", "Order3"], ["Order1"], ["Order1"], ["Order1"]]);
    });

    it("reports every entry of a request that failed as a whole, and still sends the other batches", async () => {
        let call = 0;
        eb.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
            if (++call === 1) throw Object.assign(new Error("User is not authorized to perform: events:PutEvents"), { name: "AccessDeniedException" });
            return answer()(input);
        });
        const error = await transport.publish(BUS, events(12)).then(() => assert.fail("expected a PublishError"), (e) => e);
        assert.ok(error instanceof PublishError);
        assert.deepEqual(error.failures.map((f: { index: number }) => f.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert.match(error.failures[0].reason, /^AccessDeniedException: User is not authorized/);
        assert.deepEqual(error.published.map((p: { index: number }) => p.index), [10, 11]);
    });

    it("refuses, without sending, a detail EventBridge would refuse", async () => {
        eb.on(PutEventsCommand).callsFake(answer());
        const error = await transport.publish(BUS, [...events(1), { type: "Listed", detail: [1, 2], source: "s", time: TIME }])
            .then(() => assert.fail("expected a PublishError"), (e) => e);
        assert.deepEqual(error.failures, [{ index: 1, type: "Listed", reason: "detail must be a JSON object on EventBridge, got an array" }]);
        assert.deepEqual(sent(eb).flat().map((e) => e.DetailType), ["Order0"]);
    });

    it("is what hub(name) uses when the bundle targets AWS, with one client per container", async () => {
        eb.on(PutEventsCommand).callsFake(answer());
        const saved = { ...process.env };
        Object.assign(process.env, { SB_TARGET: "aws", SB_HUB_ORDERS_NAME: BUS, SB_EVENT_SOURCE: "checkout" });
        try {
            const [first] = await hub("orders").publishAll([{ type: "OrderPlaced", detail: { id: 1 } }]);
            const second = await hub("orders").publish("OrderShipped", { id: 1 });
            assert.equal(first.id, "OrderPlaced-1");
            assert.equal(first.source, "checkout");
            assert.equal(second.id, "OrderShipped-2");
            assert.deepEqual(sent(eb).flat().map((e) => [e.EventBusName, e.Source]), [[BUS, "checkout"], [BUS, "checkout"]]);
            const clients = eb.calls().map((c) => c.thisValue);
            assert.equal(clients[0], clients[1], "the second publish reuses the client");
        } finally {
            for (const key of ["SB_TARGET", "SB_HUB_ORDERS_NAME", "SB_EVENT_SOURCE"]) {
                if (saved[key] === undefined) delete process.env[key]; else process.env[key] = saved[key];
            }
        }
    });
});
