// The S3 bucket every AWS component starts from when it keeps files: public access blocked (all
// four settings), ACLs off (owner enforced: only policies grant access), SSE-S3 encryption at rest.
// SSE-S3 rather than SSE-KMS: readers (CloudFront's origin access control, a function's role) then
// need no KMS grant or key policy, and presigned POSTs carry no encryption fields. Each component
// adds its own bucket policy (after `publicAccess`, which S3 requires before a policy).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    publicAccess: aws.s3.BucketPublicAccessBlock;
    ownership: aws.s3.BucketOwnershipControls;
    encryption: aws.s3.BucketServerSideEncryptionConfiguration;
}

/**
 * `<name>-bucket` and its settings. Protected (and retained on delete) when `protect` (prod);
 * otherwise emptied on destroy.
 */
export function privateBucket(parent: pulumi.Resource, name: string, protect: boolean): PrivateBucket {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: !protect }, { parent, protect, retainOnDelete: protect });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, opts);
    return { bucket, publicAccess, ownership, encryption };
}
