// The Tencent Cloud upload store: presigned PUTs to a FileUpload's COS bucket, and HEAD, GET and
// DELETE of what landed there, as the function's own role (its temporary keys, read on every call).
//
// The requests are signed here, not with cos-nodejs-sdk-v5: the signature is a few HMAC-SHA1
// steps (COS "请求签名", cloud.tencent.com/document/product/436/7778), and the SDK would put its
// XML parser and HTTP stack into every signer and processor bundle. The unit test checks our
// signature against the SDK's own `COS.getAuthorization`.
//
// What COS enforces for a presigned PUT (the signature and the policies around it):
// - expiry: the URL is refused outside q-sign-time (from 30 s before signing to `expiresSeconds`
//   after), and also once the signer's temporary keys expire (the session token travels in the
//   URL as x-cos-security-token), whichever comes first;
// - method and key: PUT, to exactly this key (the path is in the signed string);
// - signed headers (q-header-list = content-length;content-type;host): the request must carry the
//   same Content-Type, the same Host, and a body of exactly the declared size (Content-Length), or
//   its signature does not match (403 SignatureDoesNotMatch);
// - CAM: the signer's role may only PutObject under `uploads/`; the bucket policy refuses plain
//   HTTP (cos:secure-transport).
// What only the processor enforces (functions/runtime/uploads.ts `onUpload`, with head() here):
// - the size limit, as the rule of record: COS refuses a body whose length differs from the signed
//   one, and the processor checks the stored size anyway, so the rule holds even where that binding
//   would not (a client of another store, a future signing change); an object over it is deleted;
// - the type: Content-Type is a label the client chose among the allowed ones; COS never looks at
//   the bytes, nor does the processor's check (it reads the stored type, as S3's POST policy does);
// - one upload per URL: a URL can be replayed until it expires (same key, size and type), which
//   overwrites the object and notifies the processor again.
import { createHash, createHmac } from "node:crypto";
import type { PresignedUpload, UploadSettings, UploadStore } from "../uploads";
import { credentialFromEnv, regionFromEnv, type TencentCredential } from "./credentials";

/** Signatures start this long before signing, so that a clock slightly ahead of COS's still works. */
export const CLOCK_SKEW_SECONDS = 30;
/** How long a HEAD, GET or DELETE signature is valid. */
const REQUEST_SIGNATURE_SECONDS = 300;
/** The headers a presigned PUT's signature covers, in q-header-list order. */
export const SIGNED_UPLOAD_HEADERS = ["content-length", "content-type", "host"] as const;

export interface CosSigningInput {
    method: string;
    /** The object's key, decoded, without a leading `/`. */
    key: string;
    /** Headers to sign; names in any case. */
    headers: Record<string, string>;
    /** Query parameters to sign. */
    query?: Record<string, string>;
    credential: TencentCredential;
    /** Validity, seconds since the epoch. */
    start: number;
    end: number;
}

/** The `q-sign-algorithm=sha1&...&q-signature=...` string: an Authorization header, or a URL's query. */
export function cosAuthorization(input: CosSigningInput): string {
    const keyTime = `${input.start};${input.end}`;
    const headers = canonical(input.headers);
    const query = canonical(input.query ?? {});
    const httpString = [input.method.toLowerCase(), `/${input.key}`, query.pairs, headers.pairs, ""].join("\n");
    const stringToSign = ["sha1", keyTime, sha1Hex(httpString), ""].join("\n");
    const signKey = createHmac("sha1", input.credential.secretKey).update(keyTime).digest("hex");
    const signature = createHmac("sha1", signKey).update(stringToSign).digest("hex");
    return [
        "q-sign-algorithm=sha1",
        `q-ak=${input.credential.secretId}`,
        `q-sign-time=${keyTime}`,
        `q-key-time=${keyTime}`,
        `q-header-list=${headers.names}`,
        `q-url-param-list=${query.names}`,
        `q-signature=${signature}`,
    ].join("&");
}

/** The bucket's XML API host: `<name>-<appid>.cos.<region>.myqcloud.com`. */
export function cosHost(bucket: string, region: string): string {
    return `${bucket}.cos.${region}.myqcloud.com`;
}

/** The object's HTTPS URL, its key percent-encoded segment by segment. */
export function cosObjectUrl(bucket: string, region: string, key: string): string {
    return `https://${cosHost(bucket, region)}/${key.split("/").map(cosEncode).join("/")}`;
}

/** A presigned PUT of exactly `upload.size` bytes of `upload.contentType` to `upload.key`. */
export function presignCosPut(
    settings: UploadSettings,
    upload: { key: string; contentType: string; size: number },
    credential: TencentCredential,
    nowSeconds: number,
): PresignedUpload {
    const region = regionFromEnv(settings.region);
    const host = cosHost(settings.bucket, region);
    const end = nowSeconds + settings.expiresSeconds;
    const authorization = cosAuthorization({
        method: "PUT",
        key: upload.key,
        headers: { "content-length": String(upload.size), "content-type": upload.contentType, host },
        credential,
        start: nowSeconds - CLOCK_SKEW_SECONDS,
        end,
    });
    const token = credential.token ? `&x-cos-security-token=${encodeURIComponent(credential.token)}` : "";
    return {
        method: "PUT",
        url: `${cosObjectUrl(settings.bucket, region, upload.key)}?${authorization}${token}`,
        // Host and Content-Length (the body's size) are the client's HTTP stack's to set.
        headers: { "Content-Type": upload.contentType },
        key: upload.key,
        expiresAt: new Date(end * 1000).toISOString(),
    };
}

export interface TencentUploadsOptions {
    credential?: () => TencentCredential;
    fetch?: typeof fetch;
    /** Milliseconds since the epoch. */
    now?: () => number;
}

/** The store over COS; `tencentUploads` is it with the function's own keys, fetch and clock. */
export function createTencentUploads(options: TencentUploadsOptions = {}): UploadStore {
    const credential = options.credential ?? (() => credentialFromEnv());
    const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);
    const send = (settings: UploadSettings, method: string, key: string) =>
        cosRequest({ settings, method, key, credential: credential(), nowSeconds: nowSeconds(), fetch: options.fetch ?? fetch });
    return {
        presign: async (settings, upload) => presignCosPut(settings, upload, credential(), nowSeconds()),
        async head(settings, key) {
            const response = await send(settings, "HEAD", key);
            if (response.status === 404) return undefined;
            await expectOk(response, "HEAD", key);
            const contentType = response.headers.get("content-type") ?? undefined;
            return { size: Number(response.headers.get("content-length") ?? 0), contentType: contentType || undefined };
        },
        async get(settings, key) {
            const response = await send(settings, "GET", key);
            if (response.status === 404) return undefined;
            await expectOk(response, "GET", key);
            return Buffer.from(await response.arrayBuffer());
        },
        async delete(settings, key) {
            const response = await send(settings, "DELETE", key);
            // COS answers 204 whether or not the object existed; 404 is the bucket's absence.
            if (response.status !== 404) await expectOk(response, "DELETE", key);
        },
    };
}

export const tencentUploads: UploadStore = createTencentUploads();

/** A request signed in its Authorization header (host only); the session token as its own header. */
async function cosRequest(input: {
    settings: UploadSettings;
    method: string;
    key: string;
    credential: TencentCredential;
    nowSeconds: number;
    fetch: typeof fetch;
}): Promise<Response> {
    const region = regionFromEnv(input.settings.region);
    const host = cosHost(input.settings.bucket, region);
    const authorization = cosAuthorization({
        method: input.method,
        key: input.key,
        headers: { host },
        credential: input.credential,
        start: input.nowSeconds - CLOCK_SKEW_SECONDS,
        end: input.nowSeconds + REQUEST_SIGNATURE_SECONDS,
    });
    const headers: Record<string, string> = { Authorization: authorization };
    if (input.credential.token) headers["x-cos-security-token"] = input.credential.token;
    return input.fetch(cosObjectUrl(input.settings.bucket, region, input.key), { method: input.method, headers });
}

async function expectOk(response: Response, method: string, key: string): Promise<void> {
    if (response.ok) return;
    const body = method === "HEAD" ? "" : await response.text().catch(() => "");
    const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `HTTP${response.status}`;
    const requestId = response.headers.get("x-cos-request-id");
    throw new Error(`COS ${method} ${key}: ${response.status} ${code}${requestId ? ` (request ${requestId})` : ""}`);
}

/** Names lower-cased and encoded, sorted; `names` joined by `;`, `pairs` as `name=value&...`. */
function canonical(entries: Record<string, string>): { names: string; pairs: string } {
    const encoded = Object.entries(entries)
        .map(([name, value]) => [cosEncode(name).toLowerCase(), cosEncode(value)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { names: encoded.map(([name]) => name).join(";"), pairs: encoded.map(([name, value]) => `${name}=${value}`).join("&") };
}

/** encodeURIComponent, with `!'()*` encoded too, as COS's signature expects. */
function cosEncode(text: string): string {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha1Hex(text: string): string {
    return createHash("sha1").update(text, "utf8").digest("hex");
}
