// Uploads on the local target: the runtime hosting this function keeps the object store and the
// signing secret, so every operation is a call to it over the worker's message port
// (./channel.ts). The runtime checks the caller's link as a cloud's policy would: presigning needs
// the FileUpload's signer link; head, get and delete its processor link.
import type { PresignedUpload, UploadSettings, UploadStore } from "../uploads";
import { callRuntime, inLocalFunction } from "./channel";
import { objectSegments } from "./upload-paths";

function call(method: string, settings: UploadSettings, args: Record<string, unknown>): Promise<unknown> {
    // The store and its secret live in the runtime's process: only its function instances reach them.
    if (!inLocalFunction()) return Promise.reject(new Error(`${method} on FileUpload '${settings.name}': only a function running in the local runtime (npm start) can reach its object store`));
    return callRuntime(method, { bucket: settings.bucket, ...args });
}

export const localUploads: UploadStore = {
    async presign(settings, upload) {
        // A key the store could not keep is the request's fault: a rule error (400), before the runtime is asked.
        objectSegments(upload.key);
        return (await call("uploads.presign", settings, { key: upload.key, contentType: upload.contentType, size: upload.size })) as PresignedUpload;
    },
    async head(settings, key) {
        return ((await call("uploads.head", settings, { key })) ?? undefined) as { size: number; contentType?: string } | undefined;
    },
    async get(settings, key) {
        // Bytes cross the message port as a Uint8Array: the same memory, viewed as a Buffer.
        const bytes = (await call("uploads.get", settings, { key })) as Uint8Array | null | undefined;
        return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
    },
    async delete(settings, key) {
        await call("uploads.delete", settings, { key });
    },
};
