// The checkout workflow's request step: asks the payment service (PAYMENT_SERVICE_URL) to charge
// the order, naming where it reports back (the workflow's callback route). The payment id is the
// service's idempotency key, so a retried request never charges twice. An unreachable or failing
// service (5xx) is worth retrying (TransientError, with backoff); a declined card or a refused
// request fails the payment, and the notice says why.
import { onTask, TaskFailed, TransientError } from "serverless-blocks/functions/runtime";
import type { PaymentExecutionInput } from "serverless-blocks/functions/runtime/clients/payments";

export const handler = onTask<PaymentExecutionInput, { accepted: true }>(async (payment) => {
    const service = process.env.PAYMENT_SERVICE_URL;
    if (!service) throw new TaskFailed("PAYMENT_SERVICE_URL is not set: the stack's serverless-blocks:paymentServiceUrl names the payment service");
    if (!payment.callbackUrl) throw new TaskFailed("the payment has no callbackUrl: start it with payments(name).start(...) from a function linking the workflow");
    const response = await fetch(`${service.replace(/\/+$/, "")}/payments`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": payment.paymentId },
        body: JSON.stringify({ paymentId: payment.paymentId, amount: payment.amount, currency: payment.currency, callbackUrl: payment.callbackUrl }),
        signal: AbortSignal.timeout(10_000),
    }).catch((error: Error) => {
        throw new TransientError(`payment service unreachable: ${error.message}`, { cause: error });
    });
    if (response.status >= 500 || response.status === 429) throw new TransientError(`payment service answered ${response.status}`);
    if (response.status === 402) throw new TaskFailed("the payment service declined the payment", "PaymentDeclined");
    if (!response.ok) throw new TaskFailed(`the payment service refused the request: HTTP ${response.status} ${await response.text().catch(() => "")}`.trim(), "PaymentRefused");
    return { accepted: true };
});
