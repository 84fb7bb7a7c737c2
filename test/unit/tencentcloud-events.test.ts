// EventHub and AsyncTask on Tencent Cloud: the EB bus, rule and SCF target, SCF's retry settings,
// the CMQ dead-letter queue and the CAM grants, as the in-process engine registers them with
// realistic Tencent ids; and the pattern and schedule translations they depend on.
import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { AsyncTask, EventHub, Function } from "../../components";
import type { EventPattern } from "../../components/events/pattern";
import { parseSchedule } from "../../components/events/schedule";
import type { Link } from "../../components";
import { DLQ_SETTINGS, hubBusId } from "../../components/tencentcloud/async-task";
import { toTencentPattern } from "../../components/tencentcloud/events-pattern";
import { scfTimerCron } from "../../components/tencentcloud/timer-cron";
import { evaluate, evaluateFailing, type Evaluated, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const UIN = "100000000001";
const PATTERN = { "detail-type": ["OrderPlaced"], source: [{ prefix: "app." }], detail: { sku: [{ "anything-but": "GIFT" }] } };
const T = {
    bus: "tencentcloud:index/ebEventBus:EbEventBus",
    rule: "tencentcloud:index/ebEventRule:EbEventRule",
    target: "tencentcloud:index/ebEventTarget:EbEventTarget",
    invokeConfig: "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig",
    trigger: "tencentcloud:index/scfTrigger:ScfTrigger",
    queue: "tencentcloud:index/tcmqQueue:TcmqQueue",
    fn: "tencentcloud:index/scfFunction:ScfFunction",
    policy: "tencentcloud:index/camPolicy:CamPolicy",
};

/** A hub, a publisher linked to it, and a task subscribed to it. */
function subscribed(pattern: unknown = PATTERN) {
    const hub = new EventHub("orders");
    new Function("checkout", { handler: HANDLER, link: [hub.link] });
    const task = new AsyncTask("ship", {
        handler: HANDLER,
        subscribe: { hub: hub.link, pattern: JSON.stringify(pattern) },
        retries: 1,
        maxEventAge: 3600,
    });
    return { deadLetterQueue: task.deadLetterQueue, resourceId: task.resourceId, functionName: task.functionName, busName: hub.busName, hubId: hub.resourceId };
}

/** A hub's link as plain data: a refused program then leaves no other resource half-registered. */
const HUB_LINK: Link = { type: "hub", name: "orders", environment: {}, permissions: [], resources: { busName: "orders", busId: "eb-0a1b2c3d" } };

function subscribedTo(pattern: unknown) {
    return () => new AsyncTask("ship", { handler: HANDLER, subscribe: { hub: HUB_LINK, pattern: JSON.stringify(pattern) } });
}

function scheduled(schedule: string) {
    return () => new AsyncTask("report", { handler: HANDLER, schedule });
}

function taskParts(stack: Evaluated, task: string) {
    return {
        queue: stack.one(T.queue, `${task}-dlq`),
        fn: stack.one(T.fn, task),
        policy: stack.one(T.policy, `${task}-policy`),
        invokeConfig: stack.one(T.invokeConfig, `${task}-invoke-config`),
    };
}

describe("EventHub on Tencent Cloud", () => {
    it("is an EB event bus named after the component, with a qcs:: resource id", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const bus = stack.one(T.bus, "orders");
        assert.equal(bus.parent, "orders");
        assert.equal(bus.inputs.eventBusName, "test-orders", "named after the stack and the component");
        assert.match(bus.state.id, /^eb-[0-9a-f]{8}$/);
        assert.equal(stack.outputs.busName, "test-orders");
        assert.equal(stack.outputs.hubId, `qcs::eb:ap-guangzhou:uin/${UIN}:eventbusid/${bus.state.id}`);
        assert.ok(bus.packageRef, "registered against the parameterized tencentcloud package");
        assert.equal(bus.protect, false);
    });

    it("lets a linked publisher put events on exactly its bus, and puts the bus id in its environment", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const bus = stack.one(T.bus, "orders");
        assert.deepEqual(json(stack.one(T.policy, "checkout-policy").inputs.document), {
            version: "2.0",
            statement: [{ effect: "allow", action: ["eb:PutEvents"], resource: [`qcs::eb:ap-guangzhou:uin/${UIN}:eventbusid/${bus.state.id}`] }],
        });
        const checkout = stack.one(T.fn, "checkout");
        assert.equal((checkout.inputs.environment as Record<string, string>).SB_HUB_ORDERS_NAME, bus.state.id);
    });

    it("protects and retains the bus when the stack protects", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed(), { "serverless-blocks:protect": "true" });
        const bus = stack.one(T.bus, "orders");
        assert.equal(bus.protect, true);
        assert.equal(bus.retainOnDelete, true);
    });

    it("refuses a name EB cannot take, naming the rule, before the hub registers", async () => {
        const { error, registered } = await evaluateFailing("tencentcloud", () => new EventHub("orders.v2"));
        assert.match(error.message, /EventHub 'orders.v2' name: 'test-orders.v2' is not allowed; Tencent EB names take 2-60 letters/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "not even the component");
    });
});

describe("AsyncTask on Tencent Cloud", () => {
    it("puts a rule with the translated pattern on the hub's bus", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const bus = stack.one(T.bus, "orders");
        const rule = stack.one(T.rule, "ship-on-hub");
        assert.equal(rule.parent, "ship");
        assert.equal(rule.inputs.eventBusId, bus.state.id);
        assert.equal(rule.inputs.ruleName, "ship");
        assert.equal(rule.inputs.enable, true);
        assert.deepEqual(json(rule.inputs.eventPattern), { type: ["OrderPlaced"], source: [{ prefix: "app." }], data: { sku: [{ "anything-but": "GIFT" }] } });
        assert.match(rule.state.ruleId, /^rule-[0-9a-f]{8}$/);
    });

    it("targets the task's function from that rule, one event per invocation, after the retry settings", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const { fn } = taskParts(stack, "ship");
        const bus = stack.one(T.bus, "orders");
        const rule = stack.one(T.rule, "ship-on-hub");
        const target = stack.one(T.target, "ship-on-hub-target");
        assert.equal(target.inputs.type, "scf");
        assert.equal(target.inputs.eventBusId, bus.state.id);
        assert.equal(target.inputs.ruleId, rule.state.ruleId);
        assert.deepEqual(target.inputs.targetDescription, {
            resourceDescription: `qcs::scf:ap-guangzhou:uin/${UIN}:namespace/default/function/${fn.state.name}/live`,
            scfParams: { enableBatchDelivery: false },
        });
        assert.equal(target.inputs.enableBatchDelivery, false);
        assert.ok(target.dependsOn.includes("ship-invoke-config"), `target depends on ${target.dependsOn.join(", ")}`);
        assert.equal(target.state.id, `${bus.state.id}#${rule.state.ruleId}#${target.state.id.split("#")[2]}`);
    });

    it("sets SCF's asynchronous retries and message age from the task", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const { fn, invokeConfig } = taskParts(stack, "ship");
        assert.equal(invokeConfig.inputs.functionName, fn.state.name);
        assert.equal(invokeConfig.inputs.namespace, "default");
        assert.deepEqual(invokeConfig.inputs.asyncTriggerConfig, { retryConfigs: [{ retryNum: 1 }], msgTtl: 3600 });
    });

    it("keeps dead letters in a CMQ queue named after the task, for CMQ's longest retention and 15 days of rewind", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const { queue } = taskParts(stack, "ship");
        assert.equal(queue.parent, "ship");
        assert.deepEqual(queue.inputs, { queueName: "test-ship-dlq", ...DLQ_SETTINGS });
        assert.equal(DLQ_SETTINGS.msgRetentionSeconds, 43200);
        assert.equal(stack.outputs.deadLetterQueue, "test-ship-dlq");
        assert.equal(queue.state.id, "test-ship-dlq");
        assert.equal(queue.protect, false);
    });

    it("lets the task's function send to exactly its own queue, and tells its adapter where and how often", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const { fn, policy } = taskParts(stack, "ship");
        assert.deepEqual(json(policy.inputs.document), {
            version: "2.0",
            statement: [{
                effect: "allow",
                action: ["tdmq:SendCmqMsg"],
                resource: [`qcs::tdmq:ap-guangzhou:uin/${UIN}:cmqqueue/test-ship-dlq`, `qcs::tdmq:ap-guangzhou:uin/${UIN}:queue/test-ship-dlq`],
            }],
        });
        assert.deepEqual(fn.inputs.environment, {
            NODE_OPTIONS: "--enable-source-maps",
            SB_EVENT_SOURCE: "ship",
            SB_DEAD_LETTER_QUEUE: "test-ship-dlq",
            SB_DEAD_LETTER_REGION: "ap-guangzhou",
            SB_RETRIES: "1",
            SB_MAX_EVENT_AGE: "3600",
        });
    });

    it("keeps the task's own links beside its dead-letter grant", async () => {
        const stack = await evaluate("tencentcloud", () => {
            const hub = new EventHub("orders");
            new AsyncTask("ship", { handler: HANDLER, subscribe: { hub: hub.link, pattern: JSON.stringify(PATTERN) }, link: [hub.link] });
        });
        const actions = json(stack.one(T.policy, "ship-policy").inputs.document).statement.map((s: { action: string[] }) => s.action);
        assert.deepEqual(actions, [["eb:PutEvents"], ["tdmq:SendCmqMsg"]]);
    });

    it("hands out the function's name and qcs:: id and the queue's name", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed());
        const { fn } = taskParts(stack, "ship");
        assert.equal(stack.outputs.functionName, fn.state.name);
        assert.equal(stack.outputs.resourceId, `qcs::scf:ap-guangzhou:uin/${UIN}:namespace/default/function/${fn.state.name}`);
    });

    it("protects and retains the dead-letter queue when the stack protects", async () => {
        const stack = await evaluate("tencentcloud", () => subscribed(), { "serverless-blocks:protect": "true" });
        const { queue } = taskParts(stack, "ship");
        assert.equal(queue.protect, true);
        assert.equal(queue.retainOnDelete, true);
        assert.equal(stack.one(T.rule).protect, false, "routing is not state");
    });

    it("runs a schedule from an SCF timer trigger with the 7-field cron, after the retry settings", async () => {
        const stack = await evaluate("tencentcloud", scheduled("cron(0 8 ? * MON-FRI *)"));
        const { fn } = taskParts(stack, "report");
        const trigger = stack.one(T.trigger, "report-schedule");
        assert.equal(trigger.inputs.type, "timer");
        assert.equal(trigger.inputs.functionName, fn.state.name);
        assert.equal(trigger.inputs.namespace, "default");
        assert.equal(trigger.inputs.triggerName, "report-schedule");
        assert.equal(trigger.inputs.triggerDesc, "0 0 8 ? * MON-FRI *");
        assert.equal(trigger.inputs.enable, "OPEN");
        assert.ok(trigger.dependsOn.includes("report-invoke-config"));
        assert.deepEqual(stack.ofType(T.rule), [], "a schedule needs no EB rule");
        taskParts(stack, "report"); // and still its queue, function and retry settings
    });

    const refusals: [string, () => unknown, RegExp][] = [
        ["a numeric condition", subscribedTo({ detail: { total: [{ numeric: [">", 100] }] } }), /subscribe\.pattern: .*detail\.total: the 'numeric' operator is not supported by Tencent EB/],
        ["an exists condition", subscribedTo({ detail: { coupon: [{ exists: true }] } }), /detail\.coupon: the 'exists' operator is not supported by Tencent EB/],
        ["$or", subscribedTo({ $or: [{ source: ["a"] }, { source: ["b"] }] }), /\$or: \$or is not supported by Tencent EB/],
        ["a rate SCF cannot keep", scheduled("rate(7 minutes)"), /AsyncTask 'report' schedule: 'rate\(7 minutes\)' is not allowed; an SCF timer runs on clock boundaries/],
        ["a year SCF timers lack", scheduled("cron(0 8 1 * ? 2150)"), /SCF timers accept years 1970-2099; 2150 is beyond that/],
    ];
    for (const [what, program, message] of refusals) {
        it(`refuses ${what} at plan time, before the task registers`, async () => {
            const { error, registered } = await evaluateFailing("tencentcloud", program);
            assert.match(error.message, message);
            assert.deepEqual(registered.filter((r) => r.type === "serverless-blocks:index:AsyncTask" || r.type === T.queue || r.type === T.fn), []);
        });
    }

    it("refuses a subscription to something that is not a hub", () => {
        // Checked inside an apply (the link is an Output), so tested directly: the engine reports
        // an error thrown there only when it surfaces before the program's end.
        const fn: pulumi.Unwrap<Link> = { type: "function", name: "other", environment: {}, permissions: [] };
        assert.throws(() => hubBusId("AsyncTask 'ship'", fn), /config AsyncTask 'ship' subscribe\.hub: 'function 'other'' is not allowed; expected an EventHub's link/);
        assert.equal(hubBusId("AsyncTask 'ship'", HUB_LINK as pulumi.Unwrap<Link>), "eb-0a1b2c3d");
    });
});

describe("EventBridge patterns as Tencent EB patterns", () => {
    const where = "AsyncTask 't' subscribe.pattern";
    const translated: [string, EventPattern, Record<string, unknown>][] = [
        ["exact values of every JSON kind", { source: ["a", "b"], detail: { n: [1], ok: [true], gone: [null] } }, { source: ["a", "b"], data: { n: [1], ok: [true], gone: [null] } }],
        ["detail-type as type, detail as data, id as id", { "detail-type": ["X"], id: ["e-1"], detail: { a: { b: ["c"] } } }, { type: ["X"], id: ["e-1"], data: { a: { b: ["c"] } } }],
        ["prefix and suffix", { source: [{ prefix: "app." }], detail: { file: [{ suffix: ".png" }] } }, { source: [{ prefix: "app." }], data: { file: [{ suffix: ".png" }] } }],
        ["anything-but of a value, a one-item list, a prefix and a suffix", { detail: { a: [{ "anything-but": "x" }], b: [{ "anything-but": [3] }], c: [{ "anything-but": { prefix: "init" } }], d: [{ "anything-but": { suffix: ".tmp" } }] } },
            { data: { a: [{ "anything-but": "x" }], b: [{ "anything-but": 3 }], c: [{ "anything-but": { prefix: "init" } }], d: [{ "anything-but": { suffix: ".tmp" } }] } }],
        ["an IPv4 cidr", { detail: { ip: [{ cidr: "10.0.0.0/24" }] } }, { data: { ip: [{ cidr: "10.0.0.0/24" }] } }],
        ["anything-but of a one-item list of prefixes, suffixes or wildcards as the single one", { detail: { a: [{ "anything-but": { prefix: ["init"] } }], b: [{ "anything-but": { suffix: [".tmp"] } }], c: [{ "anything-but": { wildcard: ["tmp-*"] } }] } },
            { data: { a: [{ "anything-but": { prefix: "init" } }], b: [{ "anything-but": { suffix: ".tmp" } }], c: [{ "anything-but": { prefix: "tmp-" } }] } }],
        ["wildcards that are exact, prefix, suffix or substring matches", { detail: { a: [{ wildcard: "lit\\*eral" }], b: [{ wildcard: "pre*" }], c: [{ wildcard: "*.png" }], d: [{ wildcard: "*mid*" }] } },
            { data: { a: ["lit*eral"], b: [{ prefix: "pre" }], c: [{ suffix: ".png" }], d: [{ contain: "mid" }] } }],
    ];
    for (const [what, pattern, expected] of translated) {
        it(`translates ${what}`, () => assert.deepEqual(toTencentPattern(pattern, where), expected));
    }

    const refused: [string, EventPattern, RegExp][] = [
        ["numeric", { detail: { n: [{ numeric: ["=", 5] }] } }, /detail\.n: the 'numeric' operator is not supported by Tencent EB/],
        ["exists", { detail: { n: [{ exists: false }] } }, /the 'exists' operator is not supported/],
        ["equals-ignore-case", { source: [{ "equals-ignore-case": "App" }] }, /the 'equals-ignore-case' operator is not supported/],
        ["prefix ignoring case", { source: [{ prefix: { "equals-ignore-case": "app" } }] }, /prefix with equals-ignore-case is not supported/],
        ["$or at the top", { $or: [{ source: ["a"] }, { id: ["b"] }] }, /\$or is not supported by Tencent EB/],
        ["$or inside detail", { detail: { $or: [{ a: ["1"] }, { b: ["2"] }] } }, /detail\.\$or: \$or is not supported/],
        ["anything-but of several values", { detail: { s: [{ "anything-but": ["a", "b"] }] } }, /anything-but with a list of several values is not supported/],
        ["anything-but ignoring case", { detail: { s: [{ "anything-but": { "equals-ignore-case": "a" } }] } }, /anything-but with 'equals-ignore-case' is not supported by Tencent EB \(case-sensitive matching only\)/],
        ["anything-but ignoring case, a list", { detail: { s: [{ "anything-but": { "equals-ignore-case": ["a", "b"] } }] } }, /detail\.s: anything-but with 'equals-ignore-case' is not supported/],
        ["anything-but of several prefixes", { detail: { s: [{ "anything-but": { prefix: ["init", "error"] } }] } }, /detail\.s: anything-but with a list of several prefixes is not supported by Tencent EB/],
        ["anything-but of several suffixes", { detail: { s: [{ "anything-but": { suffix: [".tmp", ".bak"] } }] } }, /anything-but with a list of several suffixes is not supported/],
        ["anything-but of several wildcards", { detail: { s: [{ "anything-but": { wildcard: ["*/lib/*", "*/bin/*"] } }] } }, /anything-but with a list of several wildcards is not supported/],
        ["anything-but of a wildcard with a star inside", { detail: { s: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, /wildcard '\*\/lib\/\*' has no Tencent EB equivalent/],
        ["a wildcard with a star inside", { detail: { s: [{ wildcard: "a*b" }] } }, /wildcard 'a\*b' has no Tencent EB equivalent/],
        ["a lone star", { detail: { s: [{ wildcard: "*" }] } }, /wildcard '\*' has no Tencent EB equivalent/],
        ["a substring inside anything-but", { detail: { s: [{ "anything-but": { wildcard: "*x*" } }] } }, /wildcard '\*x\*' has no Tencent EB equivalent \(only 'x', 'x\*', '\*x' translate/],
        ["an IPv6 cidr", { detail: { ip: [{ cidr: "2001:db8::/32" }] } }, /cidr on Tencent EB is documented for IPv4 blocks only/],
        ["the time field", { time: [{ prefix: "2024-" }] }, /field 'time' cannot be matched on Tencent EB: EB's time is a millisecond timestamp/],
        ["the account field", { account: ["123456789012"] }, /field 'account' cannot be matched/],
    ];
    for (const [what, pattern, message] of refused) {
        it(`refuses ${what}, naming it`, () => {
            assert.throws(() => toTencentPattern(pattern, where), (err: Error) => {
                assert.equal(err.name, "ConfigError");
                assert.match(err.message, /^config AsyncTask 't' subscribe\.pattern: /);
                assert.match(err.message, message);
                assert.match(err.message, /cloud\.tencent\.com\/document\/product\/1359\/56084/);
                return true;
            });
        });
    }
});

describe("EventBridge schedules as SCF timer crons", () => {
    const where = "AsyncTask 'r' schedule";
    const cron = (expression: string) => scfTimerCron(parseSchedule(expression, where), where);
    const cases: [string, string][] = [
        ["rate(1 minute)", "0 * * * * * *"],
        ["rate(5 minutes)", "0 */5 * * * * *"],
        ["rate(30 minutes)", "0 */30 * * * * *"],
        ["rate(1 hour)", "0 0 * * * * *"],
        ["rate(6 hours)", "0 0 */6 * * * *"],
        ["rate(1 day)", "0 0 0 * * * *"],
        ["cron(0 8 * * ? *)", "0 0 8 * * ? *"],
        ["cron(15 10 ? * MON-FRI *)", "0 15 10 ? * MON-FRI *"],
        ["cron(0 8 ? * 2-6 *)", "0 0 8 ? * 1-5 *"],
        ["cron(0 8 ? * 1,7 *)", "0 0 8 ? * 0,6 *"],
        ["cron(0 12 ? * 6L *)", "0 0 12 ? * 5L *"],
        ["cron(0 12 ? * FRIL *)", "0 0 12 ? * 5L *"],
        ["cron(0 12 ? * 3#2 *)", "0 0 12 ? * 2#2 *"],
        ["cron(0 12 ? * L *)", "0 0 12 ? * SAT *"],
        ["cron(0/15 * L * ? 2030-2035)", "0 0/15 * L * ? 2030-2035"],
        ["cron(0 9 LW JAN,JUL ? *)", "0 0 9 LW JAN,JUL ? *"],
    ];
    for (const [expression, expected] of cases) {
        it(`${expression} -> ${expected}`, () => assert.equal(cron(expression), expected));
    }

    for (const rate of ["rate(7 minutes)", "rate(90 minutes)", "rate(5 hours)", "rate(2 days)"]) {
        it(`refuses ${rate}, which a clock-aligned cron cannot keep`, () => {
            assert.throws(() => cron(rate), /an SCF timer runs on clock boundaries, so a rate must divide an hour/);
        });
    }
});
