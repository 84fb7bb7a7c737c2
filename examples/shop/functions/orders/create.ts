// POST /orders {lines, currency} -> 201 the caller's new order, and OrderPlaced on the hub.
import * as z from "zod/mini";
import { http } from "serverless-blocks/functions/runtime";
import { table } from "serverless-blocks/functions/runtime/clients/table";
import { parseBody } from "serverless-blocks/functions/runtime/validate";
import { callerId } from "./caller";
import { newOrderId, type Order } from "./order";

const NewOrder = z.object({
    lines: z.array(z.object({
        sku: z.string().check(z.minLength(1), z.maxLength(64)),
        quantity: z.int().check(z.minimum(1), z.maximum(1000)),
        unitPrice: z.int().check(z.minimum(0), z.maximum(100_000_000)),
    })).check(z.minLength(1), z.maxLength(100)),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
});

export const handler = http(async (req) => {
    const userId = callerId(req);
    const { lines, currency } = parseBody(req, NewOrder);
    const order: Order = {
        userId,
        orderId: newOrderId(),
        lines,
        total: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
        currency,
        status: "placed",
        createdAt: new Date().toISOString(),
    };
    // The event is written with the order (the orders table's outbox): a hub failure after the
    // write cannot lose it, and no event goes out for an order that was not written.
    await table<Order>("orders").put(order, {
        ifNotExists: true,
        publish: [{ type: "OrderPlaced", detail: { userId, orderId: order.orderId, total: order.total, currency } }],
    });
    return { status: 201, body: order };
});
