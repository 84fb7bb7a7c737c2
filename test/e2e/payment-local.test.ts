// PaymentWorkflow on the local runtime, for real: the fixture app (test/fixtures/payment-app.ts)
// evaluated for the local target and served as `npm start` serves it, payments started through the
// shop's API (the PaymentWorkflow's link, a runtime call checked there), the same definition the
// clouds run executed state by state by aws-local-stepfunctions with its tasks in worker threads,
// the fake payment service (local/payment-service) calling the signed callback route back, and
// each execution's history read over HTTP. Waits run at a twentieth of their time (a 1 s Wait in
// 50 ms), retries too. Then callback mode (the task-token wait), and a kill -9 of the runtime in
// the middle of an execution, restarted on the same data directory: it goes on, one notice.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import Database from "better-sqlite3";
import { STATES } from "../../components/payment/definition";
import { SERVES_ENV } from "../../functions/payments/names";
import { signPayload } from "../../functions/payments/signature";
import type { LocalFunctionDefinition } from "../../local/function-host";
import { FakePaymentService, listenFakePaymentService } from "../../local/payment-service/service";
import { withToken } from "../support/local-token";
import { createLocalServer, type ServerContext } from "../../local/server";
import { answerPaymentsCall } from "../../local/workflows/calls";
import { localWorkflows } from "../../local/workflows/service";
import { evaluate, type Evaluated } from "../harness";
import { PAYMENT_SECRET, paymentApp, type PaymentAppOptions } from "../fixtures/payment-app";
import { until } from "../support/until";

const projectDir = path.resolve(__dirname, "..", "..");
const WORKFLOW = "local:workflow:checkout";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


function jsonLines(file: string): any[] {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line)) : [];
}

/** The app evaluated and served in this process, the fake payment service on the runtime's port. */
async function serve(dir: string, options: Omit<PaymentAppOptions, "noticeFile">) {
    const dataDir = path.join(dir, "data");
    const noticeFile = path.join(dir, "notices.jsonl");
    const previous = process.env.SB_LOCAL_DATA_DIR;
    process.env.SB_LOCAL_DATA_DIR = dataDir;
    let stack: Evaluated;
    try {
        stack = await evaluate("local", () => paymentApp({ noticeFile, ...options }));
    } finally {
        if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
        else process.env.SB_LOCAL_DATA_DIR = previous;
    }
    const fake = new FakePaymentService({ secret: PAYMENT_SECRET, delayMs: 20, retry: { attempts: 3, delayMs: 50 } });
    const context: ServerContext = { stack: "test", runtime: stack.runtime, components: stack.resources, paymentService: fake };
    const server = createLocalServer(context);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack.runtime.sharedEnvironment.SB_LOCAL_URL = base;
    stack.runtime.start({ dataDir, workflowTimeScale: 0.05, log: () => {} });
    return {
        stack,
        fake,
        base,
        noticeFile,
        token: context.token!,
        async close() {
            fake.close();
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            await stack.runtime.close();
        },
    };
}

type App = Awaited<ReturnType<typeof serve>>;

function client(app: () => { base: string; noticeFile: string; token: string }) {
    const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });
    return {
        pay: async (paymentId: string, amount = 1250) =>
            json(await fetch(`${app().base}/api/pay`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ paymentId, amount }) })),
        record: async (paymentId: string) => (await json(await fetch(`${app().base}/api/payments/${paymentId}`))).body,
        execution: async (id: string) => json(await fetch(`${app().base}/_local/workflows/checkout/executions/${encodeURIComponent(id)}`, withToken(app().token))),
        /** The execution once it ended. */
        finished: async (id: string, timeoutMs = 10_000) =>
            until(`execution ${id} to end`, async () => {
                const { body } = await json(await fetch(`${app().base}/_local/workflows/checkout/executions/${id}`, withToken(app().token)));
                return body.status !== undefined && body.status !== "running" ? body : undefined;
            }, timeoutMs, 20), // polled often: some tests time how soon an execution ends
        notices: (paymentId: string) => jsonLines(app().noticeFile).filter((n) => n.paymentId === paymentId),
        callback: async (body: string, signature: string) =>
            json(await fetch(`${app().base}/api/payments/callback`, { method: "POST", headers: { "content-type": "application/json", "x-payment-signature": signature }, body })),
    };
}

const statesOf = (execution: any): string[] => execution.history.map((s: any) => s.state);
const stepsOf = (execution: any, state: string): any[] => execution.history.filter((s: any) => s.state === state);
/** What each "Check status" read: the payment's status round by round. */
const checked = (execution: any): string[] => stepsOf(execution, STATES.check).filter((s) => s.output).map((s) => s.output.status);

describe("PaymentWorkflow on the local runtime (polling, fake payment service)", function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-payment-"));
    let app: App;
    const api = client(() => app);

    before(async () => {
        app = await serve(dir, { waitSeconds: 1, maxRounds: 12 });
    });

    after(async () => {
        await app.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("immediate success: one round or so, the notice the output, the record succeeded", async () => {
        app.fake.script("ok-1", { outcomes: "succeeded" });
        const started = await api.pay("ok-1");
        assert.equal(started.status, 202, JSON.stringify(started.body));
        assert.equal(started.body.executionId, "local:execution:checkout:ok-1");
        const execution = await api.finished("ok-1");
        assert.equal(execution.status, "succeeded");
        const states = statesOf(execution);
        assert.deepEqual(states.slice(0, 3), [STATES.record, STATES.request, STATES.wait]);
        assert.deepEqual(states.slice(-3), [STATES.finish, STATES.firstNotice, STATES.notify]);
        assert.ok(execution.history.every((s: any) => s.attempts === 1 && s.exitedAt), "every state once, each ended");
        const notices = api.notices("ok-1");
        assert.equal(notices.length, 1);
        assert.equal(notices[0].status, "succeeded");
        assert.deepEqual(execution.output, notices[0], "the execution's output is the notice");
        const record = await api.record("ok-1");
        assert.equal(record.status, "succeeded");
        assert.equal(record.notified, true);
        assert.deepEqual(app.fake.payment("ok-1")!.deliveries.map((d) => [d.status, d.httpStatus]), [["succeeded", 200]]);
    });

    it("immediate failure reported by the payment service: failed, notified once", async () => {
        app.fake.script("fail-1", { outcomes: "failed" });
        assert.equal((await api.pay("fail-1")).status, 202);
        const execution = await api.finished("fail-1");
        assert.equal(execution.status, "succeeded", "the workflow succeeded: it decided the payment");
        assert.deepEqual(api.notices("fail-1").map((n) => n.status), ["failed"]);
        assert.equal((await api.record("fail-1")).status, "failed");
    });

    it("a declined charge: the request's TaskFailed reaches Catch by its name, the payment failed with the reason", async () => {
        app.fake.script("declined-1", { decline: true });
        assert.equal((await api.pay("declined-1")).status, 202);
        const execution = await api.finished("declined-1");
        assert.deepEqual(statesOf(execution), [STATES.record, STATES.request, STATES.failure, STATES.firstNotice, STATES.notify]);
        const request = stepsOf(execution, STATES.request)[0];
        assert.deepEqual(request.events.map((e: any) => [e.type, e.error]), [["failed", "PaymentRefused"], ["caught", undefined]], "not retried: only TransientError is");
        assert.deepEqual(JSON.parse(request.events[0].cause).errorType, "PaymentRefused", "the Cause Step Functions records for a Lambda error");
        const [notice] = api.notices("declined-1");
        assert.equal(notice.status, "failed");
        assert.match(notice.reason, /^PaymentRefused: payment service refused the charge: 402/);
    });

    it("processing, processing, then succeeded: the checks see it move, one notice", async () => {
        app.fake.script("slow-1", { outcomes: "processing,processing,succeeded", delayMs: 120 });
        assert.equal((await api.pay("slow-1")).status, 202);
        const execution = await api.finished("slow-1");
        const seen = checked(execution).filter((status, i, all) => status !== all[i - 1]);
        assert.deepEqual(seen.filter((s) => s !== "requested"), ["processing", "succeeded"], `checks saw ${checked(execution).join(", ")}`);
        assert.ok(checked(execution).filter((s) => s === "processing").length >= 2, "processing for at least two rounds");
        assert.deepEqual(app.fake.payment("slow-1")!.deliveries.map((d) => [d.status, d.httpStatus, d.response]), [
            ["processing", 200, { paymentId: "slow-1", status: "processing", changed: true }],
            ["processing", 200, { paymentId: "slow-1", status: "processing", changed: false }],
            ["succeeded", 200, { paymentId: "slow-1", status: "succeeded", changed: true }],
        ]);
        const notices = api.notices("slow-1");
        assert.deepEqual(notices.map((n) => n.status), ["succeeded"]);
        assert.ok(notices[0].round >= 3, `round ${notices[0].round}`);
    });

    it("times out after the last round, and the notice says so", async () => {
        app.fake.script("stuck-1", { outcomes: "processing" });
        assert.equal((await api.pay("stuck-1")).status, 202);
        const execution = await api.finished("stuck-1");
        assert.equal(stepsOf(execution, STATES.check).length, 12, "maxRounds checks");
        assert.equal(stepsOf(execution, STATES.wait).length, 12);
        assert.ok(statesOf(execution).includes(STATES.timeOut));
        assert.deepEqual(api.notices("stuck-1").map((n) => [n.status, n.reason]), [["timed_out", "no final status after 12 checks, 1 s apart"]]);
        assert.equal((await api.record("stuck-1")).status, "timed_out");
    });

    it("retries a transient error of the request with backoff, then goes on", async () => {
        app.fake.script("flaky-1", { failFirst: 2, outcomes: "succeeded" });
        assert.equal((await api.pay("flaky-1")).status, 202);
        const execution = await api.finished("flaky-1");
        assert.equal(app.fake.payment("flaky-1")!.requests, 3, "two 503s, then accepted");
        const request = stepsOf(execution, STATES.request);
        assert.equal(request.length, 1, "one state, retried within it");
        assert.deepEqual(request[0].events.map((e: any) => [e.type, e.error ?? e.attempt]), [["failed", "TransientError"], ["retried", 1], ["failed", "TransientError"], ["retried", 2]]);
        assert.deepEqual(api.notices("flaky-1").map((n) => n.status), ["succeeded"]);
    });

    it("duplicate callbacks (and a replay later): one outcome, one notice", async () => {
        app.fake.script("dup-1", { outcomes: "succeeded,succeeded" });
        assert.equal((await api.pay("dup-1")).status, 202);
        await api.finished("dup-1");
        await app.fake.idle();
        assert.deepEqual(app.fake.payment("dup-1")!.deliveries.map((d) => [d.httpStatus, d.response]), [
            [200, { paymentId: "dup-1", status: "succeeded", changed: true }],
            [200, { paymentId: "dup-1", status: "succeeded", changed: false }],
        ]);
        const body = JSON.stringify({ paymentId: "dup-1", status: "succeeded" });
        const replay = await api.callback(body, signPayload(PAYMENT_SECRET, body, Math.floor(Date.now() / 1000)));
        assert.deepEqual([replay.status, replay.body.changed], [200, false]);
        await sleep(100);
        assert.equal(api.notices("dup-1").length, 1);
    });

    it("a callback with a bad signature: 401, nothing changes (the payment then times out)", async () => {
        app.fake.script("forged-1", { signature: "invalid", outcomes: "succeeded" });
        assert.equal((await api.pay("forged-1")).status, 202);
        const execution = await api.finished("forged-1");
        const deliveries = app.fake.payment("forged-1")!.deliveries;
        assert.deepEqual(deliveries.map((d) => [d.httpStatus, (d.response as any)?.error?.code]), [[401, "invalid_signature"]], "refused, and not sent again");
        assert.ok(checked(execution).every((s) => s === "requested"), "no check saw a change");
        assert.deepEqual(api.notices("forged-1").map((n) => n.status), ["timed_out"]);
        // A forged report about a decided payment: refused, the record untouched.
        const before = await api.record("ok-1");
        const body = JSON.stringify({ paymentId: "ok-1", status: "failed" });
        const forged = await api.callback(body, signPayload("another-key-0123456789", body, Math.floor(Date.now() / 1000)));
        assert.equal(forged.status, 401);
        assert.deepEqual(await api.record("ok-1"), before);
    });

    it("refuses a second start of a payment id (the execution name is taken)", async () => {
        const again = await api.pay("ok-1");
        assert.equal(again.status, 409);
        assert.match(again.body.error.message, /payment 'ok-1' of workflow 'checkout' was started already.*an execution named 'ok-1' exists already/);
        const workflows = localWorkflows(app.stack.runtime);
        const direct = workflows.startExecution(WORKFLOW, "ok-1", { any: "input" });
        assert.equal(direct.started, false);
        assert.equal(workflows.describe(WORKFLOW, "ok-1")!.status, "succeeded");
    });

    it("answers its runtime calls to its link only: start and read executions", async () => {
        const runtime = app.stack.runtime;
        const workflows = localWorkflows(runtime);
        const stranger = runtime.function("stranger").definition;
        assert.throws(() => answerPaymentsCall(workflows, stranger, "payments.start", { workflowId: WORKFLOW, name: "x-1", input: {} }), /function 'stranger' may not start or read executions of workflow 'local:workflow:checkout': add the PaymentWorkflow's link/);
        assert.throws(() => answerPaymentsCall(workflows, stranger, "payments.describe", { workflowId: WORKFLOW, name: "ok-1" }), /may not start or read/);
        const payer = linked(app, (env) => env.SB_PAYMENTS_CHECKOUT_WORKFLOW === WORKFLOW);
        assert.equal((answerPaymentsCall(workflows, payer, "payments.describe", { workflowId: WORKFLOW, name: "ok-1" }) as any).status, "succeeded");
        assert.equal(answerPaymentsCall(workflows, payer, "payments.describe", { workflowId: WORKFLOW, name: "nobody" }), null);
        assert.equal(answerPaymentsCall(workflows, stranger, "payments.resume", { token: "no-such-token", output: {} }), false, "an unknown token: as SendTaskSuccess, the wait is over");
        assert.throws(() => answerPaymentsCall(workflows, payer, "payments.start", { workflowId: "local:workflow:other", name: "x-1", input: {} }), /may not start or read executions of workflow 'local:workflow:other'/);
    });

    it("shows workflows at /_local/status and each execution's history", async () => {
        const status = (await (await fetch(`${app.base}/_local/status`, withToken(app.token))).json()) as any;
        const [workflow] = status.workflows;
        assert.equal(workflow.name, "checkout");
        assert.equal(workflow.resourceId, WORKFLOW);
        assert.equal(workflow.executions.succeeded, 8);
        assert.deepEqual([workflow.executions.running, workflow.executions.failed], [0, 0]);
        assert.deepEqual(status.paymentService, { path: "/_local/payment-service" });
        const list = (await (await fetch(`${app.base}/_local/workflows/checkout/executions`, withToken(app.token))).json()) as any;
        assert.equal(list.executions.length, 8);
        const byId = await api.execution("local:execution:checkout:ok-1");
        assert.equal(byId.status, 200);
        assert.equal(byId.body.history[0].input.paymentId, "ok-1");
        assert.equal((await api.execution("nobody")).status, 404);
        assert.equal((await fetch(`${app.base}/_local/workflows/nothing/executions`, withToken(app.token))).status, 404);
    });
});

describe("PaymentWorkflow on the local runtime, callback mode (task-token waits)", function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-payment-callback-"));
    let app: App;
    const api = client(() => app);

    before(async () => {
        // Each round waits at most 20 s for the callback: 1 s at this scale.
        app = await serve(dir, { waitForCallback: true, waitSeconds: 20, maxRounds: 2 });
    });

    after(async () => {
        await app.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the callback resumes the wait at once; a duplicate finds it over; one notice", async () => {
        app.fake.script("cb-1", { outcomes: "succeeded,succeeded", delayMs: 150 });
        const startedAt = Date.now();
        assert.equal((await api.pay("cb-1")).status, 202);
        const execution = await api.finished("cb-1");
        assert.ok(Date.now() - startedAt < 900, "done before the first wait's limit (1 s)");
        const [wait] = stepsOf(execution, STATES.wait);
        assert.equal(wait.type, "Task");
        assert.deepEqual(wait.events.map((e: any) => e.type), ["resumed"]);
        assert.equal(wait.next, STATES.check);
        assert.equal(wait.resumed, true);
        assert.deepEqual(checked(execution), ["succeeded"]);
        await app.fake.idle();
        assert.deepEqual(app.fake.payment("cb-1")!.deliveries.map((d) => (d.response as any).changed), [true, false]);
        assert.deepEqual(api.notices("cb-1").map((n) => n.status), ["succeeded"]);
    });

    it("lets only its callback resume its waits", async () => {
        const db = new Database(path.join(dir, "data", "workflows.sqlite"), { readonly: true });
        const { token } = db.prepare<{ token: string }>("SELECT token FROM steps WHERE name = 'cb-1' AND token IS NOT NULL").get()!;
        db.close();
        const workflows = localWorkflows(app.stack.runtime);
        const callback = linked(app, (env) => env[SERVES_ENV] === "checkout" && env.SB_PAYMENTS_CHECKOUT_SECRET !== undefined);
        const payer = linked(app, (env) => env.SB_PAYMENTS_CHECKOUT_WORKFLOW === WORKFLOW);
        assert.throws(() => answerPaymentsCall(workflows, payer, "payments.resume", { token, output: {} }), /function '.+' may not resume waits of workflow 'checkout': only its callback may/);
        assert.equal(answerPaymentsCall(workflows, callback, "payments.resume", { token, output: { status: "failed" } }), false, "its wait is over");
    });

    it("no final status: each wait ends with States.Timeout at its limit, caught; timed out after the rounds", async () => {
        app.fake.script("cb-2", { outcomes: "processing", delayMs: 50 });
        assert.equal((await api.pay("cb-2")).status, 202);
        const execution = await api.finished("cb-2");
        const waits = stepsOf(execution, STATES.wait);
        assert.equal(waits.length, 2);
        for (const wait of waits) {
            assert.deepEqual(wait.events.map((e: any) => [e.type, e.error]), [["failed", "States.Timeout"], ["caught", undefined]]);
            const waited = Date.parse(wait.exitedAt) - Date.parse(wait.enteredAt);
            assert.ok(waited >= 950 && waited < 2000, `waited ${waited} ms for a 1 s limit`);
        }
        assert.deepEqual(api.notices("cb-2").map((n) => n.status), ["timed_out"]);
    });
});

describe("PaymentWorkflow on a local runtime stopped cleanly mid-wait (Ctrl-C)", function () {
    this.timeout(30_000);

    it("stops at once, records nothing as failed, and the next start goes on from the wait", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-payment-stop-"));
        let app: App | undefined;
        const api = client(() => app!);
        try {
            app = await serve(dir, { waitSeconds: 20, maxRounds: 2 });
            app.fake.script("stop-1", { outcomes: "processing" });
            assert.equal((await api.pay("stop-1")).status, 202);
            await until("the first wait", async () => ((await api.execution("stop-1")).body.at?.state === STATES.wait ? true : undefined), 10_000, 20);
            const stopping = Date.now();
            await app.close();
            assert.ok(Date.now() - stopping < 1000, `stopped in ${Date.now() - stopping} ms, not after the wait`);
            const db = new Database(path.join(dir, "data", "workflows.sqlite"), { readonly: true });
            const steps = db.prepare<{ state: string; attempts: number; exited: number | null }>("SELECT state, attempts, exited_at AS exited FROM steps WHERE name = 'stop-1' ORDER BY seq").all();
            db.close();
            assert.deepEqual(steps.at(-1), { state: STATES.wait, attempts: 1, exited: null });

            app = await serve(dir, { waitSeconds: 20, maxRounds: 2 });
            const done = await api.finished("stop-1");
            assert.equal(stepsOf(done, STATES.request).length, 1, "not started over");
            assert.deepEqual(stepsOf(done, STATES.wait).map((s: any) => s.attempts), [2, 1], "the interrupted wait went on, the next one ran once");
            assert.deepEqual(api.notices("stop-1").map((n) => n.status), ["timed_out"]);
        } finally {
            await app?.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("PaymentWorkflow on a local runtime killed with SIGKILL mid-execution", function () {
    this.timeout(30_000);

    it("goes on from the state it was in after a restart on the same data directory: one request, one notice", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-payment-crash-"));
        // The payment service outlives the runtime, and sends again a callback that found it down.
        const psp = await listenFakePaymentService({ secret: PAYMENT_SECRET, retry: { attempts: 100, delayMs: 100 } });
        const env = { ...process.env, DATA_DIR: path.join(dir, "data"), PORT: String(await freePort()), PSP_URL: psp.url, NOTICE_FILE: path.join(dir, "notices.jsonl"), TIME_SCALE: "0.5", TOKEN: "payment-crash-test-token" };
        const notices = () => jsonLines(env.NOTICE_FILE);
        // processing 0.8 s after the request, succeeded 0.8 s after that: the kill comes between the two.
        psp.service.script("crash-1", { outcomes: "processing,succeeded", delayMs: 800 });
        let first: Awaited<ReturnType<typeof startChild>> | undefined;
        let second: Awaited<ReturnType<typeof startChild>> | undefined;
        try {
            first = await startChild(env);
            assert.match(first.line, /resumed=0$/);
            const before = client(() => ({ base: first!.url, noticeFile: env.NOTICE_FILE, token: env.TOKEN }));
            assert.equal((await before.pay("crash-1")).status, 202);
            await until("a check that saw processing, and the next wait", async () => {
                const { body } = await before.execution("crash-1");
                return checked(body).includes("processing") && body.at?.state === STATES.wait ? body : undefined;
            });
            first.child.kill("SIGKILL");
            await first.exited;
            const db = new Database(path.join(env.DATA_DIR, "workflows.sqlite"), { readonly: true });
            const at = db.prepare<{ status: string; state: string; attempts: number; exited: number | null }>(
                "SELECT e.status, s.state, s.attempts, s.exited_at AS exited FROM executions e JOIN steps s ON s.workflow = e.workflow AND s.name = e.name AND s.seq = e.step WHERE e.name = ?",
            ).get("crash-1");
            db.close();
            assert.deepEqual(at, { status: "running", state: STATES.wait, attempts: 1, exited: null }, "killed in a Wait");
            assert.deepEqual(notices(), []);

            second = await startChild(env);
            assert.match(second.line, /resumed=1$/);
            const after = client(() => ({ base: second!.url, noticeFile: env.NOTICE_FILE, token: env.TOKEN }));
            const done = await after.finished("crash-1", 15_000);
            assert.equal(done.status, "succeeded");
            assert.equal(stepsOf(done, STATES.record).length, 1, "not started over");
            assert.equal(stepsOf(done, STATES.request).length, 1);
            assert.equal(psp.service.payment("crash-1")!.requests, 1, "the payment service was asked once");
            const resumed = done.history.filter((s: any) => s.attempts > 1);
            assert.deepEqual(resumed.map((s: any) => [s.state, s.attempts]), [[STATES.wait, 2]], "the interrupted Wait, run again for what was left of it");
            assert.deepEqual(checked(done).at(-1), "succeeded");
            await sleep(200);
            assert.deepEqual(notices().map((n) => [n.paymentId, n.status]), [["crash-1", "succeeded"]], "one notice");
        } finally {
            for (const run of [first, second]) {
                run?.child.kill("SIGKILL");
                await run?.exited;
            }
            await psp.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

/** A function of the app whose environment (its links) passes `test`. */
function linked(app: App, test: (env: Record<string, string>) => boolean): LocalFunctionDefinition {
    const found = [...app.stack.runtime.functions.values()].map((f) => f.definition).find((d) => test(d.environment));
    assert.ok(found, "a function with that link");
    return found;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = http.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** The child runtime (test/fixtures/payment-runtime-child.ts), once it says where it listens. */
function startChild(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; line: string; exited: Promise<void> }> {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "test/fixtures/payment-runtime-child.ts"], { cwd: projectDir, env });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let output = "";
    return new Promise((resolve, reject) => {
        child.stdout!.on("data", (chunk) => {
            output += chunk;
            const match = /^listening (http:\/\/\S+) resumed=\d+$/m.exec(output);
            if (match) resolve({ child, url: match[1], line: match[0], exited });
        });
        child.stderr!.on("data", (chunk) => (output += chunk));
        child.once("exit", (code) => reject(new Error(`the child runtime exited with ${code}:\n${output}`)));
    });
}
