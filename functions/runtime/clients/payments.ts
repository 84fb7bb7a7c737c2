// payments(name): start a linked PaymentWorkflow's payments and read them, on any target.
//   start({ paymentId, orderId, userId, amount, currency })   one workflow execution per payment id
//   status(paymentId)                                          the payment record, as the workflow keeps it
// The execution is named after the payment id, so the workflow service itself refuses a second
// start (PaymentAlreadyStarted); each start carries its own `startId`, so even a start repeated
// with the same payment is refused (Step Functions would otherwise answer an identical input of a
// running execution as if it were the first). The records live in the workflow's own Table:
//   <paymentId>            the payment record (PaymentRecord)
//   result#<paymentId>     the final outcome, written once (put if not exists): the one decision
//                          every writer defers to, so a final state never changes
//   notice#<paymentId>     the completion notice, claimed once
// '#' cannot occur in a payment id, so the three never collide.
import { randomUUID } from "node:crypto";
import { table, type Item, type TableClient } from "./table";
import { currentTarget, linkedSetting, linkedValue } from "./target";

/** Where a payment stands. `succeeded`, `failed` and `timed_out` are final: they never change. */
export type PaymentStatus = "requested" | "processing" | "succeeded" | "failed" | "timed_out";
/** What the payment service reports (its callback, or a check function). */
export type ReportedStatus = "succeeded" | "failed" | "processing";
export type FinalStatus = "succeeded" | "failed" | "timed_out";

export const FINAL_STATUSES: readonly FinalStatus[] = ["succeeded", "failed", "timed_out"];
export const REPORTED_STATUSES: readonly ReportedStatus[] = ["succeeded", "failed", "processing"];

export function isFinal(status: unknown): status is FinalStatus {
    return (FINAL_STATUSES as readonly unknown[]).includes(status);
}

/** What starts a payment. */
export interface Payment {
    /**
     * Unique per payment, and the payment service's idempotency key: letters, digits, `_` and `-`,
     * at most 80 (a Step Functions execution name, ASCII only).
     */
    paymentId: string;
    orderId: string;
    userId: string;
    /** In the currency's minor unit (cents): a positive whole number, so no rounding ever happens. */
    amount: number;
    /** ISO 4217, upper case: `EUR`, `CNY`. */
    currency: string;
}

/** The payment record the workflow keeps (the table item under the payment id). */
export interface PaymentRecord extends Payment {
    status: PaymentStatus;
    /** Status checks made so far. */
    round: number;
    /** The completion notice was claimed (it is sent at most once). */
    notified: boolean;
    /** Callback mode: the token of the wait in progress, for the callback to resume it. */
    taskToken?: string;
    /** Why the payment failed or timed out. */
    reason?: string;
    /** A report that came after the outcome was final and differs from it (for reconciliation, e.g. a refund). */
    late?: { status: ReportedStatus; at: string };
    /** The start (workflow execution) this record belongs to. */
    startId: string;
    createdAt: string;
    updatedAt: string;
}

/** What a workflow execution takes as input: the payment and its start. */
export interface PaymentExecutionInput extends Payment {
    startId: string;
    /**
     * Where the payment service reports this payment (the workflow's callback route), for the
     * request task to pass on; set by `start` from the workflow's link.
     */
    callbackUrl?: string;
}

/** What the notify function receives: the payment and its final status (with the reason when not succeeded). */
export interface PaymentNotice extends Payment {
    status: FinalStatus;
    round: number;
    reason?: string;
}

/** The outcome item: written once. */
export interface PaymentResult {
    status: FinalStatus;
    reason?: string;
    decidedAt: string;
}

export const resultKey = (paymentId: string) => `result#${paymentId}`;
export const noticeKey = (paymentId: string) => `notice#${paymentId}`;

const PAYMENT_ID = /^[A-Za-z0-9_-]{1,80}$/;
const CURRENCY = /^[A-Z]{3}$/;
const TEXT_ID_MAX = 256;

/** `start` found the payment started before (its execution exists or existed). */
export class PaymentAlreadyStarted extends Error {
    constructor(readonly workflow: string, readonly paymentId: string, detail?: string) {
        super(`payment '${paymentId}' of workflow '${workflow}' was started already: one payment id starts one workflow execution; read it with payments("${workflow}").status("${paymentId}")${detail ? ` (${detail})` : ""}`);
        this.name = "PaymentAlreadyStarted";
    }
}

/** A payment that cannot be started: the message names the field. */
export class InvalidPayment extends TypeError {
    constructor(field: string, reason: string) {
        super(`payment ${field}: ${reason}`);
        this.name = "InvalidPayment";
    }
}

export function checkPaymentId(paymentId: unknown): string {
    if (typeof paymentId !== "string" || !PAYMENT_ID.test(paymentId)) {
        throw new InvalidPayment("paymentId", `${JSON.stringify(paymentId)} must be 1 to 80 letters, digits, '_' or '-' (it names the workflow execution)`);
    }
    return paymentId;
}

/** The payment's fields, checked; anything else is dropped. */
export function checkPayment(payment: unknown): Payment {
    if (typeof payment !== "object" || payment === null || Array.isArray(payment)) throw new InvalidPayment("", "expected { paymentId, orderId, userId, amount, currency }");
    const p = payment as Record<string, unknown>;
    const text = (field: "orderId" | "userId") => {
        const value = p[field];
        if (typeof value !== "string" || value.length === 0 || value.length > TEXT_ID_MAX || /[\u0000-\u001f]/.test(value)) {
            throw new InvalidPayment(field, `expected a non-empty string of at most ${TEXT_ID_MAX} characters without control characters`);
        }
        return value;
    };
    if (typeof p.amount !== "number" || !Number.isSafeInteger(p.amount) || p.amount <= 0) {
        throw new InvalidPayment("amount", `${JSON.stringify(p.amount)} must be a positive whole number in the currency's minor unit (cents)`);
    }
    if (typeof p.currency !== "string" || !CURRENCY.test(p.currency)) throw new InvalidPayment("currency", `${JSON.stringify(p.currency)} must be an ISO 4217 code in capitals, e.g. EUR`);
    return { paymentId: checkPaymentId(p.paymentId), orderId: text("orderId"), userId: text("userId"), amount: p.amount, currency: p.currency };
}

/**
 * The payment as it stands: its record, with the outcome item deciding the status when the record
 * does not show it yet (a writer decides the outcome first, then mirrors it into the record).
 */
export async function readPayment(payments: TableClient<Item>, paymentId: string): Promise<PaymentRecord | undefined> {
    const record = (await payments.get({ paymentId })) as unknown as PaymentRecord | undefined;
    if (!record || isFinal(record.status)) return record;
    const result = (await payments.get({ paymentId: resultKey(paymentId) })) as unknown as PaymentResult | undefined;
    return result ? { ...record, status: result.status, ...(result.reason ? { reason: result.reason } : {}) } : record;
}

/** A workflow execution, as the target's workflow service reports it. */
export interface ExecutionState {
    status: "running" | "succeeded" | "failed" | "timed_out" | "aborted";
    /** The execution's input, where the service returns it. */
    input?: PaymentExecutionInput;
    startedAt: string;
}

/** `start` either started the execution, or found the name taken. */
export type StartOutcome = { started: true; executionId: string } | { started: false; detail: string };

/**
 * How one target runs the workflow: Step Functions on AWS, ASW on Tencent Cloud, the local
 * executor. `workflowId` is what the PaymentWorkflow's link gives: the state machine's ARN, the
 * ASW flow's resource id, the local workflow's id.
 */
export interface PaymentsTransport {
    /** Starts an execution named `name` with `input`; `started: false` when that name was used before. */
    start(workflowId: string, name: string, input: PaymentExecutionInput): Promise<StartOutcome>;
    /** The execution named `name`, or undefined when there is none. */
    describe(workflowId: string, name: string): Promise<ExecutionState | undefined>;
    /**
     * Completes the wait holding `token` with `output` (callback mode). Resolves false when the
     * token is no longer waited for (completed, timed out, or its execution ended): not an error.
     */
    resume(token: string, output: Record<string, unknown>): Promise<boolean>;
}

/** What a PaymentWorkflow's link tells a function: SB_PAYMENTS_<NAME>_TABLE, _WORKFLOW and _CALLBACK_URL. */
export interface PaymentsSettings {
    name: string;
    /** The payments Table's component name (its own link's variables are set too). */
    table: string;
    workflowId: string;
    /** The callback route's URL (the component's link carries it; the workflow's own tasks do without). */
    callbackUrl?: string;
}

export function paymentsSettings(name: string): PaymentsSettings {
    const callbackUrl = linkedSetting("payments", name, "callback_url");
    return { name, table: linkedValue("payments", name, "table"), workflowId: linkedValue("payments", name, "workflow"), ...(callbackUrl ? { callbackUrl } : {}) };
}

/** The transport of the target this bundle runs on. */
export function paymentsTransport(): PaymentsTransport {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and SDK) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/payments").awsPayments;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/payments").tencentPayments;
    if (process.env.SB_TARGET === "local") return require("./local/payments").localPayments;
    throw new Error(`unknown target ${currentTarget()}`);
}

/** The client for `settings` over `transport` and the payments table: what `payments(name)` returns, and what tests build directly. */
export function paymentsClient(settings: PaymentsSettings, transport: PaymentsTransport, records: TableClient<Item>, newStartId: () => string = randomUUID) {
    return {
        /**
         * Starts the payment's workflow. Rejects with InvalidPayment naming a bad field, and with
         * PaymentAlreadyStarted when this payment id was started before.
         */
        async start(payment: Payment): Promise<{ paymentId: string; executionId: string; startId: string }> {
            const checked = checkPayment(payment);
            const startId = newStartId();
            const input: PaymentExecutionInput = { ...checked, startId, ...(settings.callbackUrl ? { callbackUrl: settings.callbackUrl } : {}) };
            const outcome = await transport.start(settings.workflowId, checked.paymentId, input);
            if (!outcome.started) throw new PaymentAlreadyStarted(settings.name, checked.paymentId, outcome.detail);
            return { paymentId: checked.paymentId, executionId: outcome.executionId, startId };
        },
        /**
         * The payment's record; right after `start`, before the workflow wrote it, a `requested`
         * view of the running execution; undefined for a payment never started.
         */
        async status(paymentId: string): Promise<PaymentRecord | undefined> {
            const id = checkPaymentId(paymentId);
            const record = await readPayment(records, id);
            if (record) return record;
            const execution = await transport.describe(settings.workflowId, id);
            if (!execution || execution.status !== "running" || !execution.input) return undefined;
            const { startId, callbackUrl: _callbackUrl, ...payment } = execution.input;
            return { ...checkPayment(payment), status: "requested", round: 0, notified: false, startId, createdAt: execution.startedAt, updatedAt: execution.startedAt };
        },
    };
}

export type PaymentsClient = ReturnType<typeof paymentsClient>;

/**
 * The PaymentWorkflow linked under `name` (`link: [checkout.link]` makes `payments("checkout")` work).
 *
 * @example await payments("checkout").start({ paymentId: `pay-${order.orderId}`, orderId: order.orderId, userId, amount: 1250, currency: "EUR" });
 * @example const record = await payments("checkout").status(paymentId); // record?.status === "succeeded"
 */
export function payments(name: string): PaymentsClient {
    // Read on each call, so that a client made at module load still finds its link's variables.
    const client = () => {
        const settings = paymentsSettings(name);
        return paymentsClient(settings, paymentsTransport(), table(settings.table));
    };
    return {
        start: async (payment) => client().start(payment),
        status: async (paymentId) => client().status(paymentId),
    };
}
