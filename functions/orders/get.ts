// GET /users/{userId}/orders/{orderId} -> the order, or 404.
import { http, HttpError } from "../runtime";
import { table } from "../runtime/clients/table";
import type { Order } from "./order";

export const handler = http(async (req) => {
    const { userId, orderId } = req.params;
    const order = await table<Order>("orders").get({ userId, orderId });
    if (!order) throw new HttpError(404, `no order ${orderId} for user ${userId}`);
    return order;
});
