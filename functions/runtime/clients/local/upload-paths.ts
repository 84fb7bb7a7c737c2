// Where the local object store keeps a key: each `/`-separated part of the key becomes one folder
// or file name, percent-encoding what a file system would read specially. Shared by the local
// uploads client (it refuses an unstorable key before signing, as a rule error) and the runtime's
// store (local/uploads/), which checks again: no key can name a path outside its bucket's folder.
import { UploadRuleError } from "../../uploads";

/** The longest file name the common file systems take, in bytes. */
export const MAX_SEGMENT_BYTES = 255;

/**
 * A key's parts as file names, or an UploadRuleError: no empty, `.` or `..` part, no control
 * characters, none over MAX_SEGMENT_BYTES once encoded.
 */
export function objectSegments(key: string): string[] {
    if (typeof key !== "string" || key === "") throw new UploadRuleError("bad_key", "a key is needed");
    if (/[\u0000-\u001f\u007f]/.test(key)) throw new UploadRuleError("bad_key", `key ${JSON.stringify(key)}: control characters are not allowed`);
    return key.split("/").map((part) => {
        if (part === "" || part === "." || part === "..") throw new UploadRuleError("bad_key", `key '${key}': empty, '.' and '..' parts are not allowed`);
        const segment = encodeSegment(part);
        if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw new UploadRuleError("bad_key", `key '${key}': a part is over ${MAX_SEGMENT_BYTES} bytes once stored`);
        return segment;
    });
}

/**
 * One name made safe for any file system: `%` first (so decoding is unambiguous), separators and
 * characters Windows refuses, control characters, and a leading `.`: names starting with `.` are
 * the store's own (its partial uploads, its metadata), never an object's.
 */
export function encodeSegment(part: string): string {
    const encoded = part.replace(/[%/\\:*?"<>|\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
    return encoded.startsWith(".") ? `%2E${encoded.slice(1)}` : encoded;
}
