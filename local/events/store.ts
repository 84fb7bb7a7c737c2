// The local event store: one SQLite database under the runtime's data directory holding each
// task's durable queue, its dead letters, the hubs' event log and the schedules' next runs.
// Every state change is one transaction, so a crash (kill -9) leaves each message either
// queued, in flight (recovered at the next start) or dead-lettered, never lost. WAL with
// synchronous=NORMAL survives a process crash; a power loss may lose the last transactions.
//
// A message in flight carries a lease: a token and a deadline (kept in `available_at`, so a
// delivery whose lease ran out is simply available again). Acknowledging or failing a delivery
// names its lease, so an answer that comes after the lease was taken over is ignored.
import * as fs from "node:fs";
import * as path from "node:path";
import type Database from "better-sqlite3";
import { openVersionedDatabase } from "../sqlite";

/** An event as the hub stored it; the handler receives it plus `attempt`. */
export interface StoredEvent {
    id: string;
    source: string;
    type: string;
    time: string;
    detail: unknown;
}

/** A message claimed for delivery. `attempts` counts this one. */
export interface Delivery {
    seq: number;
    task: string;
    event: StoredEvent;
    attempts: number;
    lease: string;
    enqueuedAt: number;
}

export type DeadLetterReason = "failed" | "expired" | "lost";

export interface DeadLetterRecord {
    /** The event's id: unique per task's dead letters, and the message id `npm run dlq` takes. */
    id: string;
    task: string;
    event: StoredEvent;
    attempts: number;
    error: string;
    /** failed: the handler threw on the last attempt; expired: older than maxEventAge; lost: no answer in time. */
    reason: DeadLetterReason;
    enqueuedAt: number;
    failedAt: number;
}

export interface DeliveryPolicy {
    /** retries + 1 */
    maxAttempts: number;
    /** maxEventAge, in ms, counted from when the task's queue received the event. */
    maxAgeMs: number;
    /** How long a delivery may stay unanswered before it counts as lost: the function timeout plus a margin. */
    visibilityMs: number;
}

export interface QueueCounts {
    queued: number;
    inFlight: number;
    deadLetters: number;
}

export const DATABASE_FILE = "events.sqlite";
const SCHEMA_VERSION = 1;
const INTERRUPTED = "delivery interrupted: the local runtime stopped during attempt";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    task         TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'inflight')),
    available_at INTEGER NOT NULL,
    lease        TEXT,
    enqueued_at  INTEGER NOT NULL,
    last_error   TEXT,
    UNIQUE (task, event_id)
);
CREATE INDEX IF NOT EXISTS messages_available ON messages (task, available_at, seq);
CREATE TABLE IF NOT EXISTS dead_letters (
    task        TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    event       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL,
    error       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    enqueued_at INTEGER NOT NULL,
    failed_at   INTEGER NOT NULL,
    PRIMARY KEY (task, event_id)
);
CREATE TABLE IF NOT EXISTS events (
    id           TEXT    PRIMARY KEY,
    bus          TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    published_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_published ON events (bus, published_at);
CREATE TABLE IF NOT EXISTS schedules (
    task       TEXT    PRIMARY KEY,
    expression TEXT    NOT NULL,
    next_run   INTEGER NOT NULL
);`;

interface MessageRow { seq: number; task: string; event: string; attempts: number; state: string; enqueued_at: number; last_error: string | null }
interface DeadLetterRow { task: string; event_id: string; event: string; attempts: number; error: string; reason: DeadLetterReason; enqueued_at: number; failed_at: number }

export class EventStore {
    private leases = 0;
    private readonly leasePrefix = `${process.pid}.${Date.now().toString(36)}`;
    private readonly sql: Statements;

    private constructor(private readonly db: Database.Database, readonly file: string) {
        this.sql = prepareStatements(db);
    }

    /** Opens (creating if needed) the store in `dataDir`; `mustExist` for tools that only read what a runtime wrote. */
    static open(dataDir: string, options: { mustExist?: boolean } = {}): EventStore {
        const file = path.join(dataDir, DATABASE_FILE);
        if (options.mustExist && !fs.existsSync(file)) {
            throw new Error(`no local event data at ${file}: has the app run here (npm start), or is --data-dir wrong?`);
        }
        fs.mkdirSync(dataDir, { recursive: true });
        return new EventStore(openVersionedDatabase(file, SCHEMA, SCHEMA_VERSION), file);
    }

    /**
     * Runs `fn` in one write transaction (nested calls join the outer one). IMMEDIATE takes the
     * write lock up front, so another process writing meanwhile (npm run dlq) makes this wait
     * (busy timeout) instead of failing on a stale read snapshot.
     */
    transaction<T>(fn: () => T): T {
        return this.db.transaction(fn).immediate();
    }

    /** Queues `event` for `task`; a second enqueue of the same event id for the same task is a no-op. */
    enqueue(task: string, event: StoredEvent, now = Date.now()): void {
        this.sql.enqueue.run(task, event.id, JSON.stringify(event), now, now);
    }

    /**
     * Takes up to `limit` messages whose time has come (new, due for retry, or whose lease ran
     * out), leasing each for `visibilityMs`. Messages past their age or out of attempts are
     * dead-lettered instead and returned as such.
     */
    claim(task: string, limit: number, policy: DeliveryPolicy, now = Date.now()): { deliveries: Delivery[]; deadLettered: DeadLetterRecord[] } {
        return this.transaction(() => {
            const deliveries: Delivery[] = [];
            const deadLettered: DeadLetterRecord[] = [];
            for (const row of this.sql.available.all(task, now, limit)) {
                const lost = row.state === "inflight";
                if (lost) {
                    const error = `no answer within the visibility timeout (${Math.round(policy.visibilityMs / 1000)}s) on attempt ${row.attempts}`;
                    this.sql.noteLost.run(error, row.seq);
                    row.last_error = error;
                }
                if (now - row.enqueued_at > policy.maxAgeMs) {
                    const last = row.last_error ? `; last error: ${row.last_error}` : "";
                    deadLettered.push(this.bury(row, `older than maxEventAge (${Math.round(policy.maxAgeMs / 1000)}s) after ${row.attempts} attempt(s)${last}`, "expired", now));
                } else if (row.attempts >= policy.maxAttempts) {
                    const interrupted = lost || (row.last_error ?? "").startsWith(INTERRUPTED);
                    deadLettered.push(this.bury(row, row.last_error ?? "out of attempts", interrupted ? "lost" : "failed", now));
                } else {
                    const lease = `${this.leasePrefix}.${++this.leases}`;
                    this.sql.take.run(lease, now + policy.visibilityMs, row.seq);
                    deliveries.push({ seq: row.seq, task, event: JSON.parse(row.event), attempts: row.attempts + 1, lease, enqueuedAt: row.enqueued_at });
                }
            }
            return { deliveries, deadLettered };
        });
    }

    /** The delivery succeeded: the message is done. False if the lease was lost meanwhile. */
    complete(delivery: Delivery): boolean {
        return this.sql.complete.run(delivery.seq, delivery.lease).changes === 1;
    }

    /**
     * The delivery failed with `error`: retry after `delayMs`, or dead-letter it if that was the
     * last attempt. "stale" if the lease was lost meanwhile (another attempt owns the message).
     */
    fail(delivery: Delivery, error: string, policy: DeliveryPolicy, delayMs: number, now = Date.now()): { outcome: "retry"; at: number } | { outcome: "dead"; record: DeadLetterRecord } | { outcome: "stale" } {
        return this.transaction(() => {
            const row = this.sql.byLease.get(delivery.seq, delivery.lease);
            if (!row) return { outcome: "stale" as const };
            if (row.attempts >= policy.maxAttempts) return { outcome: "dead" as const, record: this.bury(row, error, "failed", now) };
            this.sql.retry.run(now + delayMs, error, delivery.seq, delivery.lease);
            return { outcome: "retry" as const, at: now + delayMs };
        });
    }

    /** Gives a delivery back unattempted (clean shutdown): the attempt does not count. */
    release(delivery: Delivery, now = Date.now()): boolean {
        return this.sql.release.run(now, delivery.seq, delivery.lease).changes === 1;
    }

    /**
     * After a crash: every message that was in flight is queued again, now. The interrupted
     * attempt counts (a handler that kills the runtime must not retry forever).
     */
    recover(now = Date.now()): { task: string; eventId: string }[] {
        return (this.sql.recover.all(now) as { task: string; event_id: string }[]).map((r) => ({ task: r.task, eventId: r.event_id }));
    }

    private bury(row: MessageRow, error: string, reason: DeadLetterReason, now: number): DeadLetterRecord {
        this.sql.bury.run(row.task, JSON.parse(row.event).id, row.event, row.attempts, error, reason, row.enqueued_at, now);
        this.sql.remove.run(row.seq);
        return toDeadLetter({ task: row.task, event_id: JSON.parse(row.event).id, event: row.event, attempts: row.attempts, error, reason, enqueued_at: row.enqueued_at, failed_at: now });
    }

    /** When the task's next message becomes available (ms since the epoch), if it has any. */
    nextAvailable(task: string): number | undefined {
        return this.sql.nextAvailable.get(task)?.next ?? undefined;
    }

    counts(task: string): QueueCounts {
        const counts: QueueCounts = { queued: 0, inFlight: 0, deadLetters: this.sql.deadCount.get(task)?.n ?? 0 };
        for (const { state, n } of this.sql.counts.all(task)) {
            if (state === "pending") counts.queued = n;
            else counts.inFlight = n;
        }
        return counts;
    }

    deadLetters(task: string): DeadLetterRecord[] {
        return this.sql.deadLetters.all(task).map(toDeadLetter);
    }

    deadLetter(task: string, id: string): DeadLetterRecord | undefined {
        const row = this.sql.deadLetter.get(task, id);
        return row && toDeadLetter(row);
    }

    /**
     * Queues dead letters again with their original event, attempts reset and their age counted
     * from now; each leaves the DLQ in the same transaction that queues it. Without `ids`, all.
     */
    redrive(task: string, ids?: string[], now = Date.now()): { redriven: string[]; missing: string[] } {
        return this.transaction(() => {
            const redriven: string[] = [];
            const missing: string[] = [];
            const rows = ids ? ids.map((id) => this.sql.deadLetter.get(task, id) ?? id) : this.sql.deadLetters.all(task);
            for (const row of rows) {
                if (typeof row === "string") {
                    missing.push(row);
                    continue;
                }
                this.sql.enqueue.run(task, row.event_id, row.event, now, now);
                this.sql.unbury.run(task, row.event_id);
                redriven.push(row.event_id);
            }
            return { redriven, missing };
        });
    }

    /** Keeps a published event in the hub's log (its archive). */
    archive(bus: string, event: StoredEvent, now = Date.now()): void {
        this.sql.archive.run(event.id, bus, JSON.stringify(event), now);
    }

    /** Drops a hub's log entries published before `before`. */
    pruneArchive(bus: string, before: number): number {
        return this.sql.prune.run(bus, before).changes;
    }

    schedule(task: string): { expression: string; nextRun: number } | undefined {
        const row = this.sql.schedule.get(task);
        return row && { expression: row.expression, nextRun: row.next_run };
    }

    setSchedule(task: string, expression: string, nextRun: number): void {
        this.sql.setSchedule.run(task, expression, nextRun);
    }

    /** Tasks that have queued messages, dead letters or a schedule. */
    tasks(): string[] {
        return this.sql.tasks.all().map((r) => r.task);
    }

    close(): void {
        if (this.db.open) this.db.close();
    }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
    return {
        enqueue: db.prepare(`INSERT OR IGNORE INTO messages (task, event_id, event, attempts, state, available_at, enqueued_at) VALUES (?, ?, ?, 0, 'pending', ?, ?)`),
        available: db.prepare<MessageRow>(`SELECT seq, task, event, attempts, state, enqueued_at, last_error FROM messages WHERE task = ? AND available_at <= ? ORDER BY available_at, seq LIMIT ?`),
        take: db.prepare(`UPDATE messages SET state = 'inflight', attempts = attempts + 1, lease = ?, available_at = ? WHERE seq = ?`),
        noteLost: db.prepare(`UPDATE messages SET last_error = ? WHERE seq = ?`),
        byLease: db.prepare<MessageRow>(`SELECT seq, task, event, attempts, state, enqueued_at, last_error FROM messages WHERE seq = ? AND lease = ?`),
        complete: db.prepare(`DELETE FROM messages WHERE seq = ? AND lease = ?`),
        retry: db.prepare(`UPDATE messages SET state = 'pending', lease = NULL, available_at = ?, last_error = ? WHERE seq = ? AND lease = ?`),
        release: db.prepare(`UPDATE messages SET state = 'pending', lease = NULL, available_at = ?, attempts = attempts - 1 WHERE seq = ? AND lease = ?`),
        recover: db.prepare(`UPDATE messages SET state = 'pending', lease = NULL, available_at = ?, last_error = '${INTERRUPTED} ' || attempts WHERE state = 'inflight' RETURNING task, event_id`),
        remove: db.prepare(`DELETE FROM messages WHERE seq = ?`),
        bury: db.prepare(`INSERT OR REPLACE INTO dead_letters (task, event_id, event, attempts, error, reason, enqueued_at, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
        nextAvailable: db.prepare<{ next: number | null }>(`SELECT MIN(available_at) AS next FROM messages WHERE task = ?`),
        counts: db.prepare<{ state: string; n: number }>(`SELECT state, COUNT(*) AS n FROM messages WHERE task = ? GROUP BY state`),
        deadCount: db.prepare<{ n: number }>(`SELECT COUNT(*) AS n FROM dead_letters WHERE task = ?`),
        deadLetters: db.prepare<DeadLetterRow>(`SELECT * FROM dead_letters WHERE task = ? ORDER BY failed_at, event_id`),
        deadLetter: db.prepare<DeadLetterRow>(`SELECT * FROM dead_letters WHERE task = ? AND event_id = ?`),
        unbury: db.prepare(`DELETE FROM dead_letters WHERE task = ? AND event_id = ?`),
        archive: db.prepare(`INSERT OR IGNORE INTO events (id, bus, event, published_at) VALUES (?, ?, ?, ?)`),
        prune: db.prepare(`DELETE FROM events WHERE bus = ? AND published_at < ?`),
        schedule: db.prepare<{ expression: string; next_run: number }>(`SELECT expression, next_run FROM schedules WHERE task = ?`),
        setSchedule: db.prepare(`INSERT INTO schedules (task, expression, next_run) VALUES (?, ?, ?) ON CONFLICT (task) DO UPDATE SET expression = excluded.expression, next_run = excluded.next_run`),
        tasks: db.prepare<{ task: string }>(`SELECT task FROM messages UNION SELECT task FROM dead_letters UNION SELECT task FROM schedules ORDER BY task`),
    };
}

function toDeadLetter(row: DeadLetterRow): DeadLetterRecord {
    return {
        id: row.event_id,
        task: row.task,
        event: JSON.parse(row.event),
        attempts: row.attempts,
        error: row.error,
        reason: row.reason,
        enqueuedAt: row.enqueued_at,
        failedAt: row.failed_at,
    };
}
