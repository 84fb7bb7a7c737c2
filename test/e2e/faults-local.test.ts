// kill -9 of `npm start` while work is in flight, then a restart on the same data directory:
// every piece of work completes or is dead-lettered, none is lost, none is done twice.
// The work, through the typical app as a user and the runtime's tools would send it:
// - UserSignedUp events published to the hub -> the welcome email (counted in the outbox: exactly
//   one message per recipient, whatever was redelivered; no temp file left);
// - orders (POST /api/orders) -> OrderPlaced -> confirm-order, which confirms and pushes over the
//   Realtime (the order ends confirmed or paid; no order twice);
// - payments (POST /api/orders/<id>/pay) -> the checkout workflow (exactly one execution per
//   order, final, its notify step run once, the order paid);
// - uploads (signed PUT) -> the processor (exactly one record per file in the files table, with
//   the file's SHA-256, or the upload in the dead letters).
// A push to a connection that died with the process cannot be delivered: for a push, "completes"
// means the pushing task completes (or is dead-lettered) and a client that connects again sees the
// state through the API and gets the pushes of new work.
// Kill points, one per run of the chain: right after the work was accepted, once the first of it
// is done (delivery under way), and half-way through. FAULT_ROUNDS=<n> repeats the chain.
import * as assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Database from "better-sqlite3";
import WebSocket from "ws";
import { startApp, type RunningApp } from "../support/local-app";
import { localTokenHeaders } from "../support/local-token";
import { signIn } from "../support/sign-in";

const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 1);
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) throw new Error(`FAULT_ROUNDS: expected a whole number above 0, got '${process.env.FAULT_ROUNDS}'`);
const MAILS = 120;
const ORDERS = 8;
const PAYMENTS = 3;
const UPLOADS = 4;

/** Where a run is killed: what has to be true of this batch's work first. */
const KILL_POINTS: { name: string; ready: (progress: Progress) => boolean }[] = [
    { name: "right after the work was accepted", ready: () => true },
    { name: "once the first of it is done", ready: (p) => p.mails >= 1 },
    { name: "half-way through", ready: (p) => p.mails >= MAILS / 2 },
];

interface Progress {
    mails: number;
}

/** Everything submitted, to check at the end. */
interface Submitted {
    emails: string[];
    orders: { orderId: string; paid: boolean }[];
    uploads: { key: string; sha256: string; size: number }[];
}

describe("kill -9 of npm start with work in flight, and a restart on the same data", function () {
    this.timeout(600_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-faults-"));
    const submitted: Submitted = { emails: [], orders: [], uploads: [] };
    let app: RunningApp | undefined;
    let accessToken = "";
    let port = 0;
    const kills: string[] = [];

    after(() => {
        if (app?.child.exitCode === null) app.child.kill("SIGKILL");
    });

    it(`survives ${KILL_POINTS.length * ROUNDS} kills at ${KILL_POINTS.length} points with work of every kind in flight`, async () => {
        for (let round = 0; round < ROUNDS; round++) {
            for (const [i, point] of KILL_POINTS.entries()) {
                // The same port every run: the URLs handed out (the payment service's callback, the token's issuer) stay valid.
                app = await startApp(dataDir, port);
                port = Number(new URL(app.url).port);
                // The same user throughout; our token outlives the restarts (its key is in the data directory).
                accessToken ||= (await signIn(app.url, "faults@example.com")).accessToken;
                const batch = `${round}-${i}`;
                const eventIds = await submitWork(app, dataDir, accessToken, batch, submitted);
                const sent = () => eventIds.filter((id) => fs.existsSync(path.join(dataDir, "outbox", "mail", `${id}.json`))).length;
                const deadline = Date.now() + 60_000;
                while (!point.ready({ mails: sent() }) && Date.now() < deadline) await sleep(5);
                app.child.kill("SIGKILL");
                await new Promise((resolve) => app!.child.once("exit", resolve));
                kills.push(`${point.name}: ${sent()} of ${MAILS} mails sent`);
            }
        }
        console.log(`      kills: ${kills.join("; ")}`);
        // The last restart: nothing more is sent; what was accepted before the kills must finish.
        app = await startApp(dataDir, port);
        await settle(app, dataDir, accessToken, submitted);
        await checkEverything(app, dataDir, accessToken, submitted);
        await checkLivePushesAfterRestart(app, accessToken);
    });
});

/** Creates and pays orders, uploads files, publishes the mails' events: all accepted before returning. */
/** Returns the ids of the mails' events (the outbox names each message by its event id). */
async function submitWork(app: RunningApp, dataDir: string, accessToken: string, batch: string, submitted: Submitted): Promise<string[]> {
    const api = { "content-type": "application/json", authorization: `Bearer ${accessToken}` };
    for (let i = 0; i < ORDERS; i++) {
        const res = await apiFetch(`${app.url}/api/orders`, { method: "POST", headers: api, body: JSON.stringify({ lines: [{ sku: `sku-${batch}-${i}`, quantity: 1, unitPrice: 1000 + i * 100 }], currency: "EUR" }) });
        await expectStatus(res, 201, "create order");
        const order = (await res.json()) as { orderId: string };
        const paid = i < PAYMENTS;
        if (paid) {
            const pay = await apiFetch(`${app.url}/api/orders/${encodeURIComponent(order.orderId)}/pay`, { method: "POST", headers: api, body: "{}" });
            await expectStatus(pay, 202, "pay");
        }
        submitted.orders.push({ orderId: order.orderId, paid });
    }
    const { uploadUrl } = (await (await fetch(`${app.url}/config.json`)).json()) as { uploadUrl: string };
    for (let i = 0; i < UPLOADS; i++) {
        const content = Buffer.from(`file ${batch}-${i} ${randomUUID()}\n`.repeat(50 + i));
        const sign = await apiFetch(`${uploadUrl}/uploads`, { method: "POST", headers: api, body: JSON.stringify({ name: `f-${batch}-${i}.txt`, contentType: "text/plain", size: content.length }) });
        await expectStatus(sign, 201, "sign upload");
        const signed = (await sign.json()) as { url: string; headers: Record<string, string>; key: string };
        const put = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: content });
        await expectStatus(put, 200, "upload");
        submitted.uploads.push({ key: signed.key, sha256: createHash("sha256").update(content).digest("hex"), size: content.length });
    }
    // The mails last: they are quick, and the kill points are counted in them.
    const local = { "content-type": "application/json", ...localTokenHeaders(dataDir) };
    const emails = Array.from({ length: MAILS }, (_, i) => `fault-${batch}-${i}@example.com`);
    const eventIds: string[] = [];
    for (let start = 0; start < emails.length; start += 40) {
        const events = emails.slice(start, start + 40).map((email) => ({ type: "UserSignedUp", source: "test.faults", detail: { userId: randomUUID(), email, name: email.split("@")[0] } }));
        const res = await fetch(`${app.url}/_local/hubs/events/events`, { method: "POST", headers: local, body: JSON.stringify(events) });
        await expectStatus(res, 200, "publish");
        eventIds.push(...((await res.json()) as { ids: string[] }).ids);
    }
    submitted.emails.push(...emails);
    return eventIds;
}

/** Waits until the queues are empty, the executions final and every upload recorded (or dead). */
async function settle(app: RunningApp, dataDir: string, accessToken: string, submitted: Submitted): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (;;) {
        const status = await localGet(app, dataDir, "/_local/status");
        const busy = status.tasks.filter((t: any) => t.queued + t.inFlight > 0).map((t: any) => t.name);
        const running = status.workflows.filter((w: any) => (w.executions.running ?? 0) > 0).map((w: any) => w.name);
        const orders = await listOrders(app, accessToken);
        const unfinished = submitted.orders.filter((o) => !["confirmed", "paid", "payment_failed", "payment_timed_out"].includes(orders.get(o.orderId)?.status ?? ""));
        if (busy.length === 0 && running.length === 0 && unfinished.length === 0 && mailCount(dataDir) >= submitted.emails.length) return;
        if (Date.now() > deadline) throw new Error(`work did not settle: tasks busy ${busy.join(", ") || "none"}, workflows running ${running.join(", ") || "none"}, ${unfinished.length} orders unfinished, ${mailCount(dataDir)} of ${submitted.emails.length} mails`);
        await sleep(200);
    }
}

async function checkEverything(app: RunningApp, dataDir: string, accessToken: string, submitted: Submitted): Promise<void> {
    const status = await localGet(app, dataDir, "/_local/status");
    const dead = Object.fromEntries(status.tasks.map((t: any) => [t.name, t.deadLetters]));

    // Mail: one message per recipient, never two, and no temp file a kill left behind.
    const outbox = path.join(dataDir, "outbox", "mail");
    const names = fs.readdirSync(outbox);
    assert.deepEqual(names.filter((n) => !n.endsWith(".json")), [], "temp files left in the outbox");
    const perRecipient = new Map<string, number>();
    for (const name of names) {
        const to = JSON.parse(fs.readFileSync(path.join(outbox, name), "utf8")).to[0] as string;
        perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    }
    const twice = submitted.emails.filter((e) => (perRecipient.get(e) ?? 0) > 1);
    const lost = submitted.emails.filter((e) => !perRecipient.has(e));
    assert.deepEqual(twice, [], "welcome emails sent twice");
    assert.equal(dead["send-welcome-email"], 0, "welcome emails dead-lettered");
    assert.deepEqual(lost, [], "welcome emails lost");

    // Orders: each once, confirmed, or with its payment's final outcome.
    const orders = await listOrders(app, accessToken);
    assert.equal(orders.size, submitted.orders.length, "orders in the table: as many as created, no more");
    assert.equal(dead["confirm-order"], 0, "confirmations dead-lettered");
    for (const { orderId, paid } of submitted.orders) {
        // The fake payment service keeps its payments on disk, as a real one outlives our process: a
        // payment it accepted before the kill still calls back after the restart.
        const expected = paid ? ["paid"] : ["confirmed"];
        assert.ok(expected.includes(orders.get(orderId)?.status ?? ""), `order ${orderId}: ${orders.get(orderId)?.status}, expected ${expected.join(" or ")}`);
    }
    const outcomes = submitted.orders.filter((o) => o.paid).map((o) => orders.get(o.orderId)!.status);
    console.log(`      payments: ${outcomes.filter((s) => s === "paid").length} paid of ${outcomes.length}`);

    // Payments: one execution per paid order, final, its notice step run once.
    const executions = (await localGet(app, dataDir, "/_local/workflows/checkout/executions")).executions as any[];
    assert.equal(executions.length, submitted.orders.filter((o) => o.paid).length, "one execution per payment");
    for (const execution of executions) {
        assert.equal(execution.status, "succeeded", `execution ${execution.name}`);
        const detail = await localGet(app, dataDir, `/_local/workflows/checkout/executions/${encodeURIComponent(execution.name)}`);
        const notices = detail.history.filter((s: any) => /notif/i.test(s.state) && s.exitedAt !== undefined);
        assert.equal(notices.length, 1, `execution ${execution.name}: the notify step ran ${notices.length} times: ${detail.history.map((s: any) => s.state).join(", ")}`);
    }

    // Uploads: one record per file, with its content's hash; the dead letters hold the rest.
    const files = readTable(dataDir, "files");
    const uploadDead = Object.entries(dead).filter(([name]) => /attachments/.test(name)).reduce((n, [, d]) => n + (d as number), 0);
    for (const upload of submitted.uploads) {
        const records = files.filter((f) => f.key === upload.key);
        assert.ok(records.length === 1 || uploadDead > 0, `upload ${upload.key}: ${records.length} records`);
        if (records.length === 1) assert.deepEqual([records[0].sha256, records[0].size], [upload.sha256, upload.size], `upload ${upload.key}`);
    }
    assert.equal(files.length + uploadDead, submitted.uploads.length, "file records (and dead letters) as many as uploads");
}

/** A client that connects after the restarts sees new work pushed live. */
async function checkLivePushesAfterRestart(app: RunningApp, accessToken: string): Promise<void> {
    const config = (await (await fetch(`${app.url}/config.json`)).json()) as { realtimeUrl: string };
    const socket = new WebSocket(config.realtimeUrl, ["bearer", accessToken]);
    const messages: any[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => (socket.once("open", resolve), socket.once("error", reject)));
    try {
        const res = await apiFetch(`${app.url}/api/orders`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ lines: [{ sku: "after", quantity: 1, unitPrice: 5 }], currency: "EUR" }) });
        const { orderId } = (await res.json()) as { orderId: string };
        const deadline = Date.now() + 20_000;
        while (!messages.some((m) => m.order?.orderId === orderId && m.order.status === "confirmed") && Date.now() < deadline) await sleep(50);
        assert.ok(messages.some((m) => m.order?.orderId === orderId && m.order.status === "confirmed"), `the new order's confirmation was pushed; got ${JSON.stringify(messages).slice(0, 300)}`);
    } finally {
        socket.close();
    }
}

async function listOrders(app: RunningApp, accessToken: string): Promise<Map<string, { status: string }>> {
    const orders = new Map<string, { status: string }>();
    let cursor: string | undefined;
    do {
        const res = await apiFetch(`${app.url}/api/orders${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: { authorization: `Bearer ${accessToken}` } });
        await expectStatus(res, 200, "GET /api/orders");
        const page = (await res.json()) as { orders: { orderId: string; status: string }[]; cursor?: string };
        for (const order of page.orders) orders.set(order.orderId, order);
        cursor = page.cursor;
    } while (cursor);
    return orders;
}

async function localGet(app: RunningApp, dataDir: string, route: string): Promise<any> {
    const res = await fetch(`${app.url}${route}`, { headers: localTokenHeaders(dataDir) });
    await expectStatus(res, 200, route);
    return res.json();
}

/**
 * An API call as a client that honours "try again later" makes it: right after a restart, under
 * the recovered work's load, the gateway's first fetch of the token keys may time out (503
 * jwks_unavailable, before any function runs, so a retry cannot do the work twice).
 */
async function apiFetch(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
        const res = await fetch(url, init);
        if (res.status !== 503 || attempt === 10 || !(await res.clone().text()).includes("jwks_unavailable")) return res;
        await sleep(500);
    }
}

/** Reads the body only to say what went wrong: a response's body can be read once. */
async function expectStatus(res: Response, status: number, what: string): Promise<void> {
    if (res.status !== status) assert.fail(`${what}: expected ${status}, got ${res.status}: ${await res.text()}`);
}

function mailCount(dataDir: string): number {
    const outbox = path.join(dataDir, "outbox", "mail");
    return fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((n) => n.endsWith(".json")).length : 0;
}

/** A local Table's items, read from its SQLite file (the runtime writes it; WAL lets us read alongside). */
function readTable(dataDir: string, name: string): any[] {
    const file = path.join(dataDir, "tables", `${name}.sqlite`);
    if (!fs.existsSync(file)) return [];
    const db = new Database(file, { readonly: true });
    try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        return tables.flatMap((t) => (db.prepare(`SELECT item FROM "${t.name}"`).all() as { item: string }[]).map((r) => JSON.parse(r.item)));
    } finally {
        db.close();
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
