// An order as the orders table stores it: partitioned by user, sorted by a time-ordered id so a
// user's orders list oldest first.
import { randomUUID } from "node:crypto";

export interface OrderLine {
    sku: string;
    quantity: number;
    /** Price per unit, in the currency's minor unit (cents). */
    unitPrice: number;
}

/**
 * placed by the API; confirmed by the confirm-order task; paying once the user pays (the payment
 * workflow started); then paid, payment_failed or payment_timed_out by the payment's notice.
 */
export type OrderStatus = "placed" | "confirmed" | "paying" | "paid" | "payment_failed" | "payment_timed_out";

/** What the back end pushes to the order's owner over Realtime when its status changes. */
export interface OrderUpdate {
    type: "order";
    order: Order;
}

export interface Order {
    userId: string;
    orderId: string;
    lines: OrderLine[];
    total: number;
    currency: string;
    status: OrderStatus;
    /** The payment of this order, once the user pays: its id is the workflow execution's name. */
    paymentId?: string;
    createdAt: string;
}

/** `2026-11-27T06:40:00.000Z#<uuid>`: unique, and sorts by creation time. */
export function newOrderId(now = new Date()): string {
    return `${now.toISOString()}#${randomUUID()}`;
}

/** The payment id of an order: its id's random part (a workflow execution name allows no `:` or `#`). */
export function paymentIdOf(orderId: string): string {
    return `order-${orderId.split("#").pop()!.replace(/[^A-Za-z0-9_-]/g, "")}`.slice(0, 80);
}
