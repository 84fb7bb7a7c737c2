/**
 * What a function module exports: a handler tagged by `http(...)`, `onEvent(...)`, `onSocket(...)` or `onTask(...)`.
 * The tag lets one bundle entry and one adapter per cloud serve every kind of handler.
 */
import type { EventHandler } from "./events";
import type { HttpHandler } from "./http";
import { isSocketHandler, type SocketHandler } from "./socket";
import { isTaskHandler, type TaskHandler } from "./workflow";

export type Handler = HttpHandler | EventHandler | SocketHandler | TaskHandler;
export type HandlerKind = Handler["kind"];

export function isHttpHandler(value: unknown): value is HttpHandler {
  return typeof value === "function" && (value as { kind?: unknown }).kind === "http";
}

export function isEventHandler(value: unknown): value is EventHandler {
  return typeof value === "function" && (value as { kind?: unknown }).kind === "event";
}

/**
 * Returns `value` as a tagged handler, or throws an error naming the file and export, e.g.
 * "functions/x.ts: export 'handler' must be created with http(...) or onEvent(...) (found: a plain function)".
 */
export function requireHandler(value: unknown, file: string, exportName = "handler"): Handler {
  if (isHttpHandler(value) || isEventHandler(value) || isSocketHandler(value) || isTaskHandler(value)) return value;
  throw new Error(
    `${file}: export '${exportName}' must be created with http(...), onEvent(...), onSocket(...) or onTask(...) (found: ${describeExport(value)})`,
  );
}

/** Throws unless `handler` is tagged; adapters call it when wrapping, so a bad export fails at load. */
export function assertTaggedHandler(handler: unknown, adapter: string): asserts handler is Handler {
  if (!isHttpHandler(handler) && !isEventHandler(handler) && !isSocketHandler(handler) && !isTaskHandler(handler)) {
    throw new TypeError(
      `${adapter}: expected a handler created with http(...), onEvent(...), onSocket(...) or onTask(...), got ${describeExport(handler)}`,
    );
  }
}

/**
 * The error an adapter throws when the platform delivers an event of an unexpected shape,
 * usually a trigger wired to the wrong kind of handler. It names the keys that did arrive.
 */
export function unexpectedEventError(adapter: string, expected: string, event: unknown): Error {
  return new TypeError(`${adapter}: expected ${expected}; got ${describeEvent(event)}`);
}

function describeExport(value: unknown): string {
  if (value === undefined) return "nothing (the export is missing)";
  if (typeof value === "function") return "a plain function";
  if (value === null) return "null";
  return `a value of type ${typeof value}`;
}

function describeEvent(event: unknown): string {
  if (Array.isArray(event)) return `an array of ${event.length} item(s)`;
  if (typeof event === "object" && event !== null) {
    const keys = Object.keys(event);
    return keys.length === 0 ? "an empty object" : `an object with keys [${keys.join(", ")}]`;
  }
  return event === null ? "null" : `a ${typeof event}`;
}
