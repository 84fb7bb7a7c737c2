// What the fake payment service reports for a payment: a sequence of statuses, one callback each.
// Chosen, first that applies:
//   1. the request's own `outcomes` field: "processing,succeeded" or ["processing", "succeeded"];
//   2. a script a test set for the payment id (FakePaymentService.script);
//   3. the amount's last two digits (minor units), so an app can pick a path by what it charges:
//        ..01  failed                                 (declined)
//        ..02  processing, processing, succeeded      (slow)
//        ..03  processing                             (never final: the workflow times out)
//        ..04  succeeded, succeeded                   (a duplicated callback)
//   4. the service's default (config `paymentService.outcomes`), "succeeded" unless set.

export type Outcome = "succeeded" | "failed" | "processing";
export const OUTCOMES: readonly Outcome[] = ["succeeded", "failed", "processing"];

export const AMOUNT_RULES: Readonly<Record<number, readonly Outcome[]>> = {
    1: ["failed"],
    2: ["processing", "processing", "succeeded"],
    3: ["processing"],
    4: ["succeeded", "succeeded"],
};

/** At most this many callbacks per payment: enough for any story, not a flood. */
export const MAX_OUTCOMES = 20;

/** A sequence from "a,b" or ["a", "b"]; throws naming `where` and the allowed statuses. */
export function parseOutcomes(value: unknown, where: string): Outcome[] {
    const items = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : value;
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_OUTCOMES || !items.every((s) => (OUTCOMES as readonly unknown[]).includes(s))) {
        throw new TypeError(`${where}: expected 1 to ${MAX_OUTCOMES} of ${OUTCOMES.join(", ")}, as "processing,succeeded" or a list; got ${JSON.stringify(value)}`);
    }
    return items as Outcome[];
}

/** The amount rule's sequence for `amount` (minor units), if one applies. */
export function amountRule(amount: number): readonly Outcome[] | undefined {
    return AMOUNT_RULES[amount % 100];
}
