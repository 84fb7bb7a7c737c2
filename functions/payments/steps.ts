// The PaymentWorkflow's built-in tasks, as plain functions of the store and the state's input
// (components/payment/definition.ts says which state runs which, and what it passes). Each is
// safe to run twice with the same input: the workflow retries them. A storage failure is a
// TransientError (retried with backoff); a bad input is a TaskFailed.
import {
    checkPayment,
    FINAL_STATUSES,
    isFinal,
    REPORTED_STATUSES,
    type FinalStatus,
    type PaymentExecutionInput,
    type PaymentNotice,
    type PaymentRecord,
    type PaymentStatus,
    type ReportedStatus,
} from "../runtime/clients/payments";
import { ItemNotFoundError } from "../runtime/clients/table";
import { TaskFailed, TransientError } from "../runtime/workflow";
import { STEP_ERRORS } from "./names";
import { PaymentStartedBefore, type PaymentStore } from "./record";

/** What the states pass along: the payment, its start, and where it stands. */
export interface PaymentState extends PaymentExecutionInput {
    status: PaymentStatus;
    round: number;
    reason?: string;
}

/** What "Finish" passes on: whether this execution sends the notice, and the notice. */
export interface FinishedPayment {
    notify: boolean;
    notice: PaymentNotice;
}

/** The longest reason kept: enough for an error message, far below a state's payload limit. */
const MAX_REASON = 1000;

/** "Record payment": makes the record (`requested`, round 0) before the payment service hears of the payment. */
export async function recordPayment(store: PaymentStore, input: unknown): Promise<PaymentState> {
    const start = executionInput(input);
    try {
        return stateOf(start, await storage(() => store.create(start)));
    } catch (error) {
        if (error instanceof PaymentStartedBefore) throw new TaskFailed(error.message, STEP_ERRORS.alreadyStarted);
        throw error;
    }
}

/**
 * "Check status": applies what the check function reported (`reported.status`, if the workflow
 * has one), reads the payment, and counts the round.
 */
export async function checkStatus(store: PaymentStore, input: unknown): Promise<PaymentState> {
    const state = paymentState(input);
    const reported = reportedStatus(input);
    if (reported) await storage(() => store.report(state.paymentId, reported));
    const record = await storage(() => store.read(state.paymentId));
    if (!record) throw new TaskFailed(`payment '${state.paymentId}' has no record: was it started through this workflow?`);
    const round = state.round + 1;
    await storage(() => store.advance(state.paymentId, round));
    return stateOf(state, { ...record, round });
}

/**
 * "Finish", "Time out", "Record failure": decides the outcome (an outcome decided before stands:
 * a payment that succeeded is not timed out), and claims the notice for this execution.
 * Input: `{ payment, outcome, reason?, error? }`; `error` is a caught error (`{ Error, Cause }`).
 */
export async function finishPayment(store: PaymentStore, input: unknown): Promise<FinishedPayment> {
    const fields = object(input, "input");
    // A failure of "Record payment" comes before the state has a round.
    const payment = object(fields.payment, "payment");
    const state = paymentState({ ...payment, round: payment.round ?? 0 });
    const outcome = fields.outcome;
    if (!(FINAL_STATUSES as readonly unknown[]).includes(outcome)) throw new TaskFailed(`outcome ${JSON.stringify(outcome)} is not one of ${FINAL_STATUSES.join(", ")}`);
    const reason = reasonOf(fields.reason, fields.error);
    const { record } = await storage(() => store.finish(state, outcome as FinalStatus, reason));
    const notify = await storage(() => store.claimNotice(state.paymentId, state.startId));
    return { notify, notice: noticeOf(state, record) };
}

/**
 * Callback mode's "Wait for result": keeps the wait's token where the callback finds it. When the
 * outcome was decided before the token was kept, no callback will come for it: fails with
 * PaymentSettled, which the definition takes straight to "Check status".
 * Input: `{ payment, taskToken }`.
 */
export async function awaitCallback(store: PaymentStore, input: unknown): Promise<{ waiting: true }> {
    const fields = object(input, "input");
    const state = paymentState(fields.payment);
    if (typeof fields.taskToken !== "string" || fields.taskToken === "") throw new TaskFailed("taskToken is missing: the state passes $$.Task.Token");
    const token = fields.taskToken;
    const record = await storage(async () => {
        try {
            return await store.saveToken(state.paymentId, token);
        } catch (error) {
            if (error instanceof ItemNotFoundError) throw new TaskFailed(`payment '${state.paymentId}' has no record to keep the token in`);
            throw error;
        }
    });
    if (isFinal(record.status)) throw new TaskFailed(`payment '${state.paymentId}' is ${record.status} already`, STEP_ERRORS.settled);
    return { waiting: true };
}

/** The notice of a payment whose outcome is decided: what the notify function receives. */
function noticeOf(start: PaymentExecutionInput, record: PaymentRecord): PaymentNotice {
    const { paymentId, orderId, userId, amount, currency } = start;
    return { paymentId, orderId, userId, amount, currency, status: record.status as FinalStatus, round: record.round, ...(record.reason ? { reason: record.reason } : {}) };
}

/** The state after a step: the execution's payment and start, the record's status and round. */
function stateOf(start: PaymentExecutionInput, record: PaymentRecord): PaymentState {
    const { paymentId, orderId, userId, amount, currency, startId, callbackUrl } = start;
    // The callback URL rides along: the request step names it to the payment service.
    return { paymentId, orderId, userId, amount, currency, startId, ...(callbackUrl ? { callbackUrl } : {}), status: record.status, round: record.round, ...(record.reason ? { reason: record.reason } : {}) };
}

function executionInput(input: unknown): PaymentExecutionInput {
    const fields = object(input, "input");
    let payment;
    try {
        payment = checkPayment(fields);
    } catch (error) {
        throw new TaskFailed((error as Error).message);
    }
    if (typeof fields.startId !== "string" || fields.startId === "") throw new TaskFailed("startId is missing: start payments with payments(name).start(...)");
    const callbackUrl = typeof fields.callbackUrl === "string" && fields.callbackUrl !== "" ? fields.callbackUrl : undefined;
    return { ...payment, startId: fields.startId, ...(callbackUrl ? { callbackUrl } : {}) };
}

function paymentState(input: unknown): PaymentState {
    const start = executionInput(input);
    const fields = input as Record<string, unknown>;
    const round = fields.round;
    if (typeof round !== "number" || !Number.isInteger(round) || round < 0) throw new TaskFailed(`round ${JSON.stringify(round)} is not a count of checks`);
    return { ...start, status: fields.status as PaymentStatus, round };
}

/** The check function's report (`reported.status`), if the state has one. */
function reportedStatus(input: unknown): ReportedStatus | undefined {
    const reported = (input as { reported?: unknown }).reported;
    if (reported === undefined || reported === null) return undefined;
    const status = typeof reported === "object" ? (reported as { status?: unknown }).status : undefined;
    if (!(REPORTED_STATUSES as readonly unknown[]).includes(status)) {
        throw new TaskFailed(`the check function returned ${JSON.stringify(reported)}; it returns { status: ${REPORTED_STATUSES.map((s) => `"${s}"`).join(" | ")} }`);
    }
    return status as ReportedStatus;
}

/** A reason given by the definition, or read from a caught error: Lambda's Cause is JSON with errorMessage. */
function reasonOf(reason: unknown, error: unknown): string | undefined {
    if (typeof reason === "string" && reason !== "") return reason.slice(0, MAX_REASON);
    if (typeof error !== "object" || error === null) return undefined;
    const { Error: name, Cause: cause } = error as { Error?: unknown; Cause?: unknown };
    let message = typeof cause === "string" ? cause : "";
    try {
        const parsed = JSON.parse(message) as { errorMessage?: unknown };
        if (typeof parsed?.errorMessage === "string") message = parsed.errorMessage;
    } catch {
        // Not JSON: the Cause is the message (States.* errors).
    }
    const text = [typeof name === "string" ? name : "", message].filter(Boolean).join(": ");
    return text === "" ? undefined : text.slice(0, MAX_REASON);
}

function object(value: unknown, what: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TaskFailed(`${what} is not an object`);
    return value as Record<string, unknown>;
}

/** Runs a store call; a failure of the store (not of the input) is worth retrying. */
async function storage<T>(call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        if (error instanceof TaskFailed || error instanceof PaymentStartedBefore || error instanceof TypeError || error instanceof RangeError) throw error;
        throw new TransientError(`payments table: ${(error as Error).message}`, { cause: error });
    }
}
