// Invalidates a site's CloudFront cache when, and only when, what the site serves changed.
//
// The AWS provider has no invalidation resource, so a small Lambda creates it, invoked through
// `aws.lambda.Invocation`, which invokes on create or replace only, and is replaced when its
// `triggers` change (aws_lambda_invocation). The trigger is the site's content hash: an unchanged
// site shows no diff and invalidates nothing; a changed one shows the new hash in the preview and
// invalidates `/*` once (CloudFront bills `/*` as one path). The hash is also the CallerReference,
// so a retried invocation does not invalidate twice. The function uses the AWS SDK v3 that
// Lambda's Node.js runtimes ship.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { target } from "../config";
import { LAMBDA_RUNTIME } from "./function";
import { assumeRoleBy, policyDocument } from "./policy";

/** The invalidating function's code, plain ES module JavaScript: no bundling, identical bytes on every plan. */
export const INVALIDATE_CODE = `import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";

const cloudfront = new CloudFrontClient({});

export const handler = async (event) => {
    const { distributionId, paths, callerReference } = event;
    const result = await cloudfront.send(new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
    }));
    return { invalidationId: result.Invalidation && result.Invalidation.Id };
};
`;

export function invalidateOnChange(
    parent: pulumi.Resource,
    site: string,
    distribution: aws.cloudfront.Distribution,
    contentHash: pulumi.Output<string>,
    after: pulumi.Resource[],
): aws.lambda.Invocation {
    const opts = { parent };
    const name = `${site}-invalidate`;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
        name: `/serverless-blocks/${pulumi.getStack()}/${name}`,
        retentionInDays: target().logRetentionDays,
    }, opts);
    const role = new aws.iam.Role(`${name}-role`, {
        assumeRolePolicy: assumeRoleBy("lambda.amazonaws.com"),
        description: `Invalidates the CloudFront cache of site ${site}`,
    }, opts);
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
        role: role.name,
        policy: policyDocument(pulumi.all([logGroup.arn, distribution.arn]).apply(([logGroupArn, distributionArn]) => [
            { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroupArn}:*`] },
            { actions: ["cloudfront:CreateInvalidation"], resources: [distributionArn] },
        ])),
    }, opts);
    const fn = new aws.lambda.Function(name, {
        role: role.arn,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(INVALIDATE_CODE) }),
        memorySize: 128,
        timeout: 30,
        description: `Invalidates the CloudFront cache of site ${site} when its content changes`,
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    }, { parent, dependsOn: [policy, logGroup] });
    // After every object is uploaded: the invalidation must not race the new files.
    return new aws.lambda.Invocation(name, {
        functionName: fn.name,
        input: pulumi.jsonStringify({ distributionId: distribution.id, paths: ["/*"], callerReference: contentHash }),
        // A changed trigger replaces the invocation, which is what invokes again (aws.lambda.Invocation docs).
        triggers: { contentHash },
    }, { parent, dependsOn: after });
}
