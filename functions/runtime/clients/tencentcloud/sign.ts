// The two ways Tencent Cloud requests are signed, in one place: API 3.0's TC3-HMAC-SHA256
// Authorization header (签名方法 v3, cloud.tencent.com/document/api/213/30654, as
// tencentcloud-sdk-nodejs's common/sign.js implements it; api3.ts, and the dynamic providers
// through components/tencentcloud/dynamic/client.ts), and API 2.0's HmacSHA256 Signature
// parameter (cloud.tencent.com/document/api/598/13879), which CMQ's data-flow API still takes
// (cmq.ts). Every Tencent client signs through these; none carries a copy.
import { createHash, createHmac, randomInt } from "node:crypto";
import type { TencentCredential } from "./credentials";

/** The one content type API 3.0 requests are signed and sent with. */
export const TC3_CONTENT_TYPE = "application/json; charset=utf-8";
const CONTENT_TYPE = TC3_CONTENT_TYPE;

/** The Authorization header of a TC3-HMAC-SHA256 signed POST of `body` to `https://<host>/`. */
export function tc3Authorization(input: { host: string; service: string; body: string; timestamp: number; credential: TencentCredential }): string {
    const { host, service, body, timestamp, credential } = input;
    const signedHeaders = "content-type;host";
    const canonicalRequest = ["POST", "/", "", `content-type:${CONTENT_TYPE}\nhost:${host}\n`, signedHeaders, sha256Hex(body)].join("\n");
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const scope = `${date}/${service}/tc3_request`;
    const stringToSign = ["TC3-HMAC-SHA256", String(timestamp), scope, sha256Hex(canonicalRequest)].join("\n");
    const secretDate = hmac(`TC3${credential.secretKey}`, date);
    const secretService = hmac(secretDate, service);
    const secretSigning = hmac(secretService, "tc3_request");
    const signature = createHmac("sha256", secretSigning).update(stringToSign).digest("hex");
    return `TC3-HMAC-SHA256 Credential=${credential.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

function sha256Hex(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

function hmac(key: string | Buffer, text: string): Buffer {
    return createHmac("sha256", key).update(text).digest();
}

/** The request's form parameters, Signature included (API 2.0 signing, HmacSHA256). */
export function signedParameters(
    url: URL,
    action: string,
    params: Record<string, string | number>,
    credential: TencentCredential,
    region: string,
    timestamp: number,
    nonce: number = randomInt(1, 2 ** 31 - 1),
): Record<string, string> {
    const all: Record<string, string> = {
        ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
        Action: action,
        Region: region,
        Timestamp: String(timestamp),
        Nonce: String(nonce),
        SecretId: credential.secretId,
        SignatureMethod: "HmacSHA256",
        ...(credential.token ? { Token: credential.token } : {}),
    };
    const query = Object.keys(all).sort().map((k) => `${k}=${all[k]}`).join("&");
    const signature = createHmac("sha256", credential.secretKey).update(`POST${url.host}${url.pathname}?${query}`).digest("base64");
    return { ...all, Signature: signature };
}
