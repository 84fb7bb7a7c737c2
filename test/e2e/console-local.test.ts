// The console's data on a local runtime (local/console/): what a function logged, per invocation
// and live (Server-Sent Events), its error and stack, latency and cold starts; a hub's recent
// events with the rules that matched and what became of each delivery; dead letters and their
// redrive; a table's items, read-only. Served by createLocalServer, as npm start does.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { AsyncTask, closure, EventHub, Function, Table } from "../../components";
import { http, onEvent } from "../../functions/runtime";
import { LOCAL_TOKEN_FILE, readLocalToken } from "../../functions/runtime/clients/local/local-token";
import { consoleState } from "../../local/console/state";
import { newLocalToken, tokenMatches, writeLocalToken } from "../../local/console/token";
import { InvocationLog, MAX_INVOCATIONS, MAX_LINES } from "../../local/console/invocation-log";
import { createLocalServer, type ServerContext } from "../../local/server";
import { evaluate, type Evaluated } from "../harness";
import { localFetcher } from "../support/local-token";
import { until } from "../support/until";

const call = (requestId: string, query: Record<string, string> = {}) => ({ kind: "http", request: { method: "GET", path: "/", headers: {}, query, params: {}, requestId } });


describe("the local console's data", function () {
    this.timeout(60_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-console-api-"));
    let stack: Evaluated;
    let server: ReturnType<typeof createLocalServer>;
    let local: ReturnType<typeof localFetcher>;
    let base: string;

    before(async () => {
        const previous = process.env.SB_LOCAL_DATA_DIR;
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        try {
            stack = await evaluate("local", () => {
                const notes = new Table("notes", { partitionKey: "owner", sortKey: "id" });
                new Function("chatty", {
                    timeout: 5,
                    code: closure(http(async (req) => {
                        console.log("handling", req.requestId, { n: 1 });
                        if (req.query.wait) await new Promise((r) => setTimeout(r, Number(req.query.wait)));
                        console.warn("still", req.requestId);
                        if (req.query.fail) throw new Error(`asked to fail (${req.requestId})`);
                        return { ok: true };
                    })),
                });
                const hub = new EventHub("orders");
                new AsyncTask("picky", {
                    code: closure(onEvent<{ ok?: boolean }>(async (event) => {
                        if (!event.detail.ok) throw new Error("not ok");
                    })),
                    subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["Order"] }) },
                    retries: 1,
                });
                new Function("writer", {
                    link: [notes.link],
                    handler: "test/fixtures/functions/table-notes.handler",
                });
            });
        } finally {
            if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
            else process.env.SB_LOCAL_DATA_DIR = previous;
        }
        const context: ServerContext = { stack: "test", runtime: stack.runtime, components: stack.resources };
        server = createLocalServer(context);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        local = localFetcher(base, context.token!);
        stack.runtime.sharedEnvironment.SB_LOCAL_URL = base;
        stack.runtime.start({ dataDir, retryBaseDelayMs: 50, pollIntervalMs: 50, log: () => {} });
        consoleState(stack.runtime); // as local/start.ts does once the hubs run: the recent events start here
    });

    after(async () => {
        await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        });
        await stack.runtime.close();
    });

    const json = async (res: Response | Promise<Response>) => {
        const r = await res;
        return { status: r.status, body: (await r.json()) as any };
    };

    it("keeps each invocation's log lines with its request id, even when invocations overlap, and an error's stack", async () => {
        const host = stack.runtime.function("chatty");
        await Promise.all([host.invoke(call("slow-1", { wait: "300" })), host.invoke(call("fast-2"))]);
        // An HTTP handler's throw is answered 500 by the adapter, which logs it with its stack.
        assert.equal(((await host.invoke(call("bad-3", { fail: "1" }))) as any).status, 500);
        const { status, body } = await json(local("/_local/console/api/functions/chatty/invocations"));
        assert.equal(status, 200);
        const byId = new Map(body.invocations.map((i: any) => [i.requestId, i]));
        for (const id of ["slow-1", "fast-2"]) {
            const inv = byId.get(id) as any;
            assert.equal(inv.status, "ok");
            assert.deepEqual(inv.lines.map((l: any) => [l.level, l.text]), [["info", `handling ${id} { n: 1 }`], ["warn", `still ${id}`]], id); // console.log is an info line (functions/runtime/log.ts)
            assert.ok(inv.durationMs > 0);
        }
        const bad = byId.get("bad-3") as any;
        assert.equal(bad.status, "ok", "the function answered (500)");
        const logged = bad.lines.find((l: any) => l.level === "error");
        assert.match(logged.text, /^\[bad-3\] unhandled error in HTTP handler: Error: asked to fail \(bad-3\)\n\s+at /);
        assert.deepEqual(body.invocations.map((i: any) => i.coldStart), [false, false, true], "newest first; the first started the instance");
        const { body: list } = await json(local("/_local/console/api/functions"));
        const chatty = list.functions.find((f: any) => f.name === "chatty");
        assert.deepEqual([chatty.invocations, chatty.errors], [3, 0]);
        assert.ok(chatty.latencyMs.p50 > 0 && chatty.latencyMs.p99 >= chatty.latencyMs.p50, JSON.stringify(chatty.latencyMs));
        assert.equal(chatty.lastColdStart, body.invocations[2].startedAt);
    });

    it("streams invocations and their lines as Server-Sent Events", async () => {
        const controller = new AbortController();
        const res = await local("/_local/console/api/logs?function=chatty", { signal: controller.signal });
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
        const reader = res.body!.getReader();
        let text = "";
        const received = (async () => {
            while (!/event: end\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
        })();
        await stack.runtime.function("chatty").invoke(call("streamed-4"));
        await received;
        controller.abort();
        const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map(([, type, data]) => [type, JSON.parse(data)]);
        assert.deepEqual(events.map(([type]) => type), ["start", "line", "line", "end"]);
        assert.deepEqual(events.slice(1, 3).map(([, d]) => d.line.text), ["handling streamed-4 { n: 1 }", "still streamed-4"]);
        assert.equal(events[3][1].requestId, "streamed-4");
        assert.equal(events[3][1].status, "ok");
        assert.equal((await local("/_local/console/api/logs?function=nobody")).status, 404);
    });

    it("shows a hub's recent events with the rules that matched and each delivery's outcome; redrives a dead letter", async () => {
        const [good] = stack.runtime.publish("orders", [{ type: "Order", detail: { ok: true } }]);
        const [bad] = stack.runtime.publish("orders", [{ type: "Order", detail: { ok: false } }]);
        const [other] = stack.runtime.publish("orders", [{ type: "Refund", detail: {} }]);
        const hub = await until("both outcomes", async () => {
            const { body } = await json(local("/_local/console/api/hubs"));
            const h = body.hubs.find((x: any) => x.name === "orders");
            const outcome = (id: string) => h.recent.find((e: any) => e.id === id).routes[0]?.outcome;
            return outcome(good) === "processed" && outcome(bad) === "dead" ? h : undefined;
        });
        assert.deepEqual(hub.rules, [{ task: "picky", pattern: { "detail-type": ["Order"] } }]);
        assert.deepEqual(hub.recent.map((e: any) => e.id), [other, bad, good], "newest first");
        assert.deepEqual(hub.recent[0].routes, [], "no rule matched the Refund");
        assert.deepEqual([hub.recent[1].routes[0].attempt, hub.recent[1].routes[0].error], [2, "function 'picky' failed: not ok"]);
        // The task's function rejected: its invocation carries the error and the stack.
        const { body: picky } = await json(local("/_local/console/api/functions/picky/invocations"));
        const failed = picky.invocations.find((i: any) => i.requestId === bad && i.status === "error");
        assert.match(failed.error.message, /function 'picky' failed: not ok/);
        assert.match(failed.error.stack, /^Error: not ok\n\s+at /);

        const { body: letters } = await json(local("/_local/console/api/tasks/picky/dead-letters"));
        assert.deepEqual(letters.deadLetters.map((d: any) => [d.id, d.attempts, d.reason]), [[bad, 2, "failed"]]);
        const { body: tasks } = await json(local("/_local/console/api/tasks"));
        assert.equal(tasks.tasks.find((t: any) => t.name === "picky").deadLetters, 1);

        const post = (task: string, body: unknown) => json(local(`/_local/console/api/tasks/${task}/redrive`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
        assert.deepEqual(await post("picky", { ids: ["nope"] }), { status: 200, body: { redriven: [], missing: ["nope"] } });
        const bad400 = await post("picky", { ids: "all" });
        assert.equal(bad400.status, 400);
        assert.match(bad400.body.error.message, /"ids" must be an array of dead-letter ids/);
        const unknown = await post("nobody", {});
        assert.equal(unknown.status, 404);
        assert.match(unknown.body.error.message, /no async task named 'nobody'; tasks: picky/);
        assert.deepEqual(await post("picky", { ids: [bad] }), { status: 200, body: { redriven: [bad], missing: [] } });
        // Queued again with its attempts reset: it fails twice more, and is dead-lettered again.
        await until("the redriven event's new attempts", () => (stack.runtime.events.status().tasks[0].failedAttempts >= 4 ? true : undefined));
        await until("the dead letter again", () => (stack.runtime.events.deadLetters("picky").length === 1 ? true : undefined));
    });

    it("browses a table's items read-only, a page at a time, with a text filter", async () => {
        const writer = stack.runtime.function("writer");
        for (const [owner, id] of [["ada", "n1"], ["ada", "n2"], ["bob", "n1"]]) {
            const request = { method: "POST", path: "/", headers: { "content-type": "application/json" }, query: {}, params: {}, requestId: id, body: JSON.stringify({ owner, id, text: `${owner}'s ${id}` }) };
            assert.equal(((await writer.invoke({ kind: "http", request })) as any).status, 201);
        }
        const { body: tables } = await json(local("/_local/console/api/tables"));
        assert.deepEqual(tables.tables, [{ name: "notes", tableName: "notes", partitionKey: "owner", sortKey: "id" }]);
        const page = await json(local("/_local/console/api/tables/notes/items?limit=2"));
        assert.deepEqual(page.body, { table: "notes", total: 3, items: [{ owner: "ada", id: "n1", text: "ada's n1" }, { owner: "ada", id: "n2", text: "ada's n2" }] });
        const rest = await json(local("/_local/console/api/tables/notes/items?limit=2&offset=2"));
        assert.deepEqual(rest.body.items, [{ owner: "bob", id: "n1", text: "bob's n1" }]);
        const filtered = await json(local("/_local/console/api/tables/notes/items?filter=BOB"));
        assert.deepEqual(filtered.body.items.map((i: any) => i.owner), ["bob"]);
        const badLimit = await json(local("/_local/console/api/tables/notes/items?limit=9999"));
        assert.equal(badLimit.status, 400);
        assert.match(badLimit.body.error.message, /limit '9999' must be a whole number from 0 to 500/);
        assert.equal((await local("/_local/console/api/tables/nothing/items")).status, 404);
    });

    it("answers only GET (and POST on redrive), names what exists for a wrong path, and needs the token", async () => {
        const wrongMethod = await json(local("/_local/console/api/functions", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
        assert.equal(wrongMethod.status, 405);
        const nowhere = await json(local("/_local/console/api/nowhere"));
        assert.equal(nowhere.status, 404);
        assert.match(nowhere.body.error.message, /architecture, functions.*tables/);
        const anonymous = await fetch(`${base}/_local/console/api/functions`);
        assert.equal(anonymous.status, 401);
        assert.equal((await fetch(`${base}/_local/`)).status, 401);
        const page = await local("/_local/");
        assert.equal(page.status, 200);
        assert.match(page.headers.get("content-security-policy")!, /script-src 'self'/);
        const script = await local("/_local/console/app.js");
        assert.equal(script.status, 200);
        assert.match(await script.text(), /\/_local\/console\/api\/functions/);
    });
});

describe("the console's invocation log", () => {
    it("keeps the last MAX_INVOCATIONS invocations and MAX_LINES lines each, and nearest-rank percentiles", () => {
        const log = new InvocationLog("f");
        for (let id = 0; id < MAX_INVOCATIONS + 5; id++) {
            log.begin(id, { event: { id: `e-${id}` } }, id === 0);
            for (let n = 0; n < (id === MAX_INVOCATIONS + 4 ? MAX_LINES + 3 : 1); n++) log.line(id, "log", `line ${n}`);
            log.end(id, id % 2 ? new Error("odd") : undefined);
        }
        const recent = log.recent();
        assert.equal(recent.length, MAX_INVOCATIONS);
        assert.equal(recent[0].requestId, `e-${MAX_INVOCATIONS + 4}`);
        assert.deepEqual([recent[0].lines.length, recent[0].droppedLines], [MAX_LINES, 3]);
        assert.equal(recent.at(-1)!.requestId, "e-5");
        assert.ok(log.lastColdStart, "the first invocation's cold start is remembered after it left the ring");
        const { p50, p99 } = log.latency();
        assert.ok(p50 !== undefined && p99 !== undefined && p99 >= p50);
        log.line(999, "log", "stray");
        assert.equal(log.recent().some((r) => r.lines.some((l) => l.text === "stray")), false, "a line of no running invocation is dropped");
        assert.deepEqual(new InvocationLog("g").latency(), {});
    });
});

describe("the per-run token file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-token-"));

    it("is written readable by this user only, replacing an older, wider file", () => {
        const file = path.join(dir, LOCAL_TOKEN_FILE);
        fs.writeFileSync(file, "old\n", { mode: 0o644 });
        const token = newLocalToken();
        assert.match(token, /^[A-Za-z0-9_-]{43}$/, "256 bits, URL-safe");
        assert.notEqual(newLocalToken(), token);
        assert.equal(writeLocalToken(dir, token), file);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.equal(readLocalToken(dir), token);
    });

    it("is missed with an error that says where it looked and what to check", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "sb-token-none-"));
        assert.throws(() => readLocalToken(empty), new RegExp(`no local runtime token at ${path.join(empty, LOCAL_TOKEN_FILE)}: is npm start running with this data directory \\(SB_LOCAL_DATA_DIR\\)\\?`));
        fs.writeFileSync(path.join(empty, LOCAL_TOKEN_FILE), "\n");
        assert.throws(() => readLocalToken(empty), /local-token is empty: restart npm start/);
    });

    it("is compared whole: a prefix, a longer value or nothing does not match", () => {
        const token = newLocalToken();
        assert.ok(tokenMatches(token, token));
        for (const other of [undefined, "", token.slice(0, -1), `${token}x`, token.toUpperCase()]) assert.ok(!tokenMatches(token, other), String(other));
    });
});
