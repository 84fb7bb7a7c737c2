// `PUT /_local/uploads/<bucket>/<key>?expires=&type=&size=&signature=`: the local store taking
// a signed upload, as S3 or COS takes a presigned one. Checked in this order, each refusal a JSON
// `{ error: { code, message } }` and nothing written:
//   404 no_such_upload     no FileUpload has this bucket
//   405 method_not_allowed only PUT (and CORS preflights): objects are private, read in the processor
//   400 bad_request        the URL lacks or garbles expires, type, size or signature
//   400 bad_key            the key is not under `uploads/`, or has an empty, `.` or `..` part
//   403 bad_signature      bucket, key, type, size or expiry differ from what was signed
//   410 expired            the URL's time is up (signed, so the expiry is the signer's)
//   400 wrong_content_type the Content-Type header is not exactly the signed type
//   413 too_large          the body is over the signed size: a Content-Length over it is refused
//                          before reading, a chunked body is cut off at the first byte over
//   400 size_mismatch      the body is shorter than the signed size (a URL uploads one exact file)
//   503 not_running        the runtime's queues are not running, so no processing could follow
// On success: 200 `{ key, size, etag, eventId }` (and an ETag header), once the object is in
// place and its ObjectCreated event is queued for the processor. CORS: the FileUpload's allowOrigins get preflights answered and
// every answer readable (refusals too, so a page can show why).
import type * as http from "node:http";
import { LOCAL_UPLOADS_PATH, type LocalUploadDescriptor } from "../../components/local/descriptor";
import { allowedOriginHeaders } from "../../functions/runtime/cors";
import { objectSegments } from "../../functions/runtime/clients/local/upload-paths";
import { UPLOAD_PREFIX } from "../../functions/runtime/uploads";
import { BodyInterruptedError, BodySizeError } from "./receive";
import { refuse, sendJson, UploadRefusal } from "./refusal";
import type { LocalUploads } from "./service";
import type { SignedUpload } from "./signing";

/** Browsers may cache a preflight answer this long (seconds), as the clouds' bucket CORS does. */
export const PREFLIGHT_MAX_AGE_SECONDS = 3000;

/** Answers a request under /_local/uploads/. Never rejects. */
export async function answerUploadRequest(uploads: LocalUploads, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let cors: Record<string, string> = {};
    try {
        const target = parseTarget(req.url ?? "");
        const definition = uploads.find(target.bucket);
        if (!definition) throw new UploadRefusal(404, "no_such_upload", `no FileUpload stores bucket '${target.bucket}' here`);
        cors = corsHeaders(definition, req.headers.origin);
        if (req.method === "OPTIONS") return preflight(req, res, cors);
        if (req.method !== "PUT") throw new UploadRefusal(405, "method_not_allowed", `${req.method} is not allowed: PUT a signed upload; objects are private (the processor reads them)`, { allow: "PUT, OPTIONS" });
        const grant = checkGrant(uploads, definition, target);
        checkHeaders(req, grant);
        if (!uploads.runtime.started) throw new UploadRefusal(503, "not_running", "the local runtime's queues are not running: the upload could not be processed");
        const object = await receive(uploads, definition, req, grant);
        let eventId: string;
        try {
            eventId = uploads.notify(definition, object);
        } catch (error) {
            // Never an object without its event: take it back, and say so.
            uploads.store(definition).delete(object.key);
            throw error;
        }
        sendJson(res, 200, { key: object.key, size: object.size, etag: object.etag, eventId }, { ...cors, etag: `"${object.etag}"` });
    } catch (error) {
        if (error instanceof BodyInterruptedError) return void res.destroy(); // no one left to answer
        if (!(error instanceof UploadRefusal)) console.error("local runtime: upload failed:", error);
        refuse(req, res, error instanceof UploadRefusal ? error : new UploadRefusal(500, "internal", "the upload could not be stored"), cors);
    }
}

interface Target {
    bucket: string;
    key: string;
    query: URLSearchParams;
}

/** From the raw request target: a URL parser would resolve `..` and `%2e%2e` before anything could refuse them. */
function parseTarget(raw: string): Target {
    const at = raw.indexOf("?");
    const [pathPart, queryPart] = at < 0 ? [raw, ""] : [raw.slice(0, at), raw.slice(at + 1)];
    const parts = pathPart.slice(`${LOCAL_UPLOADS_PATH}/`.length).split("/");
    const decoded = parts.map((part) => {
        try {
            return decodeURIComponent(part);
        } catch {
            throw new UploadRefusal(400, "bad_request", `'${part}' in the path is not percent-encoded text`);
        }
    });
    const [bucket, ...keyParts] = decoded;
    return { bucket, key: keyParts.join("/"), query: new URLSearchParams(queryPart) };
}

function checkGrant(uploads: LocalUploads, definition: LocalUploadDescriptor, target: Target): SignedUpload {
    const { query, key } = target;
    const expires = query.get("expires") ?? "";
    const size = query.get("size") ?? "";
    const contentType = query.get("type");
    const signature = query.get("signature");
    if (!/^\d{1,12}$/.test(expires) || !/^[1-9]\d{0,15}$/.test(size) || !contentType || !signature) {
        throw new UploadRefusal(400, "bad_request", "the URL needs expires, type, size and signature: use the URL the signing route answered, unchanged");
    }
    if (!key.startsWith(UPLOAD_PREFIX)) throw new UploadRefusal(400, "bad_key", `key '${key}' is not under ${UPLOAD_PREFIX}`);
    try {
        objectSegments(key);
    } catch (error) {
        throw new UploadRefusal(400, "bad_key", (error as Error).message);
    }
    const grant: SignedUpload = { method: "PUT", bucket: definition.bucket, key, expires: Number(expires), contentType, size: Number(size) };
    if (!uploads.signer().verify(grant, signature)) {
        throw new UploadRefusal(403, "bad_signature", "the signature does not match this bucket, key, type, size and expiry: use the URL the signing route answered, unchanged");
    }
    if (Date.now() >= grant.expires * 1000) throw new UploadRefusal(410, "expired", `the upload URL expired at ${new Date(grant.expires * 1000).toISOString()}: ask the signing route for a new one`);
    return grant;
}

function checkHeaders(req: http.IncomingMessage, grant: SignedUpload): void {
    const type = req.headers["content-type"];
    if (type !== grant.contentType) {
        throw new UploadRefusal(400, "wrong_content_type", `Content-Type must be exactly '${grant.contentType}' (as signed), got ${type === undefined ? "none" : `'${type}'`}`);
    }
    const declared = req.headers["content-length"];
    if (declared === undefined) return; // chunked: held to the size while it is read
    if (Number(declared) > grant.size) throw new UploadRefusal(413, "too_large", `Content-Length ${declared} is over the signed size of ${grant.size} bytes`);
    if (Number(declared) < grant.size) throw new UploadRefusal(400, "size_mismatch", `Content-Length ${declared} is not the signed size of ${grant.size} bytes`);
}

async function receive(uploads: LocalUploads, definition: LocalUploadDescriptor, req: http.IncomingMessage, grant: SignedUpload) {
    try {
        return await uploads.store(definition).put(grant.key, req, { size: grant.size, contentType: grant.contentType });
    } catch (error) {
        if (error instanceof BodySizeError) {
            throw error.over
                ? new UploadRefusal(413, "too_large", `the body is over the signed size of ${grant.size} bytes`)
                : new UploadRefusal(400, "size_mismatch", `the body ended after ${error.received} of the signed ${grant.size} bytes`);
        }
        throw error;
    }
}

function corsHeaders(definition: LocalUploadDescriptor, origin: string | undefined): Record<string, string> {
    if (origin === undefined) return {};
    const headers = allowedOriginHeaders({ allowOrigins: definition.allowOrigins, allowCredentials: false, exposeHeaders: [] }, origin);
    if (headers["access-control-allow-origin"]) headers["access-control-expose-headers"] = "etag";
    // The answer depends on the Origin: a shared cache must key on it.
    return { ...headers, vary: "origin" };
}

function preflight(req: http.IncomingMessage, res: http.ServerResponse, cors: Record<string, string>): void {
    if (!cors["access-control-allow-origin"]) {
        throw new UploadRefusal(403, "origin_not_allowed", `origin ${req.headers.origin ?? "(none)"} may not upload here; allowed: the FileUpload's allowOrigins`);
    }
    res.writeHead(204, {
        ...cors,
        "access-control-allow-methods": "PUT",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": String(PREFLIGHT_MAX_AGE_SECONDS),
    });
    res.end();
}
