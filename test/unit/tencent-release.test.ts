// Releases on Tencent Cloud (issue 16), and public network access only where needed (issue 14):
// through the engine, with the dev stack's settings (ap-guangzhou, 7 days of logs, an Alarms told
// by CAM user id). A version published per change of code or configuration; the alias `live`
// routed to it, to a pin, or split for a canary; provisioned concurrency on the alias's main
// version; every caller invoking the alias; each function's CLS topic keeping its logs as long as
// asked; every alarm policy telling the notice. The typical app's dev stack is checked as
// `pulumi up` would evaluate it.
import * as assert from "node:assert/strict";
import { Alarms, Function } from "../../components";
import type { FunctionArgs } from "../../components/function";
import type { Link } from "../../components/link";
import { API_5XX_ALARM, API_LATENCY_ALARM } from "../../components/tencentcloud/api-alarms";
import { FUNCTION_ERRORS_ALARM, FUNCTION_THROTTLES_ALARM } from "../../components/tencentcloud/function-alarms";
import { aliasRouting } from "../../components/tencentcloud/release";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { appStack } from "../support/app-stacks";
import { evaluate, evaluateFailing, type Evaluated, json } from "../harness";

const T = {
    fn: "tencentcloud:index/scfFunction:ScfFunction",
    version: "tencentcloud:index/scfFunctionVersion:ScfFunctionVersion",
    alias: "tencentcloud:index/scfFunctionAlias:ScfFunctionAlias",
    provisioned: "tencentcloud:index/scfProvisionedConcurrencyConfig:ScfProvisionedConcurrencyConfig",
    logset: "tencentcloud:index/clsLogset:ClsLogset",
    topic: "tencentcloud:index/clsTopic:ClsTopic",
    policy: "tencentcloud:index/monitorAlarmPolicy:MonitorAlarmPolicy",
    notice: "tencentcloud:index/monitorAlarmNotice:MonitorAlarmNotice",
    api: "tencentcloud:index/apiGatewayApi:ApiGatewayApi",
    websocket: "pulumi-nodejs:dynamic/tencentcloud:ApiGatewayWebSocketApi",
    ebTarget: "tencentcloud:index/ebEventTarget:EbEventTarget",
    trigger: "tencentcloud:index/scfTrigger:ScfTrigger",
    workflow: "pulumi-nodejs:dynamic/tencentcloud:AswStateMachine",
    service: "tencentcloud:index/apiGatewayService:ApiGatewayService",
};
const DEV = { "serverless-blocks:logRetentionDays": "7" };
const HANDLER = "examples/shop/functions/hello/greet.handler";
const CANARY = { ...DEV, "serverless-blocks:canary": JSON.stringify({ percent: 10, functions: ["greet"] }) };

/** One function told of alarms, as the app's are; `args` on top. */
const greet = (args: Partial<FunctionArgs> = {}) => () => {
    const alarms = new Alarms("ops", { tencentUserIds: [100012345678] });
    const fn = new Function("greet", { handler: HANDLER, alarms: alarms.target, ...args });
    return { aliasId: fn.aliasId, alias: fn.alias, resourceId: fn.resourceId };
};
const versionOf = (stack: Evaluated) => String(stack.one(T.version, "greet-version").state.functionVersion);

describe("Function releases on Tencent Cloud", () => {
    let stack: Evaluated;
    before(async () => (stack = await evaluate("tencentcloud", greet(), DEV)));

    it("publishes a version of the function, named by digests of its code and configuration, kept when replaced", () => {
        const fn = stack.one(T.fn, "greet");
        const version = stack.one(T.version, "greet-version");
        assert.equal(version.parent, "greet");
        assert.equal(version.inputs.functionName, fn.state.name);
        assert.equal(version.inputs.namespace, "default");
        assert.match(String(version.inputs.description), /^Published by serverless-blocks, code [0-9a-f]{16}, configuration [0-9a-f]{16}$/);
        assert.equal(version.retainOnDelete, true, "the canary's previous version and rollback pins route to old versions");
    });

    it("routes the alias live to the new version, and hands out its qualified id", () => {
        const alias = stack.one(T.alias, "greet-alias");
        const fn = stack.one(T.fn, "greet");
        const newest = versionOf(stack);
        assert.deepEqual(alias.inputs, {
            name: "live",
            functionName: fn.state.name,
            namespace: "default",
            functionVersion: newest,
            routingConfig: { additionalVersionWeights: [] },
            description: `Routes all traffic to version ${newest}`,
        });
        assert.equal(stack.outputs.alias, "live");
        assert.equal(stack.outputs.aliasId, `qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/${fn.state.name}/live`);
        assert.equal(stack.outputs.aliasId, `${stack.outputs.resourceId}/live`);
        assert.equal(stack.ofType(T.provisioned).length, 0, "no provisioned concurrency unless asked");
    });

    it("publishes again when the code or a setting changes, and not for the same program", async () => {
        const description = (s: Evaluated) => String(s.one(T.version, "greet-version").inputs.description);
        const [code, configuration] = description(stack).match(/[0-9a-f]{16}/g)!;
        assert.equal(description(await evaluate("tencentcloud", greet(), DEV)), description(stack));
        const moreMemory = (await evaluate("tencentcloud", greet({ memory: 512 }), DEV)).one(T.version, "greet-version");
        assert.match(String(moreMemory.inputs.description), new RegExp(`code ${code}, configuration (?!${configuration})[0-9a-f]{16}$`));
        const otherCode = (await evaluate("tencentcloud", greet({ handler: "examples/shop/functions/users/welcome-email.handler" }), DEV)).one(T.version, "greet-version");
        assert.doesNotMatch(String(otherCode.inputs.description), new RegExp(`code ${code},`));
    });

    it("splits a canary: the configured share to the new version, the rest to the one before", async () => {
        const canary = await evaluate("tencentcloud", greet(), CANARY);
        const newest = Number(versionOf(canary));
        const alias = canary.one(T.alias, "greet-alias");
        assert.equal(alias.inputs.functionVersion, String(newest - 1));
        assert.deepEqual(alias.inputs.routingConfig, { additionalVersionWeights: [{ version: String(newest), weight: 0.1 }] });
        assert.equal(alias.inputs.description, `Canary, routes 90 percent to version ${newest - 1} and 10 percent to version ${newest}`);
        const quarter = await evaluate("tencentcloud", greet(), { ...DEV, "serverless-blocks:canary": JSON.stringify({ percent: 25, functions: ["greet"] }) });
        assert.deepEqual((quarter.one(T.alias, "greet-alias").inputs.routingConfig as any).additionalVersionWeights[0].weight, 0.25);
    });

    it("does not split while there is only version 1", () => {
        const release = { alias: "live", canaryPercent: 10, provisionedConcurrency: 0 };
        assert.deepEqual(aliasRouting("greet", release, "1"), { functionVersion: "1", additionalVersionWeights: [], description: "Routes all traffic to version 1" });
    });

    it("keeps a pinned function on its pinned version, canary or not, and refuses a pin beyond the newest", async () => {
        const pinned = await evaluate("tencentcloud", greet(), { ...CANARY, "serverless-blocks:pinnedVersions": JSON.stringify({ greet: "1" }) });
        const alias = pinned.one(T.alias, "greet-alias");
        assert.equal(alias.inputs.functionVersion, "1");
        assert.deepEqual(alias.inputs.routingConfig, { additionalVersionWeights: [] });
        assert.equal(alias.inputs.description, `Pinned to version 1, version ${versionOf(pinned)} is the newest`);
        const { error } = await evaluateFailing("tencentcloud", greet(), { ...DEV, "serverless-blocks:pinnedVersions": JSON.stringify({ greet: "99" }) });
        assert.match(error.message, /serverless-blocks:pinnedVersions\.greet: '99' is not allowed; function greet has published versions 1 to \d+; pin one of those/);
    });

    it("keeps provisioned concurrency on the alias's main version: the new one, the previous one during a canary", async () => {
        const warm = await evaluate("tencentcloud", greet({ provisionedConcurrency: 5 }), DEV);
        const config = warm.one(T.provisioned, "greet-provisioned-concurrency");
        assert.equal(config.inputs.functionName, warm.one(T.fn, "greet").state.name);
        assert.equal(config.inputs.namespace, "default");
        assert.equal(config.inputs.qualifier, versionOf(warm));
        assert.equal(config.inputs.versionProvisionedConcurrencyNum, 5);
        assert.ok(config.dependsOn.includes("greet-alias"));
        const canary = await evaluate("tencentcloud", greet({ provisionedConcurrency: 5 }), CANARY);
        assert.equal(canary.one(T.provisioned).inputs.qualifier, String(Number(versionOf(canary)) - 1));
    });

    it("logs to a CLS topic of its own keeping the stack's retention, in one logset for the stack", async () => {
        const two = await evaluate("tencentcloud", () => {
            new Function("greet", { handler: HANDLER });
            new Function("audit", { handler: HANDLER, logRetentionDays: 365 });
        }, DEV);
        const logset = two.one(T.logset);
        assert.equal(logset.inputs.logsetName, "serverless-blocks-test-functions");
        for (const [name, period] of [["greet", 7], ["audit", 365]] as const) {
            const topic = two.one(T.topic, `${name}-logs`);
            assert.deepEqual([topic.inputs.topicName, topic.inputs.period, topic.inputs.logsetId], [name, period, logset.state.id]);
            const fn = two.one(T.fn, name);
            assert.equal(fn.inputs.clsLogsetId, logset.state.id);
            assert.equal(fn.inputs.clsTopicId, topic.state.id);
        }
    });

    it("refuses a retention CLS cannot keep, before registering anything", async () => {
        const { error, registered } = await evaluateFailing("tencentcloud", () => new Function("greet", { handler: HANDLER, logRetentionDays: 3653 }));
        assert.match(error.message, /Function 'greet' logRetentionDays: '3653' is not allowed; Tencent Cloud CLS keeps logs 1 to 3600 days; choose 3288 or less/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type), [], "not even the component");
    });

    it("alarms the Alarms' notice on the function's errors and throttles, and makes none without alarms", async () => {
        const notice = stack.one(T.notice);
        const fn = stack.one(T.fn, "greet");
        for (const [name, alarm] of [["greet-errors-alarm", FUNCTION_ERRORS_ALARM], ["greet-throttles-alarm", FUNCTION_THROTTLES_ALARM]] as const) {
            const policy = stack.one(T.policy, name);
            assert.deepEqual(policy.inputs.noticeIds, [notice.state.id], name);
            assert.equal(policy.inputs.namespace, "scf_v2");
            assert.equal(policy.inputs.monitorType, "MT_QCE");
            assert.equal((policy.inputs.conditions as any).rules[0].metricName, alarm.metricName);
            assert.deepEqual(json((policy.inputs.filter as any).dimensions), [[{ Key: "functionName", Operator: "eq", Value: [fn.state.name] }]]);
        }
        assert.deepEqual([FUNCTION_ERRORS_ALARM.metricName, FUNCTION_THROTTLES_ALARM.metricName], ["Error", "Throttle"]);
        const quiet = await evaluate("tencentcloud", () => new Function("greet", { handler: HANDLER }), DEV);
        assert.equal(quiet.ofType(T.policy).length, 0);
    });
});

describe("Public network access of SCF functions", () => {
    /** A link placing the function in a VPC, as a Tencent table's does, granting `permissions`. */
    const placed = (permissions: Link["permissions"] = [], environment: Link["environment"] = {}): Link => ({
        type: "store", name: "rows", environment, permissions, resources: { vpcId: "vpc-0a1b2c3d", subnetId: "subnet-0a1b2c3d" },
    });
    const publicNet = async (link?: Link) => {
        const stack = await evaluate("tencentcloud", () => new Function("greet", { handler: HANDLER, link: link ? [link] : [] }), DEV);
        return stack.one(T.fn, "greet").inputs.enablePublicNet;
    };

    it("keeps it outside a VPC, where SCF cannot turn it off", async () => {
        assert.equal(await publicNet(), true);
    });

    it("turns it off in a VPC for a function that only talks to what is in the VPC", async () => {
        assert.equal(await publicNet(placed()), false);
    });

    it("turns it on in a VPC for a function that calls a Tencent Cloud API or fetches a token issuer's keys", async () => {
        assert.equal(await publicNet(placed([{ actions: ["eb:PutEvents"], resources: ["qcs::eb:ap-guangzhou:uin/1:eventbusid/eb-1"] }])), true);
        assert.equal(await publicNet(placed([], { [JWT_ENV.jwksUrl]: "https://auth.example.com/.well-known/jwks.json" })), true);
    });
});

describe("The typical app's dev stack releases through aliases", () => {
    let resources: Evaluated["resources"];
    before(async function () {
        this.timeout(300000);
        resources = (await appStack("dev", "update")).resources;
    });
    const ofType = (type: string) => resources.filter((r) => r.type === type);

    it("gives every function one version and the alias live on it", () => {
        const functions = ofType(T.fn);
        assert.ok(functions.length >= 20, `${functions.length} functions`);
        for (const fn of functions) {
            const versions = ofType(T.version).filter((v) => v.inputs.functionName === fn.state.name);
            const aliases = ofType(T.alias).filter((a) => a.inputs.functionName === fn.state.name);
            assert.equal(versions.length, 1, fn.name);
            assert.deepEqual(aliases.map((a) => [a.inputs.name, a.inputs.functionVersion]), [["live", versions[0].state.functionVersion]], fn.name);
        }
    });

    it("invokes the alias from every API, WebSocket backend, EB target, trigger and workflow state", () => {
        const apis = ofType(T.api);
        assert.ok(apis.length > 0);
        for (const api of apis) assert.equal(api.inputs.serviceConfigScfFunctionQualifier, "live", api.name);
        for (const socket of ofType(T.websocket)) {
            for (const side of ["register", "transport", "cleanup"]) assert.equal((socket.inputs as any)[side].qualifier, "live", `${socket.name} ${side}`);
        }
        const targets = ofType(T.ebTarget);
        assert.ok(targets.length > 0);
        for (const target of targets) assert.match(String((target.inputs.targetDescription as any).resourceDescription), /^qcs::scf:ap-guangzhou:uin\/\d+:namespace\/default\/function\/[^/]+\/live$/, target.name);
        const triggers = ofType(T.trigger);
        assert.ok(triggers.length > 0);
        for (const trigger of triggers) assert.equal(trigger.inputs.qualifier, "live", trigger.name);
        const definition = String(ofType(T.workflow)[0].inputs.definition);
        const invoked = [...definition.matchAll(/scf:Invoke\/([^/"]+)\/([^/"]+)\/default/g)];
        assert.ok(invoked.length > 0);
        for (const [, name, qualifier] of invoked) assert.equal(qualifier, "live", name);
    });

    it("keeps every function's logs in its own CLS topic for the stack's 7 days", () => {
        for (const fn of ofType(T.fn)) {
            const topic = ofType(T.topic).find((t) => t.name === `${fn.name}-logs`);
            assert.ok(topic, fn.name);
            assert.equal(topic.inputs.period, 7, fn.name);
            assert.equal(fn.inputs.clsTopicId, topic.state.id, fn.name);
        }
    });

    it("tells the Alarms' notice of every alarm: each function's errors and throttles, each API's 5xx and latency", () => {
        const notice = ofType(T.notice)[0];
        const policies = ofType(T.policy);
        for (const policy of policies) assert.deepEqual(policy.inputs.noticeIds, [notice.state.id], policy.name);
        const alarmed = (metric: string) => new Set(policies.filter((p) => (p.inputs.conditions as any).rules[0].metricName === metric)
            .map((p) => json((p.inputs.filter as any).dimensions)[0][0].Value[0]));
        // The FileUpload's signing route is made by the component without the app's Alarms.
        const told = ofType(T.fn).filter((fn) => fn.name !== "attachments-api-post-uploads").map((fn) => fn.state.name);
        for (const name of told) {
            assert.ok(alarmed("Error").has(name), `${name} errors`);
            assert.ok(alarmed("Throttle").has(name), `${name} throttles`);
        }
        const shop = ofType(T.service).find((s) => s.name === "shop")!;
        for (const alarm of [API_5XX_ALARM, API_LATENCY_ALARM]) {
            const policy = policies.find((p) => p.name === `shop-${alarm === API_5XX_ALARM ? "5xx" : "latency"}-alarm`)!;
            assert.equal((policy.inputs.conditions as any).rules[0].metricName, alarm.metricName);
            assert.deepEqual(json((policy.inputs.filter as any).dimensions), [[
                { Key: "serviceId", Operator: "eq", Value: [shop.state.id] },
                { Key: "environmentName", Operator: "eq", Value: ["release"] },
            ]]);
        }
    });

    it("gives public network access to functions outside a VPC and, in a VPC, to those that call cloud APIs", () => {
        // Outside a VPC (no table linked): SCF keeps it on.
        for (const name of ["about", "checkout-request", "send-welcome-email", "shop-get-hello"]) {
            const fn = ofType(T.fn).find((f) => f.name === name)!;
            assert.equal(fn.inputs.vpcId, undefined, name);
            assert.equal(fn.inputs.enablePublicNet, true, name);
        }
        // In a VPC, every one reads its tables' credentials from SSM at cold start (ssm:GetSecretValue).
        for (const fn of ofType(T.fn).filter((f) => f.inputs.vpcId !== undefined)) {
            const policy = json(resources.find((r) => r.name === `${fn.name}-policy`)!.inputs.document);
            assert.ok(policy.statement.some((s: any) => s.action.length > 0 && s.effect === "allow"), `${fn.name} calls a cloud API`);
            assert.equal(fn.inputs.enablePublicNet, true, fn.name);
        }
    });
});
