// Buckets are private, encrypted at rest and reachable over TLS only. On AWS these are separate
// resources next to the bucket (public access block, encryption configuration, bucket policy), so
// the rule reads the whole stack; on Tencent the bucket carries its ACL and encryption, and its
// policy the TLS-only deny.
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { asArray, AWS, bareAction, conditionValues, dependsOn, isAnyone, ofTypes, parseDocument, refersTo, statementsOf, TENCENT, violation } from "./support";

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** The bucket-level resources that configure `bucket`: they name it in `bucket`, or were built from it. */
function configuring(resources: PolicyResource[], bucket: PolicyResource, ...types: string[]): PolicyResource[] {
    return ofTypes(resources, ...types).filter((r) => refersTo(r.props.bucket, bucket) || dependsOn(r, bucket));
}

/** The policy denies requests without TLS: a Deny for everyone when `key` is "false". */
function deniesInsecureTransport(policy: unknown, key: string): boolean {
    const document = parseDocument(policy);
    return !!document && statementsOf(document).some((s) =>
        s.effect === "deny" && isAnyone(s.principal) && conditionValues(s.condition, key).includes("false"));
}

/** Allow statements anyone matches without a condition narrowing who: public access. */
function publicGrants(policy: unknown): string[] {
    const document = parseDocument(policy);
    if (!document) return [];
    return statementsOf(document)
        .filter((s) => s.effect === "allow" && isAnyone(s.principal) && !s.condition)
        .map((s) => s.actions.map(bareAction).join(", "));
}

function checkAwsBucket(resources: PolicyResource[], bucket: PolicyResource, report: ReportViolation): void {
    const name = bucket.name;
    if (PUBLIC_ACLS.has(bucket.props.acl)) {
        report(violation(`bucket ${name} has the ${bucket.props.acl} ACL`, "drop the ACL (BucketOwnerEnforced ownership) and serve files through CloudFront or presigned URLs"), bucket.urn);
    }
    for (const acl of configuring(resources, bucket, AWS.bucketAcl)) {
        if (PUBLIC_ACLS.has(acl.props.acl)) report(violation(`bucket ${name} gets the ${acl.props.acl} ACL from ${acl.name}`, "remove the public ACL"), acl.urn);
    }
    const blocks = configuring(resources, bucket, AWS.publicAccessBlock);
    const fullyBlocked = blocks.some((b) => BLOCK_FLAGS.every((flag) => b.props[flag] === true));
    if (!fullyBlocked) {
        report(violation(`bucket ${name} has no public access block with ${BLOCK_FLAGS.join(", ")} all true`, "add an aws.s3.BucketPublicAccessBlock for it with all four set to true"), bucket.urn);
    }
    const inlineEncryption = asArray(bucket.props.serverSideEncryptionConfiguration?.rule ?? bucket.props.serverSideEncryptionConfiguration?.rules).length > 0;
    const encryption = configuring(resources, bucket, AWS.encryption, AWS.encryptionV2)
        .some((e) => asArray(e.props.rules).some((rule: any) => rule?.applyServerSideEncryptionByDefault?.sseAlgorithm));
    if (!inlineEncryption && !encryption) {
        report(violation(`bucket ${name} has no default encryption`, "add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm AES256 or aws:kms"), bucket.urn);
    }
    const policies = configuring(resources, bucket, AWS.bucketPolicy);
    if (!policies.some((p) => deniesInsecureTransport(p.props.policy, "aws:SecureTransport"))) {
        report(violation(`bucket ${name} accepts plain HTTP: no bucket policy denies aws:SecureTransport false`, "add a Deny statement for Principal \"*\", s3:*, the bucket and its objects, with Condition Bool aws:SecureTransport \"false\""), bucket.urn);
    }
    for (const policy of policies) {
        for (const actions of publicGrants(policy.props.policy)) {
            report(violation(`bucket ${name} is public: ${policy.name} allows ${actions} to everyone`, "grant a service principal with an aws:SourceArn condition (e.g. CloudFront's origin access control) instead"), policy.urn);
        }
    }
}

const COS_ENCRYPTION = new Set(["AES256", "KMS", "SM4", "cos/kms"]);

function checkCosBucket(resources: PolicyResource[], bucket: PolicyResource, report: ReportViolation): void {
    const name = bucket.name;
    const acl = bucket.props.acl ?? "private";
    if (acl !== "private") {
        report(violation(`COS bucket ${name} has the ${acl} ACL`, "set acl: \"private\" and serve files through the CDN's private origin access or presigned URLs"), bucket.urn);
    }
    if (!COS_ENCRYPTION.has(bucket.props.encryptionAlgorithm)) {
        report(violation(`COS bucket ${name} has no server-side encryption`, "set encryptionAlgorithm: \"AES256\" (SSE-COS) or \"KMS\""), bucket.urn);
    }
    const policies = configuring(resources, bucket, TENCENT.cosBucketPolicy);
    if (!policies.some((p) => deniesInsecureTransport(p.props.policy, "cos:secure-transport"))) {
        report(violation(`COS bucket ${name} accepts plain HTTP: no bucket policy denies cos:secure-transport false`, "add a CosBucketPolicy deny for qcs::cam::anyone:anyone, name/cos:*, with condition bool cos:secure-transport \"false\""), bucket.urn);
    }
    for (const policy of policies) {
        for (const actions of publicGrants(policy.props.policy)) {
            report(violation(`COS bucket ${name} is public: ${policy.name} allows ${actions} to anyone`, "grant the CDN service principal (qcs::cam::uin/<uin>:service/cdn) instead of anyone"), policy.urn);
        }
    }
}

export const privateEncryptedTlsBuckets: StackValidationPolicy = {
    name: "private-encrypted-tls-buckets",
    description: "Buckets are not public, are encrypted at rest and deny requests without TLS (S3: public access block, default encryption, aws:SecureTransport deny; COS: private ACL, encryption, cos:secure-transport deny).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of ofTypes(args.resources, AWS.bucket, AWS.bucketV2)) checkAwsBucket(args.resources, bucket, reportViolation);
        for (const bucket of ofTypes(args.resources, TENCENT.cosBucket)) checkCosBucket(args.resources, bucket, reportViolation);
    },
};
