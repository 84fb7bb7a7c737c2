/**
 * S3 event notifications (what S3 sends a Lambda for a FileUpload's new objects) as hub events:
 * one `ObjectCreated` event per record, its `detail` the object (bucket, decoded key, size, ETag),
 * for `onUpload(...)` handlers (../uploads.ts). A pure module: ./aws.ts calls it.
 * Shape: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 *
 * - The key arrives form-URL-encoded ("red flower.jpg" is "red+flower.jpg", non-ASCII and `%` are
 *   percent-encoded): decoded here exactly once, so a key that itself holds `%7C` stays `%7C`.
 * - S3 may deliver a notification more than once; the event id is derived from the bucket, the
 *   key and the record's sequencer (unique per write of a key), so a redelivery has the same id,
 *   the handler's idempotency key, and a later write of the same key has another.
 */
import { createHash } from "node:crypto";
import type { HubEvent } from "../events";
import { OBJECT_CREATED, type UploadedObject } from "../uploads";
import { isObject } from "./event-values";

/** The hub event source of S3 notifications. */
export const S3_EVENT_SOURCE = "aws.s3";

/** What an S3 record says about the object; onUpload adds the user and name from the key. */
export type S3ObjectDetail = Pick<UploadedObject, "bucket" | "key" | "size" | "etag">;

/** A Lambda event carrying S3 records: `{ Records: [{ eventSource: "aws:s3", ... }] }`. */
export function isS3Notification(event: unknown): event is { Records: unknown[] } {
  return (
    isObject(event) &&
    Array.isArray(event.Records) &&
    event.Records.length > 0 &&
    event.Records.every((record) => isObject(record) && record.eventSource === "aws:s3")
  );
}

/** One hub event per record; an Error naming what is wrong for anything but S3 ObjectCreated records. */
export function readS3Notification(event: unknown): HubEvent<S3ObjectDetail>[] {
  if (!isObject(event) || !Array.isArray(event.Records) || event.Records.length === 0) {
    throw new TypeError("S3 notification: expected { Records: [...] } with at least one record");
  }
  return event.Records.map((record, index) => readRecord(record, index));
}

function readRecord(record: unknown, index: number): HubEvent<S3ObjectDetail> {
  const where = `S3 notification Records[${index}]`;
  if (!isObject(record) || record.eventSource !== "aws:s3") {
    const source = isObject(record) ? String(record.eventSource ?? record.EventSource ?? "none") : typeof record;
    throw new TypeError(`${where}: expected eventSource 'aws:s3', got '${source}'`);
  }
  const name = record.eventName;
  if (typeof name !== "string" || !name.startsWith(`${OBJECT_CREATED}:`)) {
    throw new TypeError(`${where}: expected an ${OBJECT_CREATED}:* event (a FileUpload is notified of new objects only), got '${String(name)}'`);
  }
  const s3 = isObject(record.s3) ? record.s3 : undefined;
  const bucket = isObject(s3?.bucket) ? s3.bucket.name : undefined;
  const object = isObject(s3?.object) ? s3.object : undefined;
  if (typeof bucket !== "string" || bucket === "" || !object || typeof object.key !== "string" || object.key === "") {
    throw new TypeError(`${where}: expected s3.bucket.name and s3.object.key`);
  }
  if (typeof record.eventTime !== "string") throw new TypeError(`${where}: expected eventTime`);
  const key = decodeS3Key(object.key, where);
  const size = Number(object.size);
  if (!Number.isSafeInteger(size) || size < 0) throw new TypeError(`${where}: s3.object.size '${String(object.size)}' is not a size in bytes`);
  const sequencer = typeof object.sequencer === "string" && object.sequencer !== "" ? object.sequencer : undefined;
  if (!sequencer) throw new TypeError(`${where}: expected s3.object.sequencer (S3 sets it on every object-created record)`);
  const detail: S3ObjectDetail = { bucket, key, size };
  if (typeof object.eTag === "string" && object.eTag !== "") detail.etag = object.eTag;
  return { id: s3EventId(bucket, key, sequencer), source: S3_EVENT_SOURCE, type: OBJECT_CREATED, time: record.eventTime, detail };
}

/** A notification's key as stored: `+` is a space (form encoding), then percent-decoding. */
export function decodeS3Key(encoded: string, where = "S3 notification"): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
  } catch {
    throw new TypeError(`${where}: s3.object.key '${encoded}' is not URL-encoded`);
  }
}

/** The same for every delivery of one write of one object; different for each write. */
export function s3EventId(bucket: string, key: string, sequencer: string): string {
  const digest = createHash("sha256").update(JSON.stringify([bucket, key, sequencer])).digest("hex");
  return `s3-${digest.slice(0, 32)}`;
}
