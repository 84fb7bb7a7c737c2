/**
 * The portable WebSocket contract: what a Realtime's handlers receive, the same whether API
 * Gateway (AWS), Tencent API Gateway or the local runtime's `/ws` server delivered it.
 *
 * A connection is made with an access token (verified before the handler runs: by the AWS
 * authorizer, the Tencent register function's adapter, or the local server), so every event
 * names the signed-in user. Messages are JSON objects whose route field (default `action`)
 * selects the route; `subscribe` and `unsubscribe` are answered by the runtime itself.
 */
import { runSocket, verifyConnectToken, type SocketDelivery, type SocketOutcome, type SocketRunOptions } from "./adapters/socket";

export { SOCKET_LIMITS, CLOSE_CODES, BUILT_IN_ACTIONS, TOPIC } from "./socket-limits";
export type { SocketErrorReply } from "./socket-limits";

/** One event on a connection. */
export interface SocketEvent<T = unknown> {
  kind: "connect" | "message" | "disconnect";
  /** The platform's id for the connection; `realtime(name).send(connectionId, ...)` reaches it. */
  connectionId: string;
  /** The token's `sub`: who is connected. */
  userId: string;
  /** The verified token's claims (at connect; carried to later events by the connection store). */
  claims: Record<string, unknown>;
  /** `$connect`, `$disconnect`, the message's action, or `$default` for a message no route takes. */
  route: string;
  /** A message's body: the parsed JSON (or the text, when it is not JSON). */
  body?: T;
  requestId: string;
}

/**
 * What a socket handler returns: for a message, a value sent back to the sender as JSON (nothing:
 * no reply); for a connect, nothing (throw an HttpError to refuse: 401 or 403 on the upgrade).
 */
export type SocketHandlerFunction<T = unknown> = (event: SocketEvent<T>) => Promise<unknown> | unknown;

/**
 * A function tagged as a WebSocket handler; create it with `onSocket(...)`. `run` takes a platform
 * event the adapter has read through the connection store, the limits and the handler, and
 * `verify` checks a connecting client's token: they live on the handler, not in the adapters, so
 * that only socket bundles carry the store (and through it the table client and its driver) and
 * the token verifier.
 */
export type SocketHandler = ((event: SocketEvent) => Promise<unknown>) & {
  readonly kind: "socket";
  run(delivery: SocketDelivery, options?: SocketRunOptions): Promise<SocketOutcome>;
  /** Verifies a connecting client's token (where no gateway did): claims, or HttpError 401 / 503. */
  verify(token: string | undefined): Promise<Record<string, unknown>>;
};

/**
 * Marks a function as a Realtime handler (connect, disconnect, or a message route).
 * `T` types a message's `body` for convenience only: it is not validated against it.
 *
 * @example export const handler = onSocket<{ text: string }>(async (e) => ({ echo: e.body?.text, from: e.userId }));
 */
export function onSocket<T = unknown>(fn: SocketHandlerFunction<T>): SocketHandler {
  // A wrapper, not the caller's function: tagging must not mutate a function used elsewhere.
  const tagged = async (event: SocketEvent): Promise<unknown> => fn(event as SocketEvent<T>);
  const handler = Object.defineProperty(tagged, "kind", { value: "socket", enumerable: true }) as SocketHandler;
  return Object.defineProperties(handler, {
    run: { value: (delivery: SocketDelivery, options?: SocketRunOptions) => runSocket(handler, delivery, options) },
    verify: { value: (token: string | undefined) => verifyConnectToken(token) },
  });
}

export function isSocketHandler(value: unknown): value is SocketHandler {
  return typeof value === "function" && (value as { kind?: unknown }).kind === "socket";
}

