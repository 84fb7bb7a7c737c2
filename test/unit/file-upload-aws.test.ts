// FileUpload on AWS, as the in-process engine registers it: a private, encrypted, TLS-only
// bucket with CORS for the listed origins only and lifecycle rules; S3 notifying the processor
// (an AsyncTask: retries, maximum age, dead-letter queue) of objects under uploads/; the signer's
// and the processor's exact permissions; the signing route. And the cloud-neutral mistakes that
// stop the plan before anything registers.
import * as assert from "node:assert/strict";
import { FileUpload, type FileUploadArgs } from "../../components/file-upload";
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from "../../components/aws/file-upload";
import { CLOUDS, evaluate, evaluateFailing, type Evaluated, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ISSUER = "https://auth.example.com";
const ORIGIN = "https://shop.example.com";
const ACCOUNT = "123456789012";
const A = {
    bucket: "aws:s3/bucket:Bucket",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    cors: "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    notification: "aws:s3/bucketNotification:BucketNotification",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lambda: "aws:lambda/function:Function",
    permission: "aws:lambda/permission:Permission",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    queue: "aws:sqs/queue:Queue",
    api: "aws:apigatewayv2/api:Api",
    route: "aws:apigatewayv2/route:Route",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
};
const SIGNER = "attachments-api-post-uploads";
const PROCESSOR = "attachments-processor";

function argsWith(overrides: Partial<FileUploadArgs> = {}): FileUploadArgs {
    return {
        jwt: { issuer: ISSUER, audience: ["shop-web"] },
        allowedTypes: ["image/png", "application/pdf"],
        maxBytes: 5 * 1024 * 1024,
        allowOrigins: [ORIGIN],
        expireAfterDays: 30,
        onUploaded: { handler: HANDLER, retries: 1, maxEventAge: 3600 },
        ...overrides,
    };
}

function program(overrides: Partial<FileUploadArgs> = {}) {
    return () => {
        const files = new FileUpload("attachments", argsWith(overrides));
        return { url: files.url, bucketName: files.bucketName, uploadOrigin: files.uploadOrigin, resourceId: files.resourceId, deadLetterQueue: files.deadLetterQueue, processorName: files.processorName };
    };
}

/** The statements of a function's role policy, after its log and trace statements. */
function linkedStatements(stack: Evaluated, functionName: string) {
    const [logs, traces, ...linked] = json(stack.one(A.rolePolicy, `${functionName}-policy`).inputs.policy).Statement;
    assert.deepEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
    assert.deepEqual(traces.Action, ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
    return linked;
}

describe("FileUpload on AWS", () => {
    let stack: Evaluated;
    before(async () => (stack = await evaluate("aws", program())));

    it("keeps the bucket private: public access blocked, ACLs off, encrypted, TLS only, no versioning", () => {
        const bucket = stack.one(A.bucket, "attachments-bucket");
        assert.equal(bucket.parent, "attachments");
        assert.equal(bucket.inputs.acl, undefined);
        assert.deepEqual(stack.one(A.publicAccess, "attachments-public-access").inputs, {
            bucket: bucket.state.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        });
        assert.deepEqual(stack.one(A.ownership).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.deepEqual(stack.one(A.encryption).inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        const policy = stack.one(A.policy, "attachments-bucket-policy");
        assert.equal(policy.inputs.bucket, bucket.state.bucket);
        assert.ok(policy.dependsOn.includes("attachments-public-access"), "the block is in place before any policy");
        assert.deepEqual(json(policy.inputs.policy).Statement, [{
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: [bucket.state.arn, `${bucket.state.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        }], "the bucket policy grants nothing: only the two roles' own policies do");
        assert.deepEqual(stack.ofType(A.versioning), []);
    });

    it("lets exactly the listed origins POST or PUT from a browser", () => {
        const cors = stack.one(A.cors, "attachments-cors");
        assert.equal(cors.inputs.bucket, stack.one(A.bucket).state.bucket);
        assert.deepEqual(cors.inputs.corsRules, [{
            allowedOrigins: [ORIGIN],
            allowedMethods: ["POST", "PUT"],
            allowedHeaders: ["content-type"],
            exposeHeaders: ["ETag", "Location"],
            maxAgeSeconds: 3000,
        }]);
    });

    it("has no CORS at all without origins", async () => {
        const none = await evaluate("aws", program({ allowOrigins: [] }));
        assert.deepEqual(none.ofType(A.cors), []);
        assert.equal(none.one(A.api, "attachments-api").inputs.corsConfiguration, undefined, "nor on the signing API");
    });

    it("aborts incomplete multipart uploads after a day and expires objects after expireAfterDays", async () => {
        const lifecycle = stack.one(A.lifecycle, "attachments-lifecycle");
        assert.equal(lifecycle.inputs.bucket, stack.one(A.bucket).state.bucket);
        assert.equal(ABORT_INCOMPLETE_UPLOAD_DAYS, 1);
        assert.deepEqual(lifecycle.inputs.rules, [
            { id: "abort-incomplete-uploads", status: "Enabled", filter: { prefix: "uploads/" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
            { id: "expire-uploads", status: "Enabled", filter: { prefix: "uploads/" }, expiration: { days: 30 } },
        ]);
        const kept = await evaluate("aws", program({ expireAfterDays: undefined }));
        assert.deepEqual((kept.one(A.lifecycle).inputs.rules as any[]).map((r) => r.id), ["abort-incomplete-uploads"], "objects are kept without expireAfterDays");
    });

    it("notifies the processor of every object created under uploads/, once S3 may invoke it", () => {
        const bucket = stack.one(A.bucket);
        const fn = stack.one(A.lambda, PROCESSOR);
        const notification = stack.one(A.notification, "attachments-notification");
        assert.equal(notification.inputs.bucket, bucket.state.bucket);
        assert.deepEqual(notification.inputs.lambdaFunctions, [{ lambdaFunctionArn: `${fn.state.arn}:live`, events: ["s3:ObjectCreated:*"], filterPrefix: "uploads/" }], "the processor's live alias");
        assert.ok(notification.dependsOn.includes("attachments-s3-permission"), `dependsOn: ${notification.dependsOn}`);
        const permission = stack.one(A.permission, "attachments-s3-permission");
        assert.deepEqual(
            [permission.inputs.function, permission.inputs.qualifier, permission.inputs.action, permission.inputs.principal, permission.inputs.sourceArn, permission.inputs.sourceAccount],
            [fn.state.name, "live", "lambda:InvokeFunction", "s3.amazonaws.com", bucket.state.arn, ACCOUNT],
        );
        assert.equal(stack.ofType(A.permission).filter((p) => p.inputs.function === fn.state.name).length, 1, "nothing else may invoke the processor");
    });

    it("retries processing as asked, then keeps the invocation record in the processor's dead-letter queue", () => {
        const fn = stack.one(A.lambda, PROCESSOR);
        const dlq = stack.one(A.queue, `${PROCESSOR}-dlq`);
        const invokeConfig = stack.one(A.invokeConfig, `${PROCESSOR}-invoke-config`);
        assert.equal(invokeConfig.inputs.functionName, fn.state.name);
        assert.equal(invokeConfig.inputs.maximumRetryAttempts, 1);
        assert.equal(invokeConfig.inputs.maximumEventAgeInSeconds, 3600);
        assert.deepEqual(invokeConfig.inputs.destinationConfig, { onFailure: { destination: dlq.state.arn } });
        assert.equal(stack.outputs.deadLetterQueue, dlq.state.url);
        assert.equal(stack.outputs.processorName, fn.state.name);
        assert.equal(stack.outputs.resourceId, stack.one(A.bucket).state.arn);
        assert.equal(stack.outputs.bucketName, stack.one(A.bucket).state.bucket);
    });

    it("hands out the origin browsers upload to (the presigned POST's URL), for the site's CSP", () => {
        const bucket = stack.one(A.bucket);
        assert.equal(stack.outputs.uploadOrigin, `https://${bucket.state.bucketRegionalDomainName}`);
        assert.match(stack.outputs.uploadOrigin, /^https:\/\/attachments-bucket-[0-9a-f]{7}\.s3\.us-east-1\.amazonaws\.com$/);
    });

    it("lets the signer put objects under uploads/ and nothing else", () => {
        const arn = stack.one(A.bucket).state.arn;
        assert.deepEqual(linkedStatements(stack, SIGNER), [{ Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${arn}/uploads/*`] }]);
    });

    it("lets the processor read and delete objects under uploads/, and write its dead letters", () => {
        const arn = stack.one(A.bucket).state.arn;
        const dlq = stack.one(A.queue, `${PROCESSOR}-dlq`);
        assert.deepEqual(linkedStatements(stack, PROCESSOR), [
            { Effect: "Allow", Action: ["s3:DeleteObject", "s3:GetObject"], Resource: [`${arn}/uploads/*`] },
            { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlq.state.arn] },
        ]);
    });

    it("tells the signer and the processor the bucket, its region and the rules", () => {
        const bucket = stack.one(A.bucket);
        const env = (name: string) => (stack.one(A.lambda, name).inputs.environment as any).variables;
        const rules = { maxBytes: 5 * 1024 * 1024, allowedTypes: ["image/png", "application/pdf"], expiresSeconds: 300 };
        for (const name of [SIGNER, PROCESSOR]) {
            assert.equal(env(name).SB_UPLOADS_ATTACHMENTS_BUCKET, bucket.state.bucket, name);
            assert.equal(env(name).SB_UPLOADS_ATTACHMENTS_REGION, "us-east-1", name);
            assert.deepEqual(JSON.parse(env(name).SB_UPLOADS_ATTACHMENTS_RULES), rules, name);
        }
        assert.equal(env(SIGNER).SB_UPLOADS_SIGNER, "attachments");
        assert.equal(env(PROCESSOR).SB_UPLOADS_SIGNER, undefined, "the processor signs nothing");
    });

    it("signs on POST /uploads of its own HTTP API, for signed-in users, with the same origins", () => {
        const api = stack.one(A.api, "attachments-api");
        assert.equal(stack.one("serverless-blocks:index:BusinessApi", "attachments-api").parent, "attachments");
        assert.deepEqual((api.inputs.corsConfiguration as any).allowOrigins, [ORIGIN]);
        const route = stack.one(A.route, `${SIGNER}-route`);
        assert.equal(route.inputs.routeKey, "POST /uploads");
        assert.equal(route.inputs.authorizationType, "JWT");
        const authorizer = stack.one(A.authorizer, "attachments-api-jwt");
        assert.equal(route.inputs.authorizerId, authorizer.state.id);
        assert.deepEqual(authorizer.inputs.jwtConfiguration, { issuer: ISSUER, audiences: ["shop-web"] });
        assert.equal(stack.outputs.url, api.state.apiEndpoint);
    });

    it("protects and retains the bucket and the dead-letter queue when the stack protects", async () => {
        const prod = await evaluate("aws", program(), { "serverless-blocks:protect": "true" });
        for (const name of ["attachments-bucket", `${PROCESSOR}-dlq`]) {
            const r = prod.resources.find((x) => x.name === name)!;
            assert.equal(r.protect, true, name);
            assert.equal(r.retainOnDelete, true, name);
        }
        assert.equal(prod.one(A.bucket).inputs.forceDestroy, false, "prod never empties users' files");
        assert.equal(stack.one(A.bucket).inputs.forceDestroy, true);
        assert.ok(stack.resources.every((r) => !r.protect && !r.retainOnDelete));
    });
});

describe("FileUpload args", () => {
    const refused: { why: string; args: Partial<FileUploadArgs>; message: RegExp }[] = [
        { why: "no allowed types", args: { allowedTypes: [] }, message: /config FileUpload 'attachments' allowedTypes: '' is not allowed; list the MIME types accepted/ },
        { why: "every type (*/*)", args: { allowedTypes: ["image/png", "*/*"] }, message: /allowedTypes: '\*\/\*' is not allowed; a MIME type such as image\/png, or a family such as image\/\*; not \*\/\*/ },
        { why: "an origin with a path", args: { allowOrigins: ["https://shop.example.com/app"] }, message: /allowOrigins: 'https:\/\/shop\.example\.com\/app' is not allowed; an origin is scheme:\/\/host\[:port\]/ },
        { why: "a wildcard origin", args: { allowOrigins: ["*"] }, message: /allowOrigins: '\*' is not allowed;.*'\*' is not allowed/ },
        { why: "maxBytes 0", args: { maxBytes: 0 }, message: /maxBytes: '0' is not allowed; expected a whole number from 1 to 5368709120/ },
        { why: "maxBytes over 5 GiB", args: { maxBytes: 5 * 1024 ** 3 + 1 }, message: /maxBytes: '5368709121' is not allowed; expected a whole number from 1 to 5368709120/ },
        { why: "URLs valid for 30 s", args: { urlExpiresIn: 30 }, message: /urlExpiresIn: '30' is not allowed; expected a whole number from 60 to 3600/ },
        { why: "no jwt", args: { jwt: undefined }, message: /config FileUpload 'attachments' jwt: missing; uploads are for signed-in users: give `jwt`/ },
        { why: "no onUploaded", args: { onUploaded: undefined }, message: /config FileUpload 'attachments' onUploaded: missing; expected the processing function/ },
        { why: "bad processor args", args: { onUploaded: { handler: HANDLER, memory: 100 } }, message: /FileUpload 'attachments' onUploaded: config Function 'attachments-processor' memory: '100' is not allowed/ },
        { why: "a retry count out of range", args: { onUploaded: { handler: HANDLER, retries: 3 } }, message: /onUploaded\.retries: '3' is not allowed; expected a whole number from 0 to 2/ },
    ];

    for (const cloud of CLOUDS) {
        for (const { why, args, message } of refused) {
            it(`${cloud}: ${why}`, async () => {
                const { error, registered } = await evaluateFailing(cloud, () => new FileUpload("attachments", argsWith(args)));
                assert.match(error.message, message);
                assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing is registered, not even the component");
            });
        }
    }
});
