// An order as the orders table stores it: partitioned by user, sorted by a time-ordered id so a
// user's orders list oldest first.
import { randomUUID } from "node:crypto";

export interface OrderLine {
    sku: string;
    quantity: number;
    /** Price per unit, in the currency's minor unit (cents). */
    unitPrice: number;
}

export interface Order {
    userId: string;
    orderId: string;
    lines: OrderLine[];
    total: number;
    currency: string;
    status: "placed";
    createdAt: string;
}

/** `2026-11-27T06:40:00.000Z#<uuid>`: unique, and sorts by creation time. */
export function newOrderId(now = new Date()): string {
    return `${now.toISOString()}#${randomUUID()}`;
}
