// Uploads on AWS: a presigned POST (browser form upload) whose signed policy pins the bucket, the
// exact key, the Content-Type and the exact size the signer checked; S3 refuses any upload that
// breaks a condition, or arrives after the expiry, with 403. HeadObject, GetObject and
// DeleteObject for the processor.
// The IAM actions used, exactly: s3:PutObject (signer: a presigned POST acts with the signer's
// role) and s3:GetObject (HeadObject too), s3:DeleteObject (processor), on `<bucket>/uploads/*`
// (what components/aws/file-upload.ts grants).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import type { PresignedUpload, UploadSettings, UploadStore } from "../uploads";

export interface AwsUploadsOptions {
    /** The client for a region; by default one per region per container, made at first use. */
    client?: (region: string) => S3Client;
}

const shared = new Map<string, S3Client>();

/** Made lazily and kept for the container's life: cold starts pay for each region's client once. */
function sharedClient(region: string): S3Client {
    let client = shared.get(region);
    if (!client) shared.set(region, (client = new S3Client({ region })));
    return client;
}

export function createAwsUploads(options: AwsUploadsOptions = {}): UploadStore {
    const client = (settings: UploadSettings) => (options.client ?? sharedClient)(regionOf(settings));

    return {
        async presign(settings, upload): Promise<PresignedUpload> {
            // Before signing, and truncated to the second like the policy's expiration: never later than it.
            const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + settings.expiresSeconds * 1000).toISOString();
            const { url, fields } = await createPresignedPost(client(settings), {
                Bucket: settings.bucket,
                Key: upload.key,
                Conditions: [
                    // Exactly the declared size: the object S3 accepts is the file the signer
                    // checked, not merely one under the limit (a browser's File knows its size).
                    ["content-length-range", upload.size, upload.size],
                    { "Content-Type": upload.contentType },
                    { bucket: settings.bucket },
                    ["eq", "$key", upload.key],
                ],
                Fields: { "Content-Type": upload.contentType },
                Expires: settings.expiresSeconds,
            });
            return { method: "POST", url, fields, key: upload.key, expiresAt };
        },

        async head(settings, key) {
            try {
                const head = await client(settings).send(new HeadObjectCommand({ Bucket: settings.bucket, Key: key }));
                return { size: head.ContentLength ?? 0, contentType: head.ContentType };
            } catch (error) {
                if (isNotFound(error)) return undefined;
                throw explainForbidden(error, key);
            }
        },

        async get(settings, key) {
            try {
                const object = await client(settings).send(new GetObjectCommand({ Bucket: settings.bucket, Key: key }));
                return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
            } catch (error) {
                if (isNotFound(error)) return undefined;
                throw explainForbidden(error, key);
            }
        },

        async delete(settings, key) {
            // Deleting a missing key succeeds (204): a redelivered event deletes again harmlessly.
            await client(settings).send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: key }));
        },
    };
}

/** The store `uploads(name)` uses on AWS. */
export const awsUploads: UploadStore = createAwsUploads();

function regionOf(settings: UploadSettings): string {
    const region = settings.region || process.env.AWS_REGION;
    if (!region) throw new Error(`FileUpload '${settings.name}': no region (SB_UPLOADS_<NAME>_REGION comes with the FileUpload's link)`);
    return region;
}

/** HeadObject answers a bare 404 (`NotFound`); GetObject, `NoSuchKey`. */
export function isNotFound(error: unknown): boolean {
    const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
    return e?.name === "NotFound" || e?.name === "NoSuchKey" || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Without s3:ListBucket (the processor has none), S3 answers 403 rather than 404 for a key that
 * does not exist; say so, since "Forbidden" alone points only at the role.
 */
function explainForbidden(error: unknown, key: string): unknown {
    const e = error as { $metadata?: { httpStatusCode?: unknown }; message?: unknown } | undefined;
    if (e?.$metadata?.httpStatusCode === 403 && error instanceof Error) {
        error.message = `${String(e.message || "Forbidden")} (s3 key '${key}': either the object does not exist, which S3 reports as 403 to a role that may not list the bucket, or the role lacks s3:GetObject on it)`;
    }
    return error;
}
