// What every target enforces on a WebSocket connection, and the shapes of the runtime's own
// replies: apart from the handler contract (./socket.ts), so the store and the adapters can use
// them without importing the contract's run-time code.

/** The limits every target enforces. */
export const SOCKET_LIMITS = {
  /** API Gateway's WebSocket frame limit; a larger message closes the connection with 1009. */
  maxMessageBytes: 128 * 1024,
  /** API Gateway closes a connection after 2 hours; the store's records expire after it. */
  maxConnectionSeconds: 2 * 60 * 60,
  /** API Gateway drops a connection idle for 10 minutes; the local server pings and drops the same way. */
  idleSeconds: 10 * 60,
} as const;

/** Close codes (RFC 6455) used on every target. */
export const CLOSE_CODES = {
  /** A message over maxMessageBytes. */
  messageTooBig: 1009,
  /** Over the connection's message rate. */
  policyViolation: 1008,
  /** Idle too long, or the server is going away. */
  goingAway: 1001,
} as const;

/** Messages whose action the runtime answers itself: topic subscriptions. */
export const BUILT_IN_ACTIONS = ["subscribe", "unsubscribe"] as const;

/** Topic names: what `subscribe` takes and `broadcast` sends to. */
export const TOPIC = /^[A-Za-z0-9_.:-]{1,128}$/;

/** A client's error reply, the same shape as an HTTP error body: `{ error: { code, message } }`. */
export interface SocketErrorReply {
  error: { code: string; message: string; requestId?: string };
}
