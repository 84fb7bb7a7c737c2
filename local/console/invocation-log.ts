// What the console shows of one function's recent invocations: each with its request id, start,
// duration, outcome (the error and its stack) and the lines the function wrote to its console,
// kept in a bounded ring (the oldest go first), with latency percentiles over what it holds and
// listeners for the live log stream (Server-Sent Events, local/console/routes.ts).
import type { LogEntry } from "../../functions/runtime/log";
import { extraFields, isInvocationEnd } from "../log-format";

export interface LogLine {
    at: string;
    level: "log" | "info" | "warn" | "error" | "debug";
    /** The message, with an error's stack as console prints it. */
    text: string;
    /** From a structured line (functions/runtime/log.ts): the ids it carried, its error and its other fields. */
    requestId?: string;
    correlationId?: string;
    error?: { name: string; message: string; stack?: string };
    fields?: Record<string, unknown>;
}

export interface InvocationRecord {
    function: string;
    /** This host's number for it: unique per function and run (an event's retries share its request id). */
    invocation: number;
    requestId: string;
    /** The correlation id its lines carried (functions/runtime/log.ts): shared with the request that caused it. */
    correlationId?: string;
    startedAt: string;
    /** Set once it ended. */
    durationMs?: number;
    /** Whether this invocation started a new instance. */
    coldStart: boolean;
    status: "running" | "ok" | "error";
    error?: { message: string; stack?: string };
    lines: LogLine[];
    /** Lines past MAX_LINES that were not kept. */
    droppedLines: number;
}

export type InvocationEvent = { type: "start" | "end"; record: InvocationRecord } | { type: "line"; record: InvocationRecord; line: LogLine };

/** Invocations kept per function, and lines kept per invocation: enough to debug, bounded memory. */
export const MAX_INVOCATIONS = 100;
export const MAX_LINES = 200;
/** Longest line kept, characters. */
export const MAX_LINE_LENGTH = 8_192;

export class InvocationLog {
    private readonly ring: InvocationRecord[] = [];
    private readonly running = new Map<number, { record: InvocationRecord; t0: number }>();
    private readonly listeners = new Set<(event: InvocationEvent) => void>();
    lastColdStart?: string;

    constructor(readonly functionName: string) {}

    begin(id: number, input: unknown, coldStart: boolean): void {
        const startedAt = new Date().toISOString();
        if (coldStart) this.lastColdStart = startedAt;
        const record: InvocationRecord = { function: this.functionName, invocation: id, requestId: requestIdOf(input, id), startedAt, coldStart, status: "running", lines: [], droppedLines: 0 };
        this.running.set(id, { record, t0: performance.now() });
        this.ring.push(record);
        if (this.ring.length > MAX_INVOCATIONS) this.ring.shift();
        this.emit({ type: "start", record });
    }

    line(id: number, level: LogLine["level"], text: string, entry?: LogEntry): void {
        const record = this.running.get(id)?.record;
        if (!record) return; // a line written after its invocation answered (a stray timer): not attributable
        if (entry?.correlationId !== undefined) record.correlationId ??= entry.correlationId;
        // The runtime's end line says what the record says (duration, outcome): not kept twice.
        if (entry && isInvocationEnd(entry)) return;
        if (record.lines.length >= MAX_LINES) {
            record.droppedLines++;
            return;
        }
        const line: LogLine = { at: entry?.time ?? new Date().toISOString(), level, text: text.length > MAX_LINE_LENGTH ? `${text.slice(0, MAX_LINE_LENGTH)}…` : text };
        if (entry) {
            if (entry.requestId !== undefined) line.requestId = entry.requestId;
            if (entry.correlationId !== undefined) line.correlationId = entry.correlationId;
            if (entry.error !== undefined) line.error = entry.error;
            const fields = extraFields(entry);
            if (Object.keys(fields).length > 0) line.fields = fields;
        }
        record.lines.push(line);
        this.emit({ type: "line", record, line });
    }

    end(id: number, error?: Error & { remoteStack?: string }): void {
        const entry = this.running.get(id);
        if (!entry) return;
        this.running.delete(id);
        const { record, t0 } = entry;
        record.durationMs = Math.round((performance.now() - t0) * 10) / 10;
        record.status = error ? "error" : "ok";
        if (error) record.error = { message: error.message, stack: error.remoteStack ?? error.stack };
        this.emit({ type: "end", record });
    }

    /** Newest first. */
    recent(): InvocationRecord[] {
        return [...this.ring].reverse();
    }

    /** p50 and p99 of the finished invocations held (nearest rank), ms; undefined with none. */
    latency(): { p50?: number; p99?: number } {
        const durations = this.ring.flatMap((r) => (r.durationMs === undefined ? [] : [r.durationMs])).sort((a, b) => a - b);
        if (durations.length === 0) return {};
        const rank = (p: number) => durations[Math.min(durations.length - 1, Math.ceil((p / 100) * durations.length) - 1)];
        return { p50: rank(50), p99: rank(99) };
    }

    subscribe(listener: (event: InvocationEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    private emit(event: InvocationEvent): void {
        for (const listener of this.listeners) listener(event);
    }
}

/** The id the invocation is known by elsewhere: the API request's, the event's, else the host's own. */
function requestIdOf(input: unknown, id: number): string {
    const i = input as { request?: { requestId?: unknown }; event?: { id?: unknown } } | null;
    const known = i?.request?.requestId ?? i?.event?.id;
    return typeof known === "string" && known !== "" ? known : `local-${id}`;
}
