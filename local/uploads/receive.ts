// Streams a request body into a file, holding it to an exact size: it stops reading at the first
// byte over (a chunked body is cut off there, not read to its end) and fails short of it. The
// request is paused, never destroyed, so the caller can still answer on its connection.
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";

/** Why a body was not taken whole. */
export class BodySizeError extends Error {
    constructor(readonly over: boolean, readonly received: number, readonly expected: number) {
        super(over ? `the body is over the signed size of ${expected} bytes` : `the body ended after ${received} of the signed ${expected} bytes`);
        this.name = "BodySizeError";
    }
}

/** The connection closed before the body ended. */
export class BodyInterruptedError extends Error {
    constructor(received: number) {
        super(`the upload was interrupted after ${received} bytes`);
        this.name = "BodyInterruptedError";
    }
}

/** Writes `source` to `file`; resolves with its MD5 (hex, the store's etag) once exactly `size` bytes are written. */
export function receiveBody(source: Readable, file: FileHandle, size: number): Promise<{ md5: string }> {
    return new Promise((resolve, reject) => {
        const md5 = createHash("md5");
        let received = 0;
        let ended = false;
        let settled = false;
        const finish = (error?: Error) => {
            if (settled) return;
            settled = true;
            source.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
            if (error) reject(error);
            else resolve({ md5: md5.digest("hex") });
        };
        const onData = (chunk: Buffer) => {
            received += chunk.length;
            if (received > size) {
                source.pause();
                return finish(new BodySizeError(true, received, size));
            }
            md5.update(chunk);
            // One write at a time, in order: the body waits while the disk catches up.
            source.pause();
            writeAll(file, chunk).then(() => settled || source.resume(), finish);
        };
        const onEnd = () => {
            ended = true;
            finish(received === size ? undefined : new BodySizeError(false, received, size));
        };
        // A request stream errs only when its connection does (reset, aborted): the client is gone.
        const onError = () => finish(new BodyInterruptedError(received));
        const onClose = () => ended || finish(new BodyInterruptedError(received));
        // Gone already (the client hung up while the file was being opened): its close event is past.
        if (source.destroyed) return finish(new BodyInterruptedError(0));
        source.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
    });
}

/** One write may take less than the whole chunk: write until it is all on disk. */
async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length; ) offset += (await file.write(chunk, offset)).bytesWritten;
}
