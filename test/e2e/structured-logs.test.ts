// Structured logs end to end on the typical app, served as npm start serves it (local/start.ts):
// every line the runtime writes for a request carries the request's id and correlation id, and
// the lines of the event handler its event reached (confirm-order) carry the same correlation id.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { INVOCATION_END, type LogEntry } from "../../functions/runtime/log";
import { startLocal, type LocalApp } from "../../local/start";
import { withToken } from "../support/local-token";
import { signIn } from "../support/sign-in";
import { SHOP_DIR } from "../../bin/shop";
import { until } from "../support/until";

const projectDir = SHOP_DIR;


describe("structured logs of the local app", function () {
    this.timeout(120_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-logs-"));
    const lines: LogEntry[] = [];
    let app: LocalApp;
    let auth: Record<string, string>;

    before(async () => {
        app = await startLocal({ projectDir, port: 0, runtime: { dataDir, log: () => {}, functionLog: (entry) => lines.push(entry) } });
        auth = { authorization: `Bearer ${(await signIn(app.url, "logs@example.com")).accessToken}` };
    });

    after(async () => {
        await app?.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const postOrder = (body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${app.url}/api/orders`, { method: "POST", headers: { "content-type": "application/json", ...auth, ...headers }, body: JSON.stringify(body) });
    const endOf = (requestId: string) => lines.find((l) => l.requestId === requestId && l.msg === INVOCATION_END);

    it("gives every line of an order request its request id and the caller's correlation id, and carries it to confirm-order's lines", async () => {
        const res = await postOrder({ lines: [{ sku: "LOG-1", quantity: 1, unitPrice: 100 }], currency: "EUR" }, { "x-correlation-id": "checkout-run.7" });
        assert.equal(res.status, 201);
        const requestId = res.headers.get("x-request-id")!;
        assert.equal(res.headers.get("x-correlation-id"), "checkout-run.7", "the response echoes the caller's correlation id");
        const { orderId } = (await res.json()) as { orderId: string };

        const end = await until("the request's end line", () => endOf(requestId));
        const fn = end.function!;
        assert.match(fn, /orders/);
        assert.deepEqual([end.level, end.status, end.route, typeof end.durationMs], ["info", 201, "POST /orders", "number"]);
        const requestLines = lines.filter((l) => l.function === fn);
        for (const line of requestLines) {
            assert.equal(line.requestId, requestId, JSON.stringify(line));
            assert.equal(line.correlationId, "checkout-run.7", JSON.stringify(line));
        }

        // confirm-order ran for the event the request published: its own request id, the request's correlation id.
        const confirmEnd = await until("confirm-order's end line", () => lines.find((l) => /confirm-order/.test(l.function ?? "") && l.msg === INVOCATION_END && l.correlationId === "checkout-run.7"));
        assert.equal(confirmEnd.level, "info");
        assert.notEqual(confirmEnd.requestId, requestId);
        const confirmLines = lines.filter((l) => l.function === confirmEnd.function);
        assert.ok(confirmLines.length > 0);
        for (const line of confirmLines) {
            assert.equal(line.correlationId, "checkout-run.7", JSON.stringify(line));
            assert.equal(line.requestId, confirmEnd.requestId, JSON.stringify(line));
        }
        // ...and it did its work: the order is confirmed.
        const read = (await (await fetch(`${app.url}/api/orders/${encodeURIComponent(orderId)}`, { headers: auth })).json()) as { status: string };
        assert.equal(read.status, "confirmed");
    });

    it("logs a failing request with its ids (its own request id as correlation id) and an event handler's failure with its stack", async () => {
        const bad = await postOrder({ lines: [] });
        assert.equal(bad.status, 400);
        const requestId = bad.headers.get("x-request-id")!;
        assert.equal(bad.headers.get("x-correlation-id"), null, "nothing to echo when the caller sent none");
        const end = await until("the failed request's end line", () => endOf(requestId));
        assert.deepEqual([end.status, end.correlationId], [400, requestId]);
        for (const line of lines.filter((l) => l.requestId === requestId)) assert.equal(line.correlationId, requestId);

        // An OrderPlaced without its ids makes confirm-order throw: the end line has the error and its stack.
        const confirm = [...new Set(lines.map((l) => l.function))].find((f) => /confirm-order/.test(f ?? ""))!;
        const event = { id: "broken-event-1", source: "test", type: "OrderPlaced", time: new Date().toISOString(), detail: { _sb: { correlationId: "broken-flow" } } };
        const res = await fetch(`${app.url}/_local/functions/${encodeURIComponent(confirm)}/invoke`, withToken(app.token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "event", event }) }));
        assert.equal(res.status, 502);
        const failed = await until("the failed event's end line", () => endOf("broken-event-1"));
        assert.deepEqual([failed.level, failed.correlationId, failed.function], ["error", "broken-flow", confirm]);
        assert.match(failed.error!.message, /OrderPlaced without userId and orderId/);
        assert.match(failed.error!.stack!, /\n\s+at .*confirm/);
    });

    it("reports each function's errors and p50/p99 latency at /_local/status", async () => {
        const status = (await (await fetch(`${app.url}/_local/status`, withToken(app.token))).json()) as { functions: { name: string; errors: number; latencyMs: { p50?: number; p99?: number } }[] };
        const confirm = status.functions.find((f) => /confirm-order/.test(f.name))!;
        assert.ok(confirm.errors >= 1, JSON.stringify(confirm));
        const orders = status.functions.find((f) => f.name === lines.find((l) => l.route === "POST /orders")!.function)!;
        assert.ok(orders.latencyMs.p50! > 0 && orders.latencyMs.p99! >= orders.latencyMs.p50!, JSON.stringify(orders));
    });
});
