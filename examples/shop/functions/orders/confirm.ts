// On OrderPlaced: confirm the order and push the change to its owner's open pages (Realtime), so
// the front end shows the new status without polling. Retried by the AsyncTask, then
// dead-lettered. Idempotent: a redelivered event finds the order confirmed and pushes the same
// state again, which the page shows once.
import { onEvent } from "serverless-blocks/functions/runtime";
import { realtime } from "serverless-blocks/functions/runtime/clients/realtime";
import { ItemNotFoundError, table } from "serverless-blocks/functions/runtime/clients/table";
import type { Order, OrderUpdate } from "./order";

/** What POST /orders publishes. */
export interface OrderPlaced {
    userId: string;
    orderId: string;
}

export const handler = onEvent<OrderPlaced>(async (event) => {
    const { userId, orderId } = event.detail;
    if (typeof userId !== "string" || typeof orderId !== "string") throw new Error(`event ${event.id}: OrderPlaced without userId and orderId`);
    let order: Order;
    try {
        order = await table<Order>("orders").update({ userId, orderId }, { status: "confirmed" });
    } catch (error) {
        // An order that is gone (deleted since) has nothing to confirm: not worth a retry.
        if (error instanceof ItemNotFoundError) return;
        throw error;
    }
    const update: OrderUpdate = { type: "order", order };
    await realtime("live").send({ userId }, update);
});
