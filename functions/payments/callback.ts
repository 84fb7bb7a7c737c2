// POST /payments/callback: the payment service reports a payment's status. The route is public
// (the service has no token of ours) and trusts only the HMAC signature over the raw body and a
// timestamp within the tolerance (./signature.ts): anything else is a 401 and changes nothing.
// The body `{ paymentId, status }` is applied idempotently (./record.ts): a duplicate or a report
// out of order never changes a final outcome. In callback mode, a final outcome resumes the
// workflow's wait (again on a retried callback: a resume that failed is then made good).
import * as z from "zod/mini";
import { http, HttpError, type HttpRequest, type HttpResponse } from "../runtime/http";
import { isFinal, paymentsTransport, type PaymentsTransport, type ReportedStatus } from "../runtime/clients/payments";
import { linkedValue } from "../runtime/clients/target";
import { parseBody } from "../runtime/validate";
import { SERVES_ENV } from "./names";
import { servedStore, type PaymentStore } from "./record";
import { SIGNATURE_HEADER, SignatureError, verifySignature } from "./signature";

export interface CallbackSettings {
    /**
     * The HMAC key shared with the payment service. It reaches the function as a variable of the
     * workflow's callback link, a Pulumi secret (never in a plan or the state in clear). Secrets
     * Manager / SSM would be better: the value would not sit in the function's configuration
     * (readable with lambda:GetFunctionConfiguration), could rotate without a deploy, and each
     * read would be audited. It is not done yet because each target needs its own secret store
     * realisation for it (Secrets Manager, Tencent SSM, a local file), as Auth has for its keys;
     * rotating this key is coordinated with the payment service anyway, which is a deploy today.
     */
    secret: string;
    toleranceSeconds: number;
}

export interface CallbackDependencies extends CallbackSettings {
    store: PaymentStore;
    transport: Pick<PaymentsTransport, "resume">;
    /** Milliseconds since the epoch. */
    now?: () => number;
}

const Report = z.object({
    paymentId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
    status: z.enum(["succeeded", "failed", "processing"]),
});

export async function handleCallback(req: HttpRequest, deps: CallbackDependencies): Promise<HttpResponse> {
    const raw = req.bytes ?? (req.body === undefined ? undefined : Buffer.from(req.body, "utf8"));
    if (!raw || raw.length === 0) throw new HttpError(400, "body is required: { paymentId, status }", { code: "missing_body" });
    try {
        verifySignature({ header: req.headers[SIGNATURE_HEADER], body: raw, secret: deps.secret, now: Math.floor((deps.now ?? Date.now)() / 1000), toleranceSeconds: deps.toleranceSeconds });
    } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        console.warn(`[${req.requestId}] payment callback refused: ${error.message}`);
        throw new HttpError(401, error.message, { code: error.problem === "stale" ? "stale_signature" : "invalid_signature" });
    }
    const report = parseBody({ ...req, body: raw.toString("utf8"), bytes: undefined }, Report);
    const written = await deps.store.report(report.paymentId, report.status satisfies ReportedStatus);
    if (!written) throw new HttpError(404, `no payment '${report.paymentId}'`, { code: "unknown_payment" });
    const { record, changed } = written;
    if (isFinal(record.status) && record.taskToken) {
        const resumed = await deps.transport.resume(record.taskToken, { status: record.status });
        if (!resumed) console.info(`[${req.requestId}] payment ${record.paymentId}: the wait had ended already (its check reads the record)`);
    }
    return { status: 200, body: { paymentId: record.paymentId, status: record.status, changed } };
}

/** The callback's settings from its link: SB_PAYMENTS_<NAME>_SECRET and _TOLERANCE. */
export function callbackSettings(): CallbackSettings {
    const name = process.env[SERVES_ENV];
    if (!name) throw new Error(`${SERVES_ENV} is not set: the PaymentWorkflow sets it on its callback`);
    const tolerance = linkedValue("payments", name, "tolerance");
    const toleranceSeconds = Number(tolerance);
    if (!Number.isInteger(toleranceSeconds) || toleranceSeconds <= 0) throw new Error(`the callback tolerance of payments '${name}' is '${tolerance}', not a whole number of seconds (the PaymentWorkflow sets it)`);
    return { secret: linkedValue("payments", name, "secret"), toleranceSeconds };
}

export const handler = http(async (req) => handleCallback(req, { ...callbackSettings(), store: servedStore(), transport: paymentsTransport() }));
