// POST /users/{userId}/orders {lines, currency} -> 201 the order; the user must exist.
import * as z from "zod/mini";
import { http, HttpError } from "../runtime";
import { hub } from "../runtime/clients/hub";
import { table } from "../runtime/clients/table";
import { parseBody } from "../runtime/validate";
import type { User } from "../users/user";
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
    const { lines, currency } = parseBody(req, NewOrder);
    const user = await table<User>("users").get({ userId: req.params.userId });
    if (!user) throw new HttpError(404, `no user ${req.params.userId}`);
    const order: Order = {
        userId: user.userId,
        orderId: newOrderId(),
        lines,
        total: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
        currency,
        status: "placed",
        createdAt: new Date().toISOString(),
    };
    await table<Order>("orders").put(order, { ifNotExists: true });
    await hub("events").publish("OrderPlaced", { userId: order.userId, orderId: order.orderId, total: order.total, currency });
    return { status: 201, body: order };
});
