// Whether `npm start` runs the fake payment service, from the stack's config:
//   serverless-blocks:paymentCallbackSecret   the HMAC key the app gives its PaymentWorkflow
//                                             (callbackSecret: config.require[Secret]("paymentCallbackSecret"));
//                                             set: the service runs at <localUrl>/_local/payment-service
//   serverless-blocks:paymentService          optional: { delayMs: 500, outcomes: "succeeded" }, the
//                                             service's pace and its default outcomes (./outcomes.ts)
// Only for the local stack: the secret is a development value there (a `secure:` value would reach
// the program and this service as the same placeholder, and still match).
import { parseOutcomes } from "./outcomes";
import type { FakePaymentServiceOptions } from "./service";

export const PAYMENT_SECRET_KEY = "serverless-blocks:paymentCallbackSecret";
export const PAYMENT_SERVICE_KEY = "serverless-blocks:paymentService";

/** The fake service's options for `config` (a stack's, as the engine reads it), or undefined when it is not wanted. */
export function localPaymentService(config: Record<string, string>, log?: (line: string) => void): FakePaymentServiceOptions | undefined {
    const secret = config[PAYMENT_SECRET_KEY];
    if (secret === undefined) return undefined;
    if (secret === "") throw new Error(`config ${PAYMENT_SECRET_KEY}: the callback secret must not be empty`);
    const raw = config[PAYMENT_SERVICE_KEY];
    if (raw === undefined) return { secret, log };
    let settings: Record<string, unknown>;
    try {
        settings = JSON.parse(raw);
    } catch {
        throw new Error(`config ${PAYMENT_SERVICE_KEY}: expected an object such as { delayMs: 500, outcomes: "processing,succeeded" }`);
    }
    if (typeof settings !== "object" || settings === null || Array.isArray(settings)) throw new Error(`config ${PAYMENT_SERVICE_KEY}: expected an object such as { delayMs: 500, outcomes: "processing,succeeded" }`);
    const { delayMs, outcomes, ...unknown } = settings;
    if (Object.keys(unknown).length > 0) throw new Error(`config ${PAYMENT_SERVICE_KEY}: unknown key(s) ${Object.keys(unknown).join(", ")}; allowed: delayMs, outcomes`);
    if (delayMs !== undefined && (!Number.isSafeInteger(delayMs) || (delayMs as number) < 0)) throw new Error(`config ${PAYMENT_SERVICE_KEY}.delayMs: '${delayMs}' is not a whole number of milliseconds`);
    return {
        secret,
        log,
        ...(delayMs !== undefined ? { delayMs: delayMs as number } : {}),
        ...(outcomes !== undefined ? { outcomes: parseOutcomes(outcomes, `config ${PAYMENT_SERVICE_KEY}.outcomes`) } : {}),
    };
}
