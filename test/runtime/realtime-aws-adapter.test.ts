// A Realtime on AWS at run time, for real: tokens signed here with jose and a JWKS served on
// 127.0.0.1; the connection store on the DynamoDB API (dynalite) through the AWS table backend;
// API Gateway's Management API played by a node:http server that answers as the service does
// (410 GoneException for an ended connection). The events are AWS's documented shapes
// (test/fixtures/events/aws-websocket-*.json, after the Developer Guide's WebSocket authorizer
// input and the WebSocket proxy events of aws-lambda-go / aws-lambda-rust-runtime).
// Then the Realtime's own Lambda bundles, as the AWS realisation plans them, end to end.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { Realtime } from "../../components";
import { unzipFiles } from "../../components/build/zip";
import { toLambda, toSocketLambda, type LambdaAuthorizerResponse, type LambdaSocketResponse } from "../../functions/runtime/adapters/aws";
import { SOCKET_SETTINGS_ENV, TOKEN_SOURCE_ENV, type SocketSettings } from "../../functions/runtime/adapters/socket";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { createAwsRealtime } from "../../functions/runtime/clients/aws/realtime";
import { createDynamoTable, documentClient } from "../../functions/runtime/clients/aws/table";
import { realtimeClient, type RealtimeTransport } from "../../functions/runtime/clients/realtime";
import { CONNECTION_TABLE_KEYS, ConnectionStore } from "../../functions/runtime/clients/realtime-store";
import { tableClient, type TableSettings } from "../../functions/runtime/clients/table";
import { HttpError } from "../../functions/runtime/http";
import { onSocket, type SocketEvent } from "../../functions/runtime/socket";
import { evaluate } from "../harness";
import { startDynalite, type Dynalite } from "../support/dynalite";

type Json = Record<string, any>;
type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

const fixture = (name: string): Json =>
    JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "events", `aws-websocket-${name}.json`), "utf8"));

const CONNECTION = fixture("connect").requestContext.connectionId as string;
const SETTINGS: SocketSettings = { realtime: "live", routeField: "action", perSecond: 10, burst: 20 };

// ---- a token issuer, the Management API, the store ----

interface Issuer {
    url: string;
    keys: KeyPair;
    close(): Promise<void>;
}

/** Publishes `keys`' public half at /.well-known/jwks.json; anything else answers 500. */
async function startIssuer(): Promise<Issuer> {
    const keys = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
    const server = http.createServer((req, res) => {
        if (req.url === "/.well-known/jwks.json") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
        else res.writeHead(500).end("boom");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, keys, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function sign(issuer: Issuer, claims: JWTPayload, expiresIn: string | number = "5m", keys: KeyPair = issuer.keys): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "key-1" }).setIssuer(issuer.url).setIssuedAt().setExpirationTime(expiresIn).sign(keys.privateKey);
}

interface ManagementCall {
    method: string;
    connectionId: string;
    body: string;
}

interface ManagementApi {
    /** The stage's endpoint, as a Realtime's link gives it. */
    endpoint: string;
    calls: ManagementCall[];
    /** Connections answered 410 GoneException. */
    gone: Set<string>;
    /** Connections answered 403 ForbiddenException. */
    forbidden: Set<string>;
    /** Most posts in flight at once. */
    maxInFlight: number;
    client(endpoint: string): ApiGatewayManagementApiClient;
    stop(): Promise<void>;
}

/** API Gateway's @connections API of stage `live`, answering as the service does. */
async function startManagementApi(delayMs = 0): Promise<ManagementApi> {
    const api = { calls: [], gone: new Set(), forbidden: new Set(), maxInFlight: 0 } as unknown as ManagementApi;
    let inFlight = 0;
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const match = /^\/live\/@connections\/([^/?]+)$/.exec(req.url ?? "");
            if (!match) return void res.writeHead(404).end();
            const connectionId = decodeURIComponent(match[1]);
            api.calls.push({ method: req.method ?? "", connectionId, body: Buffer.concat(chunks).toString("utf8") });
            api.maxInFlight = Math.max(api.maxInFlight, ++inFlight);
            setTimeout(() => {
                inFlight--;
                if (api.gone.has(connectionId)) return void res.writeHead(410, { "x-amzn-errortype": "GoneException", "content-type": "application/json" }).end("{}");
                if (api.forbidden.has(connectionId)) return void res.writeHead(403, { "x-amzn-errortype": "ForbiddenException", "content-type": "application/json" }).end('{"message":"Forbidden"}');
                res.writeHead(req.method === "DELETE" ? 204 : 200).end();
            }, delayMs);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/live`;
    const clients: ApiGatewayManagementApiClient[] = [];
    api.client = (endpoint) => {
        const client = new ApiGatewayManagementApiClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        clients.push(client);
        return client;
    };
    api.stop = async () => {
        for (const client of clients) client.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return api;
}

let tableCount = 0;
/** A fresh connection table on dynalite, keyed as a Realtime's, and its store. */
async function storeOn(dynalite: Dynalite): Promise<ConnectionStore> {
    const settings: TableSettings = { name: "live-connections", tableName: `live-connections-${++tableCount}`, ...CONNECTION_TABLE_KEYS };
    await dynalite.createTable(settings.tableName, settings.partitionKey, settings.sortKey);
    const client = documentClient(dynalite.client());
    return new ConnectionStore(tableClient(settings, createDynamoTable({ client: () => client })));
}

/** Sets `vars` for the duration of the returned scope; restore() puts back what was there. */
function environment(vars: Record<string, string>): { restore(): void } {
    const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
    Object.assign(process.env, vars);
    return {
        restore() {
            for (const [key, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[key];
                else process.env[key] = value;
            }
        },
    };
}

async function quietly<T>(fn: () => Promise<T>): Promise<{ result: T; logged: string[] }> {
    const logged: string[] = [];
    const original = { warn: console.warn, error: console.error };
    console.warn = console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    try {
        return { result: await fn(), logged };
    } finally {
        Object.assign(console, original);
    }
}

async function refusedWith(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (error) {
        return error as Error;
    }
    throw new assert.AssertionError({ message: "expected the invocation to fail" });
}

/** The authorizer event with the token where `tokenFrom` says clients put it. */
function authorizerEvent(token: string | undefined, tokenFrom: "query" | "protocol" = "query"): Json {
    const event = fixture("authorizer");
    delete event.queryStringParameters;
    delete event.multiValueQueryStringParameters;
    if (token === undefined) return event;
    if (tokenFrom === "query") return { ...event, queryStringParameters: { token }, multiValueQueryStringParameters: { token: [token] } };
    return { ...event, headers: { ...event.headers, "sec-websocket-protocol": `bearer, ${token}` } };
}

// ---- the authorizer ----

describe("AWS adapter: the $connect REQUEST authorizer", () => {
    let issuer: Issuer;
    let env: { restore(): void };
    const authorize = (event: Json) => toLambda(onSocket(() => undefined))(event, { awsRequestId: "lambda-1" }) as Promise<LambdaAuthorizerResponse>;

    before(async () => {
        issuer = await startIssuer();
        env = environment({ [JWT_ENV.issuer]: issuer.url, [JWT_ENV.audience]: JSON.stringify(["shop-web"]), [JWT_ENV.jwksUrl]: `${issuer.url}/.well-known/jwks.json`, [TOKEN_SOURCE_ENV]: "query" });
    });
    after(async () => {
        env.restore();
        await issuer.close();
    });

    it("allows this connect for a valid token, naming its subject and passing its claims on", async () => {
        const token = await sign(issuer, { sub: "user-7f3a", aud: "shop-web", email: "ada@example.com" });
        const answer = await authorize(authorizerEvent(token));
        const methodArn = fixture("authorizer").methodArn;
        assert.equal(answer.principalId, "user-7f3a");
        assert.deepEqual(answer.policyDocument, { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: methodArn }] });
        const claims = JSON.parse(answer.context.claims);
        assert.equal(claims.sub, "user-7f3a");
        assert.equal(claims.email, "ada@example.com");
        assert.equal(claims.iss, issuer.url);
    });

    it("answers 'Unauthorized' (API Gateway's 401) for a missing, forged, expired, foreign or subject-less token, logging why but never the token", async () => {
        const stranger = await generateKeyPair("RS256");
        const cases: [string, string | undefined, RegExp][] = [
            ["missing", undefined, /missing token/],
            ["not a JWT", "not-a-jwt", /not a well-formed JWT/],
            ["forged", await sign(issuer, { sub: "u", aud: "shop-web" }, "5m", stranger), /signature is not valid/],
            ["expired", await sign(issuer, { sub: "u", aud: "shop-web" }, Math.floor(Date.now() / 1000) - 60), /token expired/],
            ["another audience", await sign(issuer, { sub: "u", aud: "admin" }), /audience/],
            ["no subject", await sign(issuer, { aud: "shop-web" }), /no subject/],
        ];
        for (const [why, token, reason] of cases) {
            const { result: error, logged } = await quietly(() => refusedWith(authorize(authorizerEvent(token))));
            assert.equal(error.message, "Unauthorized", why);
            assert.match(logged.join("\n"), reason, why);
            if (token) assert.ok(!logged.join("\n").includes(token), `${why}: the token is not logged`);
        }
    });

    it("takes the token after 'bearer' in Sec-WebSocket-Protocol when the Realtime says so, whatever the header's case", async () => {
        const protocol = environment({ [TOKEN_SOURCE_ENV]: "protocol" });
        try {
            const token = await sign(issuer, { sub: "user-9", aud: "shop-web" });
            assert.equal((await authorize(authorizerEvent(token, "protocol"))).principalId, "user-9");
            const upper = authorizerEvent(undefined);
            upper.headers = { ...upper.headers, "Sec-WebSocket-Protocol": `bearer, ${token}` };
            assert.equal((await authorize(upper)).principalId, "user-9");
            // A token in the query does not count when it belongs in the subprotocol.
            assert.equal((await quietly(() => refusedWith(authorize(authorizerEvent(token, "query"))))).result.message, "Unauthorized");
        } finally {
            protocol.restore();
        }
    });

    it("fails with a 500, not a 401, when the issuer's keys cannot be fetched", async () => {
        const broken = environment({ [JWT_ENV.jwksUrl]: `${issuer.url}/broken/jwks.json` });
        try {
            const token = await sign(issuer, { sub: "u", aud: "shop-web" });
            const { result: error } = await quietly(() => refusedWith(authorize(authorizerEvent(token))));
            assert.notEqual(error.message, "Unauthorized");
            assert.ok(HttpError.is(error) && error.status === 503, `expected the 503 to propagate, got ${error.message}`);
        } finally {
            broken.restore();
        }
    });
});

// ---- the routes ----

describe("AWS adapter: a Realtime's WebSocket routes", function () {
    this.timeout(60_000);
    let dynalite: Dynalite;
    let management: ManagementApi;
    let store: ConnectionStore;
    let transport: RealtimeTransport;
    let env: { restore(): void };
    const seen: SocketEvent[] = [];

    /** Records what the handler saw; `say` echoes, anything else is refused as the built-in $default does. */
    const handler = onSocket((event) => {
        seen.push(event);
        if (event.route === "say") return { echo: (event.body as { text?: string }).text, from: event.userId };
        if (event.route === "$default") throw new HttpError(400, "no route for this message", { code: "unknown_action" });
        return undefined;
    });
    const invoke = (event: Json, options: { handler?: typeof handler } = {}) =>
        toSocketLambda(options.handler ?? handler, { settings: SETTINGS, store, transport })(event, { awsRequestId: "lambda-2" }) as Promise<LambdaSocketResponse>;
    const message = (body: string, routeKey = "$default", extra: Json = {}) => {
        const event = fixture("message");
        return { ...event, ...extra, body, requestContext: { ...event.requestContext, routeKey } };
    };

    before(async () => {
        dynalite = await startDynalite();
        management = await startManagementApi();
        transport = createAwsRealtime({ client: management.client });
        // The Realtime's link: where a close goes.
        env = environment({ SB_REALTIME_LIVE_TABLE: "live-connections", SB_REALTIME_LIVE_ENDPOINT: management.endpoint, [TOKEN_SOURCE_ENV]: "query" });
    });
    beforeEach(async () => {
        store = await storeOn(dynalite);
        seen.length = 0;
        management.calls.length = 0;
    });
    after(async () => {
        env.restore();
        await management?.stop();
        await dynalite?.stop();
    });

    it("connect: stores the connection under the user the authorizer verified, and accepts", async () => {
        const response = await invoke(fixture("connect"));
        assert.deepEqual(response, { statusCode: 200 });
        const record = await store.get(CONNECTION);
        assert.equal(record?.userId, "user-7f3a");
        assert.equal(record?.claims.email, "ada@example.com");
        assert.deepEqual(await store.byUser("user-7f3a"), [CONNECTION]);
        assert.equal(seen[0].kind, "connect");
        assert.equal(seen[0].route, "$connect");
        assert.equal(seen[0].requestId, "ZxQ8yFmWjoEFQ7w=");
    });

    it("connect: answers with the 'bearer' subprotocol when the token came in it (browsers require one chosen)", async () => {
        const protocol = environment({ [TOKEN_SOURCE_ENV]: "protocol" });
        try {
            assert.deepEqual(await invoke(fixture("connect")), { statusCode: 200, headers: { "Sec-WebSocket-Protocol": "bearer" } });
        } finally {
            protocol.restore();
        }
    });

    it("connect: refuses 401 without the authorizer's claims, and with the handler's status when it refuses; stores nothing", async () => {
        const unverified = fixture("connect");
        delete unverified.requestContext.authorizer;
        const refused = await invoke(unverified);
        assert.equal(refused.statusCode, 401);
        assert.equal(JSON.parse(refused.body!).error.code, "unauthorized");

        const picky = onSocket(() => {
            throw new HttpError(403, "this shop is closed");
        });
        const forbidden = await invoke(fixture("connect"), { handler: picky });
        assert.deepEqual(forbidden, { statusCode: 403, body: JSON.stringify({ error: { code: "forbidden", message: "this shop is closed" } }) });
        assert.equal(await store.get(CONNECTION), undefined);
    });

    it("message: runs the route API Gateway selected and sends its return value back to the sender", async () => {
        await invoke(fixture("connect"));
        const response = await invoke(fixture("message"));
        assert.deepEqual(response, { statusCode: 200, body: JSON.stringify({ echo: "hello, world", from: "user-7f3a" }) });
        const event = seen.at(-1)!;
        assert.equal(event.kind, "message");
        assert.equal(event.route, "say");
        assert.equal(event.connectionId, CONNECTION);
        assert.deepEqual(event.body, { action: "say", text: "hello, world" });
        assert.equal(event.claims.email, "ada@example.com", "the claims come from the store");
    });

    it("message: reads a base64 frame as UTF-8 text", async () => {
        await invoke(fixture("connect"));
        const text = JSON.stringify({ action: "say", text: "grüße ✓" });
        const response = await invoke(message(Buffer.from(text).toString("base64"), "say", { isBase64Encoded: true }));
        assert.equal(JSON.parse(response.body!).echo, "grüße ✓");
    });

    it("message: answers subscribe and unsubscribe itself (they reach $default), keeping the topic in the store", async () => {
        await invoke(fixture("connect"));
        const subscribed = await invoke(message(JSON.stringify({ action: "subscribe", topic: "prices" })));
        assert.deepEqual(subscribed, { statusCode: 200, body: JSON.stringify({ subscribed: "prices" }) });
        assert.deepEqual(await store.byTopic("prices"), [CONNECTION]);
        const unsubscribed = await invoke(message(JSON.stringify({ action: "unsubscribe", topic: "prices" })));
        assert.deepEqual(JSON.parse(unsubscribed.body!), { unsubscribed: "prices" });
        assert.deepEqual(await store.byTopic("prices"), []);
        const badTopic = await invoke(message(JSON.stringify({ action: "subscribe", topic: "no spaces" })));
        assert.equal(JSON.parse(badTopic.body!).error.code, "bad_request");
        assert.equal(seen.filter((e) => e.kind === "message").length, 0, "the handler is not called for them");
    });

    it("message: an error reply for what no route takes; the connection stays", async () => {
        await invoke(fixture("connect"));
        const response = await invoke(message(JSON.stringify({ action: "dance" })));
        assert.equal(response.statusCode, 200);
        assert.deepEqual(JSON.parse(response.body!), { error: { code: "unknown_action", message: "no route for this message" } });
        assert.deepEqual(management.calls, []);
    });

    it("message: closes the sender's connection through the Management API (DeleteConnection) when it breaks the rules", async () => {
        await invoke(fixture("connect"));
        const { result: tooBig, logged } = await quietly(() => invoke(message(JSON.stringify({ action: "say", text: "x".repeat(128 * 1024) }), "say")));
        assert.deepEqual(tooBig, { statusCode: 200 });
        assert.deepEqual(management.calls, [{ method: "DELETE", connectionId: CONNECTION, body: "" }]);
        assert.match(logged.join("\n"), /1009/);

        const stranger = message(JSON.stringify({ action: "say", text: "hi" }), "say");
        stranger.requestContext = { ...stranger.requestContext, connectionId: "UnknownConn0=" };
        assert.deepEqual((await quietly(() => invoke(stranger))).result, { statusCode: 200 });
        assert.deepEqual(management.calls.at(-1), { method: "DELETE", connectionId: "UnknownConn0=", body: "" }, "a connection the store does not know is closed");
    });

    it("disconnect: forgets the connection, its user index and its topics, then runs the handler", async () => {
        await invoke(fixture("connect"));
        await invoke(message(JSON.stringify({ action: "subscribe", topic: "prices" })));
        assert.deepEqual(await invoke(fixture("disconnect")), { statusCode: 200 });
        assert.equal(await store.get(CONNECTION), undefined);
        assert.deepEqual(await store.byUser("user-7f3a"), []);
        assert.deepEqual(await store.byTopic("prices"), []);
        const event = seen.at(-1)!;
        assert.equal(event.kind, "disconnect");
        assert.equal(event.userId, "user-7f3a");
    });

    it("refuses an event of another shape, naming what it expects", async () => {
        await assert.rejects(invoke({ version: "2.0", rawPath: "/x", requestContext: { http: { method: "GET" } } }), /toLambda: expected an API Gateway WebSocket event \(requestContext\.eventType CONNECT, MESSAGE or DISCONNECT, with connectionId\) or a REQUEST authorizer event/);
    });
});

// ---- push ----

describe("AWS push: realtime(name) over the Management API", function () {
    this.timeout(60_000);
    let dynalite: Dynalite;
    let management: ManagementApi;

    before(async () => {
        dynalite = await startDynalite();
        management = await startManagementApi(5);
    });
    beforeEach(() => {
        management.calls.length = 0;
        management.gone.clear();
        management.forbidden.clear();
        management.maxInFlight = 0;
    });
    after(async () => {
        await management?.stop();
        await dynalite?.stop();
    });

    const clientOn = (store: ConnectionStore, concurrency?: number) =>
        realtimeClient({ name: "live", table: "live-connections", endpoint: management.endpoint }, createAwsRealtime({ client: management.client, concurrency }), store);

    it("posts to each of a user's connections; a gone one (410 GoneException) is reported and removed from the store", async () => {
        const store = await storeOn(dynalite);
        for (const id of ["conn-a=", "conn-b=", "conn-c="]) await store.add(id, "user-1", { sub: "user-1" }, 20);
        management.gone.add("conn-b=");

        const result = await clientOn(store).send({ userId: "user-1" }, { type: "order", id: "o-1" });
        assert.deepEqual(result, { delivered: 2, gone: 1 });
        assert.deepEqual(management.calls.map((c) => [c.method, c.connectionId, c.body]).sort(), [
            ["POST", "conn-a=", '{"type":"order","id":"o-1"}'],
            ["POST", "conn-b=", '{"type":"order","id":"o-1"}'],
            ["POST", "conn-c=", '{"type":"order","id":"o-1"}'],
        ]);
        assert.equal(await store.get("conn-b="), undefined);
        assert.deepEqual((await store.byUser("user-1")).sort(), ["conn-a=", "conn-c="]);
    });

    it("counts a 410 without an error type as gone too", async () => {
        const transport = createAwsRealtime({ client: management.client });
        const plain = http.createServer((_req, res) => res.writeHead(410).end());
        await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
        try {
            const endpoint = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/live`;
            assert.deepEqual(await transport.post(endpoint, ["conn-x="], "{}"), ["conn-x="]);
        } finally {
            await new Promise<void>((resolve) => plain.close(() => resolve()));
        }
    });

    it("broadcasts to a topic's subscribers, a bounded number at once", async () => {
        const store = await storeOn(dynalite);
        const ids = Array.from({ length: 12 }, (_, i) => `conn-${i}=`);
        for (const id of ids) {
            const record = await store.add(id, `user-${id}`, { sub: id }, 20);
            await store.subscribe(record, "prices");
        }
        const result = await clientOn(store, 4).broadcast("prices", { sku: "A-1", price: 3 });
        assert.deepEqual(result, { delivered: 12, gone: 0 });
        assert.deepEqual(management.calls.map((c) => c.connectionId).sort(), [...ids].sort());
        assert.equal(management.maxInFlight, 4);
    });

    it("rejects when a post fails for another reason, after trying every connection", async () => {
        const store = await storeOn(dynalite);
        for (const id of ["conn-a=", "conn-b="]) await store.add(id, "user-2", { sub: "user-2" }, 20);
        management.forbidden.add("conn-a=");
        const error = await refusedWith(clientOn(store).send({ userId: "user-2" }, { hi: 1 }));
        assert.match(error.message, /PostToConnection failed for 1 of 2 connections \(ForbiddenException: Forbidden\)/);
        assert.equal(management.calls.length, 2);
        assert.ok(await store.get("conn-a="), "a connection not reported gone stays");
    });

    it("closes a connection (DeleteConnection) and forgets it; one already gone is no error", async () => {
        const store = await storeOn(dynalite);
        await store.add("conn-a=", "user-3", { sub: "user-3" }, 20);
        await clientOn(store).close("conn-a=");
        assert.deepEqual(management.calls, [{ method: "DELETE", connectionId: "conn-a=", body: "" }]);
        assert.equal(await store.get("conn-a="), undefined);
        management.gone.add("conn-z=");
        await clientOn(store).close("conn-z=");
    });
});

// ---- the planned bundles ----

describe("a Realtime's Lambda bundles, as the AWS realisation plans them", function () {
    this.timeout(120_000);
    const projectDir = path.join(__dirname, "..", "..");
    const bundleDir = path.join(projectDir, ".build", "test-bundles");
    const dirs: string[] = [];
    let issuer: Issuer;
    let dynalite: Dynalite;
    let management: ManagementApi;
    let env: { restore(): void } | undefined;

    before(async () => {
        issuer = await startIssuer();
        dynalite = await startDynalite();
        management = await startManagementApi();
    });
    after(async () => {
        env?.restore();
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
        await management?.stop();
        await dynalite?.stop();
        await issuer?.close();
    });

    /** Extracts a zip beside node_modules (Lambda's runtime provides the AWS SDK the bundle leaves out) and requires it. */
    function load(zipPath: string): (event: unknown, context?: unknown) => Promise<any> {
        fs.mkdirSync(bundleDir, { recursive: true });
        const dir = fs.mkdtempSync(path.join(bundleDir, "sb-realtime-"));
        dirs.push(dir);
        for (const [name, data] of Object.entries(unzipFiles(fs.readFileSync(path.resolve(projectDir, zipPath))))) fs.writeFileSync(path.join(dir, name), data);
        return require(path.join(dir, "index.js")).handler;
    }

    it("verify the token, store the connection, answer subscribe and forget the connection, over DynamoDB and the Management API", async () => {
        const stack = await evaluate("aws", () => new Realtime("live", { jwt: { issuer: issuer.url, audience: ["shop-web"] } }));
        const lambda = (name: string) => stack.one("aws:lambda/function:Function", name);
        const variables = (name: string) => (lambda(name).state.environment as { variables: Record<string, string> }).variables;
        const handler = (name: string) => load((lambda(name).inputs.code as { archive: string }).archive);
        const tableName = variables("live-connect").SB_TABLE_LIVE_CONNECTIONS_NAME;
        await dynalite.createTable(tableName, "pk", "sk");

        // The route functions' environments differ only in SB_EVENT_SOURCE: the connect function's stands for them all.
        env = environment({
            ...variables("live-connect"),
            SB_REALTIME_LIVE_ENDPOINT: management.endpoint,
            AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "test",
            AWS_SECRET_ACCESS_KEY: "test",
        });
        const authorizerEnv = variables("live-authorizer");
        assert.equal(authorizerEnv[JWT_ENV.issuer], issuer.url);
        assert.equal(authorizerEnv[SOCKET_SETTINGS_ENV], process.env[SOCKET_SETTINGS_ENV]);

        const token = await sign(issuer, { sub: "user-7f3a", aud: "shop-web", email: "ada@example.com" });
        const allowed: LambdaAuthorizerResponse = await handler("live-authorizer")(authorizerEvent(token), {});
        assert.equal(allowed.principalId, "user-7f3a");
        const { result: refused } = await quietly(() => refusedWith(handler("live-authorizer")(authorizerEvent(undefined), {})));
        assert.equal(refused.message, "Unauthorized");

        // API Gateway hands the authorizer's context to $connect.
        const connect = fixture("connect");
        connect.requestContext.authorizer = { principalId: allowed.principalId, integrationLatency: 80, ...allowed.context };
        assert.deepEqual(await handler("live-connect")(connect, {}), { statusCode: 200 });

        const subscribe = fixture("message");
        subscribe.body = JSON.stringify({ action: "subscribe", topic: "prices" });
        subscribe.requestContext.routeKey = "$default";
        assert.deepEqual(await handler("live-default")(subscribe, {}), { statusCode: 200, body: JSON.stringify({ subscribed: "prices" }) });
        const unknown = { ...subscribe, body: JSON.stringify({ action: "dance" }) };
        assert.equal(JSON.parse((await handler("live-default")(unknown, {})).body).error.code, "unknown_action");

        const client = documentClient(dynalite.client());
        const store = new ConnectionStore(tableClient({ name: "live-connections", tableName, ...CONNECTION_TABLE_KEYS }, createDynamoTable({ client: () => client })));
        assert.equal((await store.get(CONNECTION))?.claims.email, "ada@example.com");
        assert.deepEqual(await store.byTopic("prices"), [CONNECTION]);

        const tooBig = { ...subscribe, body: JSON.stringify({ action: "say", text: "x".repeat(128 * 1024) }) };
        assert.deepEqual((await quietly(() => handler("live-default")(tooBig, {}))).result, { statusCode: 200 });
        assert.deepEqual(management.calls, [{ method: "DELETE", connectionId: CONNECTION, body: "" }], "closed through the link's endpoint");

        assert.deepEqual(await handler("live-disconnect")(fixture("disconnect"), {}), { statusCode: 200 });
        assert.equal(await store.get(CONNECTION), undefined);
        assert.deepEqual(await store.byTopic("prices"), []);
    });
});
