/**
 * The portable hub event contract: what an event handler receives from the EventHub,
 * the same whether EventBridge, Tencent EB or the local bus delivered it.
 */

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
