// FileUpload on Tencent Cloud: a private, encrypted (SSE-COS), TLS-only COS bucket that browsers
// PUT to with a presigned URL (functions/runtime/clients/tencentcloud/uploads.ts signs it), and
// its processor: an AsyncTask (SCF, async retries, TDMQ CMQ dead-letter queue) that an SCF COS
// trigger runs for every object created under `uploads/`. COS always invokes a function
// asynchronously (SCF "COS 触发器说明", cloud.tencent.com/document/product/583/9707), so the
// task's retry count and event age apply to every notification.
//
// What COS itself enforces at upload, and what only the processor does, is written down in the
// uploads client; in short: COS checks the signature (method, key, expiry, host, content type and
// length), CAM the signer's prefix, the bucket policy TLS; the processor checks the stored
// object's real size and type, and deletes what breaks the rules.
//
// No versioning, for the reason the AWS realisation gives: the processor's delete and the
// lifecycle expiration must remove the bytes, not leave them behind a delete marker.
import * as pulumi from "@pulumi/pulumi";
import { UPLOAD_PREFIX } from "../../functions/runtime/uploads";
import { target } from "../config";
import type { FileUploadRealisation, FileUploadSpec } from "../provider";
import { tencentAsyncTask } from "./async-task";
import { aliasQualifier, SCF_NAMESPACE } from "./function";
import { CosBucket, CosBucketLifecycleRule, CosBucketPolicy, getPackage, ScfTrigger } from "./sdk";
import { bucketPrefix } from "./static-site";

/** A multipart upload left incomplete is aborted after this many days. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;
/** Browsers may cache the CORS preflight this long (seconds). */
export const CORS_MAX_AGE_SECONDS = 3000;
/** The one event the processor runs for: every way an object is created (SCF 583/9707). */
export const OBJECT_CREATED_EVENT = "cos:ObjectCreated:*";

export function tencentFileUpload(parent: pulumi.Resource, spec: FileUploadSpec): FileUploadRealisation {
    const region = target().region;
    const appId = accountAppId();
    const bucket = privateBucket(parent, spec, appId);
    const objects = pulumi.interpolate`qcs::cos:${region}:uid/${appId}:${bucket.bucket}`;
    const uploads = pulumi.interpolate`${objects}/${UPLOAD_PREFIX}*`;
    tlsOnly(parent, spec, bucket, objects);

    // The client needs only the bucket (`<name>-<appid>`) and the region: no app id of its own.
    const links = spec.links({
        bucket: bucket.bucket,
        region,
        signer: [{ actions: ["cos:PutObject"], resources: [uploads] }],
        processor: [{ actions: ["cos:DeleteObject", "cos:GetObject", "cos:HeadObject"], resources: [uploads] }],
    });
    const { processor } = spec;
    const task = tencentAsyncTask(parent, {
        name: processor.name,
        function: { ...processor.function, link: [...(processor.function.link ?? []), links.processor] },
        timeout: processor.timeout,
        retries: processor.retries,
        maxEventAgeSeconds: processor.maxEventAgeSeconds,
        alarms: processor.alarms,
        protect: spec.protect,
    });
    notifyProcessor(parent, spec, bucket, region, task.functionName, task.aliasId);

    const host = pulumi.interpolate`${bucket.bucket}.cos.${region}.myqcloud.com`;
    return {
        bucketName: bucket.bucket,
        uploadOrigin: pulumi.interpolate`https://${host}`,
        resourceId: objects,
        deadLetterQueue: task.deadLetterQueue,
        processorName: task.functionName,
    };
}

/** Private (no public ACL), encrypted at rest with SSE-COS, CORS for the listed origins only, lifecycle. */
function privateBucket(parent: pulumi.Resource, spec: FileUploadSpec, appId: pulumi.Output<string>): CosBucket {
    return new CosBucket(`${spec.name}-bucket`, {
        bucket: pulumi.interpolate`${bucketPrefix(spec.name)}-${appId}`,
        acl: "private",
        // SSE-COS: the signed PUT needs no encryption header, nor the roles a KMS grant.
        encryptionAlgorithm: "AES256",
        // Users' files: prod keeps the bucket (and refuses to delete it); dev empties it on destroy.
        forceClean: !spec.protect,
        corsRules: corsRules(spec),
        lifecycleRules: lifecycleRules(spec),
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });
}

/**
 * None without origins (then only same-origin or non-browser clients upload). The signed PUT
 * carries Content-Type (a non-simple header: preflighted); Content-Length and Host are set by the
 * browser, and the session token travels in the query string.
 */
function corsRules(spec: FileUploadSpec) {
    if (spec.allowOrigins.length === 0) return undefined;
    return [{
        allowedOrigins: spec.allowOrigins,
        allowedMethods: ["PUT"],
        allowedHeaders: ["content-type"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: CORS_MAX_AGE_SECONDS,
    }];
}

/** Scoped to `uploads/`, where every object of this bucket is: never the reading of an empty filter. */
function lifecycleRules(spec: FileUploadSpec): CosBucketLifecycleRule[] {
    const rules: CosBucketLifecycleRule[] = [
        { id: "abort-incomplete-uploads", filterPrefix: UPLOAD_PREFIX, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS } },
    ];
    if (spec.expireAfterDays !== undefined) {
        rules.push({ id: "expire-uploads", filterPrefix: UPLOAD_PREFIX, expiration: { days: spec.expireAfterDays } });
    }
    return rules;
}

/**
 * Grants nothing (the roles' own CAM policies do); refuses every request made without TLS.
 * Condition key `cos:secure-transport` (Boolean, applies to every request): COS "生效条件" /
 * "Conditions", tencentcloud.com/document/product/436/46205. `/*` covers the bucket's own
 * operations too, as COS's policy examples grant GetBucket on it (COS API "PUT Bucket policy", 436/8282).
 */
function tlsOnly(parent: pulumi.Resource, spec: FileUploadSpec, bucket: CosBucket, objects: pulumi.Output<string>): void {
    new CosBucketPolicy(`${spec.name}-bucket-policy`, {
        bucket: bucket.bucket,
        policy: objects.apply((resource) => JSON.stringify({
            version: "2.0",
            statement: [{
                principal: { qcs: ["qcs::cam::anyone:anyone"] },
                effect: "deny",
                action: ["name/cos:*"],
                resource: [`${resource}/*`],
                condition: { bool: { "cos:secure-transport": "false" } },
            }],
        })),
    }, { parent });
}

/**
 * The SCF COS trigger: its name is the bucket's XML API domain (SCF API CreateTrigger, 583/18589),
 * its description the event and the key filter (SCF "触发器配置描述", 583/39901; as Tencent's own
 * tencent-component-toolkit writes it). COS allows one function per bucket, event and filter.
 */
function notifyProcessor(parent: pulumi.Resource, spec: FileUploadSpec, bucket: CosBucket, region: string, functionName: pulumi.Output<string>, aliasId: pulumi.Output<string>): void {
    new ScfTrigger(`${spec.name}-on-upload`, {
        functionName,
        namespace: SCF_NAMESPACE,
        // The processor's alias `live`, as every caller.
        qualifier: aliasQualifier(aliasId),
        type: "cos",
        triggerName: pulumi.interpolate`${bucket.bucket}.cos.${region}.myqcloud.com`,
        triggerDesc: JSON.stringify({ event: OBJECT_CREATED_EVENT, filter: { Prefix: UPLOAD_PREFIX, Suffix: "" } }),
        enable: "OPEN",
        description: `Runs ${spec.processor.name} for each file uploaded to ${spec.name}`,
    }, { parent });
}

/** The account's APPID, which bucket names and COS resource strings carry. */
function accountAppId(): pulumi.Output<string> {
    return pulumi.output(
        pulumi.runtime.invoke("tencentcloud:index/getUserInfo:getUserInfo", {}, {}, getPackage()).then((info) => String(info.appId)),
    );
}
