// A fake third-party payment service for `npm start` and the tests, served under
// /_local/payment-service (npm start mounts it on the runtime's port; tests may mount it there or
// listen on a port of its own):
//   POST /payments { paymentId, amount, currency, callbackUrl }   202 { paymentId, status: "accepted", outcomes }
//        then, `delayMs` after the acceptance and after each callback, POSTs { paymentId, status }
//        to callbackUrl for each status of the payment's outcomes (./outcomes.ts says which),
//        signed as the PaymentWorkflow's callback route verifies (functions/payments/signature.ts:
//        x-payment-signature: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>">) with the secret
//        the app gives its workflow. A callback answered 5xx (or not at all: the runtime is down)
//        is sent again, `retry.attempts` times `retry.delayMs` apart; a 4xx is final.
//        Optional request fields, for trying paths by hand or from a test: outcomes, delayMs,
//        failFirst (answer 503 to the first n requests of this payment id), decline: true (answer
//        402: the card is declined, no callback), signature: "invalid" (sign with another key:
//        the callback must answer 401 and change nothing).
//        The payment id is the idempotency key: the same request again is answered 202 once more
//        and starts nothing; the same id with another amount or currency is a 409.
//   GET  /payments/<id>   the payment as the service saw it: requests, outcomes, each delivery and its answer
//   GET  /payments        all of them
// State lives in memory and, given a `stateFile`, on disk: a real payment service outlives the app
// that calls it, so after a restart (even a kill -9) of npm start its accepted payments still
// call back, from the first status not yet answered.
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, signPayload } from "../../functions/payments/signature";
import { amountRule, parseOutcomes, type Outcome } from "./outcomes";

export const PAYMENT_SERVICE_PATH = "/_local/payment-service";
const MAX_BODY_BYTES = 64 * 1024;
const PAYMENT_ID = /^[A-Za-z0-9_-]{1,80}$/;

export interface FakePaymentServiceOptions {
    /** The HMAC key of the callbacks: the PaymentWorkflow's callbackSecret. */
    secret: string;
    /** Before each callback, after the acceptance or the previous callback. Default 500 ms. */
    delayMs?: number;
    /** When neither the request, a script nor an amount rule says. Default ["succeeded"]. */
    outcomes?: Outcome[];
    /** Callbacks answered 5xx or not answered are sent again. Default 5 attempts, 1 s apart. */
    retry?: { attempts: number; delayMs: number };
    /** Where the payments are kept across restarts (npm start: `<data dir>/payment-service.json`). */
    stateFile?: string;
    log?: (line: string) => void;
}

/** What a test sets for one payment id before it is requested. */
export interface PaymentScript {
    outcomes?: Outcome[] | string;
    delayMs?: number;
    failFirst?: number;
    decline?: boolean;
    signature?: "valid" | "invalid";
}

export interface Delivery {
    status: Outcome;
    attempt: number;
    at: string;
    /** The callback's answer, or why there was none. */
    httpStatus?: number;
    response?: unknown;
    error?: string;
}

export interface FakePayment {
    paymentId: string;
    amount: number;
    currency: string;
    callbackUrl: string;
    outcomes: Outcome[];
    delayMs: number;
    signature: "valid" | "invalid";
    /** Requests received for this id, refused ones (failFirst) included. */
    requests: number;
    acceptedAt?: string;
    /** How many of `outcomes` were called back (answered, refused for good, or out of attempts). */
    reported: number;
    deliveries: Delivery[];
    /** Every callback was sent (answered, refused for good, or out of attempts). */
    done: boolean;
}

class Refusal extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

export class FakePaymentService {
    private readonly payments = new Map<string, FakePayment>();
    private readonly scripts = new Map<string, PaymentScript>();
    private readonly sending = new Set<Promise<void>>();
    private readonly stopped = new AbortController();
    private readonly options: Required<Omit<FakePaymentServiceOptions, "log" | "stateFile">> & Pick<FakePaymentServiceOptions, "log" | "stateFile">;

    constructor(options: FakePaymentServiceOptions) {
        if (typeof options.secret !== "string" || options.secret.length === 0) throw new TypeError("the fake payment service needs the callback secret the app gives its PaymentWorkflow");
        this.options = { delayMs: 500, outcomes: ["succeeded"], retry: { attempts: 5, delayMs: 1000 }, ...options };
        for (const payment of this.load()) {
            this.payments.set(payment.paymentId, payment);
            if (payment.acceptedAt !== undefined && !payment.done) this.track(this.report(payment));
        }
    }

    /** Sets what happens to `paymentId` when it is requested (the request's own fields still win). */
    script(paymentId: string, script: PaymentScript): void {
        this.scripts.set(paymentId, script);
    }

    payment(paymentId: string): FakePayment | undefined {
        return this.payments.get(paymentId);
    }

    /** Resolves once every callback scheduled so far was sent. */
    async idle(): Promise<void> {
        while (this.sending.size > 0) await Promise.all([...this.sending]);
    }

    /** Stops sending (pending callbacks are dropped). */
    close(): void {
        this.stopped.abort();
    }

    /** Answers a request whose path is under PAYMENT_SERVICE_PATH. Never rejects. */
    async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        try {
            const url = new URL(req.url ?? "/", "http://local");
            const rest = url.pathname.slice(PAYMENT_SERVICE_PATH.length);
            if (rest === "/payments" && req.method === "POST") return send(res, ...this.request(await readJson(req)));
            if (rest === "/payments" && req.method === "GET") return send(res, 200, { payments: [...this.payments.values()] });
            const one = /^\/payments\/([^/]+)$/.exec(rest);
            if (one && req.method === "GET") {
                const id = decodePaymentId(one[1]);
                const payment = this.payments.get(id);
                if (!payment) throw new Refusal(404, "unknown_payment", `no payment '${id}'`);
                return send(res, 200, payment);
            }
            throw new Refusal(404, "not_found", `nothing at ${req.method} ${url.pathname}: POST ${PAYMENT_SERVICE_PATH}/payments, GET ${PAYMENT_SERVICE_PATH}/payments[/<id>]`);
        } catch (error) {
            if (error instanceof Refusal) return send(res, error.status, { error: { code: error.code, message: error.message } });
            console.error("fake payment service:", error);
            send(res, 500, { error: { code: "internal", message: "internal error" } });
        }
    }

    private request(body: Record<string, unknown>): [number, unknown] {
        const { paymentId, amount, currency, callbackUrl } = body;
        if (typeof paymentId !== "string" || !PAYMENT_ID.test(paymentId)) throw new Refusal(400, "bad_request", "paymentId: 1 to 80 letters, digits, '_' or '-'");
        if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) throw new Refusal(400, "bad_request", "amount: a positive whole number of minor units");
        if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) throw new Refusal(400, "bad_request", "currency: an ISO 4217 code such as EUR");
        if (typeof callbackUrl !== "string" || !/^https?:\/\//.test(callbackUrl)) throw new Refusal(400, "bad_request", "callbackUrl: the http(s) URL of the PaymentWorkflow's callback route");
        const script = { ...this.scripts.get(paymentId), ...pick(body, ["outcomes", "delayMs", "failFirst", "decline", "signature"]) } as PaymentScript;
        let payment = this.payments.get(paymentId);
        if (payment && (payment.amount !== amount || payment.currency !== currency)) {
            throw new Refusal(409, "idempotency_conflict", `payment '${paymentId}' was requested with ${payment.amount} ${payment.currency}; the same id cannot charge ${amount} ${currency}`);
        }
        if (!payment) {
            payment = { paymentId, amount, currency, callbackUrl, ...this.plan(amount, script), requests: 0, reported: 0, deliveries: [], done: false };
            this.payments.set(paymentId, payment);
        }
        payment.requests++;
        this.save();
        if (payment.acceptedAt === undefined && payment.requests <= whole(script.failFirst, "failFirst", 0)) {
            throw new Refusal(503, "unavailable", `the payment service is unavailable (request ${payment.requests} of payment '${paymentId}'); try again`);
        }
        if (script.decline === true) throw new Refusal(402, "card_declined", `the card was declined for payment '${paymentId}'`);
        if (payment.acceptedAt === undefined) {
            payment.acceptedAt = new Date().toISOString();
            this.save();
            this.track(this.report(payment));
        }
        return [202, { paymentId, status: "accepted", outcomes: payment.outcomes }];
    }

    private plan(amount: number, script: PaymentScript): Pick<FakePayment, "outcomes" | "delayMs" | "signature"> {
        let outcomes: Outcome[];
        try {
            outcomes = script.outcomes !== undefined ? parseOutcomes(script.outcomes, "outcomes") : [...(amountRule(amount) ?? this.options.outcomes)];
        } catch (error) {
            throw new Refusal(400, "bad_request", (error as Error).message);
        }
        const signature = script.signature ?? "valid";
        if (signature !== "valid" && signature !== "invalid") throw new Refusal(400, "bad_request", 'signature: "valid" or "invalid"');
        return { outcomes, delayMs: whole(script.delayMs, "delayMs", this.options.delayMs), signature };
    }

    private track(sending: Promise<void>): void {
        this.sending.add(sending);
        const done = () => void this.sending.delete(sending);
        sending.then(done, (error) => {
            done();
            console.error("fake payment service:", error);
        });
    }

    /**
     * Each outcome not yet answered, in turn, `delayMs` after the previous one was sent. Not done
     * when the service stops meanwhile: a later start (same stateFile) goes on from there.
     */
    private async report(payment: FakePayment): Promise<void> {
        for (let next = payment.reported; next < payment.outcomes.length; next++) {
            if (!(await this.sleep(payment.delayMs))) return;
            if (!(await this.deliver(payment, payment.outcomes[next]))) return;
            payment.reported = next + 1;
            this.save();
        }
        payment.done = true;
        this.save();
    }

    /** The payments a previous run kept in `stateFile` (none without one). */
    private load(): FakePayment[] {
        const file = this.options.stateFile;
        if (!file || !fs.existsSync(file)) return [];
        try {
            const kept = JSON.parse(fs.readFileSync(file, "utf8"));
            return Array.isArray(kept.payments) ? kept.payments : [];
        } catch (error) {
            // A torn file cannot come from save() (it renames a complete one into place); say so and start empty.
            this.options.log?.(`fake payment service: ${file} is unreadable (${(error as Error).message}); starting with no payments`);
            return [];
        }
    }

    /** Written whole and renamed into place, so a kill -9 leaves the previous state or this one. */
    private save(): void {
        const file = this.options.stateFile;
        if (!file) return;
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify({ payments: [...this.payments.values()] }));
        fs.renameSync(temporary, file);
    }

    /** True once the callback is answered or out of attempts; false when the service stopped first. */
    private async deliver(payment: FakePayment, status: Outcome): Promise<boolean> {
        const body = JSON.stringify({ paymentId: payment.paymentId, status });
        const key = payment.signature === "valid" ? this.options.secret : `not-${this.options.secret}`;
        for (let attempt = 1; attempt <= this.options.retry.attempts; attempt++) {
            if (attempt > 1 && !(await this.sleep(this.options.retry.delayMs))) return false;
            const delivery: Delivery = { status, attempt, at: new Date().toISOString() };
            payment.deliveries.push(delivery);
            try {
                const answer = await fetch(payment.callbackUrl, {
                    method: "POST",
                    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signPayload(key, body, Math.floor(Date.now() / 1000)) },
                    body,
                    signal: AbortSignal.any([this.stopped.signal, AbortSignal.timeout(10_000)]),
                });
                delivery.httpStatus = answer.status;
                delivery.response = await answer.json().catch(() => undefined);
                this.save();
                if (answer.status < 500) return true; // answered: a 2xx took it, a 4xx refuses it for good
            } catch (error) {
                delivery.error = (error as Error).message;
                if (this.stopped.signal.aborted) return false;
            }
            this.save();
            this.options.log?.(`fake payment service: callback ${status} of payment ${payment.paymentId} (attempt ${attempt}) ${delivery.httpStatus ?? delivery.error}`);
        }
        return true;
    }

    /** False when the service was closed meanwhile. */
    private sleep(ms: number): Promise<boolean> {
        return new Promise((resolve) => {
            if (this.stopped.signal.aborted) return resolve(false);
            const onStop = () => {
                clearTimeout(timer);
                resolve(false);
            };
            const timer = setTimeout(() => {
                this.stopped.signal.removeEventListener("abort", onStop);
                resolve(true);
            }, ms);
            this.stopped.signal.addEventListener("abort", onStop, { once: true });
        });
    }
}

/** Whether a request target is the fake payment service's. */
export function isPaymentServiceRequest(target: string | undefined): boolean {
    const t = target ?? "";
    return t === PAYMENT_SERVICE_PATH || t.startsWith(`${PAYMENT_SERVICE_PATH}/`) || t.startsWith(`${PAYMENT_SERVICE_PATH}?`);
}

/** The service on a port of its own (tests that outlive a runtime): its base URL is `<url>` + PAYMENT_SERVICE_PATH. */
export async function listenFakePaymentService(options: FakePaymentServiceOptions, port = 0, host = "127.0.0.1"): Promise<{ service: FakePaymentService; url: string; close(): Promise<void> }> {
    const service = new FakePaymentService(options);
    const server = http.createServer((req, res) => {
        if (isPaymentServiceRequest(req.url)) return void service.handle(req, res);
        send(res, 404, { error: { code: "not_found", message: `the fake payment service is at ${PAYMENT_SERVICE_PATH}` } });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, resolve);
    });
    return {
        service,
        url: `http://${host}:${(server.address() as AddressInfo).port}${PAYMENT_SERVICE_PATH}`,
        close: () => {
            service.close();
            return new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
        },
    };
}

function whole(value: unknown, field: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || (value as number) < 0) throw new Refusal(400, "bad_request", `${field}: a whole number of 0 or more`);
    return value as number;
}

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        req.on("error", reject);
        req.on("end", () => {
            if (size > MAX_BODY_BYTES) return reject(new Refusal(413, "too_large", `the body is over ${MAX_BODY_BYTES} bytes`));
            try {
                const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
                if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
                resolve(body);
            } catch (error) {
                reject(new Refusal(400, "bad_request", `the body is not a JSON object: ${(error as Error).message}`));
            }
        });
    });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
    res.end(text);
}

/** A payment id from the path; a malformed escape ("%ZZ") is a 400, not a crash. */
function decodePaymentId(part: string): string {
    try {
        return decodeURIComponent(part);
    } catch {
        throw new Refusal(400, "bad_request", `'${part}' in the path is not valid percent-encoded UTF-8`);
    }
}
