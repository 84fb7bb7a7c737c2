// FileUpload on Tencent Cloud, as the in-process engine registers it: a private, SSE-COS
// encrypted, TLS-only COS bucket with CORS for the listed origins only and lifecycle rules; an
// SCF COS trigger running the processor (an AsyncTask: retries, message age, CMQ dead-letter
// queue) for objects created under uploads/; the signer's and the processor's CAM statements;
// the signing route; and every registered property name against the provider's schema.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FileUpload, type FileUploadArgs } from "../../components/file-upload";
import { ABORT_INCOMPLETE_UPLOAD_DAYS, CORS_MAX_AGE_SECONDS } from "../../components/tencentcloud/file-upload";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { CORS_ENV } from "../../functions/runtime/cors";
import { evaluate, type Evaluated, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ISSUER = "https://auth.example.com";
const ORIGIN = "https://shop.example.com";
const APP_ID = "1250000000";
const UIN = "100000000001";
const BUCKET = `serverless-blocks-test-attachments-${APP_ID}`;
const OBJECTS = `qcs::cos:ap-guangzhou:uid/${APP_ID}:${BUCKET}`;
const T = {
    bucket: "tencentcloud:index/cosBucket:CosBucket",
    policy: "tencentcloud:index/cosBucketPolicy:CosBucketPolicy",
    trigger: "tencentcloud:index/scfTrigger:ScfTrigger",
    fn: "tencentcloud:index/scfFunction:ScfFunction",
    camPolicy: "tencentcloud:index/camPolicy:CamPolicy",
    invokeConfig: "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig",
    queue: "tencentcloud:index/tcmqQueue:TcmqQueue",
    api: "tencentcloud:index/apiGatewayApi:ApiGatewayApi",
    service: "tencentcloud:index/apiGatewayService:ApiGatewayService",
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

const statementsOf = (stack: Evaluated, fn: string) => json(stack.one(T.camPolicy, `${fn}-policy`).inputs.document).statement;
const envOf = (stack: Evaluated, fn: string) => stack.one(T.fn, fn).inputs.environment as Record<string, string>;

describe("FileUpload on Tencent Cloud", () => {
    let stack: Evaluated;
    before(async () => (stack = await evaluate("tencentcloud", program())));

    it("keeps the COS bucket private and SSE-COS encrypted, without versioning, named <project>-<stack>-<name>-<appid>", () => {
        const bucket = stack.one(T.bucket, "attachments-bucket");
        assert.equal(bucket.parent, "attachments");
        assert.equal(bucket.inputs.bucket, BUCKET);
        assert.equal(bucket.inputs.acl, "private");
        assert.equal(bucket.inputs.encryptionAlgorithm, "AES256");
        assert.equal(bucket.inputs.versioningEnable, undefined);
        assert.equal(bucket.inputs.website, undefined, "no static website endpoint");
        assert.ok(bucket.packageRef, "registered against the parameterized tencentcloud package");
    });

    it("refuses every request made without TLS, with COS's documented condition key, and grants nothing", () => {
        const policy = stack.one(T.policy, "attachments-bucket-policy");
        assert.equal(policy.inputs.bucket, BUCKET);
        assert.deepEqual(json(policy.inputs.policy), {
            version: "2.0",
            statement: [{
                principal: { qcs: ["qcs::cam::anyone:anyone"] },
                effect: "deny",
                action: ["name/cos:*"],
                resource: [`${OBJECTS}/*`],
                condition: { bool: { "cos:secure-transport": "false" } },
            }],
        });
        assert.doesNotMatch(String(policy.inputs.policy), /secure_transport|"allow"/);
    });

    it("lets exactly the listed origins PUT from a browser, with the header the signed PUT carries", () => {
        assert.deepEqual(stack.one(T.bucket).inputs.corsRules, [{
            allowedOrigins: [ORIGIN],
            allowedMethods: ["PUT"],
            allowedHeaders: ["content-type"],
            exposeHeaders: ["ETag"],
            maxAgeSeconds: CORS_MAX_AGE_SECONDS,
        }]);
    });

    it("has no CORS at all without origins, on the bucket or the signing route", async () => {
        const none = await evaluate("tencentcloud", program({ allowOrigins: [] }));
        assert.equal(none.one(T.bucket).inputs.corsRules, undefined);
        assert.equal(none.one(T.api, `${SIGNER}-api`).inputs.enableCors, false);
    });

    it("aborts incomplete multipart uploads after a day and expires objects under uploads/ after expireAfterDays", async () => {
        assert.equal(ABORT_INCOMPLETE_UPLOAD_DAYS, 1);
        assert.deepEqual(stack.one(T.bucket).inputs.lifecycleRules, [
            { id: "abort-incomplete-uploads", filterPrefix: "uploads/", abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
            { id: "expire-uploads", filterPrefix: "uploads/", expiration: { days: 30 } },
        ]);
        const kept = await evaluate("tencentcloud", program({ expireAfterDays: undefined }));
        assert.deepEqual((kept.one(T.bucket).inputs.lifecycleRules as { id: string }[]).map((r) => r.id), ["abort-incomplete-uploads"], "objects are kept without expireAfterDays");
    });

    it("runs the processor from an SCF COS trigger for every object created under uploads/", () => {
        const fn = stack.one(T.fn, PROCESSOR);
        const trigger = stack.one(T.trigger, "attachments-on-upload");
        assert.equal(trigger.parent, "attachments");
        assert.equal(trigger.inputs.type, "cos");
        assert.equal(trigger.inputs.functionName, fn.state.name);
        assert.equal(trigger.inputs.namespace, "default");
        assert.equal(trigger.inputs.enable, "OPEN");
        assert.equal(trigger.inputs.triggerName, `${BUCKET}.cos.ap-guangzhou.myqcloud.com`, "a COS trigger is named by the bucket's XML API domain");
        assert.deepEqual(json(trigger.inputs.triggerDesc), { event: "cos:ObjectCreated:*", filter: { Prefix: "uploads/", Suffix: "" } });
        assert.equal(stack.ofType(T.trigger).length, 1, "nothing else runs the processor");
    });

    it("retries processing as asked, then dead-letters it to the processor's CMQ queue", () => {
        const fn = stack.one(T.fn, PROCESSOR);
        const invokeConfig = stack.one(T.invokeConfig, `${PROCESSOR}-invoke-config`);
        assert.equal(invokeConfig.inputs.functionName, fn.state.name);
        assert.deepEqual(invokeConfig.inputs.asyncTriggerConfig, { retryConfigs: [{ retryNum: 1 }], msgTtl: 3600 });
        const queue = stack.one(T.queue, `${PROCESSOR}-dlq`);
        assert.equal(queue.inputs.queueName, "test-attachments-processor-dlq");
        const env = envOf(stack, PROCESSOR);
        assert.equal(env.SB_DEAD_LETTER_QUEUE, "test-attachments-processor-dlq");
        assert.equal(env.SB_RETRIES, "1");
        assert.equal(env.SB_MAX_EVENT_AGE, "3600");
        assert.equal(stack.outputs.deadLetterQueue, "test-attachments-processor-dlq");
        assert.equal(stack.outputs.processorName, fn.state.name);
    });

    it("hands out the bucket, its qcs:: id and the origin browsers upload to", () => {
        assert.equal(stack.outputs.bucketName, BUCKET);
        assert.equal(stack.outputs.resourceId, OBJECTS);
        assert.equal(stack.outputs.uploadOrigin, `https://${BUCKET}.cos.ap-guangzhou.myqcloud.com`);
    });

    it("lets the signer put objects under uploads/ and nothing else", () => {
        assert.deepEqual(statementsOf(stack, SIGNER), [{ effect: "allow", action: ["cos:PutObject"], resource: [`${OBJECTS}/uploads/*`] }]);
    });

    it("lets the processor read, head and delete objects under uploads/, and write its dead letters", () => {
        assert.deepEqual(statementsOf(stack, PROCESSOR), [
            { effect: "allow", action: ["cos:DeleteObject", "cos:GetObject", "cos:HeadObject"], resource: [`${OBJECTS}/uploads/*`] },
            {
                effect: "allow",
                action: ["tdmq:SendCmqMsg"],
                resource: [`qcs::tdmq:ap-guangzhou:uin/${UIN}:cmqqueue/test-attachments-processor-dlq`, `qcs::tdmq:ap-guangzhou:uin/${UIN}:queue/test-attachments-processor-dlq`],
            },
        ]);
    });

    it("tells the signer and the processor the bucket, its region and the rules", () => {
        const rules = { maxBytes: 5 * 1024 * 1024, allowedTypes: ["image/png", "application/pdf"], expiresSeconds: 300 };
        for (const name of [SIGNER, PROCESSOR]) {
            const env = envOf(stack, name);
            assert.equal(env.SB_UPLOADS_ATTACHMENTS_BUCKET, BUCKET, name);
            assert.equal(env.SB_UPLOADS_ATTACHMENTS_REGION, "ap-guangzhou", name);
            assert.deepEqual(JSON.parse(env.SB_UPLOADS_ATTACHMENTS_RULES), rules, name);
        }
        assert.equal(envOf(stack, SIGNER).SB_UPLOADS_SIGNER, "attachments");
        assert.equal(envOf(stack, PROCESSOR).SB_UPLOADS_SIGNER, undefined, "the processor signs nothing");
    });

    it("signs on POST /uploads of its own API Gateway service, for signed-in users, with the same origins", () => {
        assert.equal(stack.one("serverless-blocks:index:BusinessApi", "attachments-api").parent, "attachments");
        const api = stack.one(T.api, `${SIGNER}-api`);
        assert.equal(api.inputs.requestConfigMethod, "POST");
        assert.equal(api.inputs.requestConfigPath, "/uploads");
        assert.equal(api.inputs.serviceConfigScfFunctionName, stack.one(T.fn, SIGNER).state.name);
        assert.equal(api.inputs.enableCors, true);
        const env = envOf(stack, SIGNER);
        assert.equal(env[JWT_ENV.issuer], ISSUER, "the adapter verifies the token: uploads are for signed-in users");
        assert.deepEqual(JSON.parse(env[CORS_ENV]).allowOrigins, [ORIGIN]);
        assert.match(stack.outputs.url, /^https:\/\/service-[0-9a-f]{8}-1250000000\.gz\.apigw\.tencentcs\.com\/release$/);
    });

    it("protects and retains the bucket and the dead-letter queue when the stack protects; dev empties the bucket on destroy", async () => {
        const prod = await evaluate("tencentcloud", program(), { "serverless-blocks:protect": "true" });
        for (const [type, name] of [[T.bucket, "attachments-bucket"], [T.queue, `${PROCESSOR}-dlq`]]) {
            const r = prod.one(type, name);
            assert.equal(r.protect, true, name);
            assert.equal(r.retainOnDelete, true, name);
        }
        assert.equal(prod.one(T.bucket).inputs.forceClean, false, "prod never empties users' files");
        assert.equal(stack.one(T.bucket).inputs.forceClean, true);
        assert.equal(stack.one(T.bucket).protect, false);
    });

    it("registers only property names the provider's schema has, nested blocks included", () => {
        const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "components", "tencentcloud", "schema", "resources.json"), "utf8"));
        for (const type of [T.bucket, T.policy, T.trigger]) {
            for (const resource of stack.ofType(type)) {
                assert.deepEqual(unknownNames("", resource.inputs, schema.resources[type].inputs), [], `${type} ${resource.name}`);
            }
        }
    });
});

interface SchemaProperty {
    properties?: Record<string, SchemaProperty>;
    items?: SchemaProperty;
}

/** Input names (given, not undefined) missing from the schema, descending into blocks. */
function unknownNames(where: string, given: Record<string, unknown>, inputs: Record<string, SchemaProperty>): string[] {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(given)) {
        if (value === undefined) continue;
        const property = inputs[name];
        if (!property) {
            problems.push(`${where}${name}`);
            continue;
        }
        const block = property.properties ?? property.items?.properties;
        const items = Array.isArray(value) ? value : [value];
        if (!block) continue;
        for (const item of items) {
            if (item && typeof item === "object") problems.push(...unknownNames(`${where}${name}.`, item as Record<string, unknown>, block));
        }
    }
    return problems;
}
