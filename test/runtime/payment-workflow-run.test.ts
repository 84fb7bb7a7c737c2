// The PaymentWorkflow's definition executed (aws-local-stepfunctions, polling mode) with its real
// built-in tasks over a real table backend (SQLite), a scripted payment service for the user's
// request and check, and a recording notify: immediate success and failure, processing twice then
// success, time-out after the last round, a transient request error retried, duplicate callbacks
// (one notice), a second start refused. Waits and retry intervals are shortened to a millisecond.
// The local realisation of the component runs the same definition; this holds the definition and
// the built-ins to the behaviour the issue asks for, whatever runs them.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { paymentDefinition, STATES, TASK_RETRY, taskRoles, type DefinitionOptions, type TaskRole } from "../../components/payment/definition";
import { PaymentStore } from "../../functions/payments/record";
import { checkStatus, finishPayment, recordPayment } from "../../functions/payments/steps";
import { runTask } from "../../functions/runtime/adapters/task";
import type { PaymentExecutionInput, PaymentNotice, ReportedStatus } from "../../functions/runtime/clients/payments";
import { createLocalTable, type LocalTableBackend } from "../../functions/runtime/clients/local/table";
import { tableClient } from "../../functions/runtime/clients/table";
import { onTask, TaskFailed, TransientError } from "../../functions/runtime/workflow";

// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks.
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require("aws-local-stepfunctions") as typeof import("aws-local-stepfunctions");

const START: PaymentExecutionInput = { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "EUR", startId: "start-1" };

/** What the scripted payment service does on each call of the request and each round. */
interface Script {
    /** Per request attempt: throw this, or accept. */
    request?: (attempt: number) => Error | undefined;
    /** The service's callbacks (reports) after the request was accepted, and after each round's check. */
    afterRequest?: ReportedStatus[];
    afterRound?: (round: number) => ReportedStatus[];
    /** A check function asking the service: what it answers in each round. */
    check?: (round: number) => ReportedStatus;
}

describe("PaymentWorkflow definition, executed", () => {
    let dir: string;
    let backend: LocalTableBackend;
    let store: PaymentStore;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "payment-run-"));
        backend = createLocalTable({ file: () => path.join(dir, "payments.sqlite") });
        store = new PaymentStore(tableClient({ name: "checkout-payments", tableName: "checkout_payments", partitionKey: "paymentId" }, backend));
    });
    afterEach(() => {
        backend.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    async function execute(script: Script, options: Partial<DefinitionOptions> = {}, input: PaymentExecutionInput = START) {
        const settings: DefinitionOptions = { name: "checkout", waitSeconds: 10, maxRounds: 3, waitForCallback: false, askProvider: script.check !== undefined, ...options };
        const definition = paymentDefinition(settings, { resource: (role) => `arn:aws:lambda:us-east-1:123456789012:function:checkout-${role}`, serviceErrors: [] });
        const notices: PaymentNotice[] = [];
        let requests = 0;
        let rounds = 0;
        const report = async (statuses: ReportedStatus[]) => { for (const status of statuses) await store.report(input.paymentId, status); };
        // Each state's function, as the adapter runs it: through runTask, so errors carry the contract's names.
        const task = (fn: (input: any) => unknown) => (state: unknown) => runTask(onTask(fn), state) as Promise<any>;
        const byRole: Record<TaskRole, (state: unknown) => Promise<any>> = {
            record: task((i) => recordPayment(store, i)),
            request: task(async () => {
                const error = script.request?.(++requests);
                if (error) throw error;
                await report(script.afterRequest ?? []);
                return { accepted: true };
            }),
            await: task(() => { throw new Error("polling mode has no await state"); }),
            check: task(() => ({ status: script.check!(rounds + 1) })),
            status: task(async (i) => {
                const checked = await checkStatus(store, i);
                rounds = checked.round;
                await report(script.afterRound?.(rounds) ?? []);
                return checked;
            }),
            finish: task((i) => finishPayment(store, i)),
            notify: task((notice: PaymentNotice) => { notices.push(notice); }),
        };
        const stateRoles: Record<string, TaskRole> = {
            [STATES.record]: "record", [STATES.request]: "request", [STATES.ask]: "check", [STATES.check]: "status",
            [STATES.finish]: "finish", [STATES.timeOut]: "finish", [STATES.failure]: "finish", [STATES.notify]: "notify",
        };
        assert.deepEqual([...new Set(Object.keys(definition.States).map((s) => stateRoles[s]).filter(Boolean))].sort(), taskRoles(settings).sort(), "every task state is bound");
        const machine = new StateMachine(definition as never);
        const execution = machine.run(input as never, {
            overrides: {
                taskResourceLocalHandlers: Object.fromEntries(Object.entries(stateRoles).map(([state, role]) => [state, byRole[role]])),
                waitTimeOverrides: { [STATES.wait]: 1 },
                retryIntervalOverrides: Object.fromEntries(Object.keys(stateRoles).map((state) => [state, 1])),
            },
        });
        const visited: string[] = [];
        const log = (async () => {
            for await (const event of execution.eventLogs) if (event.type === "StateEntered") visited.push((event as { state: { name: string } }).state.name);
        })();
        let output: unknown;
        let error: Error | undefined;
        try {
            output = await execution.result;
        } catch (caught) {
            error = caught as Error;
        }
        await log;
        return { output, error, notices, visited, requests, record: await store.read(input.paymentId) };
    }

    it("immediate success: one round, one notice, the notice the output", async () => {
        const run = await execute({ afterRequest: ["succeeded"] });
        const notice = { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "EUR", status: "succeeded", round: 1 };
        assert.deepEqual(run.notices, [notice]);
        assert.deepEqual(run.output, notice);
        assert.deepEqual(run.visited, [STATES.record, STATES.request, STATES.wait, STATES.check, STATES.completed, STATES.finish, STATES.firstNotice, STATES.notify]);
        assert.equal(run.record!.status, "succeeded");
        assert.equal(run.record!.notified, true);
    });

    it("immediate failure reported by the service", async () => {
        const run = await execute({ afterRequest: ["failed"] });
        assert.deepEqual(run.notices.map((n) => n.status), ["failed"]);
        assert.equal(run.record!.status, "failed");
    });

    it("a request refused by the service: caught, recorded as failed with the reason, notified", async () => {
        const run = await execute({ request: () => new TaskFailed("card declined", "PaymentRefused") });
        assert.equal(run.requests, 1, "not retried");
        assert.deepEqual(run.visited, [STATES.record, STATES.request, STATES.failure, STATES.firstNotice, STATES.notify]);
        assert.deepEqual(run.notices.map((n) => [n.status, n.reason]), [["failed", "PaymentRefused: card declined"]]);
    });

    it("processing, processing, then success", async () => {
        const run = await execute({ afterRequest: ["processing"], afterRound: (round) => (round === 2 ? ["processing", "succeeded"] : ["processing"]) }, { maxRounds: 5 });
        assert.deepEqual(run.notices.map((n) => [n.status, n.round]), [["succeeded", 3]]);
        assert.equal(run.visited.filter((s) => s === STATES.check).length, 3);
    });

    it("times out after the last round, and the notice says so", async () => {
        const run = await execute({ afterRequest: ["processing"], afterRound: () => ["processing"] }, { maxRounds: 3, waitSeconds: 7 });
        assert.equal(run.visited.filter((s) => s === STATES.check).length, 3);
        assert.ok(run.visited.includes(STATES.timeOut));
        assert.deepEqual(run.notices.map((n) => [n.status, n.reason]), [["timed_out", "no final status after 3 checks, 7 s apart"]]);
        assert.equal(run.record!.status, "timed_out");
    });

    it("retries a transient request error with backoff, then goes on", async () => {
        const run = await execute({ request: (attempt) => (attempt < 3 ? new TransientError("payment service answered 503") : undefined), afterRequest: ["succeeded"] });
        assert.equal(run.requests, 3);
        assert.deepEqual(run.notices.map((n) => n.status), ["succeeded"]);
    });

    it("a transient error that lasts is caught after the last attempt: failed", async () => {
        const run = await execute({ request: () => new TransientError("payment service answered 503") });
        assert.equal(run.requests, 1 + TASK_RETRY.MaxAttempts, "the first attempt and MaxAttempts retries");
        assert.deepEqual(run.notices.map((n) => [n.status, n.reason]), [["failed", "TransientError: payment service answered 503"]]);
    });

    it("duplicate callbacks: one outcome, one notice", async () => {
        const run = await execute({ afterRequest: ["succeeded", "succeeded", "processing", "failed", "succeeded"] });
        assert.deepEqual(run.notices.map((n) => n.status), ["succeeded"]);
        assert.equal(run.record!.late?.status, "failed", "the contradicting report is kept aside");
    });

    it("asks the check function each round when there is one", async () => {
        const run = await execute({ check: (round) => (round < 2 ? "processing" : "succeeded") });
        assert.deepEqual(run.visited.filter((s) => s === STATES.ask).length, 2);
        assert.deepEqual(run.notices.map((n) => [n.status, n.round]), [["succeeded", 2]]);
    });

    it("a second start of a payment ends at Already started: no request, no notice", async () => {
        await execute({ afterRequest: ["succeeded"] });
        const again = await execute({ afterRequest: ["succeeded"] }, {}, { ...START, startId: "start-2" });
        assert.equal(again.requests, 0);
        assert.deepEqual(again.notices, []);
        assert.deepEqual(again.visited, [STATES.record, STATES.alreadyStarted]);
        assert.match(String(again.error?.message), /This payment was started by another execution; each payment id is started once/, "the execution fails, at the Fail state");
        assert.equal(again.record!.startId, "start-1", "the first start's record is untouched");
    });
});
