/**
 * The portable hub event contract: what an event handler receives from the EventHub,
 * the same whether EventBridge, Tencent EB or the local bus delivered it.
 */
import { isSaneId } from "./log";

export interface HubEvent<T = unknown> {
  /** Unique per published event; use it to make handlers idempotent (delivery is at least once). */
  id: string;
  /** Who published it, e.g. "app.orders". */
  source: string;
  /** What happened, e.g. "OrderPlaced" (EventBridge's detail-type, a CloudEvents type). */
  type: string;
  /** When it happened, ISO 8601 in UTC. */
  time: string;
  /** The payload the publisher sent. */
  detail: T;
  /** Delivery attempt, starting at 1, where the platform reports it (the local bus does). */
  attempt?: number;
}

export type EventHandlerFunction<T = unknown> = (event: HubEvent<T>) => Promise<void> | void;

/** A function tagged as an event handler; create it with `onEvent(...)`. */
export type EventHandler = ((event: HubEvent) => Promise<void>) & { readonly kind: "event" };

/**
 * Marks a function as a hub event handler. Throwing makes the platform retry the delivery
 * and, after the last attempt, send it to the dead-letter queue.
 * `T` types `detail` for convenience only: the payload is not validated against it.
 *
 * @example export const handler = onEvent<{ orderId: string }>(async (e) => ship(e.detail.orderId));
 */
export function onEvent<T = unknown>(fn: EventHandlerFunction<T>): EventHandler {
  // A wrapper, not the caller's function: tagging must not mutate a function used elsewhere.
  const tagged = async (event: HubEvent): Promise<void> => {
    await fn(event as HubEvent<T>);
  };
  return Object.defineProperty(tagged, "kind", { value: "event", enumerable: true }) as EventHandler;
}

/**
 * Where a published event carries its metadata: a reserved key of its detail (EventBridge and
 * Tencent EB have no field of their own for it, and a detail must be a JSON object on AWS).
 * The hub client adds it, the adapters take it out again: handlers never see it.
 */
export const EVENT_METADATA_KEY = "_sb";

export interface EventMetadata {
  /** The correlation id of the request that published the event. */
  correlationId?: string;
}

/** `detail` with the metadata added, when it is an object (other details travel as they are). */
export function withEventMetadata(detail: unknown, metadata: EventMetadata): unknown {
  if (!isPlainObject(detail) || metadata.correlationId === undefined) return detail;
  return { ...detail, [EVENT_METADATA_KEY]: { correlationId: metadata.correlationId } };
}

/** The detail as the publisher gave it, and the metadata it carried. */
export function takeEventMetadata(detail: unknown): { detail: unknown; metadata: EventMetadata } {
  if (!isPlainObject(detail) || !isPlainObject(detail[EVENT_METADATA_KEY])) return { detail, metadata: {} };
  const { [EVENT_METADATA_KEY]: carried, ...rest } = detail;
  const correlationId = (carried as Record<string, unknown>).correlationId;
  return { detail: rest, metadata: isSaneId(correlationId) ? { correlationId } : {} };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
