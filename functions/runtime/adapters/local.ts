/**
 * Local adapter: the local runtime (HTTP server, in-process bus, `/ws` server) already speaks the
 * portable contracts, so this only checks the input matches the handler and runs it like the
 * clouds do: the runtime's gateway verified the route's token, and the route's roles are checked
 * here, as the AWS adapter checks them behind API Gateway's authorizer (./route-roles.ts). A
 * socket event goes through the handler's run, as on the clouds (./socket.ts's runSocket): the connection
 * store, the limits, the built-in subscriptions; the server acts on the outcome.
 */
import { randomUUID } from "node:crypto";
import { takeEventMetadata, type EventHandler, type HubEvent } from "../events";
import { assertTaggedHandler, isHttpHandler, type Handler } from "../handler";
import { createHttpRequest, runHttp, type HttpHandler, type HttpRequest, type NormalizedResponse } from "../http";
import { isSocketHandler, type SocketHandler } from "../socket";
import { withRoles } from "./route-roles";
import type { SocketDelivery, SocketOutcome } from "./socket";
import { isTaskHandler, type TaskHandler, type TaskJson } from "../workflow";
import { runTask } from "./task";
import { correlationIdOf, newLogContext, withInvocationLog, type LogContext } from "../log";
import { httpSummary, withCorrelationHeader } from "./invocation-log";

export interface LocalHttpInput {
  kind: "http";
  request: HttpRequest;
  /** The API route it matched, e.g. "POST /orders" (the local gateway sets it), for the log lines. */
  route?: string;
}

export interface LocalEventInput {
  kind: "event";
  event: HubEvent;
}

export interface LocalSocketInput {
  kind: "socket";
  delivery: SocketDelivery;
}

/** A workflow state's input, for a task handler (the local workflow engine calls it). */
export interface LocalTaskInput {
  kind: "task";
  input: unknown;
}

export type LocalInput = LocalHttpInput | LocalEventInput | LocalSocketInput | LocalTaskInput;

const ADAPTER = "invokeLocal";

/**
 * The input does not fit the handler (another kind, or without the part its kind needs): the
 * caller's mistake, which the runtime answers 400 on direct invocation, not the function's failure.
 * Recognised by name, as errors cross the worker boundary as name and message.
 */
export class LocalInputError extends TypeError {
  override readonly name = "LocalInputError";
}

/** The part of the input each kind needs, an object. */
const INPUT_PART: Record<LocalInput["kind"], string | undefined> = { http: "request", event: "event", socket: "delivery", task: undefined };

/**
 * Runs a handler locally. HTTP handlers answer a NormalizedResponse (errors become 4xx/5xx
 * responses, as on the clouds); event handlers answer undefined and rethrow a failure so the
 * local bus can retry the delivery and dead-letter it after the last attempt.
 */
export function invokeLocal(handler: HttpHandler, input: LocalHttpInput): Promise<NormalizedResponse>;
export function invokeLocal(handler: EventHandler, input: LocalEventInput): Promise<undefined>;
export function invokeLocal(handler: SocketHandler, input: LocalSocketInput): Promise<SocketOutcome>;
export function invokeLocal(handler: TaskHandler, input: LocalTaskInput): Promise<TaskJson>;
export function invokeLocal(handler: Handler, input: LocalInput): Promise<NormalizedResponse | SocketOutcome | TaskJson | undefined>;
export async function invokeLocal(handler: Handler, input: LocalInput): Promise<NormalizedResponse | SocketOutcome | TaskJson | undefined> {
  assertTaggedHandler(handler, ADAPTER);
  if (input?.kind !== handler.kind) {
    throw new LocalInputError(`${ADAPTER}: a handler created with ${creator(handler)} cannot take ${article(input?.kind)} input`);
  }
  const part = INPUT_PART[input.kind];
  const value = part === undefined ? undefined : (input as unknown as Record<string, unknown>)[part];
  if (part !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
    throw new LocalInputError(`${ADAPTER}: ${article(input.kind)} input needs '${part}' as an object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  if (input.kind === "http" && isHttpHandler(handler)) {
    // Re-normalised so a hand-built request (tests, the dev server) keeps the contract's promises.
    const { body, ...parts } = input.request;
    const request = createHttpRequest({ ...parts, body });
    const route = typeof input.route === "string" ? input.route : `${request.method} ${request.path}`;
    const context = newLogContext(request.requestId, correlationIdOf(request.headers, request.requestId), route);
    return withInvocationLog(context, async () => withCorrelationHeader(await runHttp(withRoles(handler), request), request.headers), httpSummary);
  }
  if (input.kind === "socket" && isSocketHandler(handler)) {
    return withInvocationLog(newLogContext(input.delivery.requestId || randomUUID()), () => handler.run(input.delivery));
  }
  if (input.kind === "task" && isTaskHandler(handler)) return withInvocationLog(newLogContext(), () => runTask(handler, input.input));
  if (input.kind === "event" && handler.kind === "event") {
    // An event's deliveries share its id, which the local console knows the invocation by.
    const { detail, metadata } = takeEventMetadata(input.event.detail);
    const context: LogContext = newLogContext(String(input.event.id || randomUUID()), metadata.correlationId);
    await withInvocationLog(context, () => handler({ ...input.event, detail }), () => ({ fields: { eventId: input.event.id, eventType: input.event.type, attempt: input.event.attempt } }));
  }
  return undefined;
}

function creator(handler: Handler): string {
  return { http: "http(...)", event: "onEvent(...)", socket: "onSocket(...)", task: "onTask(...)" }[handler.kind];
}

function article(kind: unknown): string {
  const known: Record<string, string> = { http: "an http", event: "an event", socket: "a socket", task: "a task" };
  return (typeof kind === "string" && Object.hasOwn(known, kind) ? known[kind] : undefined) ?? `a ${JSON.stringify(kind) ?? "missing"} kind of`;
}

/** The local bundle's entry wraps the handler like the cloud adapters do: one input in, one result out. */
export function toLocal(handler: Handler): (input: LocalInput) => Promise<NormalizedResponse | SocketOutcome | TaskJson | undefined> {
  assertTaggedHandler(handler, "toLocal");
  return (input) => invokeLocal(handler, input);
}
