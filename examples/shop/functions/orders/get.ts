// GET /orders/{orderId} -> the caller's order, or 404 (also when it is someone else's: it is
// looked up in the caller's partition only, so another user's order id reveals nothing).
import { http, HttpError } from "serverless-blocks/functions/runtime";
import { table } from "serverless-blocks/functions/runtime/clients/table";
import { callerId } from "./caller";
import type { Order } from "./order";

export const handler = http(async (req) => {
    const userId = callerId(req);
    const { orderId } = req.params;
    if (orderId.length > 256) throw new HttpError(404, `no order ${orderId.slice(0, 32)}…`);
    const order = await table<Order>("orders").get({ userId, orderId });
    if (!order) throw new HttpError(404, `no order ${orderId}`);
    return order;
});
