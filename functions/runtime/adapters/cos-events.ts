/**
 * SCF's COS trigger events, read as the portable ObjectCreated hub events a FileUpload's
 * `onUpload` handler takes. Pure: the Tencent adapter (adapters/tencentcloud.ts) decides when to
 * call it (`isCosNotification`) and runs the handler once per event.
 *
 * The shape (SCF "COS 触发器说明", "COS 触发器的事件消息结构", cloud.tencent.com/document/product/583/9707):
 * `{ Records: [{ cos: { cosBucket: { name, appid, region }, cosObject: { key, size, meta, url, vid } },
 * event: { eventName, eventTime, eventSource: "qcs::cos", reqid, ... } }] }`, where
 * - `Records` may carry several notifications merged (583/9707), so one event becomes a list;
 * - `cosBucket.name` is the bucket's name without the APPID, `cosObject.key` is
 *   `/<appid>/<name>/<object key>`;
 * - `cosObject.size` is a number (a string in older samples), `event.eventTime` Unix seconds (an
 *   ISO date in older samples), `meta["Content-Type"]` the stored type ("" when none was given).
 */
import { createHash } from "node:crypto";
import type { HubEvent } from "../events";
import { unexpectedEventError } from "../handler";
import { OBJECT_CREATED, UPLOAD_PREFIX, type UploadedObject } from "../uploads";
import { firstString, isObject } from "./event-values";

const ADAPTER = "tencentcloud COS trigger";
/** The hub event source a COS notification becomes. */
export const COS_EVENT_SOURCE = "tencentcloud.cos";
/** Every object-creation event name starts so (cos:ObjectCreated:Put, :Post, :Copy, ...). */
const OBJECT_CREATED_NAME = /^cos:ObjectCreated:/;

interface CosRecord {
    cos: { cosBucket: Record<string, unknown>; cosObject: Record<string, unknown> };
    event: Record<string, unknown>;
}

/** What a COS record says about the object; onUpload adds the user and name from the key. */
export type CosObjectDetail = Pick<UploadedObject, "bucket" | "key" | "size" | "contentType" | "etag">;

/** Whether `event` is a COS trigger notification: `Records`, each with `cos.cosBucket`, `cos.cosObject` and `event`. */
export function isCosNotification(event: unknown): event is { Records: CosRecord[] } {
    return isObject(event) && Array.isArray(event.Records) && event.Records.length > 0 && event.Records.every(isCosRecord);
}

/** One ObjectCreated hub event per record; a TypeError naming what is wrong for anything else. */
export function readCosNotification(event: unknown): HubEvent<CosObjectDetail>[] {
    if (!isCosNotification(event)) {
        throw unexpectedEventError(ADAPTER, "a COS notification ({ Records: [{ cos: { cosBucket, cosObject }, event }] })", event);
    }
    return event.Records.map((record, index) => readRecord(record, index));
}

function isCosRecord(record: unknown): record is CosRecord {
    return isObject(record) && isObject(record.cos) && isObject(record.cos.cosBucket) && isObject(record.cos.cosObject) && isObject(record.event);
}

function readRecord(record: CosRecord, index: number): HubEvent<CosObjectDetail> {
    const where = `${ADAPTER}: record ${index}`;
    const eventName = firstString(record.event.eventName) ?? "";
    if (!OBJECT_CREATED_NAME.test(eventName)) {
        throw new TypeError(`${where} is '${eventName || "unnamed"}'; a FileUpload's processor takes cos:ObjectCreated:* notifications only`);
    }
    const { cosBucket, cosObject } = record.cos;
    const bucket = bucketName(cosBucket, where);
    const key = objectKey(cosObject.key, cosBucket, bucket, where);
    const meta = isObject(cosObject.meta) ? cosObject.meta : {};
    const detail: CosObjectDetail = {
        bucket,
        key,
        size: objectSize(cosObject.size, where),
        contentType: metaValue(meta, "content-type"),
        // Not in COS's documented meta; kept if a notification ever carries it.
        etag: metaValue(meta, "etag")?.replace(/^"|"$/g, ""),
    };
    return {
        id: notificationId(record, bucket, key, eventName, meta),
        source: COS_EVENT_SOURCE,
        type: OBJECT_CREATED,
        time: eventTimeToIso(record.event.eventTime, where),
        detail: dropUndefined(detail),
    };
}

/** `<name>-<appid>`, the name the bucket has everywhere else (cosBucket.name is without the APPID). */
function bucketName(cosBucket: Record<string, unknown>, where: string): string {
    const name = firstString(cosBucket.name);
    const appId = cosBucket.appid === undefined || cosBucket.appid === null ? "" : String(cosBucket.appid);
    if (!name || !/^\d+$/.test(appId)) throw new TypeError(`${where}: cosBucket needs a name and a numeric appid`);
    return name.endsWith(`-${appId}`) ? name : `${name}-${appId}`;
}

/** The key without COS's `/<appid>/<name>/` prefix, decoded when it is plainly percent-encoded. */
function objectKey(raw: unknown, cosBucket: Record<string, unknown>, bucket: string, where: string): string {
    if (typeof raw !== "string" || raw === "") throw new TypeError(`${where}: cosObject.key is missing`);
    const appId = String(cosBucket.appid);
    const shortName = bucket.slice(0, -(appId.length + 1));
    const prefix = [`/${appId}/${shortName}/`, `/${appId}/${bucket}/`].find((p) => raw.startsWith(p));
    // Older samples show the key without the prefix; a leading `/` is never part of an object key.
    const key = prefix ? raw.slice(prefix.length) : raw.replace(/^\//, "");
    if (key === "") throw new TypeError(`${where}: cosObject.key '${raw}' names no object`);
    return decodeKey(key);
}

/**
 * COS's documents do not say whether a notification's key is percent-encoded (S3's is), and
 * Tencent's own samples use it as it comes. So it is taken as it comes unless it is plainly
 * encoded: nothing in it an encoder would have escaped (whitespace, non-ASCII, a stray `%`), at
 * least one escape, and the decoded key holds what only an encoded key can carry (whitespace,
 * non-ASCII or `%`). An upload key's user part must then still be as the signer writes it
 * (percent-encoded once): `uploads/a%20b/...` is a raw key of user "a b", not an encoded one.
 */
export function decodeKey(key: string): string {
    const rawOnly = /[\s\u0080-\uffff]|%(?![0-9A-Fa-f]{2})/;
    if (rawOnly.test(key) || !/%[0-9A-Fa-f]{2}/.test(key)) return key;
    let decoded: string;
    try {
        decoded = decodeURIComponent(key);
    } catch {
        return key;
    }
    if (!/[\s\u0080-\uffff%]/.test(decoded)) return key;
    if (decoded.startsWith(UPLOAD_PREFIX) && !signerEncoded(decoded.split("/")[1] ?? "")) return key;
    return decoded;
}

/** Whether a user part is exactly what encodeURIComponent makes of some user id. */
function signerEncoded(part: string): boolean {
    try {
        return part !== "" && encodeURIComponent(decodeURIComponent(part)) === part;
    } catch {
        return false;
    }
}

function objectSize(value: unknown, where: string): number {
    const size = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) throw new TypeError(`${where}: cosObject.size ${JSON.stringify(value)} is not a byte count`);
    return size;
}

/** A header-like value from cosObject.meta, by case-insensitive name; "" counts as absent. */
function metaValue(meta: Record<string, unknown>, name: string): string | undefined {
    const found = Object.entries(meta).find(([key]) => key.toLowerCase() === name);
    return firstString(found?.[1]);
}

/**
 * The same for every delivery of one notification (SCF's retries, a redrive): the object, the
 * event, and the request that created the object (x-cos-request-id, else the event's reqid).
 */
function notificationId(record: CosRecord, bucket: string, key: string, eventName: string, meta: Record<string, unknown>): string {
    const requestId = metaValue(meta, "x-cos-request-id") ?? String(record.event.reqid ?? "");
    const parts = [bucket, key, eventName, String(record.event.eventTime ?? ""), requestId, String(record.cos.cosObject.vid ?? "")];
    return `cos-${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32)}`;
}

/** Unix seconds (or milliseconds), as a number or numeric string, or an ISO date; now when absent. */
function eventTimeToIso(time: unknown, where: string): string {
    if (time === undefined || time === null || time === "") return new Date().toISOString();
    const numeric = typeof time === "number" ? time : typeof time === "string" && /^\d+$/.test(time) ? Number(time) : undefined;
    const millis = numeric === undefined ? Date.parse(String(time)) : numeric < 1e12 ? numeric * 1000 : numeric;
    if (!Number.isFinite(millis)) throw new TypeError(`${where}: eventTime ${JSON.stringify(time)} is neither a Unix time nor a date`);
    return new Date(millis).toISOString();
}

function dropUndefined<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
