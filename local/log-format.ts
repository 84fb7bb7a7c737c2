// The functions' log lines on npm start's terminal: each structured line (functions/runtime/log.ts)
// as one readable line, "time LEVEL function request-id route msg fields", the level coloured, and an
// error's stack below it. No colour when stdout is not a terminal or NO_COLOR is set
// (https://no-color.org: "when present and not an empty string").
import { INVOCATION_END, type LogEntry, type LogLevel } from "../functions/runtime/log";

/** The keys every line has, shown in their places; any other key is shown as key=value. */
const CORE = new Set(["time", "level", "msg", "requestId", "correlationId", "function", "route", "error"]);

const LEVEL_COLOUR: Record<LogLevel, string> = { debug: "90", info: "32", warn: "33", error: "31" };
const LEVELS = new Set<string>(Object.keys(LEVEL_COLOUR));

/** Whether to colour what goes to `stream`: a terminal, and NO_COLOR unset or empty. */
export function useColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
    return stream.isTTY === true && !env.NO_COLOR;
}

/** A line an instance wrote through the runtime logger; a line that is not one is taken as plain text. */
export function parseLogLine(line: string, fn: string): LogEntry {
    try {
        const value: unknown = JSON.parse(line);
        if (isEntry(value)) return value;
    } catch {
        // not JSON: plain text below
    }
    return consoleEntry(fn, "info", line);
}

/** A console line written outside any invocation's context (module load, a stray timer). */
export function consoleEntry(fn: string, method: string, text: string): LogEntry {
    const level: LogLevel = method === "warn" || method === "error" || method === "debug" ? method : "info";
    return { time: new Date().toISOString(), level, msg: text, function: fn };
}

/** The runtime's summary line of an invocation (the console shows the invocation record instead). */
export function isInvocationEnd(entry: LogEntry): boolean {
    return entry.msg === INVOCATION_END && typeof entry.durationMs === "number";
}

/** The message as console would have printed it: the error's stack after its first line. */
export function entryText(entry: LogEntry): string {
    const stack = entry.error?.stack;
    if (!stack) return entry.error && !entry.msg.includes(entry.error.message) ? `${entry.msg} ${entry.error.name}: ${entry.error.message}` : entry.msg;
    const header = `${entry.error!.name}: ${entry.error!.message}`;
    if (stack.startsWith(header) && entry.msg.includes(header)) return `${entry.msg}${stack.slice(header.length)}`;
    return `${entry.msg}\n${stack}`;
}

/** The fields a line carries beyond the core ones. */
export function extraFields(entry: LogEntry): Record<string, unknown> {
    return Object.fromEntries(Object.entries(entry).filter(([key]) => !CORE.has(key)));
}

/** One entry for the terminal. */
export function renderLogEntry(entry: LogEntry, options: { colour: boolean }): string {
    const paint = (code: string, text: string) => (options.colour ? `\x1b[${code}m${text}\x1b[0m` : text);
    const time = typeof entry.time === "string" && entry.time.length >= 23 ? entry.time.slice(11, 23) : String(entry.time);
    // The full ids, as the client sees x-request-id: searching the terminal for one finds its lines.
    const ids = entry.requestId === undefined ? "" : entry.correlationId === undefined || entry.correlationId === entry.requestId ? entry.requestId : `${entry.requestId} (correlation ${entry.correlationId})`;
    const [first, ...rest] = entryText(entry).split("\n");
    const fields = Object.entries(extraFields(entry)).map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
    const head = [
        paint("2", time),
        paint(LEVEL_COLOUR[entry.level] ?? "0", entry.level.toUpperCase().padEnd(5)),
        paint("35", entry.function ?? "-"),
        ids && paint("2", ids),
        entry.route && paint("36", entry.route),
        first,
        fields.length > 0 && paint("2", fields.join(" ")),
    ].filter(Boolean);
    // The fields stay on the line they belong to; a stack (or a multi-line message) follows below.
    return [head.join(" "), ...rest].join("\n");
}

function isEntry(value: unknown): value is LogEntry {
    const v = value as Partial<LogEntry> | null;
    return typeof v === "object" && v !== null && typeof v.msg === "string" && typeof v.level === "string" && LEVELS.has(v.level) && typeof v.time === "string";
}
