// Delivers one task's queue to its function: claims what is due (up to `concurrency` at once),
// invokes the function with the hub event and the attempt number, then acknowledges, schedules
// a retry with exponential backoff, or dead-letters. Woken at once by publishes in this process;
// otherwise it sleeps until the next retry is due, looking at least every `pollIntervalMs` for
// work another process queued (`npm run dlq -- redrive`) and for leases that ran out.
import type { HubEvent } from "../../functions/runtime/events";
import type { DeadLetterRecord, Delivery, DeliveryPolicy, EventStore } from "./store";

export interface DispatchOptions {
    concurrency: number;
    retryBaseDelayMs: number;
    retryMaxDelayMs: number;
    pollIntervalMs: number;
    log: (line: string) => void;
}

/** What happened to one delivery, for status, logs and benchmarks. */
export interface DeliveryReport {
    task: string;
    eventId: string;
    attempt: number;
    outcome: "processed" | "retry" | "dead" | "stale";
    error?: string;
    /** performance.now() when the invocation started and when its answer was recorded. */
    startedAt: number;
    finishedAt: number;
}

export type Invoke = (input: { kind: "event"; event: HubEvent }) => Promise<unknown>;

export class TaskDispatcher {
    private readonly inFlight = new Map<number, { delivery: Delivery; settled: Promise<void> }>();
    /** Leases given back at a stop: their late answers are ignored. */
    private readonly abandoned = new Set<string>();
    private timer?: NodeJS.Timeout;
    private pumpQueued = false;
    private stopped = false;
    processed = 0;
    failedAttempts = 0;
    deadLettered = 0;

    constructor(
        readonly task: string,
        private readonly store: EventStore,
        private readonly invoke: Invoke,
        private readonly policy: DeliveryPolicy,
        private readonly options: DispatchOptions,
        private readonly report: (r: DeliveryReport) => void,
        private readonly onDeadLetter: (record: DeadLetterRecord) => void,
    ) {}

    start(): void {
        this.stopped = false;
        this.wake();
    }

    /** Looks for work soon (coalesced: many wakes make one pump). */
    wake(): void {
        if (this.stopped || this.pumpQueued) return;
        this.pumpQueued = true;
        setImmediate(() => {
            this.pumpQueued = false;
            this.pump();
        });
    }

    /** Delay before attempt `attempt + 1`: base, 2 x base, 4 x base, ... capped. */
    backoff(attempt: number): number {
        return Math.min(this.options.retryBaseDelayMs * 2 ** (attempt - 1), this.options.retryMaxDelayMs);
    }

    private pump(): void {
        if (this.stopped) return;
        clearTimeout(this.timer);
        try {
            const room = this.options.concurrency - this.inFlight.size;
            if (room > 0) {
                const { deliveries, deadLettered } = this.store.claim(this.task, room, this.policy);
                for (const record of deadLettered) this.buried(record);
                for (const delivery of deliveries) this.deliver(delivery);
            }
        } catch (err) {
            // E.g. the database stayed locked past its busy timeout: try again at the next poll.
            this.options.log(`local runtime: task '${this.task}': ${(err as Error).message}; retrying`);
        }
        this.sleep();
    }

    /** Sleeps until the next message is due, or the poll interval, whichever comes first. */
    private sleep(): void {
        if (this.stopped) return;
        let next: number | undefined;
        try {
            next = this.store.nextAvailable(this.task);
        } catch {
            next = undefined;
        }
        const full = this.inFlight.size >= this.options.concurrency;
        const wait = next === undefined || full ? this.options.pollIntervalMs : Math.min(Math.max(next - Date.now(), 0), this.options.pollIntervalMs);
        this.timer = setTimeout(() => this.pump(), wait);
        this.timer.unref();
    }

    private deliver(delivery: Delivery): void {
        const startedAt = performance.now();
        const event: HubEvent = { ...delivery.event, attempt: delivery.attempts };
        const settled = this.invoke({ kind: "event", event }).then(
            () => this.settle(delivery, startedAt),
            (err: unknown) => this.settle(delivery, startedAt, err instanceof Error ? err.message : String(err)),
        );
        this.inFlight.set(delivery.seq, { delivery, settled });
    }

    private settle(delivery: Delivery, startedAt: number, error?: string): void {
        const current = this.inFlight.get(delivery.seq);
        if (current?.delivery.lease === delivery.lease) this.inFlight.delete(delivery.seq);
        if (this.abandoned.has(delivery.lease)) return; // given back at shutdown: the queue no longer expects this answer
        const base = { task: this.task, eventId: delivery.event.id, attempt: delivery.attempts, startedAt };
        try {
            if (error === undefined) {
                const done = this.store.complete(delivery);
                if (done) this.processed++;
                this.report({ ...base, outcome: done ? "processed" : "stale", finishedAt: performance.now() });
            } else {
                this.failedAttempts++;
                const result = this.store.fail(delivery, error, this.policy, this.backoff(delivery.attempts));
                if (result.outcome === "dead") this.buried(result.record);
                this.report({ ...base, outcome: result.outcome, error, finishedAt: performance.now() });
            }
        } catch (err) {
            // The answer could not be recorded: the message stays leased and is delivered again
            // when the lease runs out (at least once).
            this.options.log(`local runtime: task '${this.task}': recording the answer for event ${delivery.event.id} failed: ${(err as Error).message}`);
        }
        this.wake();
    }

    private buried(record: DeadLetterRecord): void {
        this.deadLettered++;
        this.onDeadLetter(record);
    }

    /** Deliveries in flight right now (in this process). */
    get inFlightCount(): number {
        return this.inFlight.size;
    }

    /**
     * Stops claiming; waits up to `graceMs` for deliveries in flight to be answered, then gives
     * the rest back to the queue unattempted, so a clean stop neither loses nor burns attempts.
     */
    async stop(graceMs: number): Promise<void> {
        this.stopped = true;
        clearTimeout(this.timer);
        const pending = [...this.inFlight.values()];
        if (pending.length > 0) {
            let timer: NodeJS.Timeout | undefined;
            const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
            await Promise.race([Promise.all(pending.map((p) => p.settled)), grace]);
            clearTimeout(timer);
        }
        for (const { delivery } of this.inFlight.values()) {
            this.abandoned.add(delivery.lease);
            this.store.release(delivery);
        }
        this.inFlight.clear();
    }
}
