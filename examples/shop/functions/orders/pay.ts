// POST /orders/{orderId}/pay -> 202 the order, now "paying": starts the payment workflow for the
// caller's order. Paying twice is a 409 (the workflow refuses a second start of the same payment
// id); the outcome arrives later as a push (functions/orders/payment-notice.ts).
import { http, HttpError } from "serverless-blocks/functions/runtime";
import { PaymentAlreadyStarted, payments } from "serverless-blocks/functions/runtime/clients/payments";
import { table } from "serverless-blocks/functions/runtime/clients/table";
import { callerId } from "./caller";
import { paymentIdOf, type Order } from "./order";

/** An order can be paid once it exists and no payment of it has started. */
const PAYABLE = new Set<Order["status"]>(["placed", "confirmed"]);

export const handler = http(async (req) => {
    const userId = callerId(req);
    const { orderId } = req.params;
    if (orderId.length > 256) throw new HttpError(404, `no order ${orderId.slice(0, 32)}…`);
    const orders = table<Order>("orders");
    const order = await orders.get({ userId, orderId });
    if (!order) throw new HttpError(404, `no order ${orderId}`);
    if (!PAYABLE.has(order.status)) throw new HttpError(409, `order ${orderId} is ${order.status}; only a placed or confirmed order can be paid`, { code: "not_payable" });
    const paymentId = paymentIdOf(orderId);
    try {
        await payments("checkout").start({ paymentId, orderId, userId, amount: order.total, currency: order.currency });
    } catch (error) {
        if (error instanceof PaymentAlreadyStarted) throw new HttpError(409, `order ${orderId} is being paid already`, { code: "already_paying" });
        throw error;
    }
    return { status: 202, body: await orders.update({ userId, orderId }, { status: "paying", paymentId }) };
});
