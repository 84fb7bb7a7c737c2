// Deterministic zip archives: the same files always give the same bytes, so a function's code
// hash (and with it the preview diff) changes only when its code does.
import { unzipSync, zipSync } from "fflate";

/** 1980-01-01, the earliest time a zip entry can carry. */
const FIXED_TIME = new Date(1980, 0, 1);

export function zipFiles(files: Record<string, string | Uint8Array>): Uint8Array {
    const entries: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
    for (const name of Object.keys(files).sort()) {
        const data = files[name];
        entries[name] = [typeof data === "string" ? Buffer.from(data) : data, { mtime: FIXED_TIME, level: 9 }];
    }
    return zipSync(entries);
}

export function unzipFiles(zip: Uint8Array): Record<string, Buffer> {
    const out: Record<string, Buffer> = {};
    for (const [name, data] of Object.entries(unzipSync(zip))) out[name] = Buffer.from(data);
    return out;
}
