import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Alarms, AsyncTask, EventHub, FileUpload } from "../../components";
import { evaluate, evaluateFailing } from "../harness";

const JWT = { issuer: "https://auth.example.com", audience: ["shop"] };

/** A task and an upload processor, both told of dead letters through one Alarms. */
const program = (args: ConstructorParameters<typeof Alarms>[1]) => () => {
    const alarms = new Alarms("ops", args);
    const hub = new EventHub("events", {});
    new AsyncTask("welcome", {
        handler: "examples/shop/functions/users/welcome-email.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["UserSignedUp"] }) },
        alarms: alarms.target,
    });
    new FileUpload("files", {
        jwt: JWT,
        allowedTypes: ["text/plain"],
        onUploaded: { handler: "examples/shop/functions/attachments/processed.handler" },
        alarms: alarms.target,
    });
};

describe("Alarms", () => {
    it("on AWS subscribe the email and webhook to one topic, which every dead-letter alarm and its recovery notify", async () => {
        const stack = await evaluate("aws", program({ email: "oncall@shop.example.com", webhookUrl: "https://hooks.example.com/a" }));
        const topic = stack.one("aws:sns/topic:Topic", "ops-alarms");
        const subscriptions = stack.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]);
        assert.deepEqual(subscriptions, [["email", "oncall@shop.example.com", topic.state.arn], ["https", "https://hooks.example.com/a", topic.state.arn]]);
        for (const name of ["welcome-dlq-alarm", "files-processor-dlq-alarm"]) {
            const alarm = stack.one("aws:cloudwatch/metricAlarm:MetricAlarm", name);
            assert.deepEqual(alarm.inputs.alarmActions, [topic.state.arn], name);
            assert.deepEqual(alarm.inputs.okActions, [topic.state.arn], name);
        }
    });

    it("on Tencent Cloud make a Cloud Monitor notice and a policy on each dead-letter queue naming it", async () => {
        const stack = await evaluate("tencentcloud", program({ tencentUserIds: [100012345678], webhookUrl: "https://hooks.example.com/a" }));
        const notice = stack.one("tencentcloud:index/monitorAlarmNotice:MonitorAlarmNotice", "ops-alarms");
        assert.equal(notice.inputs.noticeType, "ALL");
        assert.deepEqual((notice.inputs.userNotices as any[])[0].userIds, [100012345678]);
        assert.deepEqual((notice.inputs.userNotices as any[])[0].noticeWays, ["EMAIL", "SMS"]);
        assert.equal((notice.inputs.urlNotices as any[])[0].url, "https://hooks.example.com/a");
        for (const [name, queue] of [["welcome-dlq-alarm", "test-welcome-dlq"], ["files-processor-dlq-alarm", "test-files-processor-dlq"]]) {
            const policy = stack.one("tencentcloud:index/monitorAlarmPolicy:MonitorAlarmPolicy", name);
            assert.deepEqual(policy.inputs.noticeIds, [notice.state.id], name);
            assert.equal(policy.inputs.namespace, "tdmq_cmq_queue");
            assert.deepEqual(JSON.parse((policy.inputs.filter as any).dimensions), [[{ Key: "queueName", Operator: "eq", Value: [queue] }]]);
            assert.deepEqual((policy.inputs.conditions as any).rules.map((r: any) => [r.metricName, r.operator, r.value]), [["VisibleMsgNum", "gt", "0"]]);
        }
    });

    it("keep a secret webhook secret", async () => {
        const stack = await evaluate("aws", program({ webhookUrl: pulumi.secret("https://hooks.example.com/T0KEN") }));
        const webhook = stack.one("aws:sns/topicSubscription:TopicSubscription", "ops-webhook");
        assert.equal(webhook.inputs.endpoint, "[secret]", "the webhook URL reaches the engine as a secret");
        assert.ok(!JSON.stringify(stack.resources.map((r) => r.inputs)).includes("T0KEN"), "the token is in no input in clear");
    });

    it("without alarms the dead-letter alarm tells no one (what npm run check refuses)", async () => {
        const stack = await evaluate("aws", () => {
            const hub = new EventHub("events", {});
            new AsyncTask("welcome", { handler: "examples/shop/functions/users/welcome-email.handler", subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["UserSignedUp"] }) } });
        });
        assert.deepEqual(stack.one("aws:cloudwatch/metricAlarm:MetricAlarm", "welcome-dlq-alarm").inputs.alarmActions, []);
    });

    for (const [cloud, what, args, message] of [
        ["aws", "nobody to tell", {}, /Alarms 'ops'.*nobody would hear of an alarm: give email or webhookUrl/],
        ["tencentcloud", "only an email address on Tencent Cloud", { email: "a@b.co" }, /nobody would hear of an alarm: on Tencent Cloud give webhookUrl or tencentUserIds \(Cloud Monitor notifies CAM users, not email addresses\)/],
        ["aws", "an address that is not one", { email: "oncall" }, /Alarms 'ops' email: 'oncall' is not allowed; expected an email address/],
        ["aws", "a webhook over plain http", { webhookUrl: "http://hooks.example.com/a" }, /Alarms 'ops' webhookUrl: .*expected an https:\/\/ URL of at most 256 characters/],
        ["tencentcloud", "user ids that are not whole numbers", { tencentUserIds: ["me"] }, /Alarms 'ops' tencentUserIds: .*expected a list of CAM user ids/],
    ] as const) {
        it(`refuse ${what} before anything registers`, async () => {
            const { error, registered } = await evaluateFailing(cloud, () => new Alarms("ops", args as any));
            assert.match(error.message, message);
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
        });
    }

    it("locally need no one: npm start prints dead letters", async () => {
        const stack = await evaluate("local", () => new Alarms("ops", {}));
        assert.equal(stack.one("serverless-blocks:index:Alarms", "ops").type, "serverless-blocks:index:Alarms");
    });
});
