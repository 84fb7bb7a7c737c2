// Releases on AWS (issue 16), through the engine on the prod stack's config: every Lambda
// publishes a version and has a `live` alias; every caller (API integrations and authorizer,
// EventBridge targets, S3 notifications, the state machine, permissions, invoke configs, linked
// functions) names the alias; a canary from `serverless-blocks:canary` splits the alias between
// the previous and the new version; a pin from `serverless-blocks:pinnedVersions` holds it;
// provisioned concurrency sits on the alias; X-Ray traces functions and the state machine; and
// each alarm (function errors and throttles, API 5xx rate and latency, workflow failures and
// time-outs) exists only with an Alarms, telling its topic.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Alarms, AsyncTask, BusinessApi, EventHub, FileUpload, Function, PaymentWorkflow, Realtime } from "../../components";
import { aliasRouting } from "../../components/aws/function-alias";
import { API_5XX_RATE_THRESHOLD, API_P95_LATENCY_MS } from "../../components/aws/api-alarms";
import { readStackConfig } from "../../engine/stack-config";
import { awsRealisers } from "../../engine/outputs/aws";
import { evaluate, evaluateFailing, json, type Evaluated } from "../harness";
import { SHOP_DIR } from "../../bin/shop";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const FIXTURES = "test/fixtures/functions";
const JWT = { issuer: "https://auth.example.com", audience: ["shop-web"] };
const T = {
    lambda: "aws:lambda/function:Function",
    alias: "aws:lambda/alias:Alias",
    provisioned: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    permission: "aws:lambda/permission:Permission",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    integration: "aws:apigatewayv2/integration:Integration",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    api: "aws:apigatewayv2/api:Api",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    notification: "aws:s3/bucketNotification:BucketNotification",
    machine: "aws:sfn/stateMachine:StateMachine",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
};

/** The prod stack's config (Pulumi.prod.yaml, AWS), with `overrides` set on top. */
const prod = (overrides: Record<string, string> = {}) => readStackConfig(SHOP_DIR, "prod", overrides).config;

/** One of every component that invokes functions, and a Function linked to another; all told of alarms when `withAlarms`. */
function app(withAlarms: boolean) {
    return () => {
        const target = withAlarms ? new Alarms("ops", { email: "oncall@shop.example.com" }).target : undefined;
        const hub = new EventHub("orders", {});
        const greet = new Function("greet", { handler: HANDLER, provisionedConcurrency: 2, alarms: target });
        new Function("caller", { handler: HANDLER, link: [greet.link], alarms: target });
        new BusinessApi("shop", { routes: { "GET /users/{id}": { handler: HANDLER } }, jwt: JWT, alarms: target });
        new AsyncTask("ship", { handler: HANDLER, subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["OrderPlaced"] }) }, schedule: "rate(1 hour)", alarms: target });
        new FileUpload("attachments", { jwt: JWT, allowedTypes: ["image/png"], onUploaded: { handler: HANDLER }, alarms: target });
        new Realtime("live", { jwt: JWT, alarms: target });
        new PaymentWorkflow("checkout", {
            request: { handler: `${FIXTURES}/payment-request.handler` },
            notify: { handler: `${FIXTURES}/payment-notify.handler` },
            callbackSecret: "whsec-0123456789abcdef",
            alarms: target,
        });
    };
}

/** The alias of the Lambda a Function component named `name` made. */
const aliasOf = (stack: Evaluated, name: string) => stack.one(T.alias, `${name}-alias`);
const lambdaNames = (stack: Evaluated) => stack.ofType(T.lambda).map((fn) => fn.name);

/** Runs `body` with the engine answering that every published Lambda is at `version` (a function deployed before). */
async function atVersion<R>(version: string, body: () => Promise<R>): Promise<R> {
    const original = awsRealisers[T.lambda];
    awsRealisers[T.lambda] = (f) => {
        const out = original(f);
        return { ...out, state: { ...out.state, version, qualifiedArn: `${out.state.arn}:${version}` } };
    };
    try {
        return await body();
    } finally {
        awsRealisers[T.lambda] = original;
    }
}

describe("Releases on AWS", () => {
    let stack: Evaluated;
    before(async () => {
        stack = await evaluate("aws", app(true), prod());
    });

    it("publishes a version of every Lambda and points its live alias at it", () => {
        const lambdas = stack.ofType(T.lambda);
        assert.ok(lambdas.length >= 10, `${lambdas.length} functions`);
        for (const fn of lambdas) {
            assert.equal(fn.inputs.publish, true, fn.name);
            const alias = aliasOf(stack, fn.name);
            assert.equal(alias.inputs.name, "live", fn.name);
            assert.equal(alias.inputs.functionName, fn.state.name, fn.name);
            assert.equal(alias.inputs.functionVersion, fn.state.version, fn.name);
            assert.equal(fn.state.version, "1", "the engine's first published version");
            assert.equal(alias.inputs.routingConfig, undefined, `${fn.name}: no canary, no weights`);
            assert.equal(alias.state.arn, `${fn.state.arn}:live`);
        }
        assert.equal(stack.ofType(T.alias).length, lambdas.length);
    });

    it("hands out the alias as the Function's alias and aliasId", async () => {
        const outputs = await evaluate("aws", () => {
            const greet = new Function("greet", { handler: HANDLER });
            return { alias: greet.alias, aliasId: greet.aliasId };
        }, prod());
        const fn = outputs.one(T.lambda, "greet");
        assert.deepEqual(outputs.outputs, { alias: "live", aliasId: `${fn.state.arn}:live` });
    });

    it("integrates API routes, WebSocket routes and the authorizer with the alias, and lets API Gateway invoke only it", () => {
        for (const name of ["shop-get-users-id"]) {
            assert.equal(stack.one(T.integration, `${name}-integration`).inputs.integrationUri, aliasOf(stack, name).state.arn, name);
        }
        for (const name of ["live-connect", "live-disconnect", "live-default"]) {
            assert.equal(stack.one(T.integration, `${name}-integration`).inputs.integrationUri, aliasOf(stack, name).state.invokeArn, name);
        }
        assert.equal(stack.one(T.authorizer, "live-authorizer").inputs.authorizerUri, aliasOf(stack, "live-authorizer").state.invokeArn);
        for (const name of ["shop-get-users-id", "live-connect", "live-disconnect", "live-default", "live-authorizer", "checkout-callback-post-payments-callback", "attachments-api-post-uploads"]) {
            const permission = stack.one(T.permission, `${name}-permission`);
            assert.equal(permission.inputs.function, stack.one(T.lambda, name).state.name, name);
            assert.equal(permission.inputs.qualifier, "live", name);
        }
    });

    it("leaves no Lambda permission, event invoke config or provisioned concurrency on the bare function", () => {
        const permissions = stack.ofType(T.permission);
        assert.ok(permissions.length >= 10, `${permissions.length} permissions`);
        for (const resource of [...permissions, ...stack.ofType(T.invokeConfig), ...stack.ofType(T.provisioned)]) {
            assert.equal(resource.inputs.qualifier, "live", `${resource.type} ${resource.name}`);
        }
    });

    it("targets EventBridge rules and S3 notifications at the alias, with the async retries on the alias", () => {
        const ship = aliasOf(stack, "ship");
        for (const name of ["ship-on-hub-target", "ship-on-schedule-target"]) {
            assert.equal(stack.one(T.target, name).inputs.arn, ship.state.arn, name);
        }
        assert.equal(stack.one(T.invokeConfig, "ship-invoke-config").inputs.qualifier, "live");
        const processor = aliasOf(stack, "attachments-processor");
        const notification = stack.one(T.notification, "attachments-notification");
        assert.deepEqual((notification.inputs.lambdaFunctions as any[]).map((f) => f.lambdaFunctionArn), [processor.state.arn]);
        assert.equal(stack.one(T.permission, "attachments-s3-permission").inputs.qualifier, "live");
        assert.equal(stack.one(T.invokeConfig, "attachments-processor-invoke-config").inputs.qualifier, "live");
    });

    it("runs the workflow's tasks through their aliases, its role invoking those and nothing else", () => {
        const definition = json(stack.one(T.machine, "checkout").inputs.definition);
        const resources = Object.values<any>(definition.States).map((s) => s.Resource).filter((r) => typeof r === "string");
        const aliases = ["record", "request", "status", "finish", "notify"].map((role) => aliasOf(stack, `checkout-${role}`).state.arn);
        assert.deepEqual([...new Set(resources)].sort(), [...aliases].sort());
        const invoke = json(stack.one(T.rolePolicy, "checkout-policy").inputs.policy).Statement.find((s: any) => s.Sid === "InvokeTasks");
        assert.deepEqual(invoke.Resource, [...aliases].sort());
    });

    it("lets a linked function invoke the alias only", () => {
        const statements = json(stack.one(T.rolePolicy, "caller-policy").inputs.policy).Statement;
        const invoke = statements.filter((s: any) => s.Action.includes("lambda:InvokeFunction"));
        assert.deepEqual(invoke, [{ Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [aliasOf(stack, "greet").state.arn] }]);
    });

    it("keeps provisioned concurrency on the alias of the function that asks, and on no other", () => {
        const config = stack.one(T.provisioned);
        assert.equal(config.name, "greet-provisioned-concurrency");
        assert.deepEqual([config.inputs.functionName, config.inputs.qualifier, config.inputs.provisionedConcurrentExecutions], [stack.one(T.lambda, "greet").state.name, "live", 2]);
    });

    it("traces every function (active X-Ray, its role may send traces) and the state machine", () => {
        for (const fn of stack.ofType(T.lambda)) {
            assert.deepEqual(fn.inputs.tracingConfig, { mode: "Active" }, fn.name);
            const statements = json(stack.one(T.rolePolicy, `${fn.name}-policy`).inputs.policy).Statement;
            assert.ok(statements.some((s: any) => s.Action.includes("xray:PutTraceSegments") && s.Action.includes("xray:PutTelemetryRecords") && s.Resource[0] === "*"), fn.name);
        }
        assert.deepEqual(stack.one(T.machine, "checkout").inputs.tracingConfiguration, { enabled: true });
        const trace = json(stack.one(T.rolePolicy, "checkout-policy").inputs.policy).Statement.find((s: any) => s.Sid === "Trace");
        assert.ok(trace.Action.includes("xray:PutTraceSegments"));
    });
});

describe("Release config on AWS", () => {
    it("splits a canary's share to the new version and the rest to the previous one", async () => {
        const inCanary = ["greet", "shop-get-users-id"];
        const stack = await atVersion("7", () => evaluate("aws", app(false), prod({ "serverless-blocks:canary": JSON.stringify({ percent: 10, functions: inCanary }) })));
        for (const name of inCanary) {
            const alias = aliasOf(stack, name);
            assert.equal(alias.inputs.functionVersion, "6", `${name}: the previous version keeps the rest`);
            assert.deepEqual(alias.inputs.routingConfig, { additionalVersionWeights: { 7: 0.1 } }, name);
        }
        // A function the canary does not name is not split between its last two versions: a deploy
        // that did not change it would otherwise send 90% of its traffic back to older code.
        for (const name of lambdaNames(stack).filter((n) => !inCanary.includes(n))) {
            assert.deepEqual([aliasOf(stack, name).inputs.functionVersion, aliasOf(stack, name).inputs.routingConfig], ["7", undefined], name);
        }
    });

    it("refuses a canary that names no functions, naming the key and the shape allowed", async () => {
        await assert.rejects(evaluate("aws", app(false), prod({ "serverless-blocks:canary": JSON.stringify({ percent: 10 }) })), /serverless-blocks:canary.*"functions"/s);
    });

    it("routes all traffic to the only version there is, canary or not", async () => {
        const stack = await evaluate("aws", app(false), prod({ "serverless-blocks:canary": JSON.stringify({ percent: 25, functions: ["greet"] }) }));
        const alias = aliasOf(stack, "greet");
        assert.equal(alias.inputs.functionVersion, "1");
        assert.equal(alias.inputs.routingConfig, undefined);
    });

    it("holds a pinned function's alias on the pin, without weights, while the others follow their newest version", async () => {
        const config = prod({ "serverless-blocks:canary": JSON.stringify({ percent: 10, functions: ["greet", "caller"] }), "serverless-blocks:pinnedVersions": JSON.stringify({ greet: "3" }) });
        const stack = await atVersion("7", () => evaluate("aws", app(false), config));
        const greet = aliasOf(stack, "greet");
        assert.equal(greet.inputs.functionVersion, "3");
        assert.equal(greet.inputs.routingConfig, undefined);
        assert.match(String(greet.inputs.description), /Pinned to version 3/);
        assert.deepEqual(aliasOf(stack, "caller").inputs.routingConfig, { additionalVersionWeights: { 7: 0.1 } }, "the canary goes on elsewhere");
        const promoted = await atVersion("7", () => evaluate("aws", app(false), prod()));
        assert.deepEqual([aliasOf(promoted, "caller").inputs.functionVersion, aliasOf(promoted, "caller").inputs.routingConfig], ["7", undefined], "the next deploy without the canary promotes");
    });

    it("refuses a pin beyond the newest published version", async () => {
        const { error } = await atVersion("4", () => evaluateFailing("aws", () => new Function("greet", { handler: HANDLER }), prod({ "serverless-blocks:pinnedVersions": JSON.stringify({ greet: "9" }) })));
        assert.match(error.message, /config serverless-blocks:pinnedVersions\.greet: '9' is not allowed; function greet has published versions 1 to 4/);
    });

    it("computes the alias routing from the version and the release", () => {
        const release = { alias: "live", canaryPercent: 0, pinnedVersion: undefined, provisionedConcurrency: 0 };
        assert.deepEqual(aliasRouting("f", "12", release), { functionVersion: "12" });
        assert.deepEqual(aliasRouting("f", "12", { ...release, canaryPercent: 5 }), { functionVersion: "11", additionalVersionWeights: { 12: 0.05 } });
        assert.deepEqual(aliasRouting("f", "2", { ...release, canaryPercent: 99 }), { functionVersion: "1", additionalVersionWeights: { 2: 0.99 } });
        assert.deepEqual(aliasRouting("f", "1", { ...release, canaryPercent: 5 }), { functionVersion: "1" });
        assert.deepEqual(aliasRouting("f", "12", { ...release, canaryPercent: 5, pinnedVersion: "2" }), { functionVersion: "2" });
    });
});

describe("Alarms of releases on AWS", () => {
    let stack: Evaluated;
    let topicArn: string;
    before(async () => {
        stack = await evaluate("aws", app(true), prod());
        topicArn = stack.one(T.topic, "ops-alarms").state.arn;
    });

    const tellsTheTopic = (alarm: { name: string; inputs: Record<string, unknown> }) => {
        assert.deepEqual(alarm.inputs.alarmActions, [topicArn], alarm.name);
        assert.deepEqual(alarm.inputs.okActions, [topicArn], alarm.name);
        assert.equal(alarm.inputs.treatMissingData, "notBreaching", alarm.name);
    };

    it("alarms on every function's errors and throttles of its live alias", () => {
        for (const fn of stack.ofType(T.lambda)) {
            for (const metric of ["Errors", "Throttles"]) {
                const alarm = stack.one(T.alarm, `${fn.name}-${metric.toLowerCase()}-alarm`);
                assert.deepEqual([alarm.inputs.namespace, alarm.inputs.metricName, alarm.inputs.statistic], ["AWS/Lambda", metric, "Sum"], alarm.name);
                assert.deepEqual(alarm.inputs.dimensions, { FunctionName: fn.state.name, Resource: `${fn.state.name}:live` }, alarm.name);
                assert.deepEqual([alarm.inputs.comparisonOperator, alarm.inputs.threshold], ["GreaterThanThreshold", 0], alarm.name);
                tellsTheTopic(alarm);
            }
        }
    });

    it("alarms on the API's share of 5xx answers and its p95 latency", () => {
        const apiId = stack.one(T.api, "shop").state.id;
        const rate = stack.one(T.alarm, "shop-5xx-alarm");
        const queries = rate.inputs.metricQueries as any[];
        assert.deepEqual(queries.map((q) => [q.id, q.metric?.metricName, q.metric?.stat, q.expression, q.returnData]), [
            ["errors", "5xx", "Sum", undefined, false],
            ["requests", "Count", "Sum", undefined, false],
            ["rate", undefined, undefined, "errors / requests", true],
        ]);
        for (const q of queries.slice(0, 2)) assert.deepEqual([q.metric.namespace, q.metric.dimensions], ["AWS/ApiGateway", { ApiId: apiId }]);
        assert.deepEqual([rate.inputs.comparisonOperator, rate.inputs.threshold], ["GreaterThanThreshold", API_5XX_RATE_THRESHOLD]);
        assert.equal(API_5XX_RATE_THRESHOLD, 0.05);
        tellsTheTopic(rate);

        const latency = stack.one(T.alarm, "shop-latency-alarm");
        assert.deepEqual([latency.inputs.namespace, latency.inputs.metricName, latency.inputs.extendedStatistic, latency.inputs.dimensions], ["AWS/ApiGateway", "Latency", "p95", { ApiId: apiId }]);
        assert.deepEqual([latency.inputs.comparisonOperator, latency.inputs.threshold], ["GreaterThanThreshold", API_P95_LATENCY_MS]);
        tellsTheTopic(latency);
    });

    it("alarms on the workflow's failed and timed-out executions", () => {
        const machine = stack.one(T.machine, "checkout");
        for (const [name, metric] of [["checkout-failed-alarm", "ExecutionsFailed"], ["checkout-timed-out-alarm", "ExecutionsTimedOut"]]) {
            const alarm = stack.one(T.alarm, name);
            assert.deepEqual([alarm.inputs.namespace, alarm.inputs.metricName, alarm.inputs.dimensions], ["AWS/States", metric, { StateMachineArn: machine.state.arn }]);
            assert.deepEqual([alarm.inputs.comparisonOperator, alarm.inputs.threshold], ["GreaterThanThreshold", 0]);
            tellsTheTopic(alarm);
        }
    });

    it("gives every alarm an action", () => {
        const alarms = stack.ofType(T.alarm);
        assert.ok(alarms.length > 2 * stack.ofType(T.lambda).length, `${alarms.length} alarms`);
        for (const alarm of alarms) assert.deepEqual(alarm.inputs.alarmActions, [topicArn], alarm.name);
    });

    it("makes none of them without an Alarms (only the dead-letter alarms, which always exist)", async () => {
        const quiet = await evaluate("aws", app(false), prod());
        assert.deepEqual(quiet.ofType(T.alarm).map((a) => a.inputs.namespace), ["AWS/SQS", "AWS/SQS"]);
    });
});
