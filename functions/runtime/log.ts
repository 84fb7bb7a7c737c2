/**
 * The runtime's structured logger: one JSON object per line, `{time, level, msg, requestId,
 * correlationId, function, route?, durationMs?, error?: {name, message, stack}, ...fields}`.
 * Adapters run each invocation inside a log context (withInvocationLog), so every line written
 * while it runs carries its ids, the `console.*` lines of the handler included (patched once,
 * per invocation through AsyncLocalStorage, so overlapping invocations never mix their ids).
 *
 * Lines go to stdout, which Lambda relays to CloudWatch as it relays console output ("any
 * logging library that writes to stdout or stderr", docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html),
 * and SCF to its log service; JSON escapes newlines, so input logged cannot forge a line. In a
 * local function instance the host installs a sink (LOG_SINK) and renders the lines for the
 * terminal and the console.
 *
 * @example log.info("order placed", { orderId });
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { format } from "node:util";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What every line written during one invocation carries. */
export interface LogContext {
  /** The platform's id of this request or invocation. */
  requestId: string;
  /** The id shared by a request and everything it caused (events it published, their handlers). */
  correlationId: string;
  /** The function's name (its component name). */
  function: string;
  /** The API route, e.g. "POST /orders", for an HTTP invocation. */
  route?: string;
}

export interface LogError {
  name: string;
  message: string;
  stack?: string;
}

/** One line as written. */
export interface LogEntry {
  time: string;
  level: LogLevel;
  msg: string;
  requestId?: string;
  correlationId?: string;
  function?: string;
  route?: string;
  durationMs?: number;
  error?: LogError;
  [field: string]: unknown;
}

/** Extra data for a line; an `error` that is an Error is written as its name, message and stack. */
export type LogFields = Record<string, unknown>;

/** Where a local function instance's host takes the lines (set before the bundle loads). */
export const LOG_SINK = Symbol.for("serverless-blocks.log-sink");
/** The message of the line that ends every invocation (with durationMs); the local console shows it as the invocation's summary. */
export const INVOCATION_END = "invocation end";

// One store per process even if a bundle holds two copies of this module: the ids must be the same for both.
interface SharedState {
  storage: AsyncLocalStorage<LogContext>;
  /** Console methods patched once, and the functions they replaced. */
  patched: Set<string>;
  originals: WeakSet<object>;
}
const SHARED = Symbol.for("serverless-blocks.log-state");
const shared: SharedState = ((globalThis as Record<symbol, unknown>)[SHARED] as SharedState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[SHARED] = { storage: new AsyncLocalStorage<LogContext>(), patched: new Set(), originals: new WeakSet() } as SharedState);

/** Marks a console method this module patched. */
const PATCHED = Symbol.for("serverless-blocks.log-console");

/** Keys a caller's fields cannot overwrite. */
const RESERVED = new Set(["time", "level", "msg", "requestId", "correlationId", "function", "route"]);

/** The context of the invocation running now; undefined outside one. */
export function currentLogContext(): LogContext | undefined {
  return shared.storage.getStore();
}

/** The function's name: its component's (SB_EVENT_SOURCE, set on every Function), else the platform's. */
export function functionName(env: NodeJS.ProcessEnv = process.env): string {
  return env.SB_EVENT_SOURCE || env.AWS_LAMBDA_FUNCTION_NAME || env.SCF_FUNCTIONNAME || "function";
}

/** An id a caller may choose: 1 to 128 of letters, digits, '.', '_' and '-' (nothing that could forge a log line). */
export function isSaneId(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9._-]{1,128}$/.test(value);
}

/** A request's correlation id: its `x-correlation-id` header when sane, else its own request id. */
export function correlationIdOf(headers: Record<string, string | undefined>, requestId: string): string {
  const given = headers["x-correlation-id"];
  return isSaneId(given) ? given : requestId;
}

function write(level: LogLevel, msg: string, fields: LogFields = {}): void {
  const context = currentLogContext();
  const entry: LogEntry = { time: new Date().toISOString(), level, msg };
  if (context) Object.assign(entry, context);
  else entry.function = functionName();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || RESERVED.has(key)) continue;
    entry[key] = key === "error" ? toLogError(value) : value;
  }
  emit(entry);
}

function emit(entry: LogEntry): void {
  const line = serialise(entry);
  const sink = (globalThis as Record<symbol, unknown>)[LOG_SINK];
  if (typeof sink === "function") (sink as (line: string) => void)(line);
  else process.stdout.write(`${line}\n`);
}

/** JSON that never throws: bigints as text, errors as name/message/stack, cycles cut. */
function serialise(entry: LogEntry): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(entry, (_key, value: unknown) => {
    if (typeof value === "bigint") return value.toString();
    if (value instanceof Error) return toLogError(value);
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[Circular]";
      seen.add(value);
    }
    return value;
  });
}

export function toLogError(value: unknown): LogError {
  if (value instanceof Error) return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
  return { name: "Error", message: typeof value === "string" ? value : format(value) };
}

/** The logger handlers use; every line carries the running invocation's ids. */
export const log = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};

const CONSOLE_LEVELS: Record<"log" | "info" | "warn" | "error" | "debug", LogLevel> = { log: "info", info: "info", warn: "warn", error: "error", debug: "debug" };

/**
 * Makes `console.*` called during an invocation write structured lines with its ids; outside one
 * (module load, a stray timer) console writes as before.
 */
export function captureConsole(): void {
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [keyof typeof CONSOLE_LEVELS, LogLevel][]) {
    // Checked at each invocation: a method put back to what it was before the patch (a test's
    // cleanup) is patched again; one replaced on purpose since (a test's spy) is left alone.
    const current = console[method];
    if ((current as { [PATCHED]?: true })[PATCHED]) continue;
    if (shared.patched.has(method) && !shared.originals.has(current)) continue;
    shared.patched.add(method);
    shared.originals.add(current);
    const original = current.bind(console);
    console[method] = Object.assign((...args: unknown[]) => {
      if (!currentLogContext()) return original(...args);
      const error = args.find((a): a is Error => a instanceof Error);
      // The error's stack goes in `error`; the message keeps what console would print on its first line.
      const msg = format(...args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : a)));
      write(level, msg, error ? { error } : {});
    }, { [PATCHED]: true as const });
  }
}

/** What the end line adds from an invocation's result, e.g. an HTTP status. */
export type Summarise<T> = (result: T) => { level?: LogLevel; fields?: LogFields };

/**
 * Runs one invocation inside its log context, then writes its end line: `durationMs`, and the
 * error with its stack when it failed (rethrown: the platform's retries depend on it).
 */
export async function withInvocationLog<T>(context: LogContext, run: () => Promise<T>, summarise?: Summarise<T>): Promise<T> {
  captureConsole();
  return shared.storage.run(context, async () => {
    const t0 = performance.now();
    const elapsed = () => Math.round((performance.now() - t0) * 10) / 10;
    try {
      const result = await run();
      const summary = summarise?.(result) ?? {};
      write(summary.level ?? "info", INVOCATION_END, { ...summary.fields, durationMs: elapsed() });
      return result;
    } catch (error) {
      write("error", INVOCATION_END, { durationMs: elapsed(), error });
      throw error;
    }
  });
}

/** A context for an invocation the platform gave no id: a fresh one, its own correlation. */
export function newLogContext(requestId: string = randomUUID(), correlationId: string = requestId, route?: string): LogContext {
  return { requestId, correlationId, function: functionName(), ...(route ? { route } : {}) };
}
