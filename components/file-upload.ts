// FileUpload: files go from the browser straight to a private bucket, never through a function.
// A signing route (POST <url>/uploads, on a BusinessApi of its own, signed-in users only) checks
// the file's name, type and size against the rules and answers a short-lived URL for a key under
// the user's own prefix; when the object lands, the store's notification runs `onUploaded` like
// an AsyncTask (retries, dead-letter queue, redrive), after the object itself was checked.
// S3 on AWS, COS on Tencent Cloud, the local runtime's object store under `.data/` locally.
// Everything is checked here, before the component registers.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { MAX_EVENT_AGE_SECONDS, RETRIES } from "./async-task";
import { PACKAGE_ROOT } from "./build/package-root";
import { BusinessApi, checkJwt, type ApiJwt } from "./business-api";
import { ConfigError, provider, target, wholeInRange } from "./cloud";
import { checkFunctionArgs, type FunctionArgs } from "./function";
import { Link, linkVariable } from "./link";
import type { FileUploadLinkFacts, FileUploadSpec } from "./provider";

export interface FileUploadHandler extends FunctionArgs {
    /** Retries after a failed attempt, 0 to 2. Default 2. */
    retries?: number;
    /** Seconds after which an upload's processing is no longer attempted but dead-lettered, 60 to 21600. Default 21600. */
    maxEventAge?: number;
}

export interface FileUploadArgs {
    /**
     * Who issues the access tokens the signing route accepts.
     *
     * @example jwt: auth.jwt
     */
    jwt: pulumi.Input<ApiJwt>;
    /**
     * MIME types a file may have; `image/*` allows every image type. No default: say what you accept.
     *
     * @example allowedTypes: ["image/png", "image/jpeg", "application/pdf"]
     */
    allowedTypes: string[];
    /** Largest file in bytes, 1 to 5 GiB (one S3 POST or COS PUT). Default 10 MiB. */
    maxBytes?: number;
    /** Seconds a signed URL stays valid, 60 to 3600. Default 300. */
    urlExpiresIn?: number;
    /**
     * Browser origins that upload (CORS on the bucket and the signing route); scheme://host[:port].
     *
     * @example allowOrigins: ["https://shop.example.com"]
     */
    allowOrigins?: string[];
    /** Delete objects this many days after upload, 1 to 3650. Default: keep them. */
    expireAfterDays?: number;
    /**
     * Runs once per uploaded object, with retries and a dead-letter queue; a module exporting
     * `onUpload(...)` from `functions/runtime/uploads`.
     *
     * @example onUploaded: { handler: "functions/files/scan.handler", link: [files.link] }
     */
    onUploaded: FileUploadHandler;
    /** Who hears of files whose processing failed (the processor's dead letters): an Alarms' `target`. */
    alarms?: pulumi.Input<AlarmTarget>;
}

export const MAX_BYTES = { min: 1, max: 5 * 1024 ** 3, default: 10 * 1024 ** 2 };
export const URL_EXPIRES_SECONDS = { min: 60, max: 3600, default: 300 };
export const EXPIRE_AFTER_DAYS = { min: 1, max: 3650 };
const MIME_RULE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/;
const ORIGIN = /^https?:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;
const SIGN_HANDLER = path.join(PACKAGE_ROOT, "functions", "uploads", "sign.handler");

/**
 * Direct uploads to a private bucket, and a function for each file that arrives.
 *
 * @example
 * const files = new FileUpload("attachments", {
 *     jwt: auth.jwt,
 *     allowedTypes: ["image/png", "application/pdf"],
 *     maxBytes: 5 * 1024 * 1024,
 *     onUploaded: { handler: "functions/files/processed.handler", link: [files.link] },
 * });
 * // browser: POST `${files.url}/uploads` { name, contentType, size } -> { method, url, fields | headers, key }
 */
export class FileUpload extends pulumi.ComponentResource {
    /** The signing API's base URL: `POST <url>/uploads`. */
    public readonly url!: pulumi.Output<string>;
    /** The bucket the files land in (S3, COS; the local store's name). */
    public readonly bucketName!: pulumi.Output<string>;
    /** Where browsers send the signed uploads (scheme://host): give it to the StaticSite's config so its CSP allows it. */
    public readonly uploadOrigin!: pulumi.Output<string>;
    /** The bucket's ARN on AWS, `qcs::cos:...` on Tencent Cloud, `local:uploads:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Where failed processing is kept (as an AsyncTask's). */
    public readonly deadLetterQueue!: pulumi.Output<string>;
    /** The processing function's name. */
    public readonly processorName!: pulumi.Output<string>;

    constructor(name: string, args: FileUploadArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = checkFileUploadArgs(name, args);
        super("serverless-blocks:index:FileUpload", name, {}, opts);
        let signer: Link | undefined;
        const spec: FileUploadSpec = {
            ...checked,
            links: (facts) => {
                const links = fileUploadLinks(checked, facts);
                signer = links.signer;
                return links;
            },
        };
        const realised = provider().fileUpload(this, spec);
        if (!signer) throw new Error(`FileUpload '${name}': the realisation made no links (call spec.links once)`);
        const api = new BusinessApi(`${name}-api`, {
            routes: { "POST /uploads": { handler: SIGN_HANDLER, link: [signer], description: `Signs uploads to ${name}` } },
            jwt: args.jwt,
            cors: checked.allowOrigins.length > 0 ? { allowOrigins: checked.allowOrigins } : undefined,
            alarms: args.alarms,
        }, { parent: this });
        Object.assign(this, { url: api.url, ...realised });
        this.registerOutputs({ url: this.url, bucketName: this.bucketName, uploadOrigin: this.uploadOrigin, resourceId: this.resourceId, deadLetterQueue: this.deadLetterQueue, processorName: this.processorName });
    }
}

/** Validates the args into the spec every cloud realises (without the link builder). */
export function checkFileUploadArgs(name: string, args: FileUploadArgs): Omit<FileUploadSpec, "links"> {
    const stack = target();
    const where = `FileUpload '${name}'`;
    if (args === undefined || args === null || typeof args !== "object") throw new ConfigError(where, args, "expected { jwt, allowedTypes, onUploaded }");
    if (args.jwt === undefined || args.jwt === null) throw new ConfigError(`${where} jwt`, undefined, "uploads are for signed-in users: give `jwt` (e.g. auth.jwt)");
    checkJwt(where, args.jwt);
    if (!Array.isArray(args.allowedTypes) || args.allowedTypes.length === 0) {
        throw new ConfigError(`${where} allowedTypes`, args.allowedTypes, 'list the MIME types accepted, e.g. ["image/png", "application/pdf"] (image/* for every image type)');
    }
    const allowedTypes = args.allowedTypes.map((type) => {
        if (typeof type !== "string" || type === "*/*" || !MIME_RULE.test(type.toLowerCase())) throw new ConfigError(`${where} allowedTypes`, type, "a MIME type such as image/png, or a family such as image/*; not */*");
        return type.toLowerCase();
    });
    const origins = args.allowOrigins ?? [];
    for (const origin of origins) {
        if (typeof origin !== "string" || !ORIGIN.test(origin)) throw new ConfigError(`${where} allowOrigins`, origin, "an origin is scheme://host[:port] in lower case, no path, e.g. https://shop.example.com; '*' is not allowed");
    }
    const { onUploaded } = args;
    if (onUploaded === undefined || onUploaded === null || typeof onUploaded !== "object") {
        throw new ConfigError(`${where} onUploaded`, onUploaded, 'expected the processing function: { handler: "functions/...handler" }');
    }
    const { retries, maxEventAge, ...functionArgs } = onUploaded;
    const processorName = `${name}-processor`;
    let checked: ReturnType<typeof checkFunctionArgs>;
    try {
        checked = checkFunctionArgs(processorName, functionArgs);
    } catch (error) {
        if (error instanceof Error) error.message = `${where} onUploaded: ${error.message}`;
        throw error;
    }
    return {
        name,
        maxBytes: wholeInRange(`${where} maxBytes`, args.maxBytes, MAX_BYTES),
        allowedTypes: [...new Set(allowedTypes)],
        urlExpiresSeconds: wholeInRange(`${where} urlExpiresIn`, args.urlExpiresIn, URL_EXPIRES_SECONDS),
        allowOrigins: [...origins],
        expireAfterDays: args.expireAfterDays === undefined ? undefined : wholeInRange(`${where} expireAfterDays`, args.expireAfterDays, { ...EXPIRE_AFTER_DAYS, default: 0 }),
        processor: {
            name: processorName,
            function: { ...functionArgs, alarms: args.alarms },
            timeout: checked.timeout,
            retries: wholeInRange(`${where} onUploaded.retries`, retries, RETRIES),
            maxEventAgeSeconds: wholeInRange(`${where} onUploaded.maxEventAge`, maxEventAge, MAX_EVENT_AGE_SECONDS),
            alarms: args.alarms === undefined ? undefined : pulumi.output(args.alarms),
        },
        protect: stack.protect,
    };
}

/**
 * The signer's and the processor's links: the same variables (the bucket, the rules), each with
 * its own permissions from the realisation (put on the prefix; read and delete there).
 */
function fileUploadLinks(spec: Omit<FileUploadSpec, "links">, facts: FileUploadLinkFacts): { signer: Link; processor: Link } {
    const variable = (key: string) => linkVariable("uploads", spec.name, key);
    const environment = {
        [variable("name")]: spec.name,
        [variable("bucket")]: facts.bucket,
        [variable("region")]: facts.region,
        [variable("rules")]: JSON.stringify({ maxBytes: spec.maxBytes, allowedTypes: spec.allowedTypes, expiresSeconds: spec.urlExpiresSeconds }),
        ...facts.environment,
    };
    return {
        signer: { type: "uploads", name: spec.name, environment: { ...environment, SB_UPLOADS_SIGNER: spec.name }, permissions: facts.signer },
        processor: { type: "uploads", name: spec.name, environment, permissions: facts.processor },
    };
}
