// The payment record and every write to it. Several writers race: the payment service's callbacks
// (duplicated, out of order), the workflow's status checks, its time-out and its failure catch.
// The table offers one atomic decision on every backend, `put(..., { ifNotExists: true })`, so:
// - the final outcome is the item `result#<id>`, written once: whoever writes it first decides,
//   and every later writer finds it and defers to it; the record then mirrors it (a reader that
//   comes between the two sees the outcome through readPayment);
// - a `processing` report re-reads the outcome after its own write and restores it if that write
//   came last, so a late or reordered `processing` never leaves a final payment un-final;
// - the notice is the item `notice#<id>`, claimed once (by the execution that owns the record).
import { ConditionFailedError, ItemNotFoundError, table, type Item, type TableClient } from "../runtime/clients/table";
import {
    isFinal,
    noticeKey,
    readPayment,
    resultKey,
    type FinalStatus,
    type PaymentExecutionInput,
    type PaymentRecord,
    type PaymentResult,
    type ReportedStatus,
} from "../runtime/clients/payments";
import { linkedValue } from "../runtime/clients/target";
import { SERVES_ENV } from "./names";


/** Another start (execution) of this payment made the record. */
export class PaymentStartedBefore extends Error {
    constructor(readonly paymentId: string) {
        super(`payment '${paymentId}' has a record from another start; each payment id is started once`);
        this.name = "PaymentStartedBefore";
    }
}

/** A write that changed the payment, or found it as it is. */
export interface Written {
    record: PaymentRecord;
    changed: boolean;
}

export class PaymentStore {
    constructor(
        private readonly items: TableClient<Item>,
        private readonly clock: () => number = Date.now,
    ) {}

    private now(): string {
        return new Date(this.clock()).toISOString();
    }

    read(paymentId: string): Promise<PaymentRecord | undefined> {
        return readPayment(this.items, paymentId);
    }

    /**
     * The record of a started payment, `requested`. The same start again (a retried state) finds
     * its own record; a record of another start is refused with PaymentStartedBefore.
     */
    async create(input: PaymentExecutionInput): Promise<PaymentRecord> {
        const at = this.now();
        const { paymentId, orderId, userId, amount, currency, startId } = input;
        const record: PaymentRecord = { paymentId, orderId, userId, amount, currency, startId, status: "requested", round: 0, notified: false, createdAt: at, updatedAt: at };
        try {
            await this.items.put(record as unknown as Item, { ifNotExists: true });
            return record;
        } catch (error) {
            if (!(error instanceof ConditionFailedError)) throw error;
        }
        const existing = await this.read(paymentId);
        if (existing && existing.startId === startId) return existing;
        throw new PaymentStartedBefore(paymentId);
    }

    /**
     * What the payment service reported (a callback, a check). A final status decides the outcome
     * unless one was decided before; `processing` moves a `requested` payment on and changes
     * nothing else. Undefined when there is no such payment.
     */
    async report(paymentId: string, status: ReportedStatus): Promise<Written | undefined> {
        const record = await this.read(paymentId);
        if (!record) return undefined;
        if (status !== "processing") return this.decide(record, status, undefined, true);
        if (record.status !== "requested") return { record: await this.mirror(record), changed: false };
        await this.items.update({ paymentId }, { status: "processing", updatedAt: this.now() });
        // An outcome decided meanwhile must win over the write just made.
        return { record: await this.mirror((await this.read(paymentId))!), changed: true };
    }

    /**
     * Decides the outcome from the workflow's side (time-out, failure, or the status it saw).
     * An outcome decided before stands, and is what resolves. The record is made if the failure
     * came before it was (so the payment still reads as failed).
     */
    async finish(input: PaymentExecutionInput, status: FinalStatus, reason?: string): Promise<Written> {
        const record = (await this.read(input.paymentId)) ?? (await this.create(input));
        return this.decide(record, status, reason, false);
    }

    /** Keeps the token of the wait in progress (callback mode); resolves to the payment as it stands. */
    async saveToken(paymentId: string, taskToken: string): Promise<PaymentRecord> {
        await this.items.update({ paymentId }, { taskToken, updatedAt: this.now() });
        return (await this.read(paymentId))!;
    }

    /** Counts a status check. */
    async advance(paymentId: string, round: number): Promise<void> {
        await this.items.update({ paymentId }, { round, updatedAt: this.now() });
    }

    /**
     * Claims the completion notice: true for exactly one start of the payment (again true when
     * that start's claim is retried), false for any other.
     */
    async claimNotice(paymentId: string, startId: string): Promise<boolean> {
        try {
            await this.items.put({ paymentId: noticeKey(paymentId), startId, claimedAt: this.now() }, { ifNotExists: true });
        } catch (error) {
            if (!(error instanceof ConditionFailedError)) throw error;
            const claim = await this.items.get({ paymentId: noticeKey(paymentId) });
            if (claim?.startId !== startId) return false;
        }
        try {
            await this.items.update({ paymentId }, { notified: true });
        } catch (error) {
            if (!(error instanceof ItemNotFoundError)) throw error;
        }
        return true;
    }

    private async decide(record: PaymentRecord, status: FinalStatus, reason: string | undefined, reported: boolean): Promise<Written> {
        const { paymentId } = record;
        if (!isFinal(record.status)) {
            const at = this.now();
            const result: PaymentResult = { status, decidedAt: at, ...(reason ? { reason } : {}) };
            try {
                await this.items.put({ paymentId: resultKey(paymentId), ...result } as Item, { ifNotExists: true });
                const updated = await this.items.update({ paymentId }, { status, updatedAt: at, ...(reason ? { reason } : {}) });
                return { record: updated as unknown as PaymentRecord, changed: true };
            } catch (error) {
                if (!(error instanceof ConditionFailedError)) throw error;
            }
            record = (await this.read(paymentId))!;
        }
        const settled = await this.mirror(record);
        if (reported && settled.status !== status) return { record: await this.noteLate(settled, status as ReportedStatus), changed: false };
        return { record: settled, changed: false };
    }

    /** Makes the stored record show the decided outcome (a writer may have stopped between the two writes). */
    private async mirror(record: PaymentRecord): Promise<PaymentRecord> {
        if (!isFinal(record.status)) return record;
        const stored = await this.items.get({ paymentId: record.paymentId });
        if (stored?.status === record.status) return record;
        return (await this.items.update({ paymentId: record.paymentId }, { status: record.status, ...(record.reason ? { reason: record.reason } : {}) })) as unknown as PaymentRecord;
    }

    /** A report contradicting the outcome: kept beside it for reconciliation (a refund, a second look), never replacing it. */
    private async noteLate(record: PaymentRecord, status: ReportedStatus): Promise<PaymentRecord> {
        console.warn(`payment ${record.paymentId} is ${record.status}, but the payment service now reports ${status}: kept as 'late' for reconciliation`);
        return (await this.items.update({ paymentId: record.paymentId }, { late: { status, at: this.now() } })) as unknown as PaymentRecord;
    }
}

/** The store of the PaymentWorkflow this function serves (its built-in tasks and its callback). */
export function servedStore(): PaymentStore {
    const name = process.env[SERVES_ENV];
    if (!name) throw new Error(`${SERVES_ENV} is not set: the PaymentWorkflow sets it on its own functions`);
    return new PaymentStore(table(linkedValue("payments", name, "table")));
}
