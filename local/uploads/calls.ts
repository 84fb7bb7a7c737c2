// What function code asks of a FileUpload's store (functions/runtime/clients/local/uploads.ts),
// with the checks a cloud's policy makes: `uploads.presign` only for the holder of the signer
// link (SB_UPLOADS_SIGNER names the FileUpload; SB_ variables come only from links), `uploads.head`,
// `.get` and `.delete` only for the FileUpload's processor, each on keys under `uploads/` only.
import { linkVariable } from "../../components/link";
import type { LocalUploadDescriptor } from "../../components/local/descriptor";
import type { PresignedUpload } from "../../functions/runtime/clients/uploads";
import { objectSegments } from "../../functions/runtime/clients/local/upload-paths";
import { typeAllowed, UPLOAD_PREFIX } from "../../functions/runtime/uploads";
import type { LocalFunctionDefinition } from "../function-host";
import type { LocalUploads } from "./service";

export const UPLOAD_CALLS = ["uploads.presign", "uploads.head", "uploads.get", "uploads.delete"] as const;
export type UploadCall = (typeof UPLOAD_CALLS)[number];

export function isUploadCall(method: string): method is UploadCall {
    return (UPLOAD_CALLS as readonly string[]).includes(method);
}

type Head = { size: number; contentType?: string };

export function answerUploadCall(uploads: LocalUploads, caller: LocalFunctionDefinition, method: UploadCall, args: unknown): PresignedUpload | Head | Buffer | null {
    const { bucket, key, contentType, size } = (args ?? {}) as { bucket?: unknown; key?: unknown; contentType?: unknown; size?: unknown };
    if (typeof bucket !== "string") throw new TypeError(`${method}: expected the FileUpload's bucket, got ${JSON.stringify(bucket)}`);
    const definition = uploads.find(bucket);
    if (!definition) throw new Error(`${method}: no FileUpload stores bucket '${bucket}' in this app`);
    checkLink(definition, caller, method);
    const checkedKey = checkKey(method, key);
    if (method === "uploads.presign") return uploads.presign(definition, { key: checkedKey, ...checkUpload(definition, contentType, size) });
    const store = uploads.store(definition);
    if (method === "uploads.head") {
        const object = store.head(checkedKey);
        return object ? { size: object.size, contentType: object.contentType } : null;
    }
    if (method === "uploads.get") return store.get(checkedKey) ?? null;
    store.delete(checkedKey);
    return null;
}

function checkLink(definition: LocalUploadDescriptor, caller: LocalFunctionDefinition, method: UploadCall): void {
    const linked = caller.environment[linkVariable("uploads", definition.name, "bucket")] === definition.bucket;
    if (method === "uploads.presign") {
        if (!linked || caller.environment.SB_UPLOADS_SIGNER !== definition.name) {
            throw new Error(`function '${caller.name}' may not sign uploads to FileUpload '${definition.name}': only its signing route holds the signer link`);
        }
    } else if (!linked || caller.name !== definition.processorFunction) {
        throw new Error(`function '${caller.name}' may not read or delete objects of FileUpload '${definition.name}': only its processor (onUploaded, '${definition.processorFunction}') holds that link`);
    }
}

function checkKey(method: UploadCall, key: unknown): string {
    if (typeof key !== "string" || !key.startsWith(UPLOAD_PREFIX)) throw new Error(`${method}: key ${JSON.stringify(key)} is not under ${UPLOAD_PREFIX}`);
    objectSegments(key);
    return key;
}

/** The signer's client checked the request already; the store holds every URL it signs to the rules too. */
function checkUpload(definition: LocalUploadDescriptor, contentType: unknown, size: unknown): { contentType: string; size: number } {
    if (typeof contentType !== "string" || !typeAllowed(contentType, definition.allowedTypes)) {
        throw new Error(`uploads.presign: content type ${JSON.stringify(contentType)} is not allowed by FileUpload '${definition.name}'`);
    }
    if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > definition.maxBytes) {
        throw new Error(`uploads.presign: size ${JSON.stringify(size)} is not 1 to ${definition.maxBytes} bytes`);
    }
    return { contentType, size: size as number };
}
