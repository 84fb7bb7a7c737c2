// Runs one task's schedule: at each run time it queues a "Scheduled Event" for the task. The
// next run time is kept in the store and advanced in the same transaction that queues the
// event, so a restart neither fires a run twice nor forgets it; runs missed while the runtime
// was down fire once at the next start (as a late run), not once per missed run.
import { randomUUID } from "node:crypto";
import { nextRun, Schedule } from "../../components/events/schedule";
import type { EventStore, StoredEvent } from "./store";

/** What a scheduled run delivers; `type` is EventBridge's detail-type for scheduled rules. */
export const SCHEDULED_EVENT = { source: "serverless-blocks.schedule", type: "Scheduled Event" };

/** Timers are re-armed at least this often, so long waits survive clock changes and setTimeout's limit. */
const MAX_SLEEP_MS = 60_000;
/** Stored as the next run of a schedule that has none left (a cron whose years are over). */
const NEVER = 8.64e15;

export class TaskScheduler {
    private timer?: NodeJS.Timeout;
    private stopped = false;

    constructor(
        readonly task: string,
        readonly schedule: Schedule,
        private readonly store: EventStore,
        private readonly queued: () => void,
        private readonly log: (line: string) => void,
    ) {}

    start(): void {
        this.stopped = false;
        const saved = this.store.schedule(this.task);
        if (!saved || saved.expression !== this.schedule.expression) {
            this.store.setSchedule(this.task, this.schedule.expression, this.following(Date.now()));
        }
        this.arm();
    }

    /** The next run, as the store has it; undefined when the schedule has no run left. */
    get nextRun(): Date | undefined {
        const saved = this.store.schedule(this.task);
        return saved && saved.nextRun < NEVER ? new Date(saved.nextRun) : undefined;
    }

    private following(after: number): number {
        try {
            return nextRun(this.schedule, new Date(after)).getTime();
        } catch {
            this.log(`local runtime: task '${this.task}': ${this.schedule.expression} has no run after ${new Date(after).toISOString()}`);
            return NEVER;
        }
    }

    stop(): void {
        this.stopped = true;
        clearTimeout(this.timer);
    }

    private arm(): void {
        if (this.stopped) return;
        const due = this.store.schedule(this.task)!.nextRun;
        if (due >= NEVER) return;
        this.timer = setTimeout(() => this.tick(), Math.min(Math.max(due - Date.now(), 0), MAX_SLEEP_MS));
        this.timer.unref();
    }

    private tick(): void {
        if (this.stopped) return;
        try {
            const now = Date.now();
            const due = this.store.schedule(this.task)!.nextRun;
            if (due <= now) {
                const event: StoredEvent = { id: randomUUID(), ...SCHEDULED_EVENT, time: new Date(due).toISOString(), detail: {} };
                this.store.transaction(() => {
                    this.store.enqueue(this.task, event, now);
                    this.store.setSchedule(this.task, this.schedule.expression, this.following(Math.max(now, due)));
                });
                this.queued();
            }
            this.arm();
        } catch (err) {
            // The database stayed busy: say so, look again in a while.
            this.log(`local runtime: task '${this.task}' schedule ${this.schedule.expression}: ${(err as Error).message}`);
            if (!this.stopped) this.timer = setTimeout(() => this.tick(), MAX_SLEEP_MS).unref();
        }
    }
}
