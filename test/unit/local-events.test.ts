// EventHub and AsyncTask on the local target: what they register with the local runtime, the
// outputs and link they hand out, and plan-time refusals that register nothing.
import * as assert from "node:assert/strict";
import { AsyncTask, EventHub, Function } from "../../components";
import { evaluate, evaluateFailing } from "../harness";

const program = () => {
    const hub = new EventHub("orders", { archiveRetentionDays: 7 });
    const task = new AsyncTask("ship", {
        handler: "test/fixtures/functions/record-to-file.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["OrderPlaced"], detail: { total: [{ numeric: [">", 100] }] } }) },
        schedule: "cron(0 8 ? * MON-FRI *)",
        retries: 1,
        maxEventAge: 600,
        timeout: 30,
        environment: { RECORD_FILE: "/dev/null" },
    });
    return { busName: hub.busName, hubId: hub.resourceId, link: hub.link, fn: task.functionName, taskId: task.resourceId, dlq: task.deadLetterQueue };
};

describe("EventHub and AsyncTask on the local target", () => {
    it("registers the hub and hands out a link to publish on exactly it", async () => {
        const stack = await evaluate("local", program);
        assert.equal(stack.outputs.busName, "orders");
        assert.equal(stack.outputs.hubId, "local:hub:orders");
        assert.deepEqual(stack.outputs.link, {
            type: "hub",
            name: "orders",
            environment: { SB_HUB_ORDERS_NAME: "orders" },
            permissions: [{ actions: ["publish"], resources: ["local:hub:orders"] }],
            resources: { busName: "orders" },
        });
        assert.deepEqual(stack.runtime.hubs.get("orders"), { name: "orders", busName: "orders", archiveRetentionDays: 7 });
        assert.equal(stack.runtime.started, false, "nothing runs until start()");
    });

    it("registers the task's function and its queue: subscription, schedule, retries, age and timeout", async () => {
        const stack = await evaluate("local", program);
        const task = stack.runtime.tasks.get("ship")!;
        assert.deepEqual({ ...task, schedule: task.schedule?.expression }, {
            name: "ship",
            functionName: "ship",
            retries: 1,
            maxEventAgeSeconds: 600,
            timeoutSeconds: 30,
            subscription: { busName: "orders", pattern: { "detail-type": ["OrderPlaced"], detail: { total: [{ numeric: [">", 100] }] } } },
            schedule: "cron(0 8 ? * MON-FRI *)",
        });
        assert.equal(stack.runtime.function("ship").definition.timeoutSeconds, 30);
        assert.equal(stack.runtime.function("ship").definition.environment.RECORD_FILE, "/dev/null");
        assert.deepEqual([stack.outputs.fn, stack.outputs.taskId, stack.outputs.dlq], ["ship", "local:function:ship", "local:dlq:ship"]);
        const fn = stack.one("serverless-blocks:index:Function", "ship");
        assert.equal(fn.parent, "ship", "the task's function is its child");
    });

    it("refuses a subscription to something that is not a hub", async () => {
        const { error } = await evaluateFailing("local", () => {
            const other = new Function("other", { handler: "test/fixtures/functions/echo.handler" });
            const task = new AsyncTask("misrouted", { handler: "test/fixtures/functions/record-to-file.handler", subscribe: { hub: other.link, pattern: '{"source": ["x"]}' } });
            return { deadLetterQueue: task.deadLetterQueue };
        });
        assert.match(error.message, /config AsyncTask 'misrouted' subscribe\.hub: 'function:other' is not allowed; expected an EventHub's link \(hub\.link\)/);
    });

    const mistakes: [string, object, RegExp][] = [
        ["a bad pattern", { subscribe: { pattern: '{"detail": {"total": [{"numeric": [">"]}]}}' } }, /subscribe\.pattern: .*detail\.total: numeric needs pairs of operator and number, got \[">"\]/],
        ["a bad schedule", { schedule: "cron(0 8 * * * *)" }, /config AsyncTask 'ship' schedule: 'cron\(0 8 \* \* \* \*\)' is not allowed; exactly one of day-of-month and day-of-week must be \?/],
        ["a bad retry count", { schedule: "rate(1 hour)", retries: 3 }, /config AsyncTask 'ship' retries: '3' is not allowed; expected a whole number from 0 to 2/],
    ];
    for (const [name, args, message] of mistakes) {
        it(`stops the plan at ${name}, registering nothing`, async () => {
            const { error, registered } = await evaluateFailing("local", () => {
                const hub = { type: "hub", name: "orders", environment: {}, permissions: [], resources: { busName: "orders" } };
                const { subscribe, ...rest } = args as { subscribe?: { pattern: string } };
                new AsyncTask("ship", { handler: "test/fixtures/functions/record-to-file.handler", ...rest, ...(subscribe ? { subscribe: { hub, pattern: subscribe.pattern } } : {}) });
            });
            assert.match(error.message, message);
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
        });
    }
});
