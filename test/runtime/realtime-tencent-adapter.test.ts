// A Realtime's functions on Tencent Cloud, through the SCF adapter, against real servers on
// 127.0.0.1: the issuer's JWKS (tokens signed here by jose), API Gateway's push address (records
// every push, refuses some connections as the gateway documents it), and the Tencent Cloud API
// (SCF Invoke for the `$default` router's route calls, API Gateway's DescribeApisStatus and
// DescribeApi for the push address look-up). Connections live in a real SQLite table.
//
// Event fixtures (test/fixtures/events/tencent-websocket-*.json) are the samples of SCF's
// "WebSocket 原理介绍 / How It Works" (cloud.tencent.com/document/product/583/31437, 数据结构):
// register = 连接建立 request, transport = 上行数据传输 request ("data send" as the English page has
// it), cleanup = 连接清理 request; the push bodies checked are its 下行数据回调 samples.
import * as assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { SOCKET_SETTINGS_ENV, TOKEN_SOURCE_ENV } from "../../functions/runtime/adapters/socket";
import { toScf, type ScfSocketOptions, type ScfWebSocketRegisterResponse } from "../../functions/runtime/adapters/tencentcloud";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { HttpError } from "../../functions/runtime/http";
import { createLocalTable, type LocalTableBackend } from "../../functions/runtime/clients/local/table";
import { realtimeClient } from "../../functions/runtime/clients/realtime";
import { CONNECTION_TABLE_KEYS, ConnectionStore } from "../../functions/runtime/clients/realtime-store";
import { tableClient } from "../../functions/runtime/clients/table";
import {
    createTencentRealtime,
    FORWARDED_DELIVERY_KEY,
    pushEndpoint,
    resolvePushAddress,
    scfRouteInvoker,
    SOCKET_ROUTES_ENV,
} from "../../functions/runtime/clients/tencentcloud/realtime";
import { onSocket, type SocketEvent } from "../../functions/runtime/socket";

type Json = Record<string, any>;
type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

const AUDIENCE = "shop-web";
const CREDENTIAL = { secretId: "AKIDtest", secretKey: "test-secret-key" };

function fixture(name: string): Json {
    return JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "events", name), "utf8"));
}

function registerEvent(connectionId: string, protocols?: string, extra: Json = {}): Json {
    const event = fixture("tencent-websocket-register.json");
    event.websocket.secConnectionID = connectionId;
    if (protocols === undefined) delete event.websocket.secWebSocketProtocol;
    else event.websocket.secWebSocketProtocol = protocols;
    return { ...event, ...extra };
}

function transportEvent(connectionId: string, data: unknown, dataType = "text"): Json {
    const event = fixture("tencent-websocket-transport.json");
    Object.assign(event.websocket, { secConnectionID: connectionId, dataType, data: typeof data === "string" ? data : JSON.stringify(data) });
    return event;
}

function cleanupEvent(connectionId: string): Json {
    const event = fixture("tencent-websocket-cleanup.json");
    event.websocket.secConnectionID = connectionId;
    return event;
}

/** A 32-character id, as the gateway's secConnectionID (128 bits, base64). */
const newConnectionId = () => Buffer.from(randomUUID().replace(/-/g, ""), "hex").toString("base64");

interface Server {
    url: string;
    close(): Promise<void>;
}

async function serve(handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void): Promise<Server> {
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** API Gateway's push address: records pushes; answers errNo 1 for refused connections, 500 when broken. */
interface PushAddress extends Server {
    pushes: { websocket: Json }[];
    refused: Set<string>;
    broken: boolean;
}

async function startPushAddress(): Promise<PushAddress> {
    const pushes: { websocket: Json }[] = [];
    const refused = new Set<string>();
    const address = { pushes, refused, broken: false } as PushAddress;
    const server = await serve((req, body, res) => {
        if (address.broken) return void res.writeHead(500).end("system failure");
        const push = JSON.parse(body) as { websocket: Json };
        pushes.push(push);
        const answer = refused.has(push.websocket.secConnectionID) ? { errNo: 1, errMsg: "connection not found" } : { errNo: 0, errMsg: "ok" };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
    return Object.assign(address, server);
}

async function sign(keys: KeyPair, issuer: string, claims: JWTPayload, expiresIn: string | number = "5m"): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "key-1" }).setIssuer(issuer).setAudience(AUDIENCE).setIssuedAt().setExpirationTime(expiresIn).sign(keys.privateKey);
}

describe("Realtime functions on Tencent Cloud (SCF adapter)", () => {
    let keys: KeyPair;
    let issuer: Server;
    let pushAddress: PushAddress;
    let dir: string;
    let backend: LocalTableBackend;
    let store: ConnectionStore;
    let savedEnv: NodeJS.ProcessEnv;
    const quiet = { warn: console.warn, error: console.error };

    before(async () => {
        keys = await generateKeyPair("RS256");
        const jwk = { ...(await exportJWK(keys.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
        issuer = await serve((_req, _body, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
        pushAddress = await startPushAddress();
        dir = mkdtempSync(path.join(os.tmpdir(), "sb-realtime-tencent-"));
        backend = createLocalTable({ file: (t) => path.join(dir, `${t.tableName}.sqlite`) });
        store = new ConnectionStore(tableClient({ name: "live-connections", tableName: "connections", ...CONNECTION_TABLE_KEYS }, backend) as never);
        // Refusals and closes are logged on purpose; the assertions check what the client sees.
        console.warn = () => undefined;
        console.error = () => undefined;
    });

    after(async () => {
        Object.assign(console, quiet);
        backend.close();
        rmSync(dir, { recursive: true, force: true });
        await Promise.all([issuer.close(), pushAddress.close()]);
    });

    beforeEach(() => {
        savedEnv = { ...process.env };
        Object.assign(process.env, {
            [SOCKET_SETTINGS_ENV]: JSON.stringify({ realtime: "live", routeField: "action", perSecond: 10, burst: 20 }),
            [TOKEN_SOURCE_ENV]: "protocol",
            [JWT_ENV.issuer]: issuer.url,
            [JWT_ENV.audience]: JSON.stringify([AUDIENCE]),
            [JWT_ENV.jwksUrl]: `${issuer.url}/.well-known/jwks.json`,
            // The push address itself (an http URL); deployed functions name the API instead (tested below).
            SB_REALTIME_LIVE_ENDPOINT: `${pushAddress.url}/api-0a1b2c3d`,
            SB_REALTIME_LIVE_TABLE: "live-connections",
            TENCENTCLOUD_REGION: "ap-guangzhou",
        });
        delete process.env[SOCKET_ROUTES_ENV];
        pushAddress.pushes.length = 0;
        pushAddress.refused.clear();
        pushAddress.broken = false;
    });

    afterEach(() => {
        // In place: process.env stays the real environment object.
        for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
        Object.assign(process.env, savedEnv);
    });

    const fn = (handler = onSocket(() => undefined), options: ScfSocketOptions = {}) => toScf(handler, { socket: { store, ...options } });
    const pushesTo = (connectionId: string) => pushAddress.pushes.filter((p) => p.websocket.secConnectionID === connectionId).map((p) => p.websocket);

    async function connect(connectionId: string, sub = "user-1"): Promise<void> {
        const token = await sign(keys, issuer.url, { sub, roles: ["buyer"] });
        const answer = (await fn()(registerEvent(connectionId, `bearer, ${token}`))) as ScfWebSocketRegisterResponse;
        assert.equal(answer.errNo, 0, answer.errMsg);
    }

    describe("register function ($connect)", () => {
        it("accepts a valid token from the subprotocol, choosing 'bearer' (never the token) and storing the user", async () => {
            const id = newConnectionId();
            const seen: SocketEvent[] = [];
            const token = await sign(keys, issuer.url, { sub: "user-7", roles: ["buyer"] });
            const answer = await fn(onSocket((e) => void seen.push(e)))(registerEvent(id, `bearer, ${token}`), { request_id: "scf-req" });
            assert.deepEqual(answer, { errNo: 0, errMsg: "ok", websocket: { action: "connecting", secConnectionID: id, secWebSocketProtocol: "bearer" } });
            assert.equal(seen.length, 1);
            assert.equal(seen[0].route, "$connect");
            assert.equal(seen[0].userId, "user-7");
            assert.equal(seen[0].requestId, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "the register event's requestContext.requestId");
            const record = await store.get(id);
            assert.equal(record?.userId, "user-7");
            assert.deepEqual(record?.claims.roles, ["buyer"]);
        });

        it("refuses with 401 a connection without a token, with a bad one, or with an expired one; nothing is stored", async () => {
            const other = await generateKeyPair("RS256");
            const cases = [
                { protocols: "chat,binary", reason: /missing token/ },
                { protocols: `bearer, ${await sign(other, issuer.url, { sub: "user-1" })}`, reason: /signature/ },
                { protocols: `bearer, ${await sign(keys, issuer.url, { sub: "user-1" }, Math.floor(Date.now() / 1000) - 600)}`, reason: /expired/ },
                { protocols: undefined, reason: /missing token/ },
            ];
            for (const { protocols, reason } of cases) {
                const id = newConnectionId();
                const answer = (await fn()(registerEvent(id, protocols))) as ScfWebSocketRegisterResponse;
                assert.equal(answer.errNo, 401, `${protocols}: ${answer.errMsg}`);
                assert.match(answer.errMsg, reason);
                assert.deepEqual(answer.websocket, { action: "connecting", secConnectionID: id });
                assert.equal(await store.get(id), undefined);
            }
        });

        it("reads a `token` query parameter when the Realtime takes tokens from the query", async () => {
            process.env[TOKEN_SOURCE_ENV] = "query";
            const id = newConnectionId();
            const token = await sign(keys, issuer.url, { sub: "user-q" });
            // The documented register event has no query; the API Gateway trigger's `queryString` is read if it comes.
            const answer = (await fn()(registerEvent(id, "chat,binary", { queryString: { token } }))) as ScfWebSocketRegisterResponse;
            assert.equal(answer.errNo, 0, answer.errMsg);
            assert.equal(answer.websocket.secWebSocketProtocol, "chat", "one of the client's offers");
            assert.equal((await store.get(id))?.userId, "user-q");
            const without = (await fn()(registerEvent(newConnectionId(), undefined))) as ScfWebSocketRegisterResponse;
            assert.equal(without.errNo, 401);
        });

        it("refuses with the status of the connect handler's HttpError", async () => {
            const id = newConnectionId();
            const token = await sign(keys, issuer.url, { sub: "user-1" });
            const answer = (await fn(onSocket(() => { throw new HttpError(403, "banned"); }))(registerEvent(id, `bearer, ${token}`))) as ScfWebSocketRegisterResponse;
            assert.equal(answer.errNo, 403);
            assert.equal(answer.errMsg, "banned");
            assert.equal(await store.get(id), undefined);
        });
    });

    describe("transport function ($default)", () => {
        it("pushes the handler's reply to the sender through the push address", async () => {
            const id = newConnectionId();
            await connect(id);
            const echo = onSocket<{ text: string }>((e) => ({ echo: e.body?.text, from: e.userId, route: e.route }));
            const answer = await fn(echo)(transportEvent(id, { text: "hi" }));
            assert.deepEqual(answer, { errNo: 0, errMsg: "ok" });
            assert.deepEqual(pushesTo(id), [{ action: "data send", secConnectionID: id, dataType: "text", data: JSON.stringify({ echo: "hi", from: "user-1", route: "$default" }) }]);
        });

        it("answers subscribe itself, and a broadcast to the topic reaches the subscriber", async () => {
            const id = newConnectionId();
            await connect(id);
            await fn()(transportEvent(id, { action: "subscribe", topic: "prices" }));
            assert.deepEqual(pushesTo(id).map((p) => p.data), [JSON.stringify({ subscribed: "prices" })]);
            assert.ok((await store.byTopic("prices")).includes(id));

            const client = realtimeClient({ name: "live", table: "live-connections", endpoint: process.env.SB_REALTIME_LIVE_ENDPOINT! }, createTencentRealtime(), store);
            const result = await client.broadcast("prices", { sku: "A1", price: 9 });
            assert.ok(result.delivered >= 1);
            assert.equal(pushesTo(id).at(-1)?.data, JSON.stringify({ sku: "A1", price: 9 }));
        });

        it("reads binary frames (base64) as text", async () => {
            const id = newConnectionId();
            await connect(id);
            const echo = onSocket((e) => ({ got: e.body }));
            await fn(echo)(transportEvent(id, Buffer.from(JSON.stringify({ n: 1 })).toString("base64"), "binary"));
            assert.equal(pushesTo(id)[0].data, JSON.stringify({ got: { n: 1 } }));
        });

        it("closes (a pushed 'closing') a connection that sends more than a frame may hold, or that it does not know", async () => {
            const id = newConnectionId();
            await connect(id);
            await fn()(transportEvent(id, "x".repeat(128 * 1024 + 1)));
            assert.deepEqual(pushesTo(id), [{ action: "closing", secConnectionID: id }]);
            const stranger = newConnectionId();
            await fn()(transportEvent(stranger, { action: "say" }));
            assert.deepEqual(pushesTo(stranger), [{ action: "closing", secConnectionID: stranger }]);
        });

        it("routes a message to its route's function through SCF Invoke and pushes that function's reply", async () => {
            const id = newConnectionId();
            await connect(id);
            const seen: SocketEvent[] = [];
            const say = toScf(onSocket<{ text: string }>((e) => { seen.push(e); return { said: e.body?.text, by: e.userId }; }), { socket: { store } });
            const calls: Json[] = [];
            const api = await serve(async (req, body, res) => {
                const payload = JSON.parse(body);
                calls.push({ action: req.headers["x-tc-action"], authorization: req.headers.authorization, ...payload });
                const outcome = await say(JSON.parse(payload.ClientContext), { request_id: "route-req" });
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: { Result: { RetMsg: JSON.stringify(outcome), ErrMsg: "", FunctionRequestId: "route-req" }, RequestId: "api-req" } }));
            });
            try {
                process.env[SOCKET_ROUTES_ENV] = JSON.stringify({ say: "live-say-abc1234" });
                const router = onSocket(() => assert.fail("the router's own handler takes no routed message"));
                const invoke = scfRouteInvoker({ endpoint: () => `${api.url}/`, credential: CREDENTIAL });
                await fn(router, { invoke })(transportEvent(id, { action: "say", text: "hello" }));
            } finally {
                await api.close();
            }
            assert.equal(calls.length, 1);
            assert.equal(calls[0].action, "Invoke");
            assert.match(String(calls[0].authorization), /^TC3-HMAC-SHA256 Credential=AKIDtest\/\d{4}-\d{2}-\d{2}\/scf\/tc3_request/);
            assert.deepEqual({ ...calls[0], action: undefined, authorization: undefined, ClientContext: undefined }, {
                action: undefined, authorization: undefined, ClientContext: undefined,
                FunctionName: "live-say-abc1234", Namespace: "default", Qualifier: "live", InvocationType: "RequestResponse",
            });
            assert.equal(JSON.parse(calls[0].ClientContext)[FORWARDED_DELIVERY_KEY].route, "say");
            assert.equal(seen[0].route, "say");
            assert.equal(seen[0].userId, "user-1");
            assert.deepEqual(pushesTo(id).map((p) => p.data), [JSON.stringify({ said: "hello", by: "user-1" })]);
        });

        it("tells the sender of an internal error when the route's function fails", async () => {
            const id = newConnectionId();
            await connect(id);
            process.env[SOCKET_ROUTES_ENV] = JSON.stringify({ say: "live-say-abc1234" });
            const api = await serve((_req, _body, res) => res.writeHead(200).end(JSON.stringify({ Response: { Result: { RetMsg: "", ErrMsg: "{\"errorMessage\":\"boom\"}" }, RequestId: "r" } })));
            try {
                await fn(onSocket(() => undefined), { invoke: scfRouteInvoker({ endpoint: () => `${api.url}/`, credential: CREDENTIAL }) })(transportEvent(id, { action: "say" }));
            } finally {
                await api.close();
            }
            const reply = JSON.parse(pushesTo(id)[0].data);
            assert.equal(reply.error.code, "internal");
        });

        it("lets messages no route takes reach the $default handler", async () => {
            const id = newConnectionId();
            await connect(id);
            process.env[SOCKET_ROUTES_ENV] = JSON.stringify({ say: "live-say-abc1234" });
            const invoke = async () => assert.fail("no route function for this message");
            await fn(onSocket((e) => ({ route: e.route })), { invoke })(transportEvent(id, { action: "shout" }));
            await fn(onSocket((e) => ({ route: e.route })), { invoke })(transportEvent(id, "not json"));
            assert.deepEqual(pushesTo(id).map((p) => JSON.parse(p.data).route), ["shout", "$default"]);
        });
    });

    describe("cleanup function ($disconnect)", () => {
        it("forgets the connection, then runs the handler with who it was", async () => {
            const id = newConnectionId();
            await connect(id, "user-9");
            const seen: SocketEvent[] = [];
            const answer = await fn(onSocket((e) => void seen.push(e)))(cleanupEvent(id), { request_id: "scf-cleanup" });
            assert.deepEqual(answer, { errNo: 0, errMsg: "ok" });
            assert.equal(await store.get(id), undefined);
            assert.deepEqual(await store.byUser("user-9"), []);
            assert.equal(seen[0].route, "$disconnect");
            assert.equal(seen[0].userId, "user-9");
            assert.equal(seen[0].requestId, "scf-cleanup", "SCF's request id: only the register event has requestContext");
        });
    });

    it("names the WebSocket events it takes when given another one", async () => {
        await assert.rejects(fn()(fixture("tencent-apigw.json")), /an API Gateway WebSocket event \(websocket\.action "connecting", "data send" or "closing", with secConnectionID\)/);
    });

    describe("push transport", () => {
        it("returns the connections the gateway refuses as gone, and the client forgets them", async () => {
            const live = newConnectionId();
            const gone = newConnectionId();
            await connect(live, "user-g");
            await connect(gone, "user-g");
            pushAddress.refused.add(gone);
            const client = realtimeClient({ name: "live", table: "live-connections", endpoint: process.env.SB_REALTIME_LIVE_ENDPOINT! }, createTencentRealtime(), store);
            assert.deepEqual(await client.send({ userId: "user-g" }, { hello: true }), { delivered: 1, gone: 1 });
            assert.deepEqual(await store.byUser("user-g"), [live]);
        });

        it("rejects when the push address fails (not 200), forgetting nothing", async () => {
            pushAddress.broken = true;
            await assert.rejects(createTencentRealtime().post(`${pushAddress.url}/api-x`, ["a", "b"], "{}"), /push to 2 of 2 connections failed \(the push address answered HTTP 500: system failure\)/);
        });

        it("closes a connection with a pushed 'closing', quietly when the gateway no longer has it", async () => {
            pushAddress.refused.add("old");
            await createTencentRealtime().close(`${pushAddress.url}/api-x`, "old");
            assert.deepEqual(pushAddress.pushes.map((p) => p.websocket), [{ action: "closing", secConnectionID: "old" }]);
        });

        it("looks the push address of the API the link names up once: DescribeApisStatus by name, then DescribeApi", async () => {
            const calls: Json[] = [];
            const api = await serve((req, body, res) => {
                const action = req.headers["x-tc-action"];
                calls.push({ action, region: req.headers["x-tc-region"], ...JSON.parse(body) });
                const result = action === "DescribeApisStatus"
                    ? { TotalCount: 1, ApiIdStatusSet: [{ ApiId: "api-0a1b2c3d", ApiName: "live_websocket", Protocol: "WEBSOCKET" }] }
                    : { ApiId: "api-0a1b2c3d", InternalDomain: `${pushAddress.url.replace("http://", "")}/api-0a1b2c3d` };
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: { Result: result, RequestId: "r" } }));
            });
            try {
                const access = { endpoint: () => `${api.url}/`, credential: CREDENTIAL };
                const endpoint = pushEndpoint("ap-guangzhou", "service-9z8y7x6w", "live_websocket");
                assert.equal(endpoint, "tencent-apigw://ap-guangzhou/service-9z8y7x6w/live_websocket");
                assert.equal(await resolvePushAddress(endpoint, access), `${pushAddress.url}/api-0a1b2c3d`, "a bare host gets the documented http://");
                const transport = createTencentRealtime({ api: access });
                await transport.post(endpoint, ["c1"], "{\"n\":1}");
                await transport.post(endpoint, ["c2"], "{\"n\":2}");
                assert.deepEqual(pushAddress.pushes.map((p) => p.websocket.secConnectionID), ["c1", "c2"]);
            } finally {
                await api.close();
            }
            assert.deepEqual(calls.slice(0, 2), [
                { action: "DescribeApisStatus", region: "ap-guangzhou", ServiceId: "service-9z8y7x6w", Limit: 100, Filters: [{ Name: "ApiName", Values: ["live_websocket"] }] },
                { action: "DescribeApi", region: "ap-guangzhou", ServiceId: "service-9z8y7x6w", ApiId: "api-0a1b2c3d" },
            ]);
            assert.equal(calls.length, 4, "resolvePushAddress looked up once; the transport once more, then kept it");
        });

        it("refuses an endpoint that is neither a push address nor an API", async () => {
            await assert.rejects(resolvePushAddress("ws://somewhere"), /a Tencent Realtime endpoint is tencent-apigw:\/\/<region>\/<serviceId>\/<apiName> or the push address/);
        });
    });
});
