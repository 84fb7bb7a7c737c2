// EventHub and AsyncTask on AWS: the bus, rules, targets, retries and dead-letter wiring, as the
// in-process engine registers them with realistic ARNs.
import * as assert from "node:assert/strict";
import { AsyncTask, EventHub, Function } from "../../components";
import { DELIVERY_RETRIES, DLQ_RETENTION_SECONDS } from "../../components/aws/async-task";
import { evaluate, evaluateFailing, type Evaluated, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const PATTERN = { "detail-type": ["OrderPlaced"], detail: { total: [{ numeric: [">", 100] }] } };

/** A hub, a publisher linked to it, and a task subscribed to it. */
function subscribed(archiveRetentionDays?: number) {
    const hub = new EventHub("orders", archiveRetentionDays === undefined ? {} : { archiveRetentionDays });
    new Function("checkout", { handler: HANDLER, link: [hub.link] });
    const task = new AsyncTask("ship", {
        handler: HANDLER,
        subscribe: { hub: hub.link, pattern: JSON.stringify(PATTERN) },
        retries: 1,
        maxEventAge: 3600,
    });
    return { deadLetterQueue: task.deadLetterQueue, resourceId: task.resourceId, functionName: task.functionName, busName: hub.busName };
}

/** The task's resources, by role. */
function taskParts(stack: Evaluated, task: string) {
    return {
        dlq: stack.one("aws:sqs/queue:Queue", `${task}-dlq`),
        fn: stack.one("aws:lambda/function:Function", task),
        policy: stack.one("aws:iam/rolePolicy:RolePolicy", `${task}-policy`),
        logGroup: stack.one("aws:cloudwatch/logGroup:LogGroup", `${task}-logs`),
        invokeConfig: stack.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", `${task}-invoke-config`),
        queuePolicy: stack.one("aws:sqs/queuePolicy:QueuePolicy", `${task}-dlq-policy`),
        alarm: stack.one("aws:cloudwatch/metricAlarm:MetricAlarm", `${task}-dlq-alarm`),
    };
}

describe("EventHub on AWS", () => {
    it("is a custom EventBridge bus with an archive kept for the days asked", async () => {
        const stack = await evaluate("aws", () => subscribed(90));
        const bus = stack.one("aws:cloudwatch/eventBus:EventBus", "orders");
        assert.equal(bus.parent, "orders");
        assert.match(bus.state.arn, /^arn:aws:events:us-east-1:123456789012:event-bus\/orders-[0-9a-f]{7}$/);
        const archive = stack.one("aws:cloudwatch/eventArchive:EventArchive", "orders-archive");
        assert.equal(archive.inputs.eventSourceArn, bus.state.arn);
        assert.equal(archive.inputs.retentionDays, 90);
        assert.equal(archive.parent, "orders");
        assert.equal(stack.outputs.busName, bus.state.name);
    });

    it("keeps 30 days by default and no archive at all for 0 (EventBridge would read 0 as forever)", async () => {
        const byDefault = await evaluate("aws", () => subscribed());
        assert.equal(byDefault.one("aws:cloudwatch/eventArchive:EventArchive").inputs.retentionDays, 30);
        const none = await evaluate("aws", () => subscribed(0));
        assert.deepEqual(none.ofType("aws:cloudwatch/eventArchive:EventArchive"), []);
        none.one("aws:cloudwatch/eventBus:EventBus");
    });

    it("lets a linked publisher put events on exactly its bus, and names the bus in its environment", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const bus = stack.one("aws:cloudwatch/eventBus:EventBus", "orders");
        const policy = json(stack.one("aws:iam/rolePolicy:RolePolicy", "checkout-policy").inputs.policy);
        assert.deepEqual(policy.Statement.slice(2), [{ Effect: "Allow", Action: ["events:PutEvents"], Resource: [bus.state.arn] }], "after its logs and traces");
        const env = (stack.one("aws:lambda/function:Function", "checkout").inputs.environment as any).variables;
        assert.equal(env.SB_HUB_ORDERS_NAME, bus.state.name);
    });
});

describe("AsyncTask on AWS", () => {
    it("listens on the hub's bus with the pattern, as an EventBridge rule", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const bus = stack.one("aws:cloudwatch/eventBus:EventBus", "orders");
        const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "ship-on-hub");
        assert.equal(rule.inputs.eventBusName, bus.state.name);
        assert.deepEqual(json(rule.inputs.eventPattern), PATTERN);
        assert.equal(rule.inputs.scheduleExpression, undefined);
        assert.equal(rule.parent, "ship");
        assert.equal(rule.state.arn, `arn:aws:events:us-east-1:123456789012:rule/${bus.state.name}/${rule.state.name}`);
    });

    it("targets the task's Lambda with a delivery retry policy and the dead-letter queue", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { dlq, fn, queuePolicy } = taskParts(stack, "ship");
        const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "ship-on-hub");
        const target = stack.one("aws:cloudwatch/eventTarget:EventTarget", "ship-on-hub-target");
        assert.equal(target.inputs.rule, rule.state.name);
        assert.equal(target.inputs.eventBusName, rule.inputs.eventBusName);
        assert.equal(target.inputs.arn, `${fn.state.arn}:live`, "the live alias");
        assert.deepEqual(target.inputs.retryPolicy, { maximumRetryAttempts: DELIVERY_RETRIES, maximumEventAgeInSeconds: 3600 });
        assert.deepEqual(target.inputs.deadLetterConfig, { arn: dlq.state.arn });
        assert.equal(target.inputs.input, undefined, "the whole EventBridge event reaches the adapter");
        // Registered only once Lambda lets EventBridge invoke it and the DLQ lets EventBridge write.
        assert.ok(target.dependsOn.includes("ship-on-hub-permission"), `dependsOn: ${target.dependsOn}`);
        assert.ok(target.dependsOn.includes(queuePolicy.name), `dependsOn: ${target.dependsOn}`);
    });

    it("lets only EventBridge invoke the task, and only from its rule", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { fn } = taskParts(stack, "ship");
        const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "ship-on-hub");
        const permission = stack.one("aws:lambda/permission:Permission", "ship-on-hub-permission");
        assert.equal(permission.inputs.principal, "events.amazonaws.com");
        assert.equal(permission.inputs.action, "lambda:InvokeFunction");
        assert.equal(permission.inputs.sourceArn, rule.state.arn);
        assert.equal(permission.inputs.function, fn.state.name);
    });

    it("retries execution as asked, then sends the invocation record to the dead-letter queue", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { dlq, fn, invokeConfig } = taskParts(stack, "ship");
        assert.equal(invokeConfig.inputs.functionName, fn.state.name);
        assert.equal(invokeConfig.inputs.maximumRetryAttempts, 1);
        assert.equal(invokeConfig.inputs.maximumEventAgeInSeconds, 3600);
        assert.deepEqual(invokeConfig.inputs.destinationConfig, { onFailure: { destination: dlq.state.arn } });
    });

    it("defaults to 2 retries and 6 hours of event age", async () => {
        const stack = await evaluate("aws", () => {
            const hub = new EventHub("orders");
            new AsyncTask("ship", { handler: HANDLER, subscribe: { hub: hub.link, pattern: JSON.stringify(PATTERN) } });
        });
        const { invokeConfig } = taskParts(stack, "ship");
        assert.equal(invokeConfig.inputs.maximumRetryAttempts, 2);
        assert.equal(invokeConfig.inputs.maximumEventAgeInSeconds, 21600);
        assert.equal((stack.one("aws:cloudwatch/eventTarget:EventTarget").inputs.retryPolicy as any).maximumEventAgeInSeconds, 21600);
    });

    it("keeps dead letters encrypted for 14 days, in a queue only the task's rules and role can write to", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { dlq, queuePolicy } = taskParts(stack, "ship");
        const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "ship-on-hub");
        assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
        assert.equal(dlq.inputs.messageRetentionSeconds, DLQ_RETENTION_SECONDS);
        assert.equal(DLQ_RETENTION_SECONDS, 1209600);
        assert.equal(queuePolicy.inputs.queueUrl, dlq.state.url);
        assert.deepEqual(json(queuePolicy.inputs.policy).Statement, [
            {
                Sid: "EventBridgeDeliveryFailures",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: ["sqs:SendMessage"],
                Resource: [dlq.state.arn],
                Condition: { ArnEquals: { "aws:SourceArn": [rule.state.arn] } },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: ["sqs:*"],
                Resource: [dlq.state.arn],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ]);
    });

    it("grants the task's function sqs:SendMessage on exactly its dead-letter queue, for the on-failure destination", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { dlq, policy, logGroup, fn } = taskParts(stack, "ship");
        assert.deepEqual(json(policy.inputs.policy).Statement, [
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroup.state.arn}:*`] },
            { Effect: "Allow", Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: ["*"] },
            { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlq.state.arn] },
        ]);
        assert.equal(fn.parent, "ship", "the task's Function component is a child of the AsyncTask");
    });

    it("alarms as soon as one dead letter is visible", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { dlq, alarm } = taskParts(stack, "ship");
        assert.equal(alarm.inputs.namespace, "AWS/SQS");
        assert.equal(alarm.inputs.metricName, "ApproximateNumberOfMessagesVisible");
        assert.deepEqual(alarm.inputs.dimensions, { QueueName: dlq.state.name });
        assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(alarm.inputs.threshold, 0);
        assert.equal(alarm.inputs.period, 60);
        assert.equal(alarm.inputs.evaluationPeriods, 1);
        assert.equal(alarm.inputs.treatMissingData, "notBreaching");
        assert.match(alarm.state.arn, /^arn:aws:cloudwatch:us-east-1:123456789012:alarm:ship-dlq-alarm-/);
    });

    it("hands out the function's name and ARN and the dead-letter queue's URL", async () => {
        const stack = await evaluate("aws", () => subscribed());
        const { dlq, fn } = taskParts(stack, "ship");
        assert.equal(stack.outputs.deadLetterQueue, dlq.state.url);
        assert.match(stack.outputs.deadLetterQueue, /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/ship-dlq-[0-9a-f]{7}$/);
        assert.equal(stack.outputs.resourceId, fn.state.arn);
        assert.equal(stack.outputs.functionName, fn.state.name);
    });

    it("protects and retains the bus, its archive and the dead-letter queue when the stack protects", async () => {
        const stack = await evaluate("aws", () => subscribed(), { "serverless-blocks:protect": "true" });
        const stateful = ["orders", "orders-archive", "ship-dlq"];
        for (const r of stack.resources.filter((r) => r.custom)) {
            const expected = stateful.includes(r.name);
            assert.equal(r.protect, expected, `${r.type} ${r.name} protect`);
            assert.equal(r.retainOnDelete, expected, `${r.type} ${r.name} retainOnDelete`);
        }
        const unprotected = await evaluate("aws", () => subscribed());
        assert.ok(unprotected.resources.every((r) => !r.protect && !r.retainOnDelete));
    });

    it("runs on a schedule from a rule on the default bus, with the same target wiring", async () => {
        const stack = await evaluate("aws", () => new AsyncTask("nightly", { handler: HANDLER, schedule: "cron(0 3 * * ? *)", maxEventAge: 600 }));
        const { dlq, fn, queuePolicy } = taskParts(stack, "nightly");
        const rule = stack.one("aws:cloudwatch/eventRule:EventRule", "nightly-on-schedule");
        assert.equal(rule.inputs.scheduleExpression, "cron(0 3 * * ? *)");
        assert.equal(rule.inputs.eventBusName, undefined, "schedules run on the default bus");
        assert.equal(rule.inputs.eventPattern, undefined);
        assert.match(rule.state.arn, /^arn:aws:events:us-east-1:123456789012:rule\/nightly-on-schedule-[0-9a-f]{7}$/);
        const target = stack.one("aws:cloudwatch/eventTarget:EventTarget", "nightly-on-schedule-target");
        assert.equal(target.inputs.eventBusName, undefined);
        assert.equal(target.inputs.arn, `${fn.state.arn}:live`);
        assert.deepEqual(target.inputs.retryPolicy, { maximumRetryAttempts: DELIVERY_RETRIES, maximumEventAgeInSeconds: 600 });
        assert.deepEqual(target.inputs.deadLetterConfig, { arn: dlq.state.arn });
        assert.equal(stack.one("aws:lambda/permission:Permission").inputs.sourceArn, rule.state.arn);
        assert.deepEqual(json(queuePolicy.inputs.policy).Statement[0].Condition, { ArnEquals: { "aws:SourceArn": [rule.state.arn] } });
        assert.deepEqual(stack.ofType("aws:cloudwatch/eventBus:EventBus"), []);
    });

    it("takes a hub and a schedule at once: two rules, each with its own target and permission, both in the queue policy", async () => {
        const stack = await evaluate("aws", () => {
            const hub = new EventHub("orders");
            new AsyncTask("ship", { handler: HANDLER, subscribe: { hub: hub.link, pattern: JSON.stringify(PATTERN) }, schedule: "rate(1 hour)" });
        });
        const { queuePolicy, fn } = taskParts(stack, "ship");
        const rules = ["ship-on-hub", "ship-on-schedule"].map((name) => stack.one("aws:cloudwatch/eventRule:EventRule", name));
        assert.deepEqual(json(queuePolicy.inputs.policy).Statement[0].Condition, { ArnEquals: { "aws:SourceArn": rules.map((r) => r.state.arn) } });
        for (const rule of rules) {
            assert.equal(stack.one("aws:lambda/permission:Permission", `${rule.name}-permission`).inputs.sourceArn, rule.state.arn);
            const target = stack.one("aws:cloudwatch/eventTarget:EventTarget", `${rule.name}-target`);
            assert.deepEqual([target.inputs.rule, target.inputs.arn], [rule.state.name, `${fn.state.arn}:live`]);
        }
        assert.equal(stack.ofType("aws:lambda/permission:Permission").length, 2);
        assert.equal(stack.ofType("aws:lambda/function:Function").length, 1);
        assert.equal(stack.ofType("aws:sqs/queue:Queue").length, 1);
    });

    it("refuses a link that is not a hub's as the subscription's hub", async () => {
        const { error } = await evaluateFailing("aws", () => {
            const fn = new Function("other", { handler: HANDLER });
            new AsyncTask("ship", { handler: HANDLER, subscribe: { hub: fn.link, pattern: JSON.stringify(PATTERN) } });
        });
        assert.match(error.message, /config AsyncTask 'ship' subscribe\.hub: 'function 'other'' is not allowed; expected an EventHub's link \(hub\.link\)/);
    });

    it("registers nothing when a retry value is out of range", async () => {
        const { error, registered } = await evaluateFailing("aws", () => {
            new AsyncTask("ship", { handler: HANDLER, schedule: "rate(5 minutes)", retries: 3 });
        });
        assert.match(error.message, /AsyncTask 'ship' retries: '3' is not allowed; expected a whole number from 0 to 2/);
        assert.deepEqual(registered.filter((r) => r.custom), []);
    });
});
