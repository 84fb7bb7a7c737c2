// FileUpload on AWS: a private, encrypted, TLS-only S3 bucket that browsers POST to with a
// presigned form (functions/runtime/clients/aws/uploads.ts signs it), and its processor: an
// AsyncTask (Lambda, async retries, SQS dead-letter queue) that S3 invokes for every object
// created under `uploads/`. S3 invokes Lambda asynchronously, so the task's retries, maximum
// event age and on-failure destination apply to every notification.
//
// No versioning: every upload gets a key of its own (a random id, pinned by the signed policy),
// so nothing is overwritten in normal use; and with versioning on, the processor's delete of an
// object that breaks the rules, and lifecycle expiration, would only add delete markers and keep
// the bytes, which is what both must not do.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UPLOAD_PREFIX } from "../../functions/runtime/uploads";
import type { FileUploadRealisation, FileUploadSpec } from "../provider";
import { awsAsyncTask, type AwsAsyncTask } from "./async-task";
import type { Statement } from "./policy";
import { privateBucket } from "./private-bucket";

/** An upload left incomplete (a multipart upload never finished) is removed after this many days. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;
/** Browsers may cache the CORS preflight this long (seconds). */
export const CORS_MAX_AGE_SECONDS = 3000;

export function awsFileUpload(parent: pulumi.Resource, spec: FileUploadSpec): FileUploadRealisation {
    const bucket = uploadsBucket(parent, spec);
    allowBrowserUploads(parent, spec, bucket);
    expireObjects(parent, spec, bucket);

    const links = spec.links({
        bucket: bucket.bucket,
        region: bucket.region,
        signer: [{ actions: ["s3:PutObject"], resources: [uploadsArn(bucket)] }],
        // HeadObject is authorised by s3:GetObject.
        processor: [{ actions: ["s3:DeleteObject", "s3:GetObject"], resources: [uploadsArn(bucket)] }],
    });
    const { processor } = spec;
    const task = awsAsyncTask(parent, {
        name: processor.name,
        function: { ...processor.function, link: [...(processor.function.link ?? []), links.processor] },
        timeout: processor.timeout,
        retries: processor.retries,
        maxEventAgeSeconds: processor.maxEventAgeSeconds,
        alarms: processor.alarms,
        protect: spec.protect,
    });
    notifyProcessor(parent, spec, bucket, task);

    return {
        bucketName: bucket.bucket,
        // Where the signed POST goes: the SDK addresses the bucket virtual-hosted, by its region.
        uploadOrigin: pulumi.interpolate`https://${bucket.bucketRegionalDomainName}`,
        resourceId: bucket.arn,
        deadLetterQueue: task.deadLetterQueue,
        processorName: task.functionName,
    };
}

/** Objects under `uploads/`: the only keys the signer signs, the processor reads and deletes. */
function uploadsArn(bucket: aws.s3.Bucket): pulumi.Output<string> {
    return pulumi.interpolate`${bucket.arn}/${UPLOAD_PREFIX}*`;
}

/** A private bucket (./private-bucket.ts), and nothing at all without TLS. */
function uploadsBucket(parent: pulumi.Resource, spec: FileUploadSpec): aws.s3.Bucket {
    // Users' files: prod keeps the bucket (and refuses to delete it); dev empties it on destroy.
    const { bucket, publicAccess } = privateBucket(parent, spec.name, spec.protect);
    new aws.s3.BucketPolicy(`${spec.name}-bucket-policy`, {
        bucket: bucket.id,
        policy: tlsOnlyPolicy(bucket.arn),
    }, { parent, dependsOn: [publicAccess] });
    return bucket;
}

/** Grants nothing (the roles' own policies do); refuses every request made without TLS. */
function tlsOnlyPolicy(bucketArn: pulumi.Output<string>): pulumi.Output<string> {
    return bucketArn.apply((bucket) => {
        const Statement: Statement[] = [
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [bucket, `${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ];
        return JSON.stringify({ Version: "2012-10-17", Statement });
    });
}

/**
 * CORS for the listed origins only; none without origins (then only same-origin or non-browser
 * clients upload). A form POST sends no custom header; a PUT carries its Content-Type.
 */
function allowBrowserUploads(parent: pulumi.Resource, spec: FileUploadSpec, bucket: aws.s3.Bucket): void {
    if (spec.allowOrigins.length === 0) return;
    new aws.s3.BucketCorsConfiguration(`${spec.name}-cors`, {
        bucket: bucket.id,
        corsRules: [{
            allowedOrigins: spec.allowOrigins,
            allowedMethods: ["POST", "PUT"],
            allowedHeaders: ["content-type"],
            // S3 answers a form POST with the new object's ETag and Location.
            exposeHeaders: ["ETag", "Location"],
            maxAgeSeconds: CORS_MAX_AGE_SECONDS,
        }],
    }, { parent });
}

/** Incomplete multipart uploads are aborted; objects expire when the component says so. */
function expireObjects(parent: pulumi.Resource, spec: FileUploadSpec, bucket: aws.s3.Bucket): void {
    // Scoped to `uploads/`, where every object of this bucket is: an explicit filter, never the
    // provider's reading of an empty one.
    const filter = { prefix: UPLOAD_PREFIX };
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        { id: "abort-incomplete-uploads", status: "Enabled", filter, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS } },
    ];
    if (spec.expireAfterDays !== undefined) {
        rules.push({ id: "expire-uploads", status: "Enabled", filter, expiration: { days: spec.expireAfterDays } });
    }
    new aws.s3.BucketLifecycleConfiguration(`${spec.name}-lifecycle`, { bucket: bucket.id, rules }, { parent });
}

/**
 * S3 invokes the processor's `live` alias for every object created under `uploads/`, and may do
 * so only from this bucket in this account (the account guards against a bucket of the same name
 * elsewhere after this one is deleted).
 */
function notifyProcessor(parent: pulumi.Resource, spec: FileUploadSpec, bucket: aws.s3.Bucket, task: AwsAsyncTask): void {
    const opts = { parent };
    const permission = new aws.lambda.Permission(`${spec.name}-s3-permission`, {
        function: task.functionName,
        qualifier: task.alias,
        action: "lambda:InvokeFunction",
        principal: "s3.amazonaws.com",
        sourceArn: bucket.arn,
        sourceAccount: aws.getCallerIdentityOutput({}, opts).accountId,
    }, opts);
    // After the permission: S3 validates the destination when the notification is put, and refuses it without.
    new aws.s3.BucketNotification(`${spec.name}-notification`, {
        bucket: bucket.id,
        lambdaFunctions: [{ lambdaFunctionArn: task.aliasId, events: ["s3:ObjectCreated:*"], filterPrefix: UPLOAD_PREFIX }],
    }, { parent, dependsOn: [permission] });
}
