// The checkout workflow's completion notice, sent once per payment: the order takes the payment's
// outcome and its owner's open pages are told at once (Realtime).
import { onTask } from "serverless-blocks/functions/runtime";
import type { PaymentNotice } from "serverless-blocks/functions/runtime/clients/payments";
import { realtime } from "serverless-blocks/functions/runtime/clients/realtime";
import { ItemNotFoundError, table } from "serverless-blocks/functions/runtime/clients/table";
import type { Order, OrderStatus, OrderUpdate } from "./order";

const ORDER_STATUS: Record<PaymentNotice["status"], OrderStatus> = {
    succeeded: "paid",
    failed: "payment_failed",
    timed_out: "payment_timed_out",
};

export const handler = onTask<PaymentNotice>(async (notice) => {
    let order: Order;
    try {
        order = await table<Order>("orders").update({ userId: notice.userId, orderId: notice.orderId }, { status: ORDER_STATUS[notice.status] });
    } catch (error) {
        // An order deleted since it was paid has no page to update; the payment record keeps the outcome.
        if (error instanceof ItemNotFoundError) return;
        throw error;
    }
    const update: OrderUpdate = { type: "order", order };
    await realtime("live").send({ userId: notice.userId }, update);
});
