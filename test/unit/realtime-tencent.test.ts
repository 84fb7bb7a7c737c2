// Realtime on Tencent Cloud, as the in-process engine registers it with realistic ids: the API
// Gateway service, its one WEBSOCKET API (a dynamic resource over API Gateway's API 3.0, since the
// Terraform provider drops the register and cleanup functions of an SCF backend) with the register,
// transport and cleanup functions, the release after it; the `$default` function as the router (its
// routes' names, invoke permission on exactly those functions); every function's link (store, push
// look-up, token settings) and network (the connection table's VPC).
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Realtime, type RealtimeArgs } from "../../components";
import { WEBSOCKET_API_TYPE } from "../../components/tencentcloud/dynamic/websocket-api";
import { IDLE_TIMEOUT_SECONDS, WEBSOCKET_PATH } from "../../components/tencentcloud/realtime";
import { SOCKET_SETTINGS_ENV, TOKEN_SOURCE_ENV } from "../../functions/runtime/adapters/socket";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { parsePushEndpoint, SOCKET_ROUTES_ENV } from "../../functions/runtime/clients/tencentcloud/realtime";
import { evaluate, json, type Evaluated } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ISSUER = "https://auth.example.com";
const UIN = "100000000001";

const TC = {
    service: "tencentcloud:index/apiGatewayService:ApiGatewayService",
    api: WEBSOCKET_API_TYPE,
    terraformApi: "tencentcloud:index/apiGatewayApi:ApiGatewayApi",
    release: "tencentcloud:index/apiGatewayServiceRelease:ApiGatewayServiceRelease",
    fn: "tencentcloud:index/scfFunction:ScfFunction",
    policy: "tencentcloud:index/camPolicy:CamPolicy",
    cluster: "tencentcloud:index/cynosdbCluster:CynosdbCluster",
    vpc: "tencentcloud:index/vpc:Vpc",
};
const FUNCTIONS = ["live-connect", "live-disconnect", "live-default", "live-say", "live-room-join"];

function live(overrides: Partial<RealtimeArgs> = {}) {
    return () => {
        const realtime = new Realtime("live", {
            jwt: { issuer: ISSUER, audience: ["shop-web"] },
            tokenFrom: "protocol",
            routes: { say: { handler: HANDLER, timeout: 20 }, "room.join": { handler: HANDLER } },
            ...overrides,
        });
        return { url: realtime.url, resourceId: realtime.resourceId, connectionsTable: realtime.connectionsTable };
    };
}

const envOf = (stack: Evaluated, fn: string) => stack.one(TC.fn, fn).state.environment as Record<string, string>;
const policyOf = (stack: Evaluated, fn: string) => json(stack.one(TC.policy, `${fn}-policy`).inputs.document) as { statement: { action: string[]; resource: string[] }[] };
const deployedName = (stack: Evaluated, fn: string) => stack.one(TC.fn, fn).state.name as string;

describe("Realtime on Tencent Cloud", () => {
    let stack: Evaluated;
    before(async () => {
        stack = await evaluate("tencentcloud", live());
    });

    it("is an https, public API Gateway service limited to the Realtime's endpoint rate", () => {
        const service = stack.one(TC.service, "live");
        assert.equal(service.inputs.serviceName, "test_live", "named after the stack and the component");
        assert.equal(service.inputs.protocol, "https");
        assert.deepEqual(service.inputs.netTypes, ["OUTER"]);
        assert.equal(service.inputs.releaseLimit, 50, "the Realtime's default endpoint rate");
        assert.ok(service.packageRef, "registered against the parameterized tencentcloud package");
        assert.equal(stack.outputs.url, `wss://${service.state.id}-1250000000.gz.apigw.tencentcs.com/release${WEBSOCKET_PATH}`);
        assert.equal(stack.outputs.resourceId, `qcs::apigw:ap-guangzhou:uin/${UIN}:service/${service.state.id}`);
    });

    it("has one WEBSOCKET API: register = $connect, transport = $default, cleanup = $disconnect", () => {
        const api = stack.one(TC.api);
        assert.equal(api.type, "pulumi-nodejs:dynamic/tencentcloud:ApiGatewayWebSocketApi", "run by the CLI's pulumi-nodejs plugin");
        assert.equal(api.name, "live-api");
        assert.equal(api.parent, "live");
        const fn = (name: string) => ({ name: deployedName(stack, name), namespace: "default", qualifier: "live" });
        const { __provider, ...inputs } = api.inputs;
        assert.deepEqual(inputs, {
            region: "ap-guangzhou",
            serviceId: stack.one(TC.service).state.id,
            apiName: "live_websocket",
            apiDesc: "WebSocket of Realtime live: $connect, $disconnect, $default, say, room.join",
            path: WEBSOCKET_PATH,
            timeout: IDLE_TIMEOUT_SECONDS,
            register: fn("live-connect"),
            transport: fn("live-default"),
            cleanup: fn("live-disconnect"),
        });
        assert.equal(IDLE_TIMEOUT_SECONDS, 600, "a WEBSOCKET API's backend timeout is the idle timeout: the platform's 10 minutes");
        assert.match(api.state.id, /^api-[0-9a-f]{8}$/);
        assert.equal(api.state.apiId, api.state.id);
        assert.match(api.state.internalDomain, /^http:\/\//, "the push address is an output now");
        assert.equal(api.packageRef, undefined, "not a resource of the Terraform provider's package");
        assert.deepEqual(stack.ofType(TC.terraformApi), [], "tencentcloud_api_gateway_api would drop the register and cleanup functions");
    });

    it("registers the provider serialized whole in __provider: Node built-ins only, no key", async () => {
        const sentinel = "sentinel-secret-key-of-the-stack";
        const keyed = await evaluate("tencentcloud", live(), { "tencentcloud:secretId": "AKIDsentinel", "tencentcloud:secretKey": sentinel });
        // The state holds it whole; plans show its length and digest (engine/render.ts).
        const text = String(keyed.one(TC.api).state.__provider);
        assert.match(String(keyed.one(TC.api).inputs.__provider), /^\[provider code: \d+ characters, sha256 [0-9a-f]{16}\]$/);
        assert.match(text, /^exports\.handler = /);
        assert.deepEqual([...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))], ["crypto"], "the API client and its signer are in the text");
        assert.ok(!text.includes(sentinel) && !text.includes("AKIDsentinel"), "keys are read by the plugin at deploy time, never captured into state");
    });

    it("releases the service after the API, never unpublishing a replaced release", () => {
        const release = stack.one(TC.release, "live-release");
        assert.equal(release.inputs.serviceId, stack.one(TC.service).state.id);
        assert.equal(release.inputs.environmentName, "release");
        assert.match(String(release.inputs.releaseDesc), /^serverless-blocks live: WebSocket API, definition [0-9a-f]{16}$/);
        assert.ok(release.dependsOn.includes("live-api"), "published only once the API has its functions");
        assert.equal(release.retainOnDelete, true);
    });

    it("makes one function per route beside the three, each in the connection table's VPC", () => {
        assert.deepEqual(stack.ofType(TC.fn).map((f) => f.name).sort(), [...FUNCTIONS].sort());
        const cluster = stack.one(TC.cluster, "live-connections");
        for (const fn of FUNCTIONS) {
            const scf = stack.one(TC.fn, fn);
            assert.equal(scf.inputs.vpcId, cluster.inputs.vpcId, `${fn} reaches the connection table's cluster`);
            assert.equal(scf.inputs.vpcId, stack.one(TC.vpc).state.id);
            assert.ok(scf.inputs.subnetId);
        }
    });

    it("makes the $default function the router: its routes' function names, invoke on exactly those", () => {
        const routes = JSON.parse(envOf(stack, "live-default")[SOCKET_ROUTES_ENV]);
        assert.deepEqual(routes, { say: deployedName(stack, "live-say"), "room.join": deployedName(stack, "live-room-join") });
        const invoke = policyOf(stack, "live-default").statement.filter((s) => s.action.includes("scf:InvokeFunction"));
        assert.deepEqual(invoke.flatMap((s) => s.resource).sort(), ["live-say", "live-room-join"].map((fn) =>
            `qcs::scf:ap-guangzhou:uin/${UIN}:namespace/default/function/${deployedName(stack, fn)}`).sort());
        for (const fn of FUNCTIONS.filter((f) => f !== "live-default")) {
            assert.equal(envOf(stack, fn)[SOCKET_ROUTES_ENV], undefined, `${fn} routes nothing`);
            assert.ok(!policyOf(stack, fn).statement.some((s) => s.action.includes("scf:InvokeFunction")), `${fn} invokes nothing`);
        }
    });

    it("gives the router a timeout that outlasts its slowest route's", () => {
        assert.equal(stack.one(TC.fn, "live-default").inputs.timeout, 21, "the `say` route may take 20 s");
        assert.equal(stack.one(TC.fn, "live-say").inputs.timeout, 20);
        assert.equal(stack.one(TC.fn, "live-connect").inputs.timeout, 10);
    });

    it("gives every function the Realtime's link: store, the API to push through, settings and token checks", () => {
        const serviceId = stack.one(TC.service).state.id;
        for (const fn of FUNCTIONS) {
            const env = envOf(stack, fn);
            assert.deepEqual(parsePushEndpoint(env.SB_REALTIME_LIVE_ENDPOINT), { region: "ap-guangzhou", serviceId, apiName: "live_websocket" });
            assert.ok(env.SB_REALTIME_LIVE_TABLE);
            assert.deepEqual(JSON.parse(env[SOCKET_SETTINGS_ENV]), { realtime: "live", routeField: "action", perSecond: 10, burst: 20 });
            assert.equal(env[JWT_ENV.issuer], ISSUER);
            assert.deepEqual(JSON.parse(env[JWT_ENV.audience]), ["shop-web"]);
            assert.equal(env[TOKEN_SOURCE_ENV], "protocol");
        }
    });

    it("grants the push-address look-up, read-only, on this service and the region's APIs", () => {
        const serviceId = stack.one(TC.service).state.id;
        for (const fn of FUNCTIONS) {
            const lookup = policyOf(stack, fn).statement.find((s) => s.action.includes("apigw:DescribeApi"));
            assert.ok(lookup, `${fn} may look the push address up`);
            assert.deepEqual(lookup.action, ["apigw:DescribeApi", "apigw:DescribeApisStatus"]);
            assert.deepEqual(lookup.resource, [`qcs::apigw:ap-guangzhou:uin/${UIN}:service/${serviceId}`, `qcs::apigw:ap-guangzhou:uin/${UIN}:api/*`]);
        }
    });

    it("keeps its connections in its own table", () => {
        assert.equal(stack.one("serverless-blocks:index:Table", "live-connections").parent, "live");
        assert.ok(stack.outputs.connectionsTable);
    });

    it("routes nothing without routes: the $default function answers every message", async () => {
        const plain = await evaluate("tencentcloud", live({ routes: undefined }));
        assert.deepEqual(plain.ofType(TC.fn).map((f) => f.name).sort(), ["live-connect", "live-default", "live-disconnect"]);
        assert.equal(envOf(plain, "live-default")[SOCKET_ROUTES_ENV], undefined);
        assert.equal(plain.one(TC.fn, "live-default").inputs.timeout, 10);
    });

    it("describes the release the same way for the same program, and differently when the API changes", async () => {
        const description = async (args: Partial<RealtimeArgs>) => (await evaluate("tencentcloud", live(args))).one(TC.release).inputs.releaseDesc;
        const first = stack.one(TC.release).inputs.releaseDesc;
        assert.equal(await description({}), first);
        assert.notEqual(await description({ routes: { say: { handler: HANDLER } } }), first, "a route less changes the API's description");
    });

    it("takes the token settings as another component's output (auth.jwt)", async () => {
        const fromAuth = await evaluate("tencentcloud", live({ jwt: pulumi.output({ issuer: ISSUER, audience: ["a", "b"], jwksUrl: `${ISSUER}/keys` }) }));
        const env = envOf(fromAuth, "live-connect");
        assert.deepEqual(JSON.parse(env[JWT_ENV.audience]), ["a", "b"]);
        assert.equal(env[JWT_ENV.jwksUrl], `${ISSUER}/keys`);
    });
});
