// The payment service signs each callback: header `x-payment-signature: t=<unix seconds>,v1=<hex>`,
// where the hex is HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp is signed with the body,
// so a captured callback cannot be replayed with a new time; one replayed within the tolerance
// is harmless, since reports are idempotent (./record.ts). Several v1 values may be sent while
// the service rotates its secret; any one matching is enough.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-payment-signature";

export type SignatureProblem = "missing" | "malformed" | "mismatch" | "stale";

export class SignatureError extends Error {
    constructor(readonly problem: SignatureProblem, message: string) {
        super(message);
        this.name = "SignatureError";
    }
}

const TIMESTAMP = /^\d{1,12}$/;
const V1 = /^[0-9a-f]{64}$/i;

/** The header value for `body` signed at `timestamp` (unix seconds): what the payment service sends. */
export function signPayload(secret: string, body: string | Buffer, timestamp: number): string {
    return `t=${timestamp},v1=${hmac(secret, timestamp, body).toString("hex")}`;
}

export interface VerifyOptions {
    /** The header's value, if any. */
    header: string | undefined;
    /** The raw body, exactly as received. */
    body: string | Buffer;
    secret: string;
    /** Now, in unix seconds. */
    now: number;
    /** How far the signed time may be from now, in seconds, either way. */
    toleranceSeconds: number;
}

/** Resolves the signed timestamp; throws SignatureError naming the problem. */
export function verifySignature(options: VerifyOptions): number {
    const { header, body, secret, now, toleranceSeconds } = options;
    if (!header) throw new SignatureError("missing", `the ${SIGNATURE_HEADER} header is missing`);
    let timestamp: string | undefined;
    const signatures: Buffer[] = [];
    for (const part of header.split(",")) {
        const at = part.indexOf("=");
        if (at < 0) continue;
        const key = part.slice(0, at).trim();
        const value = part.slice(at + 1).trim();
        if (key === "t" && TIMESTAMP.test(value)) timestamp = value;
        if (key === "v1" && V1.test(value)) signatures.push(Buffer.from(value, "hex"));
    }
    if (timestamp === undefined || signatures.length === 0) throw new SignatureError("malformed", `the ${SIGNATURE_HEADER} header is not t=<unix seconds>,v1=<64 hex digits>`);
    const expected = hmac(secret, Number(timestamp), body);
    // Each comparison takes the same time whatever the bytes: equal lengths are guaranteed by V1.
    if (!signatures.some((signature) => timingSafeEqual(signature, expected))) throw new SignatureError("mismatch", "the signature does not match the body");
    const skew = Math.abs(now - Number(timestamp));
    if (skew > toleranceSeconds) throw new SignatureError("stale", `the signature's time is ${skew} s from now; at most ${toleranceSeconds} s are accepted`);
    return Number(timestamp);
}

function hmac(secret: string, timestamp: number, body: string | Buffer): Buffer {
    return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
}
