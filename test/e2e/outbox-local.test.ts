// The transactional outbox in the typical app, run as `npm start` runs it (local/start.ts, in this
// process so that the hub can be made to fail): the hub fails right after an order is written and
// right after a new user's first sign-in, so the writers' own publishes fail; the orders and the
// user exist anyway. Once the hub is back, the tables' relays (the scheduled AsyncTasks, run here
// sooner than their minute) publish each event exactly once: the order is confirmed, one welcome
// email is sent, and further relay runs publish nothing.
import * as assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { StoredEvent } from "../../local/events/store";
import { LocalRuntime } from "../../local/runtime";
import { startLocal, type LocalApp } from "../../local/start";
import { waitForMail } from "../support/local-app";
import { signIn } from "../support/sign-in";
import { SHOP_DIR } from "../../bin/shop";

const projectDir = SHOP_DIR;
/** A run of a relay task now, standing in for its schedule's (the relay reads nothing of its event). */
const SCHEDULED = { source: "serverless-blocks.schedule", type: "RelayNow", detail: {} };

describe("the outbox in the typical app, locally: the hub fails after the write", function () {
    this.timeout(180_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-outbox-e2e-"));
    const originalPublish = LocalRuntime.prototype.publish;
    const originalStart = LocalRuntime.prototype.start;
    const published: StoredEvent[] = [];
    let hubDown = false;
    let refused = 0;
    let runtime: LocalRuntime | undefined;
    let app: LocalApp | undefined;

    before(async () => {
        // The hub "unreachable": every publish from a function fails while hubDown (the runtime
        // answers the worker's hub.publish call with this error, as a failed PutEvents would be).
        LocalRuntime.prototype.publish = function (this: LocalRuntime, bus, events) {
            if (hubDown) {
                refused++;
                throw new Error("hub unreachable (test)");
            }
            return originalPublish.call(this, bus, events);
        };
        LocalRuntime.prototype.start = function (this: LocalRuntime, options) {
            runtime = this;
            const started = originalStart.call(this, options);
            this.events.onPublish((_bus, events) => published.push(...events));
            return started;
        };
        app = await startLocal({ projectDir, port: 0, runtime: { dataDir, pollIntervalMs: 50, retryBaseDelayMs: 50, log: () => {} } });
    });

    after(async () => {
        await app?.stop();
        LocalRuntime.prototype.publish = originalPublish;
        LocalRuntime.prototype.start = originalStart;
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** Runs a table's relay task now (as its schedule would) until `done`, or fails after a while. */
    async function relayUntil(task: string, what: string, done: () => boolean | Promise<boolean>): Promise<void> {
        const deadline = Date.now() + 30_000;
        while (!(await done())) {
            if (Date.now() > deadline) throw new Error(`${what}: not seen within 30 s of relay runs`);
            runtime!.events.enqueue(task, { id: randomUUID(), ...SCHEDULED });
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
    }

    const ofType = (type: string, match: (detail: Record<string, unknown>) => boolean) =>
        published.filter((e) => e.type === type && match(e.detail as Record<string, unknown>));

    it("places an order while the hub is down; the relay publishes OrderPlaced once and the order is confirmed", async () => {
        const { accessToken } = await signIn(app!.url, "outbox-buyer@example.com");
        const api = { "content-type": "application/json", authorization: `Bearer ${accessToken}` };

        hubDown = true;
        const created = await fetch(`${app!.url}/api/orders`, { method: "POST", headers: api, body: JSON.stringify({ lines: [{ sku: "sku-outbox", quantity: 2, unitPrice: 500 }], currency: "EUR" }) });
        assert.equal(created.status, 201, "the order is written although its publish failed");
        const order = (await created.json()) as { orderId: string; status: string };
        assert.ok(refused >= 1, "the writer tried the hub and it failed");
        assert.equal(ofType("OrderPlaced", (d) => d.orderId === order.orderId).length, 0);
        const read = async () => (await (await fetch(`${app!.url}/api/orders/${encodeURIComponent(order.orderId)}`, { headers: api })).json()) as { status: string };
        assert.equal((await read()).status, "placed");

        // Down for the relay too: its runs fail (retried, then dead-lettered) and keep the event.
        runtime!.events.enqueue("orders-outbox-relay", { id: randomUUID(), ...SCHEDULED });
        await new Promise((resolve) => setTimeout(resolve, 6_000));
        assert.equal(ofType("OrderPlaced", (d) => d.orderId === order.orderId).length, 0);

        hubDown = false;
        await relayUntil("orders-outbox-relay", "OrderPlaced relayed", () => ofType("OrderPlaced", (d) => d.orderId === order.orderId).length > 0);
        const [event] = ofType("OrderPlaced", (d) => d.orderId === order.orderId);
        const detail = event.detail as Record<string, unknown>;
        assert.deepEqual([detail.orderId, detail.total, detail.currency], [order.orderId, 1000, "EUR"]);
        assert.match(String((event.detail as { outboxEventId: string }).outboxEventId), /^[0-9a-f-]{36}$/);
        for (let i = 0; i < 40 && (await read()).status !== "confirmed"; i++) await new Promise((resolve) => setTimeout(resolve, 250));
        assert.equal((await read()).status, "confirmed", "confirm-order got the relayed event");

        // More relay runs: nothing left to publish.
        for (let i = 0; i < 3; i++) runtime!.events.enqueue("orders-outbox-relay", { id: randomUUID(), ...SCHEDULED });
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        assert.equal(ofType("OrderPlaced", (d) => d.orderId === order.orderId).length, 1, "published exactly once");
    });

    it("signs a new user up while the hub is down; the relay publishes UserSignedUp once and one welcome email goes out", async () => {
        const email = "outbox-newcomer@example.com";
        hubDown = true;
        await signIn(app!.url, email);
        assert.equal(await waitForMail(dataDir, email, 1_000), undefined, "no welcome while the hub is down");
        // A second sign-in does not announce again: the first one's event is in the outbox.
        await signIn(app!.url, email);

        hubDown = false;
        await relayUntil("auth-records-outbox-relay", "UserSignedUp relayed", () => ofType("UserSignedUp", (d) => d.email === email).length > 0);
        const mail = await waitForMail(dataDir, email);
        assert.ok(mail, "the welcome email was sent");
        const [event] = ofType("UserSignedUp", (d) => d.email === email);
        const outboxEventId = (event.detail as { outboxEventId: string }).outboxEventId;
        assert.ok(fs.existsSync(path.join(dataDir, "outbox", "mail", `${outboxEventId}.json`)), "the mail's id is the event's outbox id");

        for (let i = 0; i < 3; i++) runtime!.events.enqueue("auth-records-outbox-relay", { id: randomUUID(), ...SCHEDULED });
        await signIn(app!.url, email);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        assert.equal(ofType("UserSignedUp", (d) => d.email === email).length, 1, "announced exactly once");
        const mails = fs.readdirSync(path.join(dataDir, "outbox", "mail")).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(fs.readFileSync(path.join(dataDir, "outbox", "mail", f), "utf8")));
        assert.equal(mails.filter((m) => m.to[0] === email).length, 1, "one welcome email");
    });
});
