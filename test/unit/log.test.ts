// The runtime's structured logger (functions/runtime/log.ts): the lines it writes, the ids every
// line of an invocation carries (console included, overlapping invocations kept apart), the
// correlation id a request hands to the events it publishes, and the adapters that set it all up.
import * as assert from "node:assert/strict";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { hub } from "../../functions/runtime/clients/hub";
import { EVENT_METADATA_KEY, onEvent, takeEventMetadata, withEventMetadata, type HubEvent } from "../../functions/runtime/events";
import { http, HttpError } from "../../functions/runtime/http";
import { correlationIdOf, INVOCATION_END, log, LOG_SINK, withInvocationLog, type LogEntry } from "../../functions/runtime/log";
import { toLambda } from "../../functions/runtime/adapters/aws";
import { invokeLocal } from "../../functions/runtime/adapters/local";
import { toScf } from "../../functions/runtime/adapters/tencentcloud";

/** Every line written while `run` runs, parsed; the sink a local function's host would set. */
async function captured(run: () => Promise<unknown>): Promise<LogEntry[]> {
    const lines: string[] = [];
    const globals = globalThis as Record<symbol, unknown>;
    const previous = globals[LOG_SINK];
    globals[LOG_SINK] = (line: string) => lines.push(line);
    try {
        await run().catch(() => undefined);
    } finally {
        globals[LOG_SINK] = previous;
    }
    return lines.map((line) => JSON.parse(line) as LogEntry);
}

const context = (requestId: string, correlationId = requestId) => ({ requestId, correlationId, function: "orders", route: "POST /orders" });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the runtime's logger", () => {
    const saved = process.env.SB_EVENT_SOURCE;
    before(() => (process.env.SB_EVENT_SOURCE = "shop-post-orders"));
    after(() => (saved === undefined ? delete process.env.SB_EVENT_SOURCE : (process.env.SB_EVENT_SOURCE = saved)));

    it("writes one JSON object per line: time, level, msg, the function, the caller's fields; errors with their stack", async () => {
        const [line] = await captured(async () => log.warn("slow table", { table: "orders", ms: 812, n: 10n, error: new RangeError("too slow"), level: "debug" }));
        assert.equal(line.level, "warn", "a field cannot overwrite the level");
        assert.equal(line.msg, "slow table");
        assert.equal(line.function, "shop-post-orders");
        assert.ok(!Number.isNaN(Date.parse(line.time)));
        assert.deepEqual([line.table, line.ms, line.n], ["orders", 812, "10"]);
        assert.equal(line.error!.name, "RangeError");
        assert.match(line.error!.stack!, /^RangeError: too slow\n\s+at /);
        assert.equal(line.requestId, undefined, "outside an invocation there are no ids");
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic.self = cyclic;
        const [cut] = await captured(async () => log.info("cyclic", { cyclic }));
        assert.deepEqual(cut.cyclic, { a: 1, self: "[Circular]" });
    });

    it("gives every line of an invocation its ids, console.* included, and ends with the duration", async () => {
        const lines = await captured(() => withInvocationLog(context("r-1", "c-1"), async () => {
            log.info("placing");
            console.log("console says %s", "hi", { n: 1 });
            console.error("it broke:", new TypeError("bad input"));
        }));
        assert.deepEqual(lines.map((l) => [l.level, l.msg]), [["info", "placing"], ["info", "console says hi { n: 1 }"], ["error", "it broke: TypeError: bad input"], ["info", INVOCATION_END]]);
        for (const line of lines) assert.deepEqual([line.requestId, line.correlationId, line.function, line.route], ["r-1", "c-1", "orders", "POST /orders"], JSON.stringify(line));
        assert.match(lines[2].error!.stack!, /^TypeError: bad input\n\s+at /);
        assert.equal(typeof lines[3].durationMs, "number");
    });

    it("keeps overlapping invocations' lines apart", async () => {
        const lines = await captured(() => Promise.all(["a", "b"].map((id, i) => withInvocationLog(context(id), async () => {
            for (let n = 0; n < 3; n++) {
                console.log(`${id} ${n}`);
                await pause(i === 0 ? 7 : 3);
            }
        }))));
        assert.equal(lines.length, 8);
        for (const line of lines) if (line.msg !== INVOCATION_END) assert.equal(line.msg[0], line.requestId, JSON.stringify(line));
        assert.notDeepEqual(lines.map((l) => l.requestId), [...lines.map((l) => l.requestId)].sort(), "they did overlap");
    });

    it("logs a failed invocation's error with its stack at the end, and rethrows it", async () => {
        let thrown: unknown;
        const lines = await captured(() => withInvocationLog(context("r-2"), async () => {
            throw new Error("table down");
        }).catch((err: unknown) => {
            thrown = err;
        }));
        assert.equal((thrown as Error).message, "table down");
        const [end] = lines;
        assert.deepEqual([end.level, end.msg, end.requestId, end.error!.message], ["error", INVOCATION_END, "r-2", "table down"]);
        assert.match(end.error!.stack!, /table down\n\s+at /);
        assert.equal(typeof end.durationMs, "number");
    });

    it("takes a sane x-correlation-id from the caller, else the request id", () => {
        assert.equal(correlationIdOf({ "x-correlation-id": "checkout-42.a_b" }, "req"), "checkout-42.a_b");
        for (const bad of ["", "has space", "line\nbreak", "x".repeat(129), "quote\"d"]) assert.equal(correlationIdOf({ "x-correlation-id": bad }, "req"), "req", JSON.stringify(bad));
        assert.equal(correlationIdOf({}, "req"), "req");
    });
});

describe("the correlation id in published events", () => {
    const eb = mockClient(EventBridgeClient);
    const env = { SB_TARGET: "aws", SB_HUB_EVENTS_NAME: "events-bus", SB_EVENT_SOURCE: "shop-post-orders" };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    before(() => Object.assign(process.env, env));
    after(() => {
        eb.restore();
        for (const [key, value] of Object.entries(saved)) value === undefined ? delete process.env[key] : (process.env[key] = value);
    });
    beforeEach(() => eb.reset().on(PutEventsCommand).callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `e-${i}` })) })));
    const details = () => eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.Detail!)));

    it("travels in the detail's metadata key when published during an invocation; the publisher gets its detail back as given", async () => {
        let published: unknown;
        await captured(() => withInvocationLog(context("r-3", "corr-3"), async () => {
            published = (await hub("events").publish("OrderPlaced", { orderId: "o-1" })).detail;
        }));
        assert.deepEqual(details(), [{ orderId: "o-1", [EVENT_METADATA_KEY]: { correlationId: "corr-3" } }]);
        assert.deepEqual(published, { orderId: "o-1" });
    });

    it("is left out outside an invocation, and a detail may not use the reserved key itself", async () => {
        await hub("events").publish("OrderPlaced", { orderId: "o-2" });
        assert.deepEqual(details(), [{ orderId: "o-2" }]);
        await assert.rejects(hub("events").publish("OrderPlaced", { [EVENT_METADATA_KEY]: 1 }), /detail key '_sb' is reserved/);
    });

    it("is taken out of the detail again, keeping other details as they are", () => {
        const carried = withEventMetadata({ a: 1 }, { correlationId: "c-9" });
        assert.deepEqual(takeEventMetadata(carried), { detail: { a: 1 }, metadata: { correlationId: "c-9" } });
        assert.deepEqual(withEventMetadata([1, 2], { correlationId: "c-9" }), [1, 2], "only an object can carry it");
        assert.deepEqual(takeEventMetadata({ [EVENT_METADATA_KEY]: { correlationId: "bad id\n" }, a: 1 }), { detail: { a: 1 }, metadata: {} });
    });
});

describe("the adapters' log context", () => {
    /** An event handler that records what it saw and logs one line. */
    function recorder() {
        const seen: HubEvent[] = [];
        const handler = onEvent(async (event) => {
            seen.push(event);
            log.info("confirming");
        });
        return { seen, handler };
    }
    const detail = { orderId: "o-1", [EVENT_METADATA_KEY]: { correlationId: "corr-7" } };

    it("AWS: an EventBridge event's handler sees the detail as published, its lines the publisher's correlation id and Lambda's request id", async () => {
        const { seen, handler } = recorder();
        const event = { id: "ev-1", source: "shop", "detail-type": "OrderPlaced", time: "2026-03-01T12:00:00Z", detail };
        const lines = await captured(() => toLambda(handler)(event, { awsRequestId: "lambda-1" }));
        assert.deepEqual(seen[0].detail, { orderId: "o-1" });
        assert.deepEqual(lines.map((l) => [l.msg, l.requestId, l.correlationId]), [["confirming", "lambda-1", "corr-7"], [INVOCATION_END, "lambda-1", "corr-7"]]);
    });

    it("AWS: an HTTP request's lines carry API Gateway's request id, the route and the caller's correlation id, echoed on the response", async () => {
        const handler = http(async () => {
            console.log("handling");
            throw new HttpError(409, "taken");
        });
        const event = { rawPath: "/orders", routeKey: "POST /orders", headers: { "X-Correlation-Id": "client-1" }, requestContext: { requestId: "apigw-1", http: { method: "POST", sourceIp: "1.2.3.4" } } };
        let status = 0;
        let echoed: string | undefined;
        const lines = await captured(async () => {
            const response = await toLambda(handler)(event, { awsRequestId: "lambda-2" });
            status = response.statusCode;
            echoed = response.headers["x-correlation-id"];
        });
        assert.deepEqual([status, echoed], [409, "client-1"]);
        assert.deepEqual(lines.map((l) => [l.msg, l.requestId, l.correlationId, l.route]), [["handling", "apigw-1", "client-1", "POST /orders"], [INVOCATION_END, "apigw-1", "client-1", "POST /orders"]]);
        assert.equal(lines[1].status, 409);
    });

    it("Tencent: an EB CloudEvent's handler sees its data as published, its lines SCF's request id and the publisher's correlation id", async () => {
        const { seen, handler } = recorder();
        const event = { specversion: "1.0", id: "ev-2", source: "shop", type: "OrderPlaced", time: 1772366400000, datacontenttype: "application/json;charset=utf-8", data: JSON.stringify(detail) };
        const lines = await captured(() => toScf(handler)(event, { request_id: "scf-1" }));
        assert.deepEqual(seen[0].detail, { orderId: "o-1" });
        assert.deepEqual(lines.map((l) => [l.msg, l.requestId, l.correlationId]), [["confirming", "scf-1", "corr-7"], [INVOCATION_END, "scf-1", "corr-7"]]);
    });

    it("Tencent: an API Gateway request's lines carry its request id and route template; an unreadable event fails with its ids logged", async () => {
        const handler = http(async () => ({ ok: true }));
        const event = { httpMethod: "GET", path: "/orders/42", headers: {}, requestContext: { requestId: "apigw-2", path: "/orders/{orderId}" } };
        const lines = await captured(() => toScf(handler)(event, { request_id: "scf-2" }));
        assert.deepEqual(lines.map((l) => [l.msg, l.requestId, l.correlationId, l.route]), [[INVOCATION_END, "apigw-2", "apigw-2", "GET /orders/{orderId}"]]);
        const broken = await captured(() => toScf(handler)({ nothing: true }, { request_id: "scf-3" }));
        assert.deepEqual(broken.map((l) => [l.level, l.requestId]), [["error", "scf-3"]]);
        assert.match(broken[0].error!.message, /expected an API Gateway trigger event/);
    });

    it("local: an event's lines carry its id as the request id and the publisher's correlation id", async () => {
        const { seen, handler } = recorder();
        const lines = await captured(() => invokeLocal(handler, { kind: "event", event: { id: "ev-3", source: "shop", type: "OrderPlaced", time: "2026-03-01T12:00:00Z", detail, attempt: 2 } }));
        assert.deepEqual(seen[0].detail, { orderId: "o-1" });
        assert.deepEqual(lines.map((l) => [l.msg, l.requestId, l.correlationId]), [["confirming", "ev-3", "corr-7"], [INVOCATION_END, "ev-3", "corr-7"]]);
        assert.deepEqual([lines[1].eventType, lines[1].attempt], ["OrderPlaced", 2]);
    });
});
