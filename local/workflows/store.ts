// The local workflows' executions, in one SQLite database under the runtime's data directory
// (`workflows.sqlite`, beside the event store; the data directory's lock covers both): each
// execution (its input, status, output or error, the step it is at) and its history, one row per
// state entered, with the state's input, how it ended, where it led and what happened on the way
// (retries, caught errors, a resume). A state's end and the next state's entry are one
// transaction, so after a crash (kill -9) an execution is at exactly one state, which runs again:
// at least once per state, as the event queues deliver. WAL with synchronous=NORMAL, as there.
import * as fs from "node:fs";
import * as path from "node:path";
import type Database from "better-sqlite3";
import { openVersionedDatabase } from "../sqlite";

export type ExecutionStatus = "running" | "succeeded" | "failed" | "timed_out" | "aborted";
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ["running", "succeeded", "failed", "timed_out", "aborted"];

export interface ExecutionRecord {
    workflow: string;
    name: string;
    status: ExecutionStatus;
    input: unknown;
    output?: unknown;
    error?: string;
    cause?: string;
    /** The step (`seq`) it is at, or ended at. */
    step: number;
    startedAt: number;
    stoppedAt?: number;
    /** When the whole execution times out (the definition's TimeoutSeconds, scaled), if it does. */
    deadline?: number;
}

/** Something that happened while a state ran. */
export interface StepEvent {
    type: "failed" | "retried" | "caught" | "resumed";
    at: number;
    error?: string;
    cause?: string;
    /** retried: which retry this was. */
    attempt?: number;
    /** The state inside a Parallel or Map it happened in; absent for the step's own state. */
    state?: string;
}

export interface StepRecord {
    seq: number;
    state: string;
    type: string;
    input: unknown;
    enteredAt: number;
    /** Times the state was started: more than 1 after a restart interrupted it. */
    attempts: number;
    /** A Wait's or a task-token wait's end (ms since the epoch), kept so a restart waits only what is left. */
    deadline?: number;
    /** A task-token wait's token. */
    token?: string;
    /** The output a resume brought (once). */
    resumed?: unknown;
    output?: unknown;
    next?: string;
    exitedAt?: number;
    error?: string;
    cause?: string;
    events: StepEvent[];
}

/** How a state ended: on to `next`, the execution's end, or the execution's failure. */
export type StepResult =
    | { kind: "next"; next: string; nextType: string; output: unknown; events: StepEvent[] }
    | { kind: "succeeded"; output: unknown; events: StepEvent[] }
    | { kind: "failed"; error: string; cause: string; events: StepEvent[] };

export const DATABASE_FILE = "workflows.sqlite";
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS executions (
    workflow   TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'timed_out', 'aborted')),
    input      TEXT    NOT NULL,
    output     TEXT,
    error      TEXT,
    cause      TEXT,
    step       INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    stopped_at INTEGER,
    deadline   INTEGER,
    PRIMARY KEY (workflow, name)
);
CREATE INDEX IF NOT EXISTS executions_status ON executions (workflow, status);
CREATE TABLE IF NOT EXISTS steps (
    workflow   TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    input      TEXT    NOT NULL,
    entered_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    deadline   INTEGER,
    token      TEXT UNIQUE,
    resumed    TEXT,
    output     TEXT,
    next       TEXT,
    exited_at  INTEGER,
    error      TEXT,
    cause      TEXT,
    events     TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (workflow, name, seq)
);`;

interface ExecutionRow { workflow: string; name: string; status: ExecutionStatus; input: string; output: string | null; error: string | null; cause: string | null; step: number; started_at: number; stopped_at: number | null; deadline: number | null }
interface StepRow { workflow: string; name: string; seq: number; state: string; type: string; input: string; entered_at: number; attempts: number; deadline: number | null; token: string | null; resumed: string | null; output: string | null; next: string | null; exited_at: number | null; error: string | null; cause: string | null; events: string }

export class WorkflowStore {
    private readonly sql: Statements;

    private constructor(private readonly db: Database.Database, readonly file: string) {
        this.sql = prepareStatements(db);
    }

    static open(dataDir: string): WorkflowStore {
        fs.mkdirSync(dataDir, { recursive: true });
        const file = path.join(dataDir, DATABASE_FILE);
        return new WorkflowStore(openVersionedDatabase(file, SCHEMA, SCHEMA_VERSION), file);
    }

    private transaction<T>(fn: () => T): T {
        return this.db.transaction(fn).immediate();
    }

    /** A new execution at its first state; `started: false` with the one that has the name already. */
    start(workflow: string, name: string, input: unknown, first: { state: string; type: string }, now: number, deadline?: number): { started: true; execution: ExecutionRecord } | { started: false; existing: ExecutionRecord } {
        return this.transaction(() => {
            const text = JSON.stringify(input);
            if (this.sql.insertExecution.run(workflow, name, text, now, deadline ?? null).changes === 0) {
                return { started: false as const, existing: this.execution(workflow, name)! };
            }
            this.sql.insertStep.run(workflow, name, 0, first.state, first.type, text, now);
            return { started: true as const, execution: this.execution(workflow, name)! };
        });
    }

    execution(workflow: string, name: string): ExecutionRecord | undefined {
        const row = this.sql.execution.get(workflow, name);
        return row && toExecution(row);
    }

    /** Names of the workflow's running executions, oldest first. */
    running(workflow: string): string[] {
        return this.sql.running.all(workflow).map((r) => r.name);
    }

    step(workflow: string, name: string, seq: number): StepRecord | undefined {
        const row = this.sql.step.get(workflow, name, seq);
        return row && toStep(row);
    }

    /** Starts (again) the state at `seq`: counts the attempt, and fixes its deadline and token the first time. */
    beginAttempt(workflow: string, name: string, seq: number, first: { deadline?: number; token?: string }): StepRecord {
        return this.transaction(() => {
            this.sql.beginAttempt.run(first.deadline ?? null, first.token ?? null, workflow, name, seq);
            return this.step(workflow, name, seq)!;
        });
    }

    /**
     * Ends the state at `seq` and, in the same transaction, enters the next one or ends the
     * execution. False (and nothing written) when the execution is not at that state any more.
     */
    finishStep(workflow: string, name: string, seq: number, result: StepResult, now: number): boolean {
        return this.transaction(() => {
            const execution = this.sql.execution.get(workflow, name);
            const step = this.sql.step.get(workflow, name, seq);
            if (!execution || execution.status !== "running" || execution.step !== seq || !step || step.exited_at !== null) return false;
            const events = JSON.stringify([...JSON.parse(step.events), ...result.events]);
            if (result.kind === "failed") {
                this.sql.endStep.run(null, null, now, result.error, result.cause, events, workflow, name, seq);
                this.sql.endExecution.run("failed", null, result.error, result.cause, now, workflow, name);
                return true;
            }
            const output = JSON.stringify(result.output ?? null);
            if (result.kind === "succeeded") {
                this.sql.endStep.run(output, null, now, null, null, events, workflow, name, seq);
                this.sql.endExecution.run("succeeded", output, null, null, now, workflow, name);
                return true;
            }
            this.sql.endStep.run(output, result.next, now, null, null, events, workflow, name, seq);
            this.sql.insertStep.run(workflow, name, seq + 1, result.next, result.nextType, output, now);
            this.sql.moveExecution.run(seq + 1, workflow, name);
            return true;
        });
    }

    /** The execution ran out of time (the definition's TimeoutSeconds): timed_out, where it was. */
    timeOut(workflow: string, name: string, now: number): boolean {
        return this.sql.endRunning.run("timed_out", "States.Timeout", "the execution ran longer than the definition's TimeoutSeconds", now, workflow, name).changes === 1;
    }

    /**
     * Records `output` as the result of the wait holding `token`, if that wait is still on: the
     * execution running at that state, not resumed before, its deadline not passed. Undefined otherwise.
     */
    resume(token: string, output: unknown, now: number): { workflow: string; name: string; seq: number } | undefined {
        return this.transaction(() => {
            const step = this.sql.byToken.get(token);
            if (!step || step.exited_at !== null || step.resumed !== null || (step.deadline !== null && now >= step.deadline)) return undefined;
            const execution = this.sql.execution.get(step.workflow, step.name);
            if (!execution || execution.status !== "running" || execution.step !== step.seq) return undefined;
            this.sql.setResumed.run(JSON.stringify(output ?? null), step.workflow, step.name, step.seq);
            return { workflow: step.workflow, name: step.name, seq: step.seq };
        });
    }

    /** Which workflow a token belongs to, if it is one of ours. */
    tokenOwner(token: string): { workflow: string; name: string; seq: number } | undefined {
        const step = this.sql.byToken.get(token);
        return step && { workflow: step.workflow, name: step.name, seq: step.seq };
    }

    history(workflow: string, name: string): StepRecord[] {
        return this.sql.history.all(workflow, name).map(toStep);
    }

    /** The workflow's executions, newest first. */
    list(workflow: string, limit: number): ExecutionRecord[] {
        return this.sql.list.all(workflow, limit).map(toExecution);
    }

    counts(workflow: string): Record<ExecutionStatus, number> {
        const counts = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
        for (const { status, n } of this.sql.counts.all(workflow)) counts[status] = n;
        return counts;
    }

    close(): void {
        if (this.db.open) this.db.close();
    }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
    return {
        insertExecution: db.prepare(`INSERT OR IGNORE INTO executions (workflow, name, status, input, step, started_at, deadline) VALUES (?, ?, 'running', ?, 0, ?, ?)`),
        execution: db.prepare<ExecutionRow>(`SELECT * FROM executions WHERE workflow = ? AND name = ?`),
        running: db.prepare<{ name: string }>(`SELECT name FROM executions WHERE workflow = ? AND status = 'running' ORDER BY started_at, name`),
        insertStep: db.prepare(`INSERT INTO steps (workflow, name, seq, state, type, input, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
        step: db.prepare<StepRow>(`SELECT * FROM steps WHERE workflow = ? AND name = ? AND seq = ?`),
        beginAttempt: db.prepare(`UPDATE steps SET attempts = attempts + 1, deadline = COALESCE(deadline, ?), token = COALESCE(token, ?) WHERE workflow = ? AND name = ? AND seq = ?`),
        endStep: db.prepare(`UPDATE steps SET output = ?, next = ?, exited_at = ?, error = ?, cause = ?, events = ? WHERE workflow = ? AND name = ? AND seq = ?`),
        endExecution: db.prepare(`UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stopped_at = ? WHERE workflow = ? AND name = ?`),
        endRunning: db.prepare(`UPDATE executions SET status = ?, error = ?, cause = ?, stopped_at = ? WHERE workflow = ? AND name = ? AND status = 'running'`),
        moveExecution: db.prepare(`UPDATE executions SET step = ? WHERE workflow = ? AND name = ?`),
        byToken: db.prepare<StepRow>(`SELECT * FROM steps WHERE token = ?`),
        setResumed: db.prepare(`UPDATE steps SET resumed = ? WHERE workflow = ? AND name = ? AND seq = ?`),
        history: db.prepare<StepRow>(`SELECT * FROM steps WHERE workflow = ? AND name = ? ORDER BY seq`),
        list: db.prepare<ExecutionRow>(`SELECT * FROM executions WHERE workflow = ? ORDER BY started_at DESC, name LIMIT ?`),
        counts: db.prepare<{ status: ExecutionStatus; n: number }>(`SELECT status, COUNT(*) AS n FROM executions WHERE workflow = ? GROUP BY status`),
    };
}

const parse = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

function toExecution(row: ExecutionRow): ExecutionRecord {
    return {
        workflow: row.workflow,
        name: row.name,
        status: row.status,
        input: JSON.parse(row.input),
        ...(row.output !== null ? { output: JSON.parse(row.output) } : {}),
        ...(row.error !== null ? { error: row.error } : {}),
        ...(row.cause !== null ? { cause: row.cause } : {}),
        step: row.step,
        startedAt: row.started_at,
        ...(row.stopped_at !== null ? { stoppedAt: row.stopped_at } : {}),
        ...(row.deadline !== null ? { deadline: row.deadline } : {}),
    };
}

function toStep(row: StepRow): StepRecord {
    return {
        seq: row.seq,
        state: row.state,
        type: row.type,
        input: JSON.parse(row.input),
        enteredAt: row.entered_at,
        attempts: row.attempts,
        ...(row.deadline !== null ? { deadline: row.deadline } : {}),
        ...(row.token !== null ? { token: row.token } : {}),
        ...(row.resumed !== null ? { resumed: parse(row.resumed) } : {}),
        ...(row.output !== null ? { output: parse(row.output) } : {}),
        ...(row.next !== null ? { next: row.next } : {}),
        ...(row.exited_at !== null ? { exitedAt: row.exited_at } : {}),
        ...(row.error !== null ? { error: row.error } : {}),
        ...(row.cause !== null ? { cause: row.cause } : {}),
        events: JSON.parse(row.events) as StepEvent[],
    };
}
