/**
 * What every adapter does with a WebSocket event once it has read the cloud's shape: the one
 * place that keeps the connection store, checks the limits, answers `subscribe`/`unsubscribe`,
 * calls the handler and turns its outcome into a reply, a refusal or a close. Adapters only
 * translate shapes around it (AWS API Gateway, Tencent register/transport/cleanup, the local
 * server), so every target behaves the same.
 */
import { JWT_ENV, jwtSettingsFromEnv, verifyToken } from "../auth/jwt";
import { connectionStore } from "../clients/realtime";
import { checkTopic, type ConnectionRecord, type ConnectionStore } from "../clients/realtime-store";
import { HttpError } from "../http";
import type { SocketEvent, SocketHandler } from "../socket";
import { BUILT_IN_ACTIONS, CLOSE_CODES, SOCKET_LIMITS, type SocketErrorReply } from "../socket-limits";

/** What an adapter read from the platform's event. */
export interface SocketDelivery {
  kind: "connect" | "message" | "disconnect";
  connectionId: string;
  requestId: string;
  /** Connect: the verified token's claims (by the authorizer, or the adapter itself). */
  claims?: Record<string, unknown>;
  /** Message: the frame's text. */
  text?: string;
  /** Message: the route the platform selected (AWS's routeKey); else read from the body's route field. */
  route?: string;
}

/** What the adapter does next. */
export interface SocketOutcome {
  /** Connect only: the connection is refused with this HTTP status. */
  refused?: { status: number; message: string };
  /** A frame for the sender. */
  reply?: string;
  /** Close the connection. */
  close?: { code: number; reason: string };
}

/** A Realtime's settings for its own functions (SB_SOCKET_SETTINGS, set by components/realtime.ts). */
export interface SocketSettings {
  /** The Realtime's name: its link's variables find the connection store and the endpoint. */
  realtime: string;
  /** The JSON field that selects a message's route. */
  routeField: string;
  /** Messages per second per connection, and how many may come at once. */
  perSecond: number;
  burst: number;
}

export const SOCKET_SETTINGS_ENV = "SB_SOCKET_SETTINGS";
/** Where a connecting client puts its token: `query` or `protocol` (set by the component). */
export const TOKEN_SOURCE_ENV = "SB_SOCKET_TOKEN_FROM";
/** The subprotocol a client offers first when its token is the second: `new WebSocket(url, ["bearer", token])`. */
export const TOKEN_SUBPROTOCOL = "bearer";

/**
 * The token a connecting client presents: the `token` query parameter, or with `protocol` the
 * entry after "bearer" in Sec-WebSocket-Protocol. Undefined when it is not where it should be.
 */
export function connectToken(source: string, query: Record<string, string | undefined>, protocolHeader: string | undefined): string | undefined {
  if (source === "protocol") {
    const offered = (protocolHeader ?? "").split(",").map((p) => p.trim());
    const at = offered.indexOf(TOKEN_SUBPROTOCOL);
    return at >= 0 ? offered[at + 1] || undefined : undefined;
  }
  return query.token || undefined;
}

export function socketSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SocketSettings {
  const raw = env[SOCKET_SETTINGS_ENV];
  let parsed: Partial<SocketSettings> | undefined;
  try {
    parsed = raw ? (JSON.parse(raw) as Partial<SocketSettings>) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed.realtime !== "string" || typeof parsed.routeField !== "string" || !(Number(parsed.perSecond) > 0) || !(Number(parsed.burst) >= 1)) {
    throw new Error(`${SOCKET_SETTINGS_ENV} must hold the Realtime's settings (set by the component); got ${JSON.stringify(raw)}`);
  }
  return parsed as SocketSettings;
}

/**
 * Verifies a connecting client's token with the Realtime's token settings (SB_API_JWT_*, set by
 * the component): the same rules and errors as a BusinessApi route's (HttpError 401 / 503).
 */
export async function verifyConnectToken(token: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, unknown>> {
  const settings = jwtSettingsFromEnv(env);
  if (!settings) throw new Error(`${JWT_ENV.issuer} is not set; the Realtime gives its functions the token settings`);
  return verifyToken(token, settings);
}

export interface SocketRunOptions {
  settings?: SocketSettings;
  store?: ConnectionStore;
}

/** Runs one socket event through the store, the limits and the handler. Never rejects for the client's input. */
export async function runSocket(handler: SocketHandler, delivery: SocketDelivery, options: SocketRunOptions = {}): Promise<SocketOutcome> {
  const settings = options.settings ?? socketSettingsFromEnv();
  const store = options.store ?? connectionStore(settings.realtime);
  if (delivery.kind === "connect") return connect(handler, delivery, settings, store);
  if (delivery.kind === "disconnect") return disconnect(handler, delivery, store);
  return message(handler, delivery, settings, store);
}

async function connect(handler: SocketHandler, delivery: SocketDelivery, settings: SocketSettings, store: ConnectionStore): Promise<SocketOutcome> {
  const claims = delivery.claims;
  const userId = typeof claims?.sub === "string" && claims.sub !== "" ? claims.sub : undefined;
  if (!claims || !userId) return { refused: { status: 401, message: "a connection needs a verified token with a subject (sub)" } };
  try {
    await handler(event(delivery, userId, claims, "$connect"));
  } catch (error) {
    if (HttpError.is(error)) return { refused: { status: error.status, message: error.message } };
    console.error(`[${delivery.requestId}] connect handler failed:`, error);
    return { refused: { status: 500, message: "internal error" } };
  }
  await store.add(delivery.connectionId, userId, claims, settings.burst);
  return {};
}

async function disconnect(handler: SocketHandler, delivery: SocketDelivery, store: ConnectionStore): Promise<SocketOutcome> {
  const record = await store.get(delivery.connectionId);
  // The record goes first: a failing handler must not leave a connection that pushes would try.
  await store.remove(delivery.connectionId);
  try {
    await handler(event(delivery, record?.userId ?? "", record?.claims ?? {}, "$disconnect"));
  } catch (error) {
    console.error(`[${delivery.requestId}] disconnect handler failed:`, error);
  }
  return {};
}

async function message(handler: SocketHandler, delivery: SocketDelivery, settings: SocketSettings, store: ConnectionStore): Promise<SocketOutcome> {
  const text = delivery.text ?? "";
  const bytes = Buffer.byteLength(text);
  if (bytes > SOCKET_LIMITS.maxMessageBytes) {
    return { close: { code: CLOSE_CODES.messageTooBig, reason: `a message is at most ${SOCKET_LIMITS.maxMessageBytes} bytes` } };
  }
  const record = await store.get(delivery.connectionId);
  if (!record) return { close: { code: CLOSE_CODES.policyViolation, reason: "unknown connection; connect again" } };
  if (!(await store.spend(record, settings.perSecond, settings.burst))) {
    return { reply: errorReply("too_many_requests", `at most ${settings.perSecond} messages per second (burst ${settings.burst}); this one was dropped`) };
  }
  const body = parse(text);
  const action = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[settings.routeField] : undefined;
  const route = delivery.route ?? (typeof action === "string" && action !== "" ? action : "$default");
  try {
    if (typeof action === "string" && (BUILT_IN_ACTIONS as readonly string[]).includes(action)) {
      return { reply: await subscription(store, record, action, (body as { topic?: unknown }).topic) };
    }
    const result = await handler({ ...event(delivery, record.userId, record.claims, route), body });
    return result === undefined ? {} : { reply: replyText(result) };
  } catch (error) {
    if (HttpError.is(error)) return { reply: errorReply(error.code, error.message) };
    console.error(`[${delivery.requestId}] message handler for route ${route} failed:`, error);
    return { reply: JSON.stringify({ error: { code: "internal", message: "internal error", requestId: delivery.requestId } } satisfies SocketErrorReply) };
  }
}

/** `{ action: "subscribe" | "unsubscribe", topic }`, answered `{ subscribed: topic }` / `{ unsubscribed: topic }`. */
async function subscription(store: ConnectionStore, record: ConnectionRecord, action: string, topic: unknown): Promise<string> {
  try {
    checkTopic(topic);
    if (action === "subscribe") await store.subscribe(record, topic);
    else await store.unsubscribe(record, topic);
  } catch (error) {
    // The topic's name or the connection's topic limit: the client's to fix.
    if (error instanceof TypeError || error instanceof RangeError) throw new HttpError(400, error.message);
    throw error;
  }
  return JSON.stringify({ [`${action}d`]: topic });
}

function event(delivery: SocketDelivery, userId: string, claims: Record<string, unknown>, route: string): SocketEvent {
  return { kind: delivery.kind, connectionId: delivery.connectionId, userId, claims: { ...claims }, route, requestId: delivery.requestId };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function replyText(result: unknown): string {
  const text = JSON.stringify(result);
  if (text === undefined) throw new TypeError(`a socket handler's reply of type ${typeof result} cannot be sent as JSON`);
  if (Buffer.byteLength(text) > SOCKET_LIMITS.maxMessageBytes) return errorReply("reply_too_big", `the reply is over ${SOCKET_LIMITS.maxMessageBytes} bytes`);
  return text;
}

function errorReply(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } } satisfies SocketErrorReply);
}
