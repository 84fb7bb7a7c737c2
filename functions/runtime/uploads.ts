/**
 * The portable upload contract: what a FileUpload's signer checks, where an upload's key comes
 * from, and what its `onUploaded` handler receives, the same whether S3 (AWS), COS (Tencent
 * Cloud) or the local object store took the file.
 *
 * Keys are never the client's: `uploads/<user>/<id>/<name>`, the user from the verified token
 * (percent-encoded), the id random, the name the file name the client gave, reduced to a safe
 * base name. A processing handler is an event handler (`onUpload` is `onEvent` underneath), so it
 * is retried and dead-lettered like every AsyncTask; before it runs, the object is checked against
 * the rules (its real size and type) and deleted if it breaks them: what a store enforces at
 * signing time differs (S3's POST policy binds a size range; COS's signed PUT binds the signed
 * headers), and the rule must hold on every target whatever reaches the bucket.
 */
import { randomUUID } from "node:crypto";
import { onEvent, type EventHandler, type HubEvent } from "./events";

/** Where every upload's key starts; storage notifications filter on it. */
export const UPLOAD_PREFIX = "uploads/";
/** The hub event type a store's notification becomes (its `detail` is an UploadedObject). */
export const OBJECT_CREATED = "ObjectCreated";
/** A file name's limit, in UTF-8 bytes (S3 keys are at most 1,024 bytes in all). */
export const MAX_NAME_BYTES = 255;

/** The rules an upload is held to: the component's settings. */
export interface UploadRules {
    maxBytes: number;
    /** MIME types, lower case, e.g. `image/png`; `image/*` allows every image type. */
    allowedTypes: string[];
}

/** What a client asks to upload. */
export interface UploadRequest {
    /** The file's name, e.g. `receipt.pdf` (no folders: they are dropped). */
    name: string;
    contentType: string;
    /** Bytes. */
    size: number;
}

/** An object that landed in the store: what `onUpload` handlers get. */
export interface UploadedObject {
    /** The bucket (S3, COS) or the local store's name. */
    bucket: string;
    /** The object's key, decoded: `uploads/<user>/<id>/<name>`. */
    key: string;
    /** Who uploaded it (from the key: the signer put the verified user there). */
    userId: string;
    /** The file name the client gave, made safe. */
    name: string;
    /** Bytes, as the store reports them. */
    size: number;
    /** The object's content type, where the notification carries it (read with `uploads(name).head` otherwise). */
    contentType?: string;
    /** The store's entity tag, when it gives one. */
    etag?: string;
}

/** Why an upload request or an object was refused: a message for the client, and a code. */
export class UploadRuleError extends Error {
    constructor(readonly code: "bad_name" | "bad_type" | "too_large" | "bad_size" | "bad_key", message: string) {
        super(message);
        this.name = "UploadRuleError";
    }
}

/**
 * A client's file name made safe, or an UploadRuleError: Unicode normalised to NFC, folders
 * dropped (`a/b/c.txt` is `c.txt`, also with `\`), no control or format characters, no `.` or
 * `..`, at most MAX_NAME_BYTES; characters a URL or a shell would treat specially become `_`.
 */
export function safeFileName(given: unknown): string {
    if (typeof given !== "string" || given.trim() === "") throw new UploadRuleError("bad_name", "name: give the file's name, e.g. receipt.pdf");
    const normalised = given.normalize("NFC");
    // Control (Cc), format (Cf: bidi overrides, zero-width), unpaired surrogates, private use: refused, not repaired.
    if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u.test(normalised)) throw new UploadRuleError("bad_name", "name: control and invisible formatting characters are not allowed");
    const base = normalised.split(/[\\/]/).pop()!.trim();
    if (base === "" || base === "." || base === "..") throw new UploadRuleError("bad_name", `name: '${given}' names no file`);
    const safe = base.replace(/[<>:"|?*#%&{}$!'`@+=;,^~[\]]/g, "_").replace(/\s+/g, " ");
    if (Buffer.byteLength(safe) > MAX_NAME_BYTES) throw new UploadRuleError("bad_name", `name: at most ${MAX_NAME_BYTES} bytes of UTF-8`);
    return safe;
}

/** Whether `contentType` (parameters such as `; charset=` ignored) is one of `allowed`. */
export function typeAllowed(contentType: string, allowed: readonly string[]): boolean {
    const type = mediaType(contentType);
    return allowed.some((rule) => (rule.endsWith("/*") ? type.startsWith(rule.slice(0, -1)) : type === rule));
}

/** `Image/PNG; charset=x` is `image/png`. */
export function mediaType(contentType: string): string {
    return contentType.split(";")[0].trim().toLowerCase();
}

/** Checks a client's request against the rules; resolves the safe name. */
export function checkUploadRequest(request: UploadRequest, rules: UploadRules): { name: string; contentType: string; size: number } {
    const name = safeFileName(request?.name);
    const contentType = typeof request.contentType === "string" ? mediaType(request.contentType) : "";
    if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(contentType)) {
        throw new UploadRuleError("bad_type", "contentType: a MIME type such as image/png");
    }
    if (!typeAllowed(contentType, rules.allowedTypes)) throw new UploadRuleError("bad_type", `contentType: '${contentType}' is not allowed; allowed: ${rules.allowedTypes.join(", ")}`);
    if (!Number.isInteger(request.size) || request.size < 1) throw new UploadRuleError("bad_size", "size: the file's size in bytes, a whole number above 0");
    if (request.size > rules.maxBytes) throw new UploadRuleError("too_large", `size: ${request.size} bytes is over the limit of ${rules.maxBytes}`);
    return { name, contentType, size: request.size };
}

/** A new key under the user's own prefix: `uploads/<user>/<uuid>/<name>`. */
export function uploadKey(userId: string, safeName: string, id: string = randomUUID()): string {
    if (typeof userId !== "string" || userId === "") throw new UploadRuleError("bad_key", "an upload needs a signed-in user");
    return `${userPrefix(userId)}${id}/${safeName}`;
}

/** The prefix every key of a user starts with. */
export function userPrefix(userId: string): string {
    return `${UPLOAD_PREFIX}${encodeURIComponent(userId)}/`;
}

/** The user and file name of an upload's key; an UploadRuleError for a key the signer cannot have made. */
export function parseUploadKey(key: string): { userId: string; name: string } {
    const match = /^uploads\/([^/]+)\/[0-9a-f-]{36}\/([^/]+)$/.exec(key);
    if (!match) throw new UploadRuleError("bad_key", `key '${key}' is not an upload's (uploads/<user>/<id>/<name>)`);
    let userId: string;
    try {
        userId = decodeURIComponent(match[1]);
    } catch {
        throw new UploadRuleError("bad_key", `key '${key}': the user part is not percent-encoded`);
    }
    return { userId, name: match[2] };
}

/** What a processing handler is given, besides the object: the event (its id is the idempotency key). */
export type UploadHandlerFunction = (object: UploadedObject, event: HubEvent<UploadedObject>) => Promise<void> | void;

/** Looks at a stored object; what `onUpload` checks before the handler. */
export interface ObjectInspector {
    head(key: string): Promise<{ size: number; contentType?: string } | undefined>;
    delete(key: string): Promise<void>;
    rules(): UploadRules;
}

/**
 * Marks a function as a FileUpload's processing handler. The object is checked first (its key is
 * an upload's; its real size and type follow the rules); one that breaks them is deleted and the
 * handler not called (logged, not retried). Throwing retries, then dead-letters, like any task.
 *
 * @example export const handler = onUpload(async (file) => record(file.key, file.size));
 */
export function onUpload(fn: UploadHandlerFunction, inspector?: () => ObjectInspector): EventHandler {
    return onEvent<UploadedObject>(async (event) => {
        const object = event.detail;
        if (event.type !== OBJECT_CREATED || typeof object?.key !== "string") throw new TypeError(`onUpload: expected an ${OBJECT_CREATED} event, got '${event.type}'`);
        const { userId, name } = parseUploadKey(object.key);
        const checker = (inspector ?? defaultInspector)();
        const stored = await checker.head(object.key);
        // Gone already (a redelivery after it was deleted, or an expired object): nothing to process.
        if (!stored) return;
        const problem = objectProblem(stored, checker.rules());
        if (problem) {
            console.warn(`onUpload: deleting ${object.key}: ${problem}`);
            await checker.delete(object.key);
            return;
        }
        await fn({ ...object, userId, name, size: stored.size, contentType: stored.contentType ?? object.contentType }, event);
    });
}

function objectProblem(stored: { size: number; contentType?: string }, rules: UploadRules): string | undefined {
    if (stored.size > rules.maxBytes) return `${stored.size} bytes is over the limit of ${rules.maxBytes}`;
    if (!stored.contentType || !typeAllowed(stored.contentType, rules.allowedTypes)) return `type '${stored.contentType ?? "none"}' is not allowed`;
    return undefined;
}

function defaultInspector(): ObjectInspector {
    // Required lazily: the uploads client pulls in the target's storage SDK.
    const { linkedUploads } = require("./clients/uploads") as typeof import("./clients/uploads");
    return linkedUploads();
}
