// Async tasks on the local runtime, for real: bundled handlers in worker threads, the SQLite
// queue on disk, retries, the dead-letter table, redrive through `npm run dlq`, a kill -9 in the
// middle of the work, and publishing from inside a function through its hub link.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Database from "better-sqlite3";
import { AsyncTask, EventHub, Function } from "../../components";
import type { DeliveryReport } from "../../local/events/dispatcher";
import { EventStore } from "../../local/events/store";
import { createLocalServer, type ServerContext } from "../../local/server";
import { withToken } from "../support/local-token";
import { localHub } from "../../functions/runtime/clients/local/hub";
import type { AddressInfo } from "node:net";
import { evaluate } from "../harness";

const projectDir = path.resolve(__dirname, "..", "..");
const quiet = { log: () => {} };

function tempDir(name: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `sb-${name}-`));
}

/** Lines of the flaky handler's PROCESSED_FILE: one per successful delivery. */
function processed(file: string): { id: string; n: number; attempt: number }[] {
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => {
        const [id, n, attempt] = line.split(" ");
        return { id, n: Number(n), attempt: Number(attempt) };
    });
}

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

function dlq(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/dlq.ts", ...args], { cwd: projectDir, encoding: "utf8" });
}

const http = (body: unknown) => ({
    kind: "http",
    request: { method: "POST", path: "/", headers: { "content-type": "application/json" }, query: {}, params: {}, requestId: "test", body: JSON.stringify(body) },
});

describe("async tasks on the local runtime", function () {
    this.timeout(60_000);

    describe("1,000 events through a handler that fails 10% twice and 1% always", () => {
        const dir = tempDir("fault");
        const dataDir = path.join(dir, "data");
        const processedFile = path.join(dir, "processed.txt");
        const fixedFlag = path.join(dir, "fixed");
        const published = new Map<string, number>(); // event id -> n
        const reports: DeliveryReport[] = [];
        let stack: Awaited<ReturnType<typeof evaluate>>;

        before(async () => {
            stack = await evaluate("local", () => {
                const hub = new EventHub("orders");
                new AsyncTask("flaky", {
                    handler: "test/fixtures/functions/flaky.handler",
                    subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["Work"], detail: { n: [{ numeric: [">=", 0] }] } }) },
                    retries: 2,
                    environment: { PROCESSED_FILE: processedFile, FIXED_FLAG: fixedFlag },
                });
            });
            const events = stack.runtime.start({ dataDir, retryBaseDelayMs: 20, pollIntervalMs: 50, ...quiet });
            events.onDelivery((r) => reports.push(r));
            for (let start = 0; start < 1000; start += 10) {
                const batch = Array.from({ length: 10 }, (_, i) => ({ type: "Work", source: "test", detail: { n: start + i } }));
                stack.runtime.publish("orders", batch).forEach((id, i) => published.set(id, start + i));
            }
            // Not for the task: another type, and a Work event the pattern's numeric filter drops.
            stack.runtime.publish("orders", [{ type: "Other", detail: { n: 1 } }, { type: "Work", detail: { n: -1 } }]);
            await until("every event processed or dead-lettered", () => {
                const counts = stack.runtime.events.store.counts("flaky");
                return counts.queued + counts.inFlight === 0 && processed(processedFile).length + counts.deadLetters === 1000;
            });
        });

        after(async () => {
            await stack?.runtime.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("processes 990 exactly once, on the attempt the handler allows", () => {
            const done = processed(processedFile);
            assert.equal(done.length, 990);
            assert.equal(new Set(done.map((d) => d.id)).size, 990, "no event processed twice");
            for (const d of done) {
                assert.equal(published.get(d.id), d.n, "the handler saw the published event");
                assert.equal(d.attempt, d.n % 10 === 5 ? 3 : 1, `event ${d.n} succeeded on attempt ${d.attempt}`);
                assert.notEqual(d.n % 100, 0);
            }
        });

        it("dead-letters the 10 that always fail, with the original event, the error and 3 attempts", () => {
            const letters = stack.runtime.events.deadLetters("flaky");
            assert.equal(letters.length, 10);
            assert.deepEqual(letters.map((l) => l.event.detail).sort((a: any, b: any) => a.n - b.n), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900].map((n) => ({ n })));
            for (const letter of letters) {
                const n = (letter.event.detail as { n: number }).n;
                assert.equal(letter.attempts, 3);
                assert.equal(letter.reason, "failed");
                assert.equal(letter.error, `function 'flaky' failed: event ${n} always fails`);
                assert.equal(published.get(letter.id), n);
                assert.deepEqual(Object.keys(letter.event).sort(), ["detail", "id", "source", "time", "type"]);
                assert.equal(letter.event.type, "Work");
                assert.equal(letter.event.source, "test");
            }
        });

        it("adds up: 990 + 10 = 1,000 published, 1,220 invocations, 230 failed attempts, nothing left queued", () => {
            const done = new Set(processed(processedFile).map((d) => d.id));
            const dead = new Set(stack.runtime.events.deadLetters("flaky").map((l) => l.id));
            assert.deepEqual(new Set([...done, ...dead]), new Set(published.keys()));
            assert.equal([...done].filter((id) => dead.has(id)).length, 0);
            // 890 succeed at once, 100 fail twice then succeed, 10 fail three times.
            assert.equal(stack.runtime.function("flaky").invocations, 890 + 100 * 3 + 10 * 3);
            assert.equal(reports.filter((r) => r.outcome === "processed").length, 990);
            assert.equal(reports.filter((r) => r.outcome === "retry").length, 200 + 20);
            assert.equal(reports.filter((r) => r.outcome === "dead").length, 10);
            assert.deepEqual(stack.runtime.events.store.counts("flaky"), { queued: 0, inFlight: 0, deadLetters: 10 });
        });

        it("lists and shows the dead letters with npm run dlq, without a server", () => {
            const list = dlq("list", "flaky", "--data-dir", dataDir);
            assert.equal(list.status, 0, list.stderr);
            const lines = list.stdout.trim().split("\n");
            assert.match(lines[0], /^id\s+type\s+attempts\s+reason\s+dead-lettered\s+error$/);
            assert.equal(lines.length, 11);
            assert.match(lines[1], /^[0-9a-f-]{36}\s+Work\s+3\s+failed\s+\S+Z\s+function 'flaky' failed: event \d+ always fails$/);

            const id = stack.runtime.events.deadLetters("flaky")[0].id;
            const show = dlq("show", "flaky", "--id", id, "--data-dir", dataDir);
            assert.equal(show.status, 0, show.stderr);
            const shown = JSON.parse(show.stdout);
            assert.equal(shown.id, id);
            assert.equal(shown.attempts, 3);
            assert.match(shown.error, /always fails/);
            assert.equal(shown.event.id, id);
            assert.deepEqual(shown.event.detail, { n: published.get(id) });

            const unknown = dlq("show", "flaky", "--id", "nope", "--data-dir", dataDir);
            assert.equal(unknown.status, 2);
            assert.match(unknown.stderr, /task 'flaky' has no dead letter with id nope/);
        });

        it("asks, for a cloud stack, for the task's stack outputs instead of a data directory", () => {
            const missing = dlq("redrive", "flaky", "--stack", "prod", "--queue", "https://sqs.us-east-1.amazonaws.com/123456789012/flaky-dlq");
            assert.equal(missing.status, 2);
            assert.match(missing.stderr, /redrive needs --function \(the AsyncTask's functionName stack output\)/);
        });

        it("redrives them once the handler is fixed: each processed once, the DLQ empty", async () => {
            fs.writeFileSync(fixedFlag, "");
            const before = processed(processedFile).length;
            const redrive = dlq("redrive", "flaky", "--data-dir", dataDir); // another process; the runtime polls
            assert.equal(redrive.status, 0, redrive.stderr);
            assert.match(redrive.stdout, /^redriven 10 dead letter\(s\) of task 'flaky'/);
            await until("the redriven events processed and acknowledged", () => {
                const counts = stack.runtime.events.store.counts("flaky");
                return processed(processedFile).length === before + 10 && counts.queued + counts.inFlight === 0;
            });
            const done = processed(processedFile);
            assert.equal(new Set(done.map((d) => d.id)).size, 1000);
            const redriven = done.slice(before);
            assert.deepEqual(redriven.map((d) => d.n).sort((a, b) => a - b), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
            assert.ok(redriven.every((d) => d.attempt === 1 && published.get(d.id) === d.n), "the original events, attempts reset");
            assert.deepEqual(stack.runtime.events.store.counts("flaky"), { queued: 0, inFlight: 0, deadLetters: 0 });
            assert.match(dlq("list", "flaky", "--data-dir", dataDir).stdout, /no dead letters for task 'flaky'/);
        });
    });

    describe("a runtime killed with SIGKILL mid-way", () => {
        it("loses nothing: a restart delivers the rest, repeating only what was in flight", async () => {
            const dir = tempDir("crash");
            const env = {
                ...process.env,
                DATA_DIR: path.join(dir, "data"),
                PROCESSED_FILE: path.join(dir, "processed.txt"),
                FIXED_FLAG: path.join(dir, "fixed"),
                COUNT: "500",
            };
            fs.writeFileSync(env.FIXED_FLAG, ""); // every delivery succeeds; only the crash interferes
            const publishedIds = new Set<string>();
            const first = startChild({ ...env, PUBLISH: "1" }, (line) => {
                if (line.startsWith("published ")) line.slice(10).split(" ").forEach((id) => publishedIds.add(id));
            });
            try {
                await until("publishing done and a third processed", () => first.output().includes("publish done") && processed(env.PROCESSED_FILE).length >= 150);
            } finally {
                first.child.kill("SIGKILL");
            }
            await first.exited;
            assert.equal(publishedIds.size, 500);

            // What the dead runtime left: in flight (to recover) and still queued.
            const db = new Database(path.join(env.DATA_DIR, "events.sqlite"), { readonly: true });
            const left = db.prepare<{ event_id: string; state: string }>("SELECT event_id, state FROM messages").all();
            db.close();
            const inFlightAtKill = new Set(left.filter((m) => m.state === "inflight").map((m) => m.event_id));
            const processedBeforeRestart = processed(env.PROCESSED_FILE).length;
            assert.ok(processedBeforeRestart < 500 && left.length > 0, `the kill came mid-way (${processedBeforeRestart} processed, ${left.length} left)`);
            const accounted = new Set([...processed(env.PROCESSED_FILE).map((p) => p.id), ...left.map((m) => m.event_id)]);
            assert.ok([...publishedIds].every((id) => accounted.has(id)), "at the kill, every published event was processed or still queued");

            const second = startChild({ ...env, PUBLISH: "0" });
            try {
                await until("every published event processed", () => new Set(processed(env.PROCESSED_FILE).map((p) => p.id)).size >= 500);
                assert.match(second.output(), new RegExp(`started recovered=${inFlightAtKill.size}\\b`));
            } finally {
                second.child.kill("SIGKILL");
            }
            await second.exited;
            const done = processed(env.PROCESSED_FILE);
            assert.deepEqual(new Set(done.map((p) => p.id)), publishedIds, "every published event processed, nothing else");
            const seen = new Map<string, number>();
            for (const p of done) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
            const repeated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
            for (const id of repeated) assert.ok(inFlightAtKill.has(id), `event ${id} was delivered twice but was not in flight at the kill`);
            assert.ok(done.every((p) => p.attempt === 1 || inFlightAtKill.has(p.id)), "only interrupted deliveries were attempted again");
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });

    describe("publishing from a function", () => {
        const dir = tempDir("publish");
        const recordFile = path.join(dir, "received.jsonl");
        let stack: Awaited<ReturnType<typeof evaluate>>;

        before(async () => {
            stack = await evaluate("local", () => {
                const orders = new EventHub("orders");
                const audit = new EventHub("audit", { archiveRetentionDays: 0 });
                new Function("checkout", { handler: "test/fixtures/functions/publish-order.handler", link: [orders.link] });
                new Function("auditor", { handler: "test/fixtures/functions/publish-order.handler", link: [audit.link] });
                new AsyncTask("big-orders", {
                    handler: "test/fixtures/functions/record-to-file.handler",
                    subscribe: { hub: orders.link, pattern: JSON.stringify({ "detail-type": ["OrderPlaced"], detail: { total: [{ numeric: [">", 100] }] } }) },
                    environment: { RECORD_FILE: recordFile },
                });
            });
            stack.runtime.start({ dataDir: path.join(dir, "data"), ...quiet });
        });

        after(async () => {
            await stack?.runtime.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("hands the event to the task whose pattern matches, stamped with id, source, type and time", async () => {
            const big = JSON.parse(((await stack.runtime.function("checkout").invoke(http({ total: 150 }))) as any).body);
            const small = JSON.parse(((await stack.runtime.function("checkout").invoke(http({ total: 50 }))) as any).body);
            assert.match(big.id, /^[0-9a-f-]{36}$/);
            assert.equal(big.source, "checkout", "the publishing function's name is the default source");
            await until("the task received the event", () => fs.existsSync(recordFile));
            await until("the queue drained", () => stack.runtime.events.store.counts("big-orders").inFlight === 0);
            const received = fs.readFileSync(recordFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
            assert.equal(received.length, 1, "only the order over 100 matches");
            assert.deepEqual({ ...received[0], time: undefined }, { id: big.id, source: "checkout", type: "OrderPlaced", detail: { total: 150 }, attempt: 1, time: undefined });
            assert.ok(Math.abs(Date.parse(received[0].time) - Date.now()) < 10_000);
            assert.notEqual(small.id, big.id);
            const status = stack.runtime.events.status();
            assert.deepEqual(status.hubs.find((h) => h.name === "orders"), { name: "orders", busName: "orders", published: 2, archiveRetentionDays: 30 });
            assert.deepEqual(
                { ...status.tasks[0], nextRun: undefined },
                { name: "big-orders", function: "big-orders", hub: "orders", pattern: { "detail-type": ["OrderPlaced"], detail: { total: [{ numeric: [">", 100] }] } }, schedule: undefined, nextRun: undefined, queued: 0, inFlight: 0, deadLetters: 0, processed: 1, failedAttempts: 0 },
            );
        });

        it("refuses a publish to a hub the function is not linked to", async () => {
            const unlinked = JSON.parse(((await stack.runtime.function("checkout").invoke(http({ total: 1, to: "audit" }))) as any).body);
            assert.match(unlinked.error, /SB_HUB_AUDIT_NAME is not set: link the hub 'audit' to this function/);
            const forged = JSON.parse(((await stack.runtime.function("auditor").invoke(http({ total: 1, rawBus: "orders" }))) as any).body);
            assert.equal(forged.error, "function 'auditor' may not publish to hub 'orders': add the hub's link (link: [hub.link])");
        });

        it("serves publishing and the queues' status over HTTP (npm start's port)", async () => {
            const context: ServerContext = { stack: "test", runtime: stack.runtime, components: [] };
            const server = createLocalServer(context);
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
            const post = (hub: string, body: unknown) => fetch(`${url}/_local/hubs/${hub}/events`, withToken(context.token!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
            try {
                const res = await post("orders", { type: "OrderPlaced", detail: { total: 500 }, source: "curl" });
                assert.equal(res.status, 200);
                const { ids } = (await res.json()) as { ids: string[] };
                assert.equal(ids.length, 1);
                // The hub client outside a function instance goes through the same endpoint, with the run's token.
                process.env.SB_LOCAL_URL = url;
                process.env.SB_LOCAL_TOKEN = "not-this-run's";
                await assert.rejects(localHub.publish("orders", [{ type: "OrderPlaced", detail: { total: 1 }, source: "script", time: new Date().toISOString() }]), /publish to hub 'orders': 401 \/_local needs this run's token/);
                process.env.SB_LOCAL_TOKEN = context.token;
                const [viaClient] = await localHub.publish("orders", [{ type: "OrderPlaced", detail: { total: 700 }, source: "script", time: new Date().toISOString() }]);
                assert.match(viaClient, /^[0-9a-f-]{36}$/);
                await until("both delivered and acknowledged", () => stack.runtime.events.status().tasks[0].processed === 3);
                const received = fs.readFileSync(recordFile, "utf8");
                assert.ok(received.includes(viaClient) && received.includes(ids[0]));

                const status = (await (await fetch(`${url}/_local/status`, withToken(context.token!))).json()) as any;
                assert.deepEqual(status.hubs.map((h: any) => [h.name, h.published]), [["orders", 4], ["audit", 0]]);
                const task = status.tasks.find((t: any) => t.name === "big-orders");
                assert.deepEqual([task.queued, task.inFlight, task.deadLetters, task.processed], [0, 0, 0, 3]);

                assert.equal((await post("nowhere", { type: "X" })).status, 404);
                const bad = await post("orders", { type: "9 lives", detail: {} });
                assert.equal(bad.status, 400);
                assert.match(((await bad.json()) as any).error.message, /event #0: type '9 lives' must be letters, digits/);
                assert.equal((await fetch(`${url}/_local/hubs/orders/events`, withToken(context.token!))).status, 405);
            } finally {
                delete process.env.SB_LOCAL_URL;
                delete process.env.SB_LOCAL_TOKEN;
                server.close();
                server.closeAllConnections();
            }
        });
    });

    describe("schedules, timeouts and stopping", () => {
        const dir = tempDir("schedule");
        const dataDir = path.join(dir, "data");
        const recordFile = path.join(dir, "ticks.jsonl");
        const processedFile = path.join(dir, "processed.txt");
        let stack: Awaited<ReturnType<typeof evaluate>>;

        before(async () => {
            stack = await evaluate("local", () => {
                const hub = new EventHub("jobs");
                new AsyncTask("tick", { handler: "test/fixtures/functions/record-to-file.handler", schedule: "rate(1 hour)", environment: { RECORD_FILE: recordFile } });
                new AsyncTask("slow", {
                    handler: "test/fixtures/functions/flaky.handler",
                    subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["Slow"] }) },
                    timeout: 1,
                    retries: 1,
                    environment: { PROCESSED_FILE: processedFile, FIXED_FLAG: path.join(dir, "no-such-file") },
                });
            });
        });

        after(async () => {
            await stack?.runtime.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("keeps the next run across restarts and fires a run missed while stopped once, at start", async () => {
            const started = Date.now();
            stack.runtime.start({ dataDir, retryBaseDelayMs: 20, pollIntervalMs: 50, shutdownGraceMs: 200, ...quiet });
            const nextRun = Date.parse(stack.runtime.events.status().tasks.find((t) => t.name === "tick")!.nextRun!);
            assert.ok(nextRun >= started + 3_600_000 && nextRun < Date.now() + 3_600_000 + 1000, "an hour from now");
            await stack.runtime.close();

            // As if the runtime had been down through the run time.
            const store = EventStore.open(dataDir);
            assert.equal(store.schedule("tick")!.nextRun, nextRun, "the next run was kept");
            store.setSchedule("tick", "rate(1 hour)", Date.now() - 5 * 3_600_000);
            store.close();

            stack.runtime.start();
            await until("the missed run delivered", () => fs.existsSync(recordFile));
            const ticks = fs.readFileSync(recordFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
            assert.equal(ticks.length, 1, "five missed runs fire once");
            assert.equal(ticks[0].type, "Scheduled Event");
            assert.equal(ticks[0].source, "serverless-blocks.schedule");
            assert.deepEqual(ticks[0].detail, {});
            const next = Date.parse(stack.runtime.events.status().tasks.find((t) => t.name === "tick")!.nextRun!);
            assert.ok(next > Date.now() + 3_500_000, "the next run is an hour after this one");
        });

        it("retries a delivery that outlives the function's timeout, then dead-letters it", async () => {
            const [id] = stack.runtime.publish("jobs", [{ type: "Slow", detail: { n: 1, delayMs: 5_000 } }]);
            await until("the dead letter", () => stack.runtime.events.store.counts("slow").deadLetters === 1, 15_000);
            const [letter] = stack.runtime.events.deadLetters("slow");
            assert.equal(letter.id, id);
            assert.equal(letter.attempts, 2);
            assert.equal(letter.error, "function 'slow' timed out after 1s");
            assert.equal(processed(processedFile).length, 0);
        });

        it("stops cleanly: a delivery still running goes back to its queue without using up an attempt", async () => {
            stack.runtime.publish("jobs", [{ type: "Slow", detail: { n: 2, delayMs: 800 } }]);
            await until("the delivery in flight", () => stack.runtime.events.store.counts("slow").inFlight === 1);
            await stack.runtime.close(); // grace 200 ms < 800 ms of work
            const db = new Database(path.join(dataDir, "events.sqlite"), { readonly: true });
            const rows = db.prepare<{ state: string; attempts: number }>("SELECT state, attempts FROM messages WHERE task = 'slow'").all();
            db.close();
            assert.deepEqual(rows, [{ state: "pending", attempts: 0 }]);
            assert.ok(!fs.existsSync(path.join(dataDir, "runtime.pid")), "the data directory is unlocked");

            stack.runtime.start();
            await until("delivered after the restart", () => processed(processedFile).length === 1);
            assert.equal(processed(processedFile)[0].attempt, 1);
        });
    });
});

function startChild(env: NodeJS.ProcessEnv, onLine: (line: string) => void = () => {}) {
    const child: ChildProcess = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "test/fixtures/local-runtime-child.ts"], { cwd: projectDir, env });
    let output = "";
    let partial = "";
    child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk;
        partial += chunk;
        const lines = partial.split("\n");
        partial = lines.pop()!;
        lines.forEach(onLine);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return { child, exited, output: () => output };
}
