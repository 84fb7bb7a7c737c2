// The dynamic provider of the Realtime's WebSocket API on Tencent Cloud against a fake API Gateway
// API 3.0 on 127.0.0.1: which actions it calls with which fields (the three SCF functions above
// all), that each request is signed TC3-HMAC-SHA256 for `apigateway` in the resource's region
// exactly as tencentcloud-sdk-nodejs signs it, how it diffs, how API errors and missing keys
// surface; and the provider as the CLI runs it: serialized by Pulumi's closure serialization and
// evaluated by the SDK's own dynamic-provider program (what `pulumi-resource-pulumi-nodejs` starts)
// in a folder without node_modules, configured over gRPC with the stack's `tencentcloud:*` keys.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import { MISSING_CREDENTIALS } from "../../components/tencentcloud/dynamic/credentials";
import { RESOURCE_INIT_FAILED, type ResourceInitError } from "../../components/tencentcloud/dynamic/provider";
import { websocketApiProvider, type WebSocketApiInputs, type WebSocketApiOutputs } from "../../components/tencentcloud/dynamic/websocket-api";
import { provproto, repo, rpc, Struct } from "../support/component-plugin";
import { startDynamicProvider } from "../support/dynamic-provider";

type Json = Record<string, any>;

const KEYS = { secretId: "AKIDdynamic", secretKey: "dynamic-secret-key", securityToken: "dynamic-session-token" };
const STACK_CONFIG: Record<string, string> = {
    "tencentcloud:secretId": KEYS.secretId,
    "tencentcloud:secretKey": KEYS.secretKey,
    "tencentcloud:securityToken": KEYS.securityToken,
    "tencentcloud:region": "ap-guangzhou",
};
const ENV_KEYS = ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_REGION"];
/** The serialized provider's key in a dynamic resource's inputs and outputs. */
const PROVIDER_KEY = "__provider";
/** What the engine sends for an input not known during a preview. */
const UNKNOWN: string = require("@pulumi/pulumi/runtime/rpc").unknownValue;
const statusproto = require("@pulumi/pulumi/proto/status_pb");

const fn = (name: string) => ({ name, namespace: "default", qualifier: "$LATEST" });
const INPUTS: WebSocketApiInputs = {
    region: "ap-shanghai",
    serviceId: "service-0a1b2c3d",
    apiName: "live_websocket",
    apiDesc: "WebSocket of Realtime live",
    path: "/websocket",
    timeout: 600,
    register: fn("live-connect-1a2b3c4"),
    transport: fn("live-default-5d6e7f8"),
    cleanup: fn("live-disconnect-9a0b1c2"),
};

/** Config as the `pulumi-nodejs` plugin hands it to `configure`. */
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
 * API Gateway's API 3.0 as far as a WEBSOCKET API needs it: CreateApi, DescribeApi, ModifyApi,
 * DeleteApi over an in-memory table of APIs, answering as the API does (HTTP 200, errors in
 * `Response.Error`). `failNext` makes one action answer an error instead.
 */
class FakeApiGateway {
    readonly seen: Seen[] = [];
    readonly apis = new Map<string, Json>();
    private readonly failures = new Map<string, { Code: string; Message: string }>();
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
            const response = failure ? { Error: failure, RequestId: requestId } : { ...this.answer(action, body), RequestId: requestId };
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: response }));
        });
    });
    private next = 0;

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

    private answer(action: string, body: Json): Json {
        const notFound = { Error: { Code: "ResourceNotFound.InvalidApi", Message: `api ${body.ApiId} not found` } };
        switch (action) {
            case "CreateApi": {
                const apiId = `api-${String(++this.next).padStart(8, "0")}`;
                this.apis.set(apiId, { ...body, ApiId: apiId });
                return { Result: { ApiId: apiId, Path: body.RequestConfig.Path, Method: body.RequestConfig.Method, CreatedTime: "2026-03-01T08:00:00Z" } };
            }
            case "DescribeApi": {
                const api = this.apis.get(body.ApiId);
                if (!api) return notFound;
                const { RequestConfig, ...rest } = api;
                return { Result: { ...rest, RequestConfig: { Path: RequestConfig.Path, Method: RequestConfig.Method }, InternalDomain: `http://push.example/${body.ApiId}` } };
            }
            case "ModifyApi": {
                if (!this.apis.has(body.ApiId)) return notFound;
                this.apis.set(body.ApiId, { ...body });
                return {};
            }
            case "DeleteApi":
                if (!this.apis.delete(body.ApiId)) return notFound;
                return { Result: true };
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

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

function withoutTencentEnv() {
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
        for (const key of ENV_KEYS) {
            saved[key] = process.env[key];
            delete process.env[key];
        }
    });
    afterEach(() => {
        for (const key of ENV_KEYS) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
    });
}

describe("Tencent Cloud dynamic resources: the WebSocket API provider", () => {
    let api: FakeApiGateway;
    let provider: pulumi.dynamic.ResourceProvider<WebSocketApiInputs, WebSocketApiOutputs>;
    withoutTencentEnv();

    before(async () => (api = await new FakeApiGateway().start()));
    after(() => api.close());
    beforeEach(async () => {
        api.seen.length = 0;
        api.apis.clear();
        provider = websocketApiProvider({ endpoint: api.url });
        await provider.configure!({ config: configOf(STACK_CONFIG) });
    });

    const create = (inputs: WebSocketApiInputs = INPUTS) => provider.create({ ...inputs, [PROVIDER_KEY]: "serialized provider" } as WebSocketApiInputs);

    describe("create", () => {
        it("calls CreateApi with the WEBSOCKET frontend, the SCF backend and the three functions, then DescribeApi", async () => {
            const { id, outs } = await create();
            assert.deepEqual(api.actions(), ["CreateApi", "DescribeApi"]);
            const request = api.seen[0].body;
            assert.deepEqual(request, {
                ServiceId: "service-0a1b2c3d",
                ApiName: "live_websocket",
                ApiDesc: "WebSocket of Realtime live",
                Protocol: "WEBSOCKET",
                ServiceType: "SCF",
                ServiceTimeout: 600,
                RequestConfig: { Path: "/websocket", Method: "GET" },
                AuthType: "NONE",
                EnableCORS: false,
                ServiceWebsocketRegisterFunctionName: "live-connect-1a2b3c4",
                ServiceWebsocketRegisterFunctionNamespace: "default",
                ServiceWebsocketRegisterFunctionQualifier: "$LATEST",
                ServiceWebsocketTransportFunctionName: "live-default-5d6e7f8",
                ServiceWebsocketTransportFunctionNamespace: "default",
                ServiceWebsocketTransportFunctionQualifier: "$LATEST",
                ServiceWebsocketCleanupFunctionName: "live-disconnect-9a0b1c2",
                ServiceWebsocketCleanupFunctionNamespace: "default",
                ServiceWebsocketCleanupFunctionQualifier: "$LATEST",
            }, "no ServiceScfFunction* fields, no __provider: what the API documents for WEBSOCKET over SCF");
            assert.deepEqual(api.seen[1].body, { ServiceId: "service-0a1b2c3d", ApiId: id });
            assert.equal(id, "api-00000001");
            assert.deepEqual(outs, { ...INPUTS, apiId: id, internalDomain: `http://push.example/${id}` });
        });

        it("signs every request TC3-HMAC-SHA256 for apigateway 2018-08-08 in the resource's region, as tencentcloud-sdk-nodejs does", async () => {
            await create();
            for (const seen of api.seen) {
                const { headers } = seen;
                assert.equal(headers["x-tc-version"], "2018-08-08");
                assert.equal(headers["x-tc-region"], "ap-shanghai", "the resource's region, not tencentcloud:region");
                assert.equal(headers["x-tc-token"], KEYS.securityToken);
                assert.equal(headers["content-type"], "application/json; charset=utf-8");
                const date = new Date(Number(headers["x-tc-timestamp"]) * 1000).toISOString().slice(0, 10);
                assert.match(String(headers.authorization), new RegExp(`^TC3-HMAC-SHA256 Credential=${KEYS.secretId}/${date}/apigateway/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
                assert.equal(headers.authorization, sdkAuthorization(seen, "apigateway"));
            }
        });

        it("keeps a created API whose read-back fails: the error carries its id and state, __provider included", async () => {
            api.failNext("DescribeApi", "InternalError", "describe broke");
            const error = await create().then(() => assert.fail("expected a failure"), (e: ResourceInitError) => e);
            assert.equal(error.name, RESOURCE_INIT_FAILED);
            assert.match(error.id, /^api-\d{8}$/);
            assert.ok(api.apis.has(error.id));
            assert.equal(error.properties.serviceId, INPUTS.serviceId);
            assert.equal(error.properties[PROVIDER_KEY], "serialized provider", "the engine loads the provider from it to delete the API later");
            assert.match(error.message, /created api-\d{8} but could not finish it: apigateway DescribeApi \(ap-shanghai\) failed: InternalError: describe broke \(RequestId req-\d+\)/);
        });
    });

    describe("update, read and delete", () => {
        it("updates in place with ModifyApi: every field again, with the API's id", async () => {
            const { id, outs } = await create();
            const news = { ...INPUTS, transport: fn("live-default-0f0f0f0"), apiDesc: "changed" };
            api.seen.length = 0;
            const { outs: updated } = await provider.update!(id, outs!, { ...news, [PROVIDER_KEY]: "p" } as WebSocketApiInputs);
            assert.deepEqual(api.actions(), ["ModifyApi", "DescribeApi"]);
            const request = api.seen[0].body;
            assert.equal(request.ApiId, id);
            assert.equal(request.ServiceId, INPUTS.serviceId);
            assert.equal(request.ServiceType, "SCF");
            assert.equal(request.Protocol, "WEBSOCKET");
            assert.deepEqual(request.RequestConfig, { Path: "/websocket", Method: "GET" });
            assert.equal(request.ServiceWebsocketTransportFunctionName, "live-default-0f0f0f0");
            assert.equal(request.ServiceWebsocketRegisterFunctionName, "live-connect-1a2b3c4");
            assert.equal(request.ServiceWebsocketCleanupFunctionName, "live-disconnect-9a0b1c2");
            assert.equal(request.ApiDesc, "changed");
            assert.deepEqual(updated, { ...news, apiId: id, internalDomain: `http://push.example/${id}` });
        });

        it("reads the API as the gateway has it, and reports it gone with an empty id", async () => {
            const { id, outs } = await create();
            api.apis.get(id)!.ServiceWebsocketCleanupFunctionName = "changed-by-hand";
            const read = await provider.read!(id, outs);
            assert.equal(read.id, id);
            assert.equal(read.props!.cleanup.name, "changed-by-hand", "a refresh shows drift");
            assert.equal(read.props!.region, INPUTS.region);
            api.apis.delete(id);
            assert.deepEqual(await provider.read!(id, outs), { id: "", props: {} });
        });

        it("deletes with DeleteApi, and takes an API already gone as deleted", async () => {
            const { id, outs } = await create();
            api.seen.length = 0;
            await provider.delete!(id, outs!);
            assert.deepEqual(api.seen.map((s) => [s.action, s.body]), [["DeleteApi", { ServiceId: INPUTS.serviceId, ApiId: id }]]);
            assert.ok(!api.apis.has(id));
            await provider.delete!(id, outs!);
            assert.equal(api.seen.length, 2, "ResourceNotFound.InvalidApi: nothing left to do");
        });
    });

    describe("diff", () => {
        const olds: WebSocketApiOutputs = { ...INPUTS, apiId: "api-00000001", internalDomain: "http://push.example/api-00000001" };
        const diff = (news: Partial<Record<keyof WebSocketApiInputs, unknown>>, before: Json = olds) =>
            provider.diff!("api-00000001", { ...before, [PROVIDER_KEY]: "old code" } as unknown as WebSocketApiOutputs, { ...INPUTS, ...news, [PROVIDER_KEY]: "new code" } as WebSocketApiInputs);

        it("sees no change for the same inputs, whatever the provider's code or the order of a map's keys", async () => {
            const reordered = { ...olds, register: { qualifier: "$LATEST", namespace: "default", name: INPUTS.register.name } };
            assert.deepEqual(await diff({}, reordered), { changes: false, replaces: [] });
        });

        it("updates in place for the name, description, path, timeout and functions", async () => {
            for (const news of [{ apiName: "other" }, { apiDesc: "other" }, { path: "/ws" }, { timeout: 300 }, { register: fn("x") }, { transport: fn("y") }, { cleanup: { ...INPUTS.cleanup, qualifier: "1" } }]) {
                assert.deepEqual(await diff(news), { changes: true, replaces: [] }, JSON.stringify(news));
            }
        });

        it("replaces for another service or region", async () => {
            assert.deepEqual(await diff({ serviceId: "service-ffffffff" }), { changes: true, replaces: ["serviceId"] });
            assert.deepEqual(await diff({ region: "ap-beijing" }), { changes: true, replaces: ["region"] });
        });

        it("plans with unknowns as a real provider would: an unknown function updates, an unknown service replaces", async () => {
            assert.deepEqual(await diff({ transport: UNKNOWN }), { changes: true, replaces: [] });
            assert.deepEqual(await diff({ serviceId: UNKNOWN }), { changes: true, replaces: ["serviceId"] });
        });

        it("needs no keys to diff", async () => {
            const bare = websocketApiProvider({ endpoint: api.url });
            assert.deepEqual(await bare.diff!("api-00000001", { ...olds } as WebSocketApiOutputs, { ...INPUTS }), { changes: false, replaces: [] });
            assert.equal(api.seen.length, 0);
        });
    });

    describe("errors", () => {
        it("surfaces an API error with the action, region, code, message and request id", async () => {
            api.failNext("CreateApi", "FailedOperation.ApiError", "path /websocket GET already exists in service-0a1b2c3d");
            await assert.rejects(create(), (error: Error & { code?: string; requestId?: string }) => {
                assert.equal(error.message, "apigateway CreateApi (ap-shanghai) failed: FailedOperation.ApiError: path /websocket GET already exists in service-0a1b2c3d (RequestId req-1)");
                assert.equal(error.code, "FailedOperation.ApiError");
                assert.equal(error.requestId, "req-1");
                return true;
            });
            assert.equal(api.apis.size, 0);
        });

        it("surfaces a failed delete other than not-found", async () => {
            const { id, outs } = await create();
            api.failNext("DeleteApi", "FailedOperation.ApiInOperation", "api is being released");
            await assert.rejects(provider.delete!(id, outs!), /apigateway DeleteApi \(ap-shanghai\) failed: FailedOperation\.ApiInOperation: api is being released/);
            assert.ok(api.apis.has(id));
        });

        it("names where the request could not go", async () => {
            const closed = websocketApiProvider({ endpoint: `http://127.0.0.1:${await closedPort()}/` });
            await closed.configure!({ config: configOf(STACK_CONFIG) });
            await assert.rejects(closed.create({ ...INPUTS }), /apigateway CreateApi \(ap-shanghai\) failed: fetch failed: .*ECONNREFUSED/);
        });
    });

    describe("credentials", () => {
        it("refuses clearly without keys, before calling the API", async () => {
            const bare = websocketApiProvider({ endpoint: api.url });
            await bare.configure!({ config: configOf({}) });
            await assert.rejects(bare.create({ ...INPUTS }), (error: Error) => {
                assert.equal(error.name, MISSING_CREDENTIALS);
                assert.match(error.message, /^API Gateway WebSocket API: no Tencent Cloud keys: set `pulumi config set tencentcloud:secretId <id>` and `pulumi config set --secret tencentcloud:secretKey <key>`, or the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
                assert.match(error.message, /tencentcloud:securityToken \/ TENCENTCLOUD_SECURITY_TOKEN for temporary keys/);
                return true;
            });
            assert.equal(api.seen.length, 0);
        });

        it("names the half of a key pair that is missing", async () => {
            const half = websocketApiProvider({ endpoint: api.url });
            await half.configure!({ config: configOf({ "tencentcloud:secretId": KEYS.secretId }) });
            await assert.rejects(half.delete!("api-1", { ...INPUTS, apiId: "api-1", internalDomain: "" }), /Tencent Cloud keys are incomplete: tencentcloud:secretKey \/ TENCENTCLOUD_SECRET_KEY is not set/);
        });

        it("falls back to the environment the Terraform provider reads, and prefers the stack's config", async () => {
            process.env.TENCENTCLOUD_SECRET_ID = "AKIDfromenv";
            process.env.TENCENTCLOUD_SECRET_KEY = "key-from-env";
            process.env.TENCENTCLOUD_SESSION_TOKEN = "token-from-env";
            const fromEnv = websocketApiProvider({ endpoint: api.url });
            await fromEnv.configure!({ config: configOf({}) });
            await fromEnv.create({ ...INPUTS });
            assert.equal(api.seen[0].headers.authorization, sdkAuthorization(api.seen[0], "apigateway", { secretId: "AKIDfromenv", secretKey: "key-from-env", securityToken: "" }));
            assert.equal(api.seen[0].headers["x-tc-token"], "token-from-env");
            api.seen.length = 0;
            await create();
            assert.match(String(api.seen[0].headers.authorization), /Credential=AKIDdynamic\//, "tencentcloud:secretId wins over TENCENTCLOUD_SECRET_ID");
        });
    });

    describe("as the CLI runs it: serialized, in the SDK's dynamic-provider program, from a folder without node_modules", () => {
        let text: string;
        let consumer: string;
        before(async function () {
            this.timeout(60_000);
            // What pulumi.dynamic.Resource puts into `__provider` (@pulumi/pulumi dynamic/index.js).
            const provider = websocketApiProvider({ endpoint: api.url });
            text = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
            consumer = fs.mkdtempSync(path.join(os.tmpdir(), "sb-dynamic-"));
            fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: consumer\nruntime: python\n");
        });
        after(() => fs.rmSync(consumer, { recursive: true, force: true }));

        it("captures nothing but Node built-ins, and no key", () => {
            const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
            assert.deepEqual([...new Set(required)], ["crypto"]);
            assert.ok(!text.includes(KEYS.secretKey) && !text.includes(KEYS.secretId));
        });

        it("creates and deletes through Configure, Create and Delete over gRPC, with the stack's tencentcloud:* config", async function () {
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
                createRequest.setUrn("urn:pulumi:dev::consumer::pulumi-nodejs:dynamic/tencentcloud:ApiGatewayWebSocketApi::live-api");
                createRequest.setProperties(Struct.fromJavaScript({ ...INPUTS, [PROVIDER_KEY]: text }));
                const created: any = await rpc(client, "create", createRequest);
                const id: string = created.getId();
                const state = created.getProperties().toJavaScript();
                assert.ok(api.apis.has(id));
                assert.equal(state.internalDomain, `http://push.example/${id}`);
                assert.equal(state[PROVIDER_KEY], text, "the plugin keeps the provider in the state for later operations");
                assert.equal(api.seen[0].headers.authorization, sdkAuthorization(api.seen[0], "apigateway"), "signed with tencentcloud:secretId / secretKey from Configure");
                assert.equal(api.seen[0].body.ServiceWebsocketRegisterFunctionName, INPUTS.register.name);

                // Created, but the read-back failed: the engine is told the id and the state, __provider included.
                api.failNext("DescribeApi", "InternalError", "describe broke");
                const failed: any = await rpc(client, "create", createRequest).then(() => assert.fail("expected a failure"), (e: unknown) => e);
                assert.match(failed.details, /^created (api-\d{8}) but could not finish it: apigateway DescribeApi \(ap-shanghai\) failed: InternalError: describe broke/);
                const status = statusproto.Status.deserializeBinary(failed.metadata.get("grpc-status-details-bin")[0]);
                const initFailed = provproto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue_asU8());
                assert.ok(api.apis.has(initFailed.getId()));
                assert.equal(initFailed.getProperties().toJavaScript()[PROVIDER_KEY], text);

                api.failNext("DeleteApi", "AuthFailure.UnauthorizedOperation", "not allowed");
                const deleteRequest = new provproto.DeleteRequest();
                deleteRequest.setId(id);
                deleteRequest.setUrn(createRequest.getUrn());
                deleteRequest.setProperties(Struct.fromJavaScript(state));
                await assert.rejects(rpc(client, "delete", deleteRequest), /apigateway DeleteApi \(ap-shanghai\) failed: AuthFailure\.UnauthorizedOperation: not allowed/);
                await rpc(client, "delete", deleteRequest);
                assert.ok(!api.apis.has(id));
            } finally {
                provider.stop();
            }
        });

        it("is found by the CLI's plugin script only if @pulumi/pulumi resolves from the program's folder (pulumi/pulumi#5455)", () => {
            // sdk/nodejs/dist/pulumi-resource-pulumi-nodejs: node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))"
            const resolve = (env: NodeJS.ProcessEnv) =>
                spawnSync(process.execPath, ["-e", "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))"], { cwd: consumer, env, encoding: "utf8" });
            const env = { ...process.env };
            delete env.NODE_PATH;
            const bare = resolve(env);
            assert.notEqual(bare.status, 0);
            assert.match(bare.stderr, /Cannot find module '@pulumi\/pulumi\/cmd\/dynamic-provider'/);
            const withNodePath = resolve({ ...env, NODE_PATH: path.join(repo, "node_modules") });
            assert.equal(withNodePath.status, 0, withNodePath.stderr);
        });
    });
});
