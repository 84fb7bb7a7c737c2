// The plans of a Table with an outbox, on each cloud: the relay task (built-in handler, every
// minute, retries and a dead-letter queue), its links (the table, the hub), the writers' link
// naming the hub, and on AWS the sparse index and the relay's Scan of it, nothing more.
import * as assert from "node:assert/strict";
import { Alarms, EventHub, Function, Table, type TableArgs } from "../../components";
import { OUTBOX_RELAY_ACTIONS, TABLE_ACTIONS } from "../../components/aws/table";
import { OUTBOX_RELAY_HANDLER } from "../../components/outbox-relay";
import { OUTBOX_ATTRIBUTE, OUTBOX_INDEX, OUTBOX_SINCE_ATTRIBUTE } from "../../functions/runtime/clients/table-outbox";
import { CLOUDS, evaluate, evaluateFailing, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";

/** A hub, an orders table relaying to it, and a writer linking both. */
function app(extra: Partial<TableArgs> = {}) {
    const hub = new EventHub("events");
    const orders = new Table("orders", { partitionKey: "userId", sortKey: "orderId", outbox: hub.link, ...extra });
    new Function("writer", { handler: HANDLER, link: [orders.link, hub.link] });
}

const env = (resource: { inputs: Record<string, unknown> }, key: "environment" | "variables") =>
    key === "variables" ? (resource.inputs.environment as { variables: Record<string, string> }).variables : (resource.inputs.environment as Record<string, string>);

describe("Table outbox on AWS", () => {
    it("adds the sparse outbox index: keyed on the marker, carrying the events", async () => {
        const stack = await evaluate("aws", () => app());
        const table = stack.one("aws:dynamodb/table:Table", "orders");
        assert.deepEqual(table.inputs.attributes, [{ name: "userId", type: "S" }, { name: "orderId", type: "S" }, { name: OUTBOX_SINCE_ATTRIBUTE, type: "N" }]);
        assert.deepEqual(table.inputs.globalSecondaryIndexes, [{
            name: OUTBOX_INDEX,
            keySchemas: [{ attributeName: OUTBOX_SINCE_ATTRIBUTE, keyType: "HASH" }],
            projectionType: "INCLUDE",
            nonKeyAttributes: [OUTBOX_ATTRIBUTE],
        }]);
    });

    it("has no index and no relay without an outbox", async () => {
        const stack = await evaluate("aws", () => new Table("orders", { partitionKey: "userId" }));
        const table = stack.one("aws:dynamodb/table:Table", "orders");
        assert.equal(table.inputs.globalSecondaryIndexes, undefined);
        assert.deepEqual(stack.ofType("serverless-blocks:index:AsyncTask"), []);
    });

    it("runs the built-in relay every minute with retries and a dead-letter queue, linked to the table and the hub", async () => {
        const stack = await evaluate("aws", () => app());
        const table = stack.one("aws:dynamodb/table:Table", "orders");
        const relay = stack.one("aws:lambda/function:Function", "orders-outbox-relay");
        const variables = env(relay, "variables");
        assert.equal(variables.SB_OUTBOX_TABLE, "orders");
        assert.equal(variables.SB_TABLE_ORDERS_NAME, table.state.name);
        assert.equal(variables.SB_TABLE_ORDERS_OUTBOX, "events");
        assert.match(variables.SB_HUB_EVENTS_NAME, /^events-/);
        assert.equal(stack.one("aws:cloudwatch/eventRule:EventRule", "orders-outbox-relay-on-schedule").inputs.scheduleExpression, "rate(1 minute)");
        const invoke = stack.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "orders-outbox-relay-invoke-config");
        assert.equal(invoke.inputs.maximumRetryAttempts, 2);
        assert.match(String((invoke.inputs.destinationConfig as { onFailure: { destination: string } }).onFailure.destination), /orders-outbox-relay-dlq/);
        // The relay may Scan the outbox index, and only that; the table's own actions as any writer.
        const statements = json(stack.one("aws:iam/rolePolicy:RolePolicy", "orders-outbox-relay-policy").inputs.policy).Statement;
        assert.deepEqual(statements.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith("dynamodb:"))), [
            { Effect: "Allow", Action: TABLE_ACTIONS, Resource: [table.state.arn] },
            { Effect: "Allow", Action: OUTBOX_RELAY_ACTIONS, Resource: [`${table.state.arn}/index/${OUTBOX_INDEX}`] },
        ]);
        assert.ok(statements.some((s: { Action: string[] }) => s.Action.includes("events:PutEvents")), "the relay publishes to the hub");
    });

    it("tells writers which hub the outbox publishes to", async () => {
        const stack = await evaluate("aws", () => app());
        assert.equal(env(stack.one("aws:lambda/function:Function", "writer"), "variables").SB_TABLE_ORDERS_OUTBOX, "events");
    });

    it("sends the relay's dead-letter alarm to the table's alarm target", async () => {
        const stack = await evaluate("aws", () => {
            const alarms = new Alarms("ops", { email: "ops@example.com" });
            app({ alarms: alarms.target });
        });
        const alarm = stack.one("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-outbox-relay-dlq-alarm");
        assert.equal((alarm.inputs.alarmActions as string[]).length, 1);
    });
});

describe("Table outbox on Tencent Cloud", () => {
    it("runs the relay on a timer every minute, with retries and a dead-letter queue, linked to the table and the hub", async () => {
        const stack = await evaluate("tencentcloud", () => app());
        const trigger = stack.one("tencentcloud:index/scfTrigger:ScfTrigger", "orders-outbox-relay-schedule");
        assert.equal(trigger.inputs.type, "timer");
        assert.equal(trigger.inputs.triggerDesc, "0 * * * * * *");
        assert.deepEqual((stack.one("tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig", "orders-outbox-relay-invoke-config").inputs.asyncTriggerConfig as { retryConfigs: unknown }).retryConfigs, [{ retryNum: 2 }]);
        stack.one("tencentcloud:index/tcmqQueue:TcmqQueue", "orders-outbox-relay-dlq");
        const variables = env(stack.one("tencentcloud:index/scfFunction:ScfFunction", "orders-outbox-relay"), "environment");
        assert.equal(variables.SB_OUTBOX_TABLE, "orders");
        assert.equal(variables.SB_TABLE_ORDERS_OUTBOX, "events");
        assert.equal(variables.SB_TABLE_ORDERS_NAME, "orders");
        assert.ok(variables.SB_HUB_EVENTS_NAME);
        assert.equal(env(stack.one("tencentcloud:index/scfFunction:ScfFunction", "writer"), "environment").SB_TABLE_ORDERS_OUTBOX, "events");
    });
});

describe("Table outbox on the local target", () => {
    it("schedules the relay task every minute, its function linked to the table file and the hub", async () => {
        const stack = await evaluate("local", () => app());
        const task = stack.runtime.tasks.get("orders-outbox-relay");
        assert.ok(task, "the relay task");
        assert.equal(task.schedule?.expression, "rate(1 minute)");
        assert.equal(task.retries, 2);
        const relay = stack.runtime.functions.get("orders-outbox-relay")!;
        const environment = (relay as unknown as { definition: { environment: Record<string, string> } }).definition.environment;
        assert.equal(environment.SB_OUTBOX_TABLE, "orders");
        assert.equal(environment.SB_TABLE_ORDERS_OUTBOX, "events");
        assert.equal(environment.SB_HUB_EVENTS_NAME, "events");
        assert.match(environment.SB_TABLE_ORDERS_FILE, /orders\.sqlite$/);
    });
});

describe("Table outbox arguments", () => {
    it("uses the built-in relay handler shipped with the package", () => {
        assert.match(OUTBOX_RELAY_HANDLER, /functions[/\\]outbox[/\\]relay\.handler$/);
    });

    for (const cloud of CLOUDS) {
        it(`refuses alarms without an outbox on ${cloud}, naming the key`, async () => {
            const { error } = await evaluateFailing(cloud, () => new Table("orders", { partitionKey: "userId", alarms: { email: [] } as never }));
            assert.match(error.message, /Table 'orders' alarms/);
            assert.match(error.message, /give 'outbox'/);
        });
    }

    it("refuses a link that is not a hub's as the outbox", async () => {
        const { error } = await evaluateFailing("local", () => {
            const other = new Table("other", { partitionKey: "id" });
            new Table("orders", { partitionKey: "userId", outbox: other.link });
        });
        assert.match(error.message, /Table 'orders' outbox/);
        assert.match(error.message, /a table link \('other'\)/);
    });

    it("refuses an outbox that is not a link", async () => {
        const { error } = await evaluateFailing("aws", () => new Table("orders", { partitionKey: "userId", outbox: "events" as never }));
        assert.match(error.message, /Table 'orders' outbox/);
        assert.match(error.message, /a hub's link/);
    });
});
