// The local runtime's FileUploads: each one's object store under `<dataDir>/uploads/`, the signer
// of their upload URLs, the ObjectCreated event each stored object queues for its processor's
// task, the expiry of old objects, and the status. The HTTP side is ./endpoint.ts; function
// code reaches it through ./calls.ts.
import { createHash } from "node:crypto";
import * as path from "node:path";
import { LOCAL_UPLOADS_PATH, type LocalUploadDescriptor } from "../../components/local/descriptor";
import type { PresignedUpload } from "../../functions/runtime/clients/uploads";
import { OBJECT_CREATED, type UploadedObject } from "../../functions/runtime/uploads";
import type { LocalRuntime } from "../runtime";
import { LocalObjectStore, type StoredObject } from "./object-store";
import { UploadSigner } from "./signing";

/** The `source` of the events the local store's notifications become. */
export const UPLOAD_EVENT_SOURCE = "local.uploads";
const EXPIRY_SWEEP_MS = 3_600_000;

export interface LocalUploadStatus {
    name: string;
    bucket: string;
    /** Objects in the store now. */
    objects: number;
    /** The processor's task (its queue: the `tasks` entry of the same name). */
    task: string;
}

export class LocalUploads {
    /** By bucket (the component's name). */
    private readonly definitions = new Map<string, LocalUploadDescriptor>();
    private signers = new Map<string, UploadSigner>();
    private sweeper?: NodeJS.Timeout;

    constructor(readonly runtime: LocalRuntime) {}

    register(definition: LocalUploadDescriptor): void {
        if (this.definitions.has(definition.bucket)) throw new Error(`local runtime: a FileUpload named '${definition.name}' is already registered; component names must be unique`);
        if (!this.runtime.tasks.has(definition.task)) throw new Error(`local runtime: FileUpload '${definition.name}' names processor task '${definition.task}', which is not registered`);
        this.definitions.set(definition.bucket, definition);
    }

    /** The FileUpload whose bucket is `bucket`, if any. */
    find(bucket: string): LocalUploadDescriptor | undefined {
        return this.definitions.get(bucket);
    }

    /** Where the runtime keeps every FileUpload's objects (and the signing secret). */
    get directory(): string {
        return path.join(this.runtime.dataDir, "uploads");
    }

    store(definition: LocalUploadDescriptor): LocalObjectStore {
        return new LocalObjectStore(this.directory, definition.bucket);
    }

    /** Made on first use, in the data directory the runtime has then (tests configure it late). */
    signer(): UploadSigner {
        let signer = this.signers.get(this.directory);
        if (!signer) this.signers.set(this.directory, (signer = UploadSigner.open(this.directory)));
        return signer;
    }

    /** A URL that PUTs exactly this (key, type, size) to the store until the FileUpload's expiry. */
    presign(definition: LocalUploadDescriptor, upload: { key: string; contentType: string; size: number }): PresignedUpload {
        const expires = Math.floor(Date.now() / 1000) + definition.expiresSeconds;
        const signature = this.signer().sign({ method: "PUT", bucket: definition.bucket, key: upload.key, expires, contentType: upload.contentType, size: upload.size });
        const query = new URLSearchParams({ expires: String(expires), type: upload.contentType, size: String(upload.size), signature });
        return {
            method: "PUT",
            url: `${this.baseUrl(definition)}${uploadPath(definition.bucket, upload.key)}?${query}`,
            headers: { "content-type": upload.contentType },
            key: upload.key,
            expiresAt: new Date(expires * 1000).toISOString(),
        };
    }

    /**
     * Queues the ObjectCreated event of a stored object for the processor, durably. Its id comes
     * from the bucket, key and etag: the same object is one event however often it is announced.
     */
    notify(definition: LocalUploadDescriptor, object: StoredObject): string {
        const detail: Omit<UploadedObject, "userId" | "name"> = { bucket: definition.bucket, key: object.key, size: object.size, contentType: object.contentType, etag: object.etag };
        return this.runtime.events.enqueue(definition.task, { id: objectEventId(definition.bucket, object), source: UPLOAD_EVENT_SOURCE, type: OBJECT_CREATED, detail });
    }

    /** With the runtime's start: clears uploads a crash interrupted, expires old objects now and hourly. */
    start(): void {
        for (const definition of this.definitions.values()) this.store(definition).clearPartials();
        this.sweep();
        clearInterval(this.sweeper);
        this.sweeper = setInterval(() => this.sweep(), EXPIRY_SWEEP_MS).unref();
    }

    stop(): void {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
    }

    status(): LocalUploadStatus[] {
        return [...this.definitions.values()].map((d) => ({ name: d.name, bucket: d.bucket, objects: this.store(d).keys().length, task: d.task }));
    }

    /** Where the runtime listens (npm start tells its functions), else what the program was told. */
    private baseUrl(definition: LocalUploadDescriptor): string {
        return (this.runtime.sharedEnvironment.SB_LOCAL_URL ?? definition.origin).replace(/\/+$/, "");
    }

    private sweep(): void {
        for (const definition of this.definitions.values()) {
            if (definition.expireAfterDays <= 0) continue;
            const expired = this.store(definition).expire(new Date(Date.now() - definition.expireAfterDays * 86_400_000));
            if (expired.length > 0) this.runtime.log(`local runtime: FileUpload '${definition.name}' expired ${expired.length} object(s) older than ${definition.expireAfterDays} day(s)`);
        }
    }
}

/** `/_local/uploads/<bucket>/<key>`, each part percent-encoded. */
export function uploadPath(bucket: string, key: string): string {
    return `${LOCAL_UPLOADS_PATH}/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** A UUID-shaped digest of what makes the object this object. */
function objectEventId(bucket: string, object: StoredObject): string {
    const hex = createHash("sha256").update(JSON.stringify([bucket, object.key, object.etag ?? ""])).digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const services = new WeakMap<LocalRuntime, LocalUploads>();

/** The FileUploads of `runtime`: the loader registers them, the server hands it their requests. */
export function localUploads(runtime: LocalRuntime): LocalUploads {
    let service = services.get(runtime);
    if (!service) services.set(runtime, (service = new LocalUploads(runtime)));
    return service;
}

/** Whether a request target is under the uploads' path. */
export function isUploadRequest(target: string | undefined): boolean {
    return (target ?? "").startsWith(`${LOCAL_UPLOADS_PATH}/`);
}
