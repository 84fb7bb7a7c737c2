// uploads(name): sign direct uploads to a linked FileUpload's bucket, and read or delete what
// landed there, on any target. The signer's link allows putting under `uploads/` only; the
// processor's, reading and deleting there only (components/file-upload.ts).
import { checkUploadRequest, UploadRuleError, uploadKey, type UploadRequest, type UploadRules } from "../uploads";
import { currentTarget, linkedSetting, linkedValue, linkVariableName } from "./target";

/** How a client uploads: POST a form (S3: `fields` first, then the file) or PUT the bytes (COS, local) with `headers`. */
export interface PresignedUpload {
    method: "POST" | "PUT";
    url: string;
    /** POST only: form fields to send before the file field. */
    fields?: Record<string, string>;
    /** PUT only: headers the request must carry exactly (the signature covers them). */
    headers?: Record<string, string>;
    /** Where the object will be. */
    key: string;
    /** ISO time after which the URL is refused. */
    expiresAt: string;
}

/** What a FileUpload's link tells a function: SB_UPLOADS_<NAME>_BUCKET, _RULES (JSON), _REGION. */
export interface UploadSettings extends UploadRules {
    name: string;
    bucket: string;
    /** Seconds a signed URL stays valid. */
    expiresSeconds: number;
    /** The bucket's region (AWS, Tencent Cloud); empty locally. */
    region: string;
}

/** How one target signs and reaches objects. */
export interface UploadStore {
    presign(settings: UploadSettings, upload: { key: string; contentType: string; size: number }): Promise<PresignedUpload>;
    head(settings: UploadSettings, key: string): Promise<{ size: number; contentType?: string } | undefined>;
    get(settings: UploadSettings, key: string): Promise<Buffer | undefined>;
    delete(settings: UploadSettings, key: string): Promise<void>;
}

function storeFor(): UploadStore {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and SDK) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/uploads").awsUploads;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/uploads").tencentUploads;
    if (process.env.SB_TARGET === "local") return require("./local/uploads").localUploads;
    throw new Error(`unknown target ${currentTarget()}`);
}

/** The settings of the FileUpload linked under `name`. */
export function uploadSettings(name: string): UploadSettings {
    const raw = linkedValue("uploads", name, "rules");
    let rules: Partial<UploadSettings>;
    try {
        rules = JSON.parse(raw) as Partial<UploadSettings>;
    } catch {
        throw new Error(`${linkVariableName("uploads", name, "rules")} is not JSON (set by the FileUpload's link)`);
    }
    return {
        name,
        bucket: linkedValue("uploads", name, "bucket"),
        region: linkedSetting("uploads", name, "region") ?? "",
        maxBytes: Number(rules.maxBytes),
        allowedTypes: rules.allowedTypes ?? [],
        expiresSeconds: Number(rules.expiresSeconds),
    };
}

/** The client for `settings` over `store`: what `uploads(name)` returns, and what tests build directly. */
export function uploadsClient(settings: UploadSettings, store: UploadStore) {
    return {
        /**
         * Checks the request against the rules and signs an upload to a new key under the user's
         * own prefix; an UploadRuleError names what is wrong.
         */
        async presign(userId: string, request: UploadRequest): Promise<PresignedUpload> {
            const checked = checkUploadRequest(request, settings);
            return store.presign(settings, { key: uploadKey(userId, checked.name), contentType: checked.contentType, size: checked.size });
        },
        head: (key: string) => store.head(settings, checkedKey(key)),
        get: (key: string) => store.get(settings, checkedKey(key)),
        delete: (key: string) => store.delete(settings, checkedKey(key)),
        rules: (): UploadRules => ({ maxBytes: settings.maxBytes, allowedTypes: settings.allowedTypes }),
    };
}

export type UploadsClient = ReturnType<typeof uploadsClient>;

/**
 * The FileUpload linked under `name` (`link: [files.signerLink]` or the processor's own link).
 *
 * @example const signed = await uploads("attachments").presign(userId, { name, contentType, size });
 */
export function uploads(name: string): UploadsClient {
    const client = () => uploadsClient(uploadSettings(name), storeFor());
    return {
        presign: async (userId, request) => client().presign(userId, request),
        head: async (key) => client().head(key),
        get: async (key) => client().get(key),
        delete: async (key) => client().delete(key),
        rules: () => client().rules(),
    };
}

/** The one FileUpload this function links (a processor links its own); an error naming them when not exactly one. */
export function linkedUploads(env: NodeJS.ProcessEnv = process.env): UploadsClient {
    const names = Object.keys(env).map((key) => /^SB_UPLOADS_(.+)_BUCKET$/.exec(key)?.[1]).filter((name): name is string => name !== undefined);
    if (names.length !== 1) throw new Error(`onUpload: expected the link of exactly one FileUpload, found ${names.length === 0 ? "none" : names.join(", ")}`);
    const name = env[`SB_UPLOADS_${names[0]}_NAME`] ?? names[0].toLowerCase();
    return uploads(name);
}

/** Only keys an upload can have: no way out of the prefix through the client either. */
function checkedKey(key: string): string {
    if (typeof key !== "string" || !key.startsWith("uploads/") || key.split("/").some((part) => part === ".." || part === ".") || /[\u0000-\u001f]/.test(key)) {
        throw new UploadRuleError("bad_key", `key '${String(key)}' is not under uploads/`);
    }
    return key;
}
