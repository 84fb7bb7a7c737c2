// The payment callback route and the payment record behind it, on a real table backend (the
// local SQLite one): the signature (good, bad, stale, replayed), idempotent updates (duplicates,
// out of order, concurrent), the outcome decided once, one notice, and callback mode's resume.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { handleCallback } from "../../functions/payments/callback";
import { PaymentStore } from "../../functions/payments/record";
import { signPayload, SIGNATURE_HEADER, verifySignature } from "../../functions/payments/signature";
import { awaitCallback, checkStatus, finishPayment, recordPayment } from "../../functions/payments/steps";
import { runTask } from "../../functions/runtime/adapters/task";
import type { PaymentExecutionInput } from "../../functions/runtime/clients/payments";
import { createLocalTable, type LocalTableBackend } from "../../functions/runtime/clients/local/table";
import { tableClient, type Item, type TableClient } from "../../functions/runtime/clients/table";
import { createHttpRequest, http, runHttp, type NormalizedResponse } from "../../functions/runtime/http";
import { onTask } from "../../functions/runtime/workflow";

const SECRET = "whsec-0123456789abcdef";
const TOLERANCE = 300;
const NOW = Date.parse("2026-05-01T10:00:00Z");
const START: PaymentExecutionInput = { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "EUR", startId: "start-1" };

describe("payment callback", () => {
    let dir: string;
    let backend: LocalTableBackend;
    let items: TableClient<Item>;
    let store: PaymentStore;
    let clock: number;
    let resumed: { token: string; output: Record<string, unknown> }[];
    let tokenGone: boolean;

    beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "payment-callback-"));
        backend = createLocalTable({ file: () => path.join(dir, "payments.sqlite") });
        items = tableClient({ name: "checkout-payments", tableName: "checkout_payments", partitionKey: "paymentId" }, backend, () => clock);
        clock = NOW;
        store = new PaymentStore(items, () => clock);
        resumed = [];
        tokenGone = false;
        await store.create(START);
    });
    afterEach(() => {
        backend.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const deps = () => ({
        store,
        secret: SECRET,
        toleranceSeconds: TOLERANCE,
        now: () => clock,
        transport: { resume: async (token: string, output: Record<string, unknown>) => (resumed.push({ token, output }), !tokenGone) },
    });
    const handler = http((req) => handleCallback(req, deps()));

    /** A callback as the payment service sends it, signed at `signedAt` (ms) with `secret`. */
    function callback(body: unknown, options: { signedAt?: number; secret?: string; header?: string } = {}) {
        const text = typeof body === "string" ? body : JSON.stringify(body);
        const header = options.header ?? signPayload(options.secret ?? SECRET, text, Math.floor((options.signedAt ?? clock) / 1000));
        return createHttpRequest({ method: "POST", path: "/payments/callback", headers: { "content-type": "application/json", [SIGNATURE_HEADER]: header }, body: text, requestId: "req-1" });
    }
    const send = (req: ReturnType<typeof callback>): Promise<NormalizedResponse> => runHttp(handler, req);
    const body = (response: NormalizedResponse) => JSON.parse(response.body);
    const stored = async () => (await store.read("pay-1"))!;

    describe("signature", () => {
        it("accepts a good one and applies the report", async () => {
            const response = await send(callback({ paymentId: "pay-1", status: "succeeded" }));
            assert.equal(response.status, 200);
            assert.deepEqual(body(response), { paymentId: "pay-1", status: "succeeded", changed: true });
            assert.equal((await stored()).status, "succeeded");
        });

        it("refuses a bad one with 401, changing nothing", async () => {
            const tampered = callback({ paymentId: "pay-1", status: "succeeded" });
            const refused: NormalizedResponse[] = [
                await send(callback({ paymentId: "pay-1", status: "succeeded" }, { secret: "another-secret-0123456789" })),
                await send({ ...tampered, body: JSON.stringify({ paymentId: "pay-1", status: "failed" }) }),
                await send(callback({ paymentId: "pay-1", status: "succeeded" }, { header: `t=${Math.floor(clock / 1000)},v1=${"0".repeat(64)}` })),
                await send(callback({ paymentId: "pay-1", status: "succeeded" }, { header: "v1=abc" })),
                await send(callback({ paymentId: "pay-1", status: "succeeded" }, { header: "" })),
            ];
            for (const response of refused) {
                assert.equal(response.status, 401, response.body);
                assert.equal(body(response).error.code, "invalid_signature");
            }
            const record = await stored();
            assert.equal(record.status, "requested");
            assert.equal(record.updatedAt, record.createdAt, "not written at all");
        });

        it("refuses a stale timestamp (a replay outside the tolerance), either way, with 401", async () => {
            for (const skew of [-(TOLERANCE + 1), TOLERANCE + 1]) {
                const response = await send(callback({ paymentId: "pay-1", status: "succeeded" }, { signedAt: clock + skew * 1000 }));
                assert.equal(response.status, 401);
                assert.equal(body(response).error.code, "stale_signature");
            }
            assert.equal((await stored()).status, "requested");
            assert.equal((await send(callback({ paymentId: "pay-1", status: "processing" }, { signedAt: clock - TOLERANCE * 1000 }))).status, 200, "the edge of the tolerance is inside");
        });

        it("takes a replay within the tolerance as the duplicate it is; refuses it once the tolerance has passed", async () => {
            const original = callback({ paymentId: "pay-1", status: "succeeded" });
            assert.deepEqual(body(await send(original)), { paymentId: "pay-1", status: "succeeded", changed: true });
            clock += 60_000;
            assert.deepEqual(body(await send(original)), { paymentId: "pay-1", status: "succeeded", changed: false });
            clock += TOLERANCE * 1000;
            assert.equal((await send(original)).status, 401);
        });

        it("accepts any of several v1 signatures (the service rotating its secret), compared in constant time", () => {
            const text = JSON.stringify({ paymentId: "pay-1", status: "failed" });
            const t = Math.floor(clock / 1000);
            const rotated = `${signPayload("old-secret-0123456789", text, t)},v1=${signPayload(SECRET, text, t).split("v1=")[1]}`;
            assert.equal(verifySignature({ header: rotated, body: text, secret: SECRET, now: t, toleranceSeconds: TOLERANCE }), t);
            assert.equal(verifySignature({ header: rotated, body: Buffer.from(text), secret: SECRET, now: t, toleranceSeconds: TOLERANCE }), t, "the raw bytes sign the same");
        });
    });

    describe("body", () => {
        it("answers 400 for a signed body that is not a report, and 404 for an unknown payment", async () => {
            assert.equal((await send(callback("not json"))).status, 400);
            const invalid = await send(callback({ paymentId: "pay-1", status: "refunded" }));
            assert.equal(invalid.status, 400);
            assert.equal(body(invalid).error.code, "invalid_body");
            const unknown = await send(callback({ paymentId: "pay-2", status: "succeeded" }));
            assert.equal(unknown.status, 404);
            assert.equal(body(unknown).error.code, "unknown_payment");
            assert.equal((await stored()).status, "requested");
        });
    });

    describe("idempotent updates", () => {
        it("moves requested to processing, then to a final status", async () => {
            assert.deepEqual(body(await send(callback({ paymentId: "pay-1", status: "processing" }))), { paymentId: "pay-1", status: "processing", changed: true });
            assert.deepEqual(body(await send(callback({ paymentId: "pay-1", status: "processing" }))), { paymentId: "pay-1", status: "processing", changed: false });
            assert.deepEqual(body(await send(callback({ paymentId: "pay-1", status: "failed" }))), { paymentId: "pay-1", status: "failed", changed: true });
        });

        it("never changes a final status: a duplicate, a late processing, a contradicting report (kept as late)", async () => {
            await send(callback({ paymentId: "pay-1", status: "succeeded" }));
            for (const status of ["succeeded", "processing", "failed"]) {
                assert.deepEqual(body(await send(callback({ paymentId: "pay-1", status }))), { paymentId: "pay-1", status: "succeeded", changed: false }, status);
            }
            const record = await stored();
            assert.equal(record.status, "succeeded");
            assert.deepEqual(record.late, { status: "failed", at: new Date(clock).toISOString() }, "kept for reconciliation");
        });

        it("settles on the first final report when reports race (out of order, concurrent)", async () => {
            const reports = ["processing", "succeeded", "processing", "failed", "processing", "succeeded", "processing"];
            const responses = await Promise.all(reports.map((status) => send(callback({ paymentId: "pay-1", status }))));
            const changedToFinal = responses.map(body).filter((b, i) => b.changed && reports[i] !== "processing");
            assert.equal(changedToFinal.length, 1, "one report decided the outcome");
            const outcome = changedToFinal[0].status;
            assert.ok(outcome === "succeeded" || outcome === "failed");
            assert.equal((await stored()).status, outcome);
            assert.equal((await items.get({ paymentId: "pay-1" }))!.status, outcome, "the record itself shows it");
        });

        it("restores the outcome when a processing write lands after it", async () => {
            // The outcome decided (its item written) while the record still shows processing: a
            // writer stopped between its two writes, or a processing write came last.
            await items.put({ paymentId: "result#pay-1", status: "succeeded", decidedAt: new Date(clock).toISOString() });
            await items.update({ paymentId: "pay-1" }, { status: "processing" });
            assert.equal((await stored()).status, "succeeded", "readers see the outcome");
            assert.deepEqual(body(await send(callback({ paymentId: "pay-1", status: "processing" }))), { paymentId: "pay-1", status: "succeeded", changed: false });
            assert.equal((await items.get({ paymentId: "pay-1" }))!.status, "succeeded", "the record mirrors it again");
        });
    });

    describe("the workflow's side", () => {
        const run = <T>(fn: (input: unknown) => Promise<T>, input: unknown) => runTask(onTask(fn), input) as Promise<any>;

        it("sends one notice however many callbacks came, and the outcome the service reported wins over a time-out", async () => {
            for (let i = 0; i < 3; i++) await send(callback({ paymentId: "pay-1", status: "succeeded" }));
            const checked = await run((i) => checkStatus(store, i), { ...START, status: "requested", round: 0 });
            assert.equal(checked.status, "succeeded");
            assert.equal(checked.round, 1);
            const finished = await run((i) => finishPayment(store, i), { payment: checked, outcome: "succeeded" });
            assert.deepEqual(finished, { notify: true, notice: { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "EUR", status: "succeeded", round: 1 } });
            const timedOut = await run((i) => finishPayment(store, i), { payment: checked, outcome: "timed_out", reason: "no final status" });
            assert.equal(timedOut.notice.status, "succeeded", "a time-out after the outcome changes nothing");
            assert.equal(timedOut.notify, true, "the same execution's retried claim is still its own");
            const other = await run((i) => finishPayment(store, i), { payment: { ...checked, startId: "start-2" }, outcome: "succeeded" });
            assert.equal(other.notify, false, "another execution of the payment sends no second notice");
            assert.equal((await stored()).notified, true);
        });

        it("times a payment out once, with the reason, and a later success is only noted", async () => {
            const finished = await run((i) => finishPayment(store, i), { payment: { ...START, status: "processing", round: 3 }, outcome: "timed_out", reason: "no final status after 3 checks, 10 s apart" });
            assert.deepEqual(finished.notice, { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "EUR", status: "timed_out", round: 0, reason: "no final status after 3 checks, 10 s apart" });
            assert.deepEqual(body(await send(callback({ paymentId: "pay-1", status: "succeeded" }))), { paymentId: "pay-1", status: "timed_out", changed: false });
            assert.equal((await stored()).late?.status, "succeeded");
        });

        it("records a caught failure with the function's message", async () => {
            const error = { Error: "PaymentRefused", Cause: JSON.stringify({ errorType: "PaymentRefused", errorMessage: "card declined", trace: [] }) };
            const finished = await run((i) => finishPayment(store, i), { payment: { ...START, error }, outcome: "failed", error });
            assert.equal(finished.notice.status, "failed");
            assert.equal(finished.notice.reason, "PaymentRefused: card declined");
        });

        it("records a payment once per start: a retried record step is fine, another start is refused by name", async () => {
            assert.equal((await run((i) => recordPayment(store, i), START)).status, "requested");
            await assert.rejects(run((i) => recordPayment(store, i), { ...START, startId: "start-2" }), (error: Error) => error.name === "PaymentAlreadyStarted");
            await assert.rejects(run((i) => recordPayment(store, i), { ...START, amount: -1, paymentId: "pay-9" }), (error: Error) => error.name === "TaskFailed" && /amount/.test(error.message));
        });

        it("applies a check function's report, and refuses a report that is not one", async () => {
            const checked = await run((i) => checkStatus(store, i), { ...START, status: "requested", round: 2, reported: { status: "failed" } });
            assert.equal(checked.status, "failed");
            assert.equal(checked.round, 3);
            assert.equal(checked.reported, undefined, "the report is not carried on");
            await assert.rejects(run((i) => checkStatus(store, i), { ...START, status: "requested", round: 0, reported: { status: "done" } }), /the check function returned/);
        });
    });

    describe("callback mode", () => {
        const run = <T>(fn: (input: unknown) => Promise<T>, input: unknown) => runTask(onTask(fn), input) as Promise<any>;

        it("keeps the wait's token; a final report resumes it (again on a retried callback), processing does not", async () => {
            assert.deepEqual(await run((i) => awaitCallback(store, i), { payment: { ...START, status: "requested", round: 0 }, taskToken: "token-1" }), { waiting: true });
            assert.equal((await stored()).taskToken, "token-1");
            await send(callback({ paymentId: "pay-1", status: "processing" }));
            assert.deepEqual(resumed, []);
            await send(callback({ paymentId: "pay-1", status: "succeeded" }));
            assert.deepEqual(resumed, [{ token: "token-1", output: { status: "succeeded" } }]);
            tokenGone = true;
            assert.equal((await send(callback({ paymentId: "pay-1", status: "succeeded" }))).status, 200, "a wait that ended already is no error");
            assert.equal(resumed.length, 2);
        });

        it("fails the wait with PaymentSettled when the outcome came before the token was kept", async () => {
            await send(callback({ paymentId: "pay-1", status: "failed" }));
            await assert.rejects(run((i) => awaitCallback(store, i), { payment: { ...START, status: "requested", round: 0 }, taskToken: "token-2" }), (error: Error) => error.name === "PaymentSettled");
        });
    });
});
