// The policy pack's rules (policy/rules/), each caught in the act: a small program that breaks the
// rule, evaluated through the in-process engine and checked with the same policy objects the pack
// and `npm run check` use; and the good counterpart (a component, an allowlisted case) passing.
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import type { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { AsyncTask, BusinessApi, Function, Table } from "../../components";
import { CamPolicy, CosBucket, ScfFunction, ScfTrigger } from "../../components/tencentcloud/sdk";
import type { CloudName } from "../../components/config";
import { evaluatePolicies, RecordedResource, Violation } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { evaluate } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ORIGIN = "https://shop.example.com";
const JWT = { issuer: "https://auth.example.com", audience: ["shop"] };

interface CheckOptions {
    config?: Record<string, string>;
    policyConfig?: Record<string, Record<string, unknown>>;
}

async function check(cloud: CloudName, program: () => unknown, options: CheckOptions = {}): Promise<Violation[]> {
    const stack = await evaluate(cloud, program, options.config);
    return evaluatePolicies(stack.resources, policies, { config: options.policyConfig });
}

const messagesOf = (violations: Violation[], policy: string) => violations.filter((v) => v.policy === policy).map((v) => v.message);

/** Exactly one message of `policy` matches `pattern`, and it ends with a fix. */
function assertCaught(violations: Violation[], policy: string, pattern: RegExp): void {
    const messages = messagesOf(violations, policy);
    const matching = messages.filter((m) => pattern.test(m));
    assert.equal(matching.length, 1, `expected one ${policy} violation matching ${pattern}; got: ${JSON.stringify(violations.map((v) => `${v.policy}: ${v.message}`), null, 1)}`);
    assert.match(matching[0], /\. Fix: \S/);
}

const lambdaRole = (name: string) => new aws.iam.Role(`${name}-role`, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) });
const rawLambda = (name: string, extra: Partial<aws.lambda.FunctionArgs> = {}) =>
    new aws.lambda.Function(name, { role: lambdaRole(name).arn, runtime: "nodejs24.x", handler: "index.handler", code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset("export const handler = async () => {};") }), ...extra });

describe("policy no-wildcard-grants", () => {
    it("catches an AWS role policy allowing s3:* on every resource, and lets X-Ray's resource-less actions take '*'", async () => {
        const violations = await check("aws", () => {
            const role = lambdaRole("app");
            new aws.iam.RolePolicy("too-wide", { role: role.name, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }) });
            new aws.iam.RolePolicy("tracing", { role: role.name, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: ["*"] }] }) });
            new aws.iam.RolePolicy("deny-all", { role: role.name, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) });
        });
        assertCaught(violations, "no-wildcard-grants", /^too-wide allows every action: s3:\*/);
        assertCaught(violations, "no-wildcard-grants", /^too-wide allows s3:\* on every resource/);
        assert.equal(messagesOf(violations, "no-wildcard-grants").length, 2, "the X-Ray grant and the deny-all pass");
    });

    it("catches a Tencent CAM policy allowing cos:GetObject on '*', and lets ses:SendEmail (operation level) take '*'", async () => {
        const violations = await check("tencentcloud", () => {
            new CamPolicy("reads-all", { name: "reads-all", document: JSON.stringify({ version: "2.0", statement: [{ effect: "allow", action: ["cos:GetObject"], resource: ["*"] }] }) });
            new CamPolicy("mails", { name: "mails", document: JSON.stringify({ version: "2.0", statement: [{ effect: "allow", action: ["ses:SendEmail"], resource: ["*"] }] }) });
        });
        assertCaught(violations, "no-wildcard-grants", /^reads-all allows cos:GetObject on every resource \('\*'\)/);
        assert.equal(messagesOf(violations, "no-wildcard-grants").length, 1);
    });
});

describe("policy invoke-permissions-scoped", () => {
    it("catches a permission for S3 with neither sourceArn nor sourceAccount, and passes a scoped one", async () => {
        const violations = await check("aws", () => {
            const fn = rawLambda("on-upload");
            new aws.lambda.Permission("from-any-bucket", { function: fn.name, action: "lambda:InvokeFunction", principal: "s3.amazonaws.com" });
            new aws.lambda.Permission("from-our-bucket", { function: fn.name, action: "lambda:InvokeFunction", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::ours", sourceAccount: "123456789012" });
        });
        assertCaught(violations, "invoke-permissions-scoped", /^permission from-any-bucket lets any s3\.amazonaws\.com resource invoke the function \(no sourceArn\)/);
        assertCaught(violations, "invoke-permissions-scoped", /^permission from-any-bucket for s3\.amazonaws\.com has no sourceAccount/);
        assert.equal(messagesOf(violations, "invoke-permissions-scoped").length, 2);
    });
});

describe("policy private-encrypted-tls-buckets", () => {
    it("catches a bare S3 bucket: no public access block, no encryption, plain HTTP accepted", async () => {
        const violations = await check("aws", () => void new aws.s3.Bucket("open", {}));
        assertCaught(violations, "private-encrypted-tls-buckets", /^bucket open has no public access block/);
        assertCaught(violations, "private-encrypted-tls-buckets", /^bucket open has no default encryption/);
        assertCaught(violations, "private-encrypted-tls-buckets", /^bucket open accepts plain HTTP/);
    });

    it("catches a public S3 bucket policy", async () => {
        const violations = await check("aws", () => {
            const bucket = new aws.s3.Bucket("site", {});
            new aws.s3.BucketPolicy("site-policy", {
                bucket: bucket.id,
                policy: bucket.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn}/*` }] })),
            });
        });
        assertCaught(violations, "private-encrypted-tls-buckets", /^bucket site is public: site-policy allows s3:GetObject to everyone/);
    });

    it("catches a public-read COS bucket without encryption or a TLS-only policy", async () => {
        const violations = await check("tencentcloud", () => void new CosBucket("files", { bucket: "files-1250000000", acl: "public-read" }));
        assertCaught(violations, "private-encrypted-tls-buckets", /^COS bucket files has the public-read ACL/);
        assertCaught(violations, "private-encrypted-tls-buckets", /^COS bucket files has no server-side encryption/);
        assertCaught(violations, "private-encrypted-tls-buckets", /^COS bucket files accepts plain HTTP/);
    });
});

describe("policy async-edges-retry-and-dead-letter", () => {
    it("catches an EventBridge target with neither dead-letter queue nor retry policy, and its Lambda with no on-failure destination", async () => {
        const violations = await check("aws", () => {
            const fn = rawLambda("worker");
            const rule = new aws.cloudwatch.EventRule("on-order", { eventPattern: JSON.stringify({ "detail-type": ["OrderPlaced"] }) });
            new aws.cloudwatch.EventTarget("on-order-target", { rule: rule.name, arn: fn.arn });
        });
        assertCaught(violations, "async-edges-retry-and-dead-letter", /^EventBridge target on-order-target has no dead-letter queue/);
        assertCaught(violations, "async-edges-retry-and-dead-letter", /^EventBridge target on-order-target has no explicit retry policy/);
        assertCaught(violations, "async-edges-retry-and-dead-letter", /^Lambda worker is invoked asynchronously \(EventBridge target on-order-target\) but failed events go nowhere/);
        assertCaught(violations, "async-edges-retry-and-dead-letter", /^Lambda worker is invoked asynchronously \(EventBridge target on-order-target\) without explicit retries/);
    });

    it("passes an AsyncTask (retries, dead-letter queue) on AWS and Tencent Cloud", async () => {
        for (const cloud of ["aws", "tencentcloud"] as const) {
            const violations = await check(cloud, () => void new AsyncTask("job", { handler: HANDLER, schedule: "rate(1 hour)" }));
            assert.deepEqual(messagesOf(violations, "async-edges-retry-and-dead-letter"), [], cloud);
        }
    });

    it("catches an SCF function behind a COS trigger with no retry settings and no dead-letter queue", async () => {
        const violations = await check("tencentcloud", () => {
            const fn = new ScfFunction("on-upload", { name: "on-upload", runtime: "Nodejs18.15", handler: "index.handler" });
            new ScfTrigger("on-upload-trigger", { functionName: "on-upload", namespace: "default", type: "cos", triggerDesc: "{}" }, { dependsOn: [fn] });
        });
        assertCaught(violations, "async-edges-retry-and-dead-letter", /^SCF function on-upload is invoked asynchronously \(cos trigger on-upload-trigger\) without explicit retries/);
        assertCaught(violations, "async-edges-retry-and-dead-letter", /^SCF function on-upload is invoked asynchronously \(cos trigger on-upload-trigger\) but has no dead-letter queue/);
    });
});

describe("policy log-retention", () => {
    it("catches a log group kept forever and a Lambda writing to a log group the stack does not declare", async () => {
        const violations = await check("aws", () => {
            new aws.cloudwatch.LogGroup("forever", { name: "/app/forever" });
            rawLambda("undeclared-logs", { name: "undeclared-logs" });
        });
        assertCaught(violations, "log-retention", /^log group \/app\/forever keeps logs forever/);
        assertCaught(violations, "log-retention", /^Lambda undeclared-logs logs to \/aws\/lambda\/undeclared-logs, which the stack does not declare/);
    });

    it("passes the Function component, whose log group has the stack's retention", async () => {
        const violations = await check("aws", () => void new Function("greet", { handler: HANDLER }));
        assert.deepEqual(messagesOf(violations, "log-retention"), []);
    });
});

describe("policy routes-authenticated", () => {
    it("catches an AWS route open to anyone that the program did not mark public", async () => {
        const violations = await check("aws", () => {
            const api = new aws.apigatewayv2.Api("raw", { protocolType: "HTTP" });
            const integration = new aws.apigatewayv2.Integration("raw-integration", { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: rawLambda("raw-fn").arn, description: "GET /admin -> raw-fn" });
            new aws.apigatewayv2.Route("raw-admin", { apiId: api.id, routeKey: "GET /admin", target: pulumi.interpolate`integrations/${integration.id}`, authorizationType: "NONE" });
        });
        assertCaught(violations, "routes-authenticated", /^route GET \/admin \(raw-admin\) is open to anyone \(authorizationType NONE\) and not marked public/);
    });

    it("passes BusinessApi routes: JWT at the gateway (AWS) or in the adapter (Tencent), public ones marked", async () => {
        for (const cloud of ["aws", "tencentcloud"] as const) {
            const violations = await check(cloud, () => void new BusinessApi("shop", { routes: { "GET /orders": { handler: HANDLER }, "GET /health": { handler: HANDLER, public: true } }, jwt: JWT }));
            assert.deepEqual(messagesOf(violations, "routes-authenticated"), [], cloud);
        }
    });

    it("catches a Tencent API whose function has no token settings and which is not marked public", async () => {
        const { ApiGatewayApi } = await import("../../components/tencentcloud/sdk");
        const violations = await check("tencentcloud", () => {
            const fn = new ScfFunction("admin", { name: "admin", runtime: "Nodejs18.15", handler: "index.handler" });
            new ApiGatewayApi("admin-api", { serviceId: "service-1", apiName: "admin", apiDesc: "GET /admin -> function admin", authType: "NONE", requestConfigPath: "/admin", requestConfigMethod: "GET", serviceConfigType: "SCF", serviceConfigScfFunctionName: fn.name });
        });
        assertCaught(violations, "routes-authenticated", /^API admin \(GET \/admin\) is open to anyone: authType NONE and its function has no token settings/);
    });
});

describe("policy cors-named-origins", () => {
    const anyOrigin = () => void new BusinessApi("shop", { routes: { "GET /hello": { handler: HANDLER, public: true } }, cors: { allowOrigins: ["*"] } });

    it("catches a BusinessApi allowing any origin on AWS (the API) and Tencent Cloud (the route's API)", async () => {
        assertCaught(await check("aws", anyOrigin), "cors-named-origins", /^shop \(aws:apigatewayv2\/api:Api\) allows CORS requests from any origin/);
        assertCaught(await check("tencentcloud", anyOrigin), "cors-named-origins", /^shop-get-hello-api \(tencentcloud:index\/apiGatewayApi:ApiGatewayApi\) allows CORS requests from any origin/);
    });

    it("lets a resource listed in allowAnyOrigin answer any origin, and named origins always", async () => {
        assert.deepEqual(messagesOf(await check("aws", anyOrigin, { policyConfig: { "cors-named-origins": { allowAnyOrigin: ["shop"] } } }), "cors-named-origins"), []);
        const named = () => void new BusinessApi("shop", { routes: { "GET /hello": { handler: HANDLER, public: true } }, cors: { allowOrigins: [ORIGIN] } });
        assert.deepEqual(messagesOf(await check("tencentcloud", named), "cors-named-origins"), []);
    });
});

describe("policy no-plaintext-secrets", () => {
    it("catches a password in a function's environment in plain text, and passes the same value as a Pulumi secret", async () => {
        const plain = await check("aws", () => void new Function("db", { handler: HANDLER, environment: { DB_PASSWORD: "correct-horse-battery" } }));
        assertCaught(plain, "no-plaintext-secrets", /^db: environment\.variables\.DB_PASSWORD is named like a secret but its value is plain text/);
        const secret = await check("aws", () => void new Function("db", { handler: HANDLER, environment: { DB_PASSWORD: pulumi.secret("correct-horse-battery") } }));
        assert.deepEqual(messagesOf(secret, "no-plaintext-secrets"), []);
    });

    it("catches a private key in any input", async () => {
        const pem = ["-----BEGIN PRIVATE KEY-----", "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg", "-----END PRIVATE KEY-----"].join("\n");
        const violations = await check("aws", () => void new aws.s3.BucketObjectv2("key.pem", { bucket: "b", key: "key.pem", content: pem }));
        assertCaught(violations, "no-plaintext-secrets", /^key\.pem: content holds a private key in plain text/);
    });

    it("under the CLI, where secrets arrive decrypted and unmarked, flags credential shapes only", async () => {
        // As @pulumi/policy hands props to a rule: no SECRET_PATHS, so names alone prove nothing.
        const resource: RecordedResource = {
            urn: "urn:pulumi:prod::app::aws:lambda/function:Function::fn", type: "aws:lambda/function:Function", name: "fn", custom: true, protect: false, parent: null, dependsOn: [],
            inputs: { environment: { variables: { DB_PASSWORD: "correct-horse-battery", KEY_ID: "AKIAABCDEFGHIJKLMNOP" } } },
            state: { environment: { variables: { DB_PASSWORD: "correct-horse-battery", KEY_ID: "AKIAABCDEFGHIJKLMNOP" } } },
        };
        const { noPlaintextSecrets } = await import("../../policy/rules/secrets");
        const reported: string[] = [];
        const validate = noPlaintextSecrets.validateResource as ResourceValidation;
        const args = { type: resource.type, props: resource.state, urn: resource.urn, name: resource.name, opts: { protect: false }, getConfig: () => ({}) };
        await validate(args as unknown as ResourceValidationArgs, (m: string) => reported.push(m));
        assert.equal(reported.length, 1, reported.join("\n"));
        assert.match(reported[0], /^fn: environment\.variables\.KEY_ID holds an AWS access key id in plain text/);
    });
});

describe("policy stateful-protected-in-production", () => {
    const production = { policyConfig: { "stateful-protected-in-production": { protectedStacks: ["test"] } } };

    it("catches an unprotected table in a production stack, and passes it with serverless-blocks:protect", async () => {
        const table = () => void new Table("orders", { partitionKey: "userId" });
        assertCaught(await check("aws", table, production), "stateful-protected-in-production", /^orders \(aws:dynamodb\/table:Table\) holds data but is not protected in stack test/);
        assert.deepEqual(messagesOf(await check("aws", table, { ...production, config: { "serverless-blocks:protect": "true" } }), "stateful-protected-in-production"), []);
    });

    it("leaves stacks that are not production alone", async () => {
        assert.deepEqual(messagesOf(await check("aws", () => void new aws.dynamodb.Table("t", { hashKey: "pk", attributes: [{ name: "pk", type: "S" }] })), "stateful-protected-in-production"), []);
    });
});

describe("policy supported-runtimes", () => {
    it("catches a Lambda on nodejs18.x and an SCF function on Nodejs16.13", async () => {
        assertCaught(await check("aws", () => void rawLambda("old", { runtime: "nodejs18.x" })), "supported-runtimes", /^function old runs on 'nodejs18\.x', which is not supported/);
        assertCaught(await check("tencentcloud", () => void new ScfFunction("old", { name: "old", runtime: "Nodejs16.13", handler: "index.handler" })), "supported-runtimes", /^function old runs on 'Nodejs16\.13', which is not supported/);
    });

    it("passes the Function component on both clouds", async () => {
        for (const cloud of ["aws", "tencentcloud"] as const) {
            assert.deepEqual(messagesOf(await check(cloud, () => void new Function("greet", { handler: HANDLER })), "supported-runtimes"), [], cloud);
        }
    });
});

describe("policy dead-letter-queues-alarmed", () => {
    it("catches a dead-letter queue with no alarm, and an alarm that notifies nobody", async () => {
        const violations = await check("aws", () => {
            const fn = rawLambda("worker");
            const silent = new aws.sqs.Queue("silent-dlq", {});
            const muted = new aws.sqs.Queue("muted-dlq", {});
            const heard = new aws.sqs.Queue("heard-dlq", {});
            const rule = new aws.cloudwatch.EventRule("r", { eventPattern: "{}" });
            new aws.cloudwatch.EventTarget("t1", { rule: rule.name, arn: fn.arn, deadLetterConfig: { arn: silent.arn } });
            new aws.cloudwatch.EventTarget("t2", { rule: rule.name, arn: fn.arn, deadLetterConfig: { arn: muted.arn } });
            new aws.cloudwatch.EventTarget("t3", { rule: rule.name, arn: fn.arn, deadLetterConfig: { arn: heard.arn } });
            const alarm = (name: string, queue: aws.sqs.Queue, alarmActions: pulumi.Input<string>[]) => new aws.cloudwatch.MetricAlarm(name, {
                namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: queue.name },
                comparisonOperator: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 1, period: 60, statistic: "Maximum", alarmActions,
            });
            alarm("muted-alarm", muted, []);
            alarm("heard-alarm", heard, [new aws.sns.Topic("on-call").arn]);
        });
        assertCaught(violations, "dead-letter-queues-alarmed", /^dead-letter queue silent-dlq has no alarm/);
        assertCaught(violations, "dead-letter-queues-alarmed", /^alarm muted-alarm on dead-letter queue muted-dlq notifies nobody/);
        assert.equal(messagesOf(violations, "dead-letter-queues-alarmed").length, 2, "the alarm with an action passes");
    });

    it("catches an AsyncTask's dead-letter queue without an alarm on Tencent Cloud", async () => {
        const violations = await check("tencentcloud", () => void new AsyncTask("job", { handler: HANDLER, schedule: "rate(1 hour)" }));
        assertCaught(violations, "dead-letter-queues-alarmed", /^dead-letter queue job-dlq \(test-job-dlq\) has no alarm/);
    });
});
