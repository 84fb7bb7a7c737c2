// ASW (Tencent Cloud's workflow service) against a fake API 3.0 on 127.0.0.1: the PaymentWorkflow's
// dynamic state machine provider (CreateFlowService / ModifyFlowService / DescribeFlowServiceDetail,
// the unpublished DeleteFlowService, and the retirement when the API has no delete) with the exact
// request fields, each request signed TC3-HMAC-SHA256 for `asw` as tencentcloud-sdk-nodejs signs
// it; the provider as the CLI runs it (serialized, in the SDK's dynamic-provider program from a
// folder without node_modules, its warning on stderr, which the CLI shows for that plugin); and
// the payments transport's StartExecution / DescribeExecution requests.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import {
    aswStateMachineProvider,
    RETIRED_DESCRIPTION,
    RETIRED_ERROR,
    type AswStateMachineInputs,
    type AswStateMachineOutputs,
} from "../../components/tencentcloud/dynamic/asw-state-machine";
import { RESOURCE_INIT_FAILED, type ResourceInitError } from "../../components/tencentcloud/dynamic/provider";
import { createLocalTable, type LocalTableBackend } from "../../functions/runtime/clients/local/table";
import { PaymentAlreadyStarted, paymentsClient, type Payment } from "../../functions/runtime/clients/payments";
import { tableClient, type Item, type TableClient } from "../../functions/runtime/clients/table";
import { createTencentPayments, executionResourceName, parseFlowResource } from "../../functions/runtime/clients/tencentcloud/payments";
import { provproto, rpc, Struct } from "../support/component-plugin";
import { startDynamicProvider } from "../support/dynamic-provider";

type Json = Record<string, any>;

const KEYS = { secretId: "AKIDasw", secretKey: "asw-secret-key", securityToken: "asw-session-token" };
const STACK_CONFIG: Record<string, string> = {
    "tencentcloud:secretId": KEYS.secretId,
    "tencentcloud:secretKey": KEYS.secretKey,
    "tencentcloud:securityToken": KEYS.securityToken,
    "tencentcloud:region": "ap-guangzhou",
};
const ENV_KEYS = ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_REGION"];
const PROVIDER_KEY = "__provider";
const APP_ID = "1250000000";
const DEFINITION = JSON.stringify({ Comment: "pay", StartAt: "Record payment", States: { "Record payment": { Type: "Task", Resource: "qrn:qcs:asw:ap-shanghai:1250000000:sdk:json:qcloud:scf:Invoke/checkout-record-0a1b2c3/$LATEST/default", End: true } } });
const INPUTS: AswStateMachineInputs = {
    region: "ap-shanghai",
    namePrefix: "prod-checkout",
    displayName: "Payment workflow checkout",
    description: "Payment workflow checkout (serverless-blocks)",
    type: "STANDARD",
    definition: DEFINITION,
    roleResource: "qcs::cam::uin/100000000001:roleName/checkout-role-1a2b3c4",
    enableCls: false,
};

const configOf = (values: Record<string, string>): pulumi.dynamic.Config => ({
    get: (key) => values[key],
    require: (key) => values[key] ?? assert.fail(`${key} required`),
});

interface Seen {
    action: string;
    headers: http.IncomingHttpHeaders;
    raw: string;
    body: Json;
}

/**
 * ASW's API 3.0 as far as these callers need it, over in-memory flows and executions, answering as
 * API 3.0 does (HTTP 200, errors in `Response.Error`). `hasDelete` switches the unpublished
 * DeleteFlowService on; without it the action does not exist (InvalidAction).
 */
class FakeAsw {
    readonly seen: Seen[] = [];
    readonly flows = new Map<string, Json>();
    readonly executions = new Map<string, Json>();
    hasDelete = false;
    /** How ASW hands a definition back (it may reformat it). */
    reformat = (definition: string) => definition;
    private readonly failures = new Map<string, { Code: string; Message: string }>();
    private next = 0;
    private readonly server = http.createServer((req, res) => {
        let raw = "";
        req.on("data", (chunk) => (raw += chunk));
        req.on("end", () => {
            const action = String(req.headers["x-tc-action"]);
            const body = JSON.parse(raw);
            this.seen.push({ action, headers: req.headers, raw, body });
            const requestId = `req-${this.seen.length}`;
            const failure = this.failures.get(action);
            this.failures.delete(action);
            const response = failure ? { Error: failure, RequestId: requestId } : { ...this.answer(action, body, String(req.headers["x-tc-region"])), RequestId: requestId };
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: response }));
        });
    });

    async start(): Promise<this> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return this;
    }

    get url(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.server.close(() => resolve()));
    }

    failNext(action: string, Code: string, Message: string): void {
        this.failures.set(action, { Code, Message });
    }

    actions(): string[] {
        return this.seen.map((s) => s.action);
    }

    reset(): void {
        this.seen.length = 0;
        this.flows.clear();
        this.executions.clear();
        this.hasDelete = false;
        this.reformat = (definition) => definition;
    }

    private answer(action: string, body: Json, region: string): Json {
        const flowGone = { Error: { Code: "ResourceNotFound", Message: `flow ${body.FlowServiceResource} not found` } };
        switch (action) {
            case "CreateFlowService": {
                const resource = `qrn:qcs:asw:${region}:${APP_ID}:http:json:flowmachine:${body.FlowServiceName}:f${String(++this.next).padStart(7, "0")}`;
                this.flows.set(resource, { ...body });
                return { FlowServiceResource: resource, CreateDate: "1767225600" };
            }
            case "DescribeFlowServiceDetail": {
                const flow = this.flows.get(body.FlowServiceResource);
                if (!flow) return flowGone;
                return {
                    FlowServiceName: flow.FlowServiceName, Status: "Online", Definition: this.reformat(flow.Definition), RoleResource: flow.RoleResource, Type: flow.Type,
                    CreateDate: "1767225600", Description: flow.Description, FlowServiceChineseName: flow.FlowServiceChineseName, EnableCLS: flow.EnableCLS, CLSUrl: null, FlowInput: null,
                };
            }
            case "ModifyFlowService": {
                if (!this.flows.has(body.FlowServiceResource)) return flowGone;
                const { FlowServiceResource, ...flow } = body;
                this.flows.set(FlowServiceResource, flow);
                return { FlowServiceResource, UpdateDate: "1767229200" };
            }
            case "DeleteFlowService":
                if (!this.hasDelete) return { Error: { Code: "InvalidAction", Message: "接口不存在。" } };
                if (!this.flows.delete(body.FlowServiceResource)) return flowGone;
                return {};
            case "StartExecution": {
                const name = executionResourceName(body.StateMachineResourceName, body.Name);
                if (this.executions.has(name)) return { Error: { Code: "InvalidParameterValue.ExecutionNameExists", Message: `execution ${body.Name} exists` } };
                this.executions.set(name, { ExecutionResourceName: name, Name: body.Name, Status: "RUNNING", Input: body.Input, StartDate: "1767225600123", StopDate: "0", StateMachineResourceName: body.StateMachineResourceName });
                return { ExecutionResourceName: name, StartDate: "1767225600123" };
            }
            case "DescribeExecution": {
                const execution = this.executions.get(body.ExecutionResourceName);
                return execution ?? { Error: { Code: "InvalidParameterValue", Message: `execution ${body.ExecutionResourceName} not found` } };
            }
            default:
                return { Error: { Code: "InvalidAction", Message: `no action ${action}` } };
        }
    }
}

/** The TC3-HMAC-SHA256 header tencentcloud-sdk-nodejs computes for the request as received. */
function sdkAuthorization(seen: Seen, service: string, key = KEYS): string {
    return Sign.sign3({
        method: "POST", url: "https://127.0.0.1/", payload: JSON.parse(seen.raw), timestamp: Number(seen.headers["x-tc-timestamp"]), service,
        secretId: key.secretId, secretKey: key.secretKey, multipart: false, boundary: "", headers: { "Content-Type": "application/json; charset=utf-8" },
    });
}

function assertSignedForAsw(seen: Seen, region: string): void {
    assert.equal(seen.headers["x-tc-version"], "2020-07-22");
    assert.equal(seen.headers["x-tc-region"], region);
    assert.equal(seen.headers["x-tc-token"], KEYS.securityToken);
    assert.match(String(seen.headers.authorization), new RegExp(`^TC3-HMAC-SHA256 Credential=${KEYS.secretId}/\\d{4}-\\d{2}-\\d{2}/asw/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
    assert.equal(seen.headers.authorization, sdkAuthorization(seen, "asw"));
}

/** What console.warn printed while `body` ran. */
async function warnings(body: () => Promise<unknown>): Promise<string[]> {
    const printed: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    try {
        await body();
    } finally {
        console.warn = original;
    }
    return printed;
}

describe("ASW state machine: the dynamic provider", () => {
    let asw: FakeAsw;
    let provider: pulumi.dynamic.ResourceProvider<AswStateMachineInputs, AswStateMachineOutputs>;
    const saved: Record<string, string | undefined> = {};

    before(async () => (asw = await new FakeAsw().start()));
    after(() => asw.close());
    beforeEach(async () => {
        for (const key of ENV_KEYS) {
            saved[key] = process.env[key];
            delete process.env[key];
        }
        asw.reset();
        provider = aswStateMachineProvider({ endpoint: asw.url });
        await provider.configure!({ config: configOf(STACK_CONFIG) });
    });
    afterEach(() => {
        for (const key of ENV_KEYS) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
    });

    const create = (inputs: AswStateMachineInputs = INPUTS) => provider.create({ ...inputs, [PROVIDER_KEY]: "serialized provider" } as AswStateMachineInputs);

    describe("create", () => {
        it("calls CreateFlowService with the definition, a STANDARD type, our role and a generated name, then reads it back", async () => {
            const { id, outs } = await create();
            assert.deepEqual(asw.actions(), ["CreateFlowService", "DescribeFlowServiceDetail"]);
            const request = asw.seen[0].body;
            assert.match(request.FlowServiceName, /^prod-checkout-[0-9a-f]{7}$/);
            assert.deepEqual(request, {
                Definition: DEFINITION,
                FlowServiceName: request.FlowServiceName,
                FlowServiceChineseName: "Payment workflow checkout",
                Description: "Payment workflow checkout (serverless-blocks)",
                Type: "STANDARD",
                RoleResource: INPUTS.roleResource,
                IsNewRole: false,
                EnableCLS: false,
            }, "the SDK's CreateFlowServiceRequest fields; no __provider");
            assert.deepEqual(asw.seen[1].body, { FlowServiceResource: id });
            assert.equal(id, `qrn:qcs:asw:ap-shanghai:${APP_ID}:http:json:flowmachine:${request.FlowServiceName}:f0000001`);
            assert.deepEqual(outs, { ...INPUTS, resourceId: id, name: request.FlowServiceName });
        });

        it("names each flow anew, so neither a replacement nor a retired flow collides", async () => {
            const first = await create();
            const second = await create();
            assert.notEqual(first.outs!.name, second.outs!.name);
        });

        it("signs every request TC3-HMAC-SHA256 for asw 2020-07-22 in the resource's region, as tencentcloud-sdk-nodejs does", async () => {
            const { id, outs } = await create();
            await provider.update!(id, outs!, { ...INPUTS, description: "changed" });
            await warnings(() => provider.delete!(id, outs!));
            assert.ok(asw.seen.length >= 5);
            for (const seen of asw.seen) assertSignedForAsw(seen, "ap-shanghai");
        });

        it("keeps a created flow whose read-back fails: the error carries its id and state, __provider included", async () => {
            asw.failNext("DescribeFlowServiceDetail", "InternalError", "describe broke");
            const error = await create().then(() => assert.fail("expected a failure"), (e: ResourceInitError) => e);
            assert.equal(error.name, RESOURCE_INIT_FAILED);
            assert.ok(asw.flows.has(error.id));
            assert.match(error.properties.name, /^prod-checkout-[0-9a-f]{7}$/);
            assert.equal(error.properties.resourceId, error.id);
            assert.equal(error.properties[PROVIDER_KEY], "serialized provider");
            assert.match(error.message, /^created qrn:qcs:asw:\S+ but could not finish it: asw DescribeFlowServiceDetail \(ap-shanghai\) failed: InternalError: describe broke \(RequestId req-2\)$/);
        });

        it("surfaces an API error with the action, region, code, message and request id", async () => {
            asw.failNext("CreateFlowService", "InvalidParameterValue", "Definition is not valid TCSL");
            await assert.rejects(create(), (error: Error & { code?: string; requestId?: string }) => {
                assert.equal(error.message, "asw CreateFlowService (ap-shanghai) failed: InvalidParameterValue: Definition is not valid TCSL (RequestId req-1)");
                assert.equal(error.code, "InvalidParameterValue");
                return true;
            });
            assert.equal(asw.flows.size, 0);
        });
    });

    describe("update and read", () => {
        it("updates in place with ModifyFlowService: every field again, the same name, the flow's resource", async () => {
            const { id, outs } = await create();
            const definition = DEFINITION.replace("pay", "pay again");
            asw.seen.length = 0;
            const updated = await provider.update!(id, outs!, { ...INPUTS, definition, enableCls: true, [PROVIDER_KEY]: "p" } as AswStateMachineInputs);
            assert.deepEqual(asw.actions(), ["ModifyFlowService", "DescribeFlowServiceDetail"]);
            assert.deepEqual(asw.seen[0].body, {
                Definition: definition,
                FlowServiceName: outs!.name,
                FlowServiceChineseName: INPUTS.displayName,
                Description: INPUTS.description,
                Type: "STANDARD",
                RoleResource: INPUTS.roleResource,
                IsNewRole: false,
                EnableCLS: true,
                FlowServiceResource: id,
            });
            assert.deepEqual(updated.outs, { ...INPUTS, definition, enableCls: true, resourceId: id, name: outs!.name });
        });

        it("keeps the definition's text when ASW hands it back reformatted, and shows a real change on refresh", async () => {
            asw.reformat = (definition) => JSON.stringify(JSON.parse(definition), null, 2);
            const { id, outs } = await create();
            assert.equal(outs!.definition, DEFINITION, "the same JSON: no diff on the next update");
            assert.deepEqual(await provider.diff!(id, outs!, { ...INPUTS }), { changes: false, replaces: [] });
            asw.flows.get(id)!.Definition = "{\"StartAt\":\"Other\",\"States\":{}}";
            const read = await provider.read!(id, outs);
            assert.equal(JSON.parse(read.props!.definition).StartAt, "Other", "drift is shown");
        });

        it("reports a flow that is gone with an empty id", async () => {
            const { id, outs } = await create();
            asw.flows.delete(id);
            assert.deepEqual(await provider.read!(id, outs), { id: "", props: {} });
        });
    });

    describe("diff", () => {
        const olds: AswStateMachineOutputs = { ...INPUTS, resourceId: "qrn:qcs:asw:ap-shanghai:1250000000:http:json:flowmachine:prod-checkout-0a1b2c3:f0000001", name: "prod-checkout-0a1b2c3" };
        const diff = (news: Partial<AswStateMachineInputs>) => provider.diff!(olds.resourceId, { ...olds, [PROVIDER_KEY]: "old" } as AswStateMachineOutputs, { ...INPUTS, ...news, [PROVIDER_KEY]: "new" } as AswStateMachineInputs);

        it("updates in place for the definition, role, type, texts and logging; replaces for another region or name prefix", async () => {
            assert.deepEqual(await diff({}), { changes: false, replaces: [] });
            for (const news of [{ definition: "{}" }, { roleResource: "qcs::cam::uin/1:roleName/other" }, { type: "EXPRESS" as const }, { description: "x" }, { displayName: "x" }, { enableCls: true }]) {
                assert.deepEqual(await diff(news), { changes: true, replaces: [] }, JSON.stringify(news));
            }
            assert.deepEqual(await diff({ region: "ap-guangzhou" }), { changes: true, replaces: ["region"] });
            assert.deepEqual(await diff({ namePrefix: "prod-pay" }), { changes: true, replaces: ["namePrefix"] });
        });
    });

    describe("delete", () => {
        it("deletes with DeleteFlowService where the API has it, and takes a flow already gone as deleted", async () => {
            asw.hasDelete = true;
            const { id, outs } = await create();
            asw.seen.length = 0;
            const printed = await warnings(() => provider.delete!(id, outs!));
            assert.deepEqual(asw.seen.map((s) => [s.action, s.body]), [["DeleteFlowService", { FlowServiceResource: id }]]);
            assert.ok(!asw.flows.has(id));
            assert.deepEqual(printed, []);
            await provider.delete!(id, outs!);
            assert.equal(asw.seen.length, 2, "ResourceNotFound: nothing left to do");
        });

        it("retires the flow where the API has no delete: a definition that runs nothing, a description saying so, and a warning", async () => {
            const { id, outs } = await create();
            asw.seen.length = 0;
            const printed = await warnings(() => provider.delete!(id, outs!));
            assert.deepEqual(asw.actions(), ["DeleteFlowService", "ModifyFlowService"]);
            const retired = asw.seen[1].body;
            assert.equal(retired.FlowServiceResource, id);
            assert.equal(retired.FlowServiceName, outs!.name, "the name is kept");
            assert.equal(retired.Description, RETIRED_DESCRIPTION);
            assert.equal(retired.EnableCLS, false);
            assert.equal(retired.RoleResource, INPUTS.roleResource, "ModifyFlowService requires a role; the retired flow assumes it never");
            const definition = JSON.parse(retired.Definition);
            assert.deepEqual(Object.values(definition.States).map((s: any) => s.Type), ["Fail"], "one state, which fails: nothing is invoked");
            assert.equal((Object.values(definition.States)[0] as any).Error, RETIRED_ERROR);
            assert.equal(printed.length, 1);
            assert.match(printed[0], new RegExp(`^warning: ASW state machine ${outs!.name} \\(${id.replace(/[$]/g, "\\$")}, ap-shanghai\\) was NOT deleted: the ASW API \\(asw 2020-07-22\\) has no delete \\(DeleteFlowService answered InvalidAction\\)\\.`));
            assert.match(printed[0], /Delete it in the ASW console \(https:\/\/console\.cloud\.tencent\.com\/asw\)/);
            assert.ok(asw.flows.has(id), "the flow is left, retired");
        });

        it("takes a flow gone while retiring it as deleted, and passes other failures on", async () => {
            const { id, outs } = await create();
            asw.flows.delete(id);
            assert.deepEqual(await warnings(() => provider.delete!(id, outs!)), []);
            const other = await create();
            asw.failNext("DeleteFlowService", "AuthFailure.UnauthorizedOperation", "not allowed");
            await assert.rejects(provider.delete!(other.id, other.outs!), /asw DeleteFlowService \(ap-shanghai\) failed: AuthFailure\.UnauthorizedOperation: not allowed/);
            assert.equal(asw.flows.get(other.id)!.Description, INPUTS.description, "not retired on an error other than InvalidAction");
        });
    });

    describe("as the CLI runs it: serialized, in the SDK's dynamic-provider program, from a folder without node_modules", () => {
        let text: string;
        let consumer: string;
        before(async function () {
            this.timeout(60_000);
            const serialized = aswStateMachineProvider({ endpoint: asw.url });
            text = (await pulumi.runtime.serializeFunction(() => serialized, { allowSecrets: true })).text;
            consumer = fs.mkdtempSync(path.join(os.tmpdir(), "sb-asw-"));
            fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: consumer\nruntime: python\n");
        });
        after(() => fs.rmSync(consumer, { recursive: true, force: true }));

        it("captures nothing but Node built-ins, and no key", () => {
            const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
            assert.deepEqual([...new Set(required)], ["crypto"]);
            assert.ok(!text.includes(KEYS.secretKey) && !text.includes(KEYS.secretId));
        });

        it("creates, then retires on delete with the warning on the plugin's stderr, through gRPC with the stack's config", async function () {
            this.timeout(60_000);
            const env = { ...process.env };
            for (const key of [...ENV_KEYS, "NODE_PATH"]) delete env[key];
            const provider = await startDynamicProvider(consumer, env);
            const client = provider.client;
            try {
                const configure = new provproto.ConfigureRequest();
                configure.setArgs(Struct.fromJavaScript(STACK_CONFIG));
                await rpc(client, "configure", configure);

                const createRequest = new provproto.CreateRequest();
                createRequest.setUrn("urn:pulumi:prod::shop::serverless-blocks:index:PaymentWorkflow$pulumi-nodejs:dynamic/tencentcloud:AswStateMachine::checkout");
                createRequest.setProperties(Struct.fromJavaScript({ ...INPUTS, [PROVIDER_KEY]: text }));
                const created: any = await rpc(client, "create", createRequest);
                const id: string = created.getId();
                const state = created.getProperties().toJavaScript();
                assert.ok(asw.flows.has(id));
                assert.match(state.name, /^prod-checkout-[0-9a-f]{7}$/, "the name generated inside the plugin");
                assert.equal(asw.seen[0].headers.authorization, sdkAuthorization(asw.seen[0], "asw"), "signed with tencentcloud:secretId / secretKey from Configure");

                const deleteRequest = new provproto.DeleteRequest();
                deleteRequest.setId(id);
                deleteRequest.setUrn(createRequest.getUrn());
                deleteRequest.setProperties(Struct.fromJavaScript(state));
                await rpc(client, "delete", deleteRequest);
                assert.equal(asw.flows.get(id)!.Description, RETIRED_DESCRIPTION);
                await new Promise((resolve) => setTimeout(resolve, 100));
                assert.match(provider.stderr(), new RegExp(`warning: ASW state machine ${state.name} .* was NOT deleted`), "the CLI shows this plugin's stderr");
            } finally {
                provider.stop();
            }
        });
    });
});

describe("payments on Tencent Cloud (ASW)", () => {
    const FLOW = `qrn:qcs:asw:ap-guangzhou:${APP_ID}:http:json:flowmachine:prod-checkout-0a1b2c3:bfhzs4j8`;
    const EXECUTION = `qrn:qcs:asw:ap-guangzhou:${APP_ID}:execution:bfhzs4j8:pay-1`;
    const PAYMENT: Payment = { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "CNY" };
    const INPUT = { ...PAYMENT, startId: "start-1" };
    let asw: FakeAsw;
    let transport: ReturnType<typeof createTencentPayments>;

    before(async () => (asw = await new FakeAsw().start()));
    after(() => asw.close());
    beforeEach(() => {
        asw.reset();
        transport = createTencentPayments({ endpoint: asw.url, region: "ap-guangzhou", credential: { secretId: KEYS.secretId, secretKey: KEYS.secretKey, token: KEYS.securityToken } });
    });

    it("names an execution after its flow's id and the payment id, as ASW's examples do", () => {
        assert.deepEqual(parseFlowResource(FLOW), { region: "ap-guangzhou", appId: APP_ID, flowId: "bfhzs4j8" });
        assert.equal(executionResourceName(FLOW, "pay-1"), EXECUTION);
        assert.throws(() => parseFlowResource("arn:aws:states:us-east-1:123456789012:stateMachine:checkout"), /is not an ASW state machine resource/);
    });

    it("starts with StartExecution on the flow, named after the payment id, its input the payment and this start, after looking the name up", async () => {
        assert.deepEqual(await transport.start(FLOW, "pay-1", INPUT), { started: true, executionId: EXECUTION });
        assert.deepEqual(asw.seen.map((s) => [s.action, s.body]), [
            ["DescribeExecution", { ExecutionResourceName: EXECUTION }],
            ["StartExecution", { StateMachineResourceName: FLOW, Input: JSON.stringify(INPUT), Name: "pay-1" }],
        ]);
        for (const seen of asw.seen) assertSignedForAsw(seen, "ap-guangzhou");
    });

    it("reports a name used before as taken, without starting", async () => {
        await transport.start(FLOW, "pay-1", INPUT);
        asw.seen.length = 0;
        const again = await transport.start(FLOW, "pay-1", { ...INPUT, startId: "start-2" });
        assert.deepEqual(again, { started: false, detail: `ASW execution ${EXECUTION} exists (RUNNING)` });
        assert.deepEqual(asw.actions(), ["DescribeExecution"]);
    });

    it("reports a start that lost a race as taken (the name exists after StartExecution failed), and passes other failures on", async () => {
        asw.failNext("StartExecution", "FailedOperation", "execution name in use");
        asw.executions.set(EXECUTION, { ExecutionResourceName: EXECUTION, Status: "RUNNING" });
        // The first look-up misses it: the racing start has not landed yet.
        asw.failNext("DescribeExecution", "InvalidParameterValue", "not found");
        assert.deepEqual(await transport.start(FLOW, "pay-1", INPUT), { started: false, detail: "FailedOperation: execution name in use" });
        asw.reset();
        asw.failNext("StartExecution", "AuthFailure.UnauthorizedOperation", "not allowed");
        await assert.rejects(transport.start(FLOW, "pay-1", INPUT), (error: Error & { code?: string }) => error.code === "AuthFailure.UnauthorizedOperation");
    });

    it("describes an execution by name: status, input and start time; an unknown one is undefined", async () => {
        assert.equal(await transport.describe(FLOW, "pay-1"), undefined);
        await transport.start(FLOW, "pay-1", INPUT);
        assert.deepEqual(await transport.describe(FLOW, "pay-1"), { status: "running", input: INPUT, startedAt: new Date(1767225600123).toISOString() });
        for (const [status, expected] of [["INIT", "running"], ["SUCCEED", "succeeded"], ["FAILED", "failed"], ["TERMINATED", "aborted"]]) {
            asw.executions.get(EXECUTION)!.Status = status;
            assert.equal((await transport.describe(FLOW, "pay-1"))!.status, expected, status);
        }
    });

    it("refuses to resume a wait: ASW has no task tokens", async () => {
        await assert.rejects(transport.resume("token", { status: "succeeded" }), /ASW \(Tencent Cloud\) has no task-token API to resume a wait/);
        assert.equal(asw.seen.length, 0);
    });

    describe("through payments(name)", () => {
        let dir: string;
        let backend: LocalTableBackend;
        let records: TableClient<Item>;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "payments-tencent-"));
            backend = createLocalTable({ file: () => path.join(dir, "payments.sqlite") });
            records = tableClient({ name: "checkout-payments", tableName: "checkout_payments", partitionKey: "paymentId" }, backend);
        });
        afterEach(() => {
            backend.close();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("starts once and refuses a second start of the payment as PaymentAlreadyStarted; status reads the running execution before the record exists", async () => {
            let starts = 0;
            const client = paymentsClient({ name: "checkout", table: "checkout-payments", workflowId: FLOW }, transport, records, () => `start-${++starts}`);
            assert.deepEqual(await client.start(PAYMENT), { paymentId: "pay-1", executionId: EXECUTION, startId: "start-1" });
            await assert.rejects(client.start(PAYMENT), (error: Error) => error instanceof PaymentAlreadyStarted && /\(ASW execution .* exists \(RUNNING\)\)$/.test(error.message));
            const status = await client.status("pay-1");
            assert.equal(status!.status, "requested");
            assert.equal(status!.startId, "start-1");
        });
    });
});
