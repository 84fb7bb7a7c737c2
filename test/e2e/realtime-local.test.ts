// Realtime on the local runtime, for real: Realtimes evaluated for the local target and served the
// way `npm start` serves the app (the runtime's HTTP server on a real port, its upgrade requests
// at /ws/<name>), real `ws` clients, tokens signed with a real key pair whose JWKS a real HTTP
// server publishes, the bundled socket functions in their worker threads keeping the connection
// store (a SQLite file), and pushes from a linked Function and from an AsyncTask fed by a hub.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import WebSocket from "ws";
import { AsyncTask, EventHub, Function, Realtime } from "../../components";
import type { NormalizedResponse } from "../../functions/runtime/http";
import { SOCKET_LIMITS } from "../../functions/runtime/socket";
import { localRealtimeServer } from "../../local/realtime/server";
import { serveLocally, type ServedLocally } from "../support/serve-locally";
import { withToken } from "../support/local-token";
import { evaluate, type Evaluated } from "../harness";

const ISSUER = "https://issuer.example.test";
const AUDIENCE = "shop-web";

/** A JWKS endpoint on a real port, and tokens signed with its key (or another). */
async function issuer() {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const stranger = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "ES256", use: "sig" };
    const server = http.createServer((req, res) => {
        res.writeHead(req.url === "/jwks.json" ? 200 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify(req.url === "/jwks.json" ? { keys: [jwk] } : {}));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    type Options = { key?: Parameters<SignJWT["sign"]>[0]; expiresAt?: number; audience?: string };
    const sign = (claims: Record<string, unknown>, options: Options = {}) =>
        new SignJWT(claims)
            .setProtectedHeader({ alg: "ES256", kid: "key-1" })
            .setIssuer(ISSUER)
            .setAudience(options.audience ?? AUDIENCE)
            .setIssuedAt()
            .setExpirationTime(options.expiresAt ?? "5m")
            .sign(options.key ?? privateKey);
    return {
        jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
        sign,
        strangerKey: stranger.privateKey,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** A connected client: its frames (JSON) in arrival order, and how it closed. */
class Client {
    private readonly frames: unknown[] = [];
    private readonly waiting: ((frame: unknown) => void)[] = [];
    readonly closed: Promise<{ code: number; reason: string }>;

    constructor(readonly ws: WebSocket) {
        ws.on("message", (data) => {
            const frame = JSON.parse(data.toString());
            const waiter = this.waiting.shift();
            if (waiter) waiter(frame);
            else this.frames.push(frame);
        });
        this.closed = new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    }

    /** Frames received and not yet taken. */
    get pending(): unknown[] {
        return [...this.frames];
    }

    /** The next frame, or a failure after `timeoutMs`. */
    next(timeoutMs = 10_000): Promise<any> {
        if (this.frames.length > 0) return Promise.resolve(this.frames.shift());
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
            this.waiting.push((frame) => {
                clearTimeout(timer);
                resolve(frame);
            });
        });
    }

    send(message: unknown): void {
        this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
    }

    /** Sends `message` and takes the next frame: its reply. */
    ask(message: unknown): Promise<any> {
        this.send(message);
        return this.next();
    }
}

type ConnectOptions = { token?: string; protocols?: string[]; autoPong?: boolean };

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

describe("Realtime on the local runtime (real WebSockets)", function () {
    this.timeout(120_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-realtime-"));
    const clients: Client[] = [];
    let tokens: Awaited<ReturnType<typeof issuer>>;
    let stack: Evaluated;
    let served: ServedLocally;
    let base: string;
    let localToken: string;
    let stopped = false;

    const wsUrl = (realtime: string, token?: string) => `${base.replace(/^http/, "ws")}/ws/${realtime}${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`;

    /** Opens a connection (the test fails if it is refused); closed after each test. */
    function connect(realtime: string, options: ConnectOptions = {}): Promise<Client> {
        const ws = new WebSocket(wsUrl(realtime, options.token), options.protocols, { autoPong: options.autoPong ?? true });
        return new Promise((resolve, reject) => {
            ws.once("open", () => {
                const client = new Client(ws);
                clients.push(client);
                resolve(client);
            });
            ws.once("unexpected-response", (_req, res) => reject(new Error(`connection to ${realtime} refused with ${res.statusCode}`)));
            ws.once("error", reject);
        });
    }

    /** An upgrade expected to be refused: its HTTP status, headers and JSON body. */
    function refusal(realtime: string, options: ConnectOptions = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
        const ws = new WebSocket(wsUrl(realtime, options.token), options.protocols);
        return new Promise((resolve, reject) => {
            ws.once("open", () => reject(new Error(`connection to ${realtime} opened; expected a refusal`)));
            ws.once("error", () => undefined); // the aborted handshake, after unexpected-response
            ws.once("unexpected-response", (_req, res) => {
                let text = "";
                res.on("data", (chunk) => (text += chunk));
                res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
            });
        });
    }

    /** Asks the `pusher` Function (linked to `live`), or another one, to push; its JSON answer. */
    async function push(ask: Record<string, unknown>, functionName = "pusher"): Promise<any> {
        const request = { method: "POST", path: "/", headers: { "content-type": "application/json" }, query: {}, params: {}, requestId: "test", body: JSON.stringify(ask) };
        const response = (await stack.runtime.function(functionName).invoke({ kind: "http", request })) as NormalizedResponse;
        return JSON.parse(response.body);
    }

    const token = (sub: string, claims: Record<string, unknown> = {}) => tokens.sign({ sub, ...claims });
    const statusOf = async () => (await (await fetch(`${base}/_local/status`, withToken(localToken))).json()) as any;
    const connections = async (realtime: string) => (await statusOf()).realtimes.find((r: any) => r.name === realtime).connections as number;

    before(async () => {
        tokens = await issuer();
        const previous = process.env.SB_LOCAL_DATA_DIR;
        // The connection stores' SQLite files go where the runtime keeps its data, as with npm start.
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        try {
            stack = await evaluate("local", () => {
                const jwt = { issuer: ISSUER, audience: [AUDIENCE], jwksUrl: tokens.jwksUrl };
                const echo = { handler: "test/fixtures/functions/realtime-echo.handler" };
                const live = new Realtime("live", { jwt, onConnect: { handler: "test/fixtures/functions/realtime-connect.handler" }, routes: { echo } });
                new Realtime("secure", { jwt, tokenFrom: "protocol", routes: { echo } });
                new Realtime("tight", { jwt, messagesPerSecond: 1, messageBurst: 2, routes: { echo } });
                new Realtime("narrow", { jwt, throttle: { burstLimit: 4, rateLimit: 1 }, routes: { echo } });
                const hub = new EventHub("events");
                new AsyncTask("notify", {
                    handler: "test/fixtures/functions/realtime-notify.handler",
                    subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["Notice"] }) },
                    link: [live.link],
                });
                new Function("pusher", { handler: "test/fixtures/functions/realtime-push.handler", link: [live.link] });
                new Function("stranger", { handler: "test/fixtures/functions/realtime-push.handler" });
                return { url: live.url, resourceId: live.resourceId, link: live.link };
            });
        } finally {
            if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
            else process.env.SB_LOCAL_DATA_DIR = previous;
        }
        served = await serveLocally(stack, { dataDir, pollIntervalMs: 50, log: () => {} });
        base = served.url;
        localToken = served.token;
    });

    afterEach(async () => {
        for (const client of clients.splice(0)) client.ws.close();
        if (stopped) return;
        // Every connection's $disconnect has run: the next test starts from an empty store.
        await until("every connection closed", async () => (await statusOf()).realtimes.every((r: any) => r.connections === 0));
    });

    after(async () => {
        if (!stopped) await localRealtimeServer(stack.runtime).shutdown();
        await served.stop();
        await tokens.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    describe("connecting", () => {
        it("is realised as ws://<runtime>/ws/<name>, its link naming the endpoint functions post to", () => {
            assert.equal(stack.outputs.url, "ws://127.0.0.1:3000/ws/live");
            assert.equal(stack.outputs.resourceId, "local:realtime:live");
            assert.equal(stack.outputs.link.environment.SB_REALTIME_LIVE_ENDPOINT, "local:live");
            assert.equal(stack.outputs.link.environment.SB_REALTIME_LIVE_TABLE, "live-connections");
            assert.deepEqual(localRealtimeServer(stack.runtime).status()[0].functions, { $connect: "live-connect", $disconnect: "live-disconnect", $default: "live-default", echo: "live-echo" });
        });

        it("refuses an upgrade without a token: 401 and a JSON reason, before anything opens", async () => {
            const refused = await refusal("live");
            assert.equal(refused.status, 401);
            assert.equal(refused.headers["www-authenticate"], "Bearer");
            assert.equal(refused.body.error.code, "unauthorized");
            assert.match(refused.body.error.message, /^missing token: add \?token=<access token> to the URL$/);
            assert.match(refused.headers["x-request-id"] as string, /^[0-9a-f-]{36}$/);
        });

        it("refuses a bad token: another key's signature, not a JWT, another audience", async () => {
            const forged = await refusal("live", { token: await tokens.sign({ sub: "alice" }, { key: tokens.strangerKey }) });
            assert.equal(forged.status, 401);
            assert.match(forged.body.error.message, /token signature is not valid/);
            const garbage = await refusal("live", { token: "not-a-jwt" });
            assert.equal(garbage.status, 401);
            assert.equal(garbage.body.error.message, "token is not a well-formed JWT");
            const elsewhere = await refusal("live", { token: await tokens.sign({ sub: "alice" }, { audience: "another-app" }) });
            assert.equal(elsewhere.status, 401);
            assert.equal(elsewhere.body.error.message, "token audience is not accepted by this API");
        });

        it("refuses an expired token", async () => {
            const refused = await refusal("live", { token: await tokens.sign({ sub: "alice" }, { expiresAt: Math.floor(Date.now() / 1000) - 60 }) });
            assert.equal(refused.status, 401);
            assert.deepEqual(refused.body.error, { code: "unauthorized", message: "token expired", requestId: refused.body.error.requestId });
        });

        it("refuses a token without a subject, and whom the onConnect function refuses (403)", async () => {
            const anonymous = await refusal("live", { token: await tokens.sign({}) });
            assert.equal(anonymous.status, 401);
            assert.match(anonymous.body.error.message, /a connection needs a verified token with a subject \(sub\)/);
            const banned = await refusal("live", { token: await token("mallory", { banned: true }) });
            assert.equal(banned.status, 403);
            assert.deepEqual(banned.body.error, { code: "forbidden", message: "user mallory is banned from this Realtime", requestId: banned.body.error.requestId });
            assert.equal(await connections("live"), 0);
        });

        it("accepts a good token in the query, and in protocol mode as the subprotocol after 'bearer' (echoed)", async () => {
            const viaQuery = await connect("live", { token: await token("alice") });
            assert.equal(viaQuery.ws.protocol, "");
            const viaProtocol = await connect("secure", { protocols: ["bearer", await token("bob")] });
            assert.equal(viaProtocol.ws.protocol, "bearer");
            assert.deepEqual((await viaProtocol.ask({ action: "echo", n: 1 })).userId, "bob");
            // Protocol mode takes the token from the subprotocol only: one in the query is not looked at.
            const misplaced = await refusal("secure", { token: await token("bob") });
            assert.equal(misplaced.status, 401);
            assert.match(misplaced.body.error.message, /missing token: offer the subprotocols "bearer" and then the access token/);
            assert.equal(await connections("live"), 1);
            assert.equal(await connections("secure"), 1);
        });

        it("answers a plain HTTP request to a Realtime with 426, an unknown WebSocket path with 404", async () => {
            const plain = await fetch(`${base}/ws/live`);
            assert.equal(plain.status, 426);
            assert.equal(((await plain.json()) as any).error.code, "upgrade_required");
            const unknown = await refusal("nope", { token: await token("alice") });
            assert.equal(unknown.status, 404);
            assert.match(unknown.body.error.message, /no Realtime at \/ws\/nope; WebSocket endpoints here: \/ws\/live, \/ws\/secure, \/ws\/tight, \/ws\/narrow/);
        });
    });

    describe("messages", () => {
        it("routes a message by its action to the route's function and sends back its reply", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const reply = await alice.ask({ action: "echo", text: "hello" });
            assert.deepEqual(reply.echo, { action: "echo", text: "hello" });
            assert.equal(reply.route, "echo");
            assert.equal(reply.userId, "alice");
            assert.match(reply.connectionId, /^[A-Za-z0-9_-]{16}$/);
            const stored = (await push({ op: "record", connectionId: reply.connectionId })).record;
            assert.equal(stored.userId, "alice");
            assert.equal(stored.claims.sub, "alice");
        });

        it("sends what no route takes to $default: an unknown action, text that is not JSON", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const unknown = await alice.ask({ action: "dance" });
            assert.equal(unknown.error.code, "unknown_action");
            assert.match(unknown.error.message, /no route for this message \(route '\$default'\)/);
            assert.equal((await alice.ask("plain words")).error.code, "unknown_action");
            assert.equal((await alice.ask({ action: "$connect" })).error.code, "unknown_action", "a message cannot select the platform's own routes");
        });

        it("closes a connection with 1009 on a message over the size limit; one at the limit is read", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const atLimit = JSON.stringify({ action: "echo", pad: "" });
            const padded = JSON.stringify({ action: "echo", pad: "x".repeat(SOCKET_LIMITS.maxMessageBytes - Buffer.byteLength(atLimit)) });
            assert.equal(Buffer.byteLength(padded), SOCKET_LIMITS.maxMessageBytes);
            // Read and answered: its echo is over the limit itself, so the reply says so.
            assert.equal((await alice.ask(padded)).error.code, "reply_too_big");
            alice.send(`${padded} `);
            assert.equal((await alice.closed).code, 1009);
        });

        it("closes a connection with 1003 on a binary frame, as API Gateway does", async () => {
            const alice = await connect("live", { token: await token("alice") });
            alice.ws.send(Buffer.from([1, 2, 3]), { binary: true });
            const closed = await alice.closed;
            assert.equal(closed.code, 1003);
            assert.match(closed.reason, /binary frames are not supported/);
        });

        it("answers over a connection's message rate with too_many_requests, keeping the connection", async () => {
            const alice = await connect("tight", { token: await token("alice") });
            for (let i = 0; i < 4; i++) alice.send({ action: "echo", i });
            const replies = [await alice.next(), await alice.next(), await alice.next(), await alice.next()];
            assert.deepEqual(replies.slice(0, 2).map((r) => r.echo.i), [0, 1], "the burst of 2 in order");
            for (const reply of replies.slice(2)) {
                assert.equal(reply.error.code, "too_many_requests");
                assert.match(reply.error.message, /at most 1 messages per second \(burst 2\)/);
            }
            assert.equal(alice.ws.readyState, WebSocket.OPEN);
        });

        it("throttles the whole endpoint: messages over it answered too_many_requests, connects refused with 429", async () => {
            const alice = await connect("narrow", { token: await token("alice") }); // 1 of the burst of 4
            for (let i = 0; i < 5; i++) alice.send({ action: "echo", i });
            const refused = await refusal("narrow", { token: await token("bob") });
            assert.equal(refused.status, 429);
            assert.equal(refused.body.error.code, "too_many_requests");
            const replies = await Promise.all(Array.from({ length: 5 }, () => alice.next()));
            assert.deepEqual(replies.filter((r) => r.echo).map((r) => r.echo.i), [0, 1, 2]);
            const throttled = replies.filter((r) => r.error);
            assert.equal(throttled.length, 2);
            for (const reply of throttled) assert.match(reply.error.message, /Realtime 'narrow' is throttled: more than 1 connects and messages\/s \(burst 4\)/);
        });
    });

    describe("pushing", () => {
        it("subscribes and broadcasts to a topic's subscribers only", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const bob = await connect("live", { token: await token("bob") });
            assert.deepEqual(await alice.ask({ action: "subscribe", topic: "news" }), { subscribed: "news" });
            assert.equal((await bob.ask({ action: "subscribe", topic: "bad topic!" })).error.code, "bad_request");
            assert.deepEqual(await push({ op: "broadcast", topic: "news", data: { headline: "hi" } }), { delivered: 1, gone: 0 });
            assert.deepEqual(await alice.next(), { headline: "hi" });
            assert.deepEqual(await alice.ask({ action: "unsubscribe", topic: "news" }), { unsubscribed: "news" });
            assert.deepEqual(await push({ op: "broadcast", topic: "news", data: { headline: "again" } }), { delivered: 0, gone: 0 });
            await new Promise((resolve) => setTimeout(resolve, 200));
            assert.deepEqual(bob.pending, []);
            assert.deepEqual(alice.pending, []);
        });

        it("delivers an async task's push (a hub event) to every connection of that user, and no one else", async () => {
            const aliceTab1 = await connect("live", { token: await token("alice") });
            const aliceTab2 = await connect("live", { token: await token("alice") });
            const bob = await connect("live", { token: await token("bob") });
            const [eventId] = stack.runtime.publish("events", [{ type: "Notice", source: "test", detail: { userId: "alice", text: "your order shipped" } }]);
            for (const tab of [aliceTab1, aliceTab2]) assert.deepEqual(await tab.next(), { type: "notice", text: "your order shipped", eventId });
            await new Promise((resolve) => setTimeout(resolve, 300));
            assert.deepEqual(bob.pending, [], "bob's connection got nothing");
            assert.deepEqual(stack.runtime.events.store.counts("notify"), { queued: 0, inFlight: 0, deadLetters: 0 });
        });

        it("pushes to one connection by id, and refuses a function that does not link the Realtime", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const { connectionId } = await alice.ask({ action: "echo" });
            assert.deepEqual(await push({ op: "send", to: connectionId, data: { direct: true } }), { delivered: 1, gone: 0 });
            assert.deepEqual(await alice.next(), { direct: true });
            const forged = await push({ rawEndpoint: "local:live", connectionId, data: { forged: true } }, "stranger");
            assert.equal(forged.error, "function 'stranger' may not push to Realtime endpoint 'local:live': add the Realtime's link (link: [realtime.link])");
            assert.match((await push({ op: "send", to: connectionId, data: {} }, "stranger")).error, /SB_REALTIME_LIVE_TABLE is not set: link the realtime 'live'/);
            await new Promise((resolve) => setTimeout(resolve, 100));
            assert.deepEqual(alice.pending, []);
        });

        it("forgets a dropped client (terminated, no close frame): its record is gone, pushes to its user reach no one", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const { connectionId } = await alice.ask({ action: "subscribe", topic: "news" }).then(() => alice.ask({ action: "echo" }));
            alice.ws.terminate();
            await until("the store forgot the connection", async () => (await push({ op: "record", connectionId })).record === null);
            assert.equal(await connections("live"), 0);
            assert.deepEqual(await push({ op: "send", to: { userId: "alice" }, data: { late: true } }), { delivered: 0, gone: 0 });
            assert.deepEqual(await push({ op: "broadcast", topic: "news", data: { late: true } }), { delivered: 0, gone: 0 });
            // A stale id (another runtime's, or one whose disconnect is late) is reported gone.
            assert.deepEqual(await push({ op: "send", to: connectionId, data: { late: true } }), { delivered: 0, gone: 1 });
        });

        it("closes a connection from the server (1000); its disconnect forgets it", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const { connectionId } = await alice.ask({ action: "echo" });
            assert.deepEqual(await push({ op: "close", connectionId }), { closed: connectionId });
            assert.deepEqual(await alice.closed, { code: 1000, reason: "closed by the server" });
            await until("the store forgot the connection", async () => (await push({ op: "record", connectionId })).record === null);
        });
    });

    describe("keeping connections healthy", () => {
        afterEach(() => localRealtimeServer(stack.runtime).configure({ idleTimeoutMs: SOCKET_LIMITS.idleSeconds * 1000, pingIntervalMs: 30_000, maxConnectionMs: SOCKET_LIMITS.maxConnectionSeconds * 1000 }));

        it("closes a connection idle for the idle timeout with 1001; messages keep one open", async () => {
            localRealtimeServer(stack.runtime).configure({ idleTimeoutMs: 600 });
            const idle = await connect("live", { token: await token("alice") });
            const busy = await connect("live", { token: await token("bob") });
            const started = Date.now();
            const chatting = setInterval(() => busy.send({ action: "echo" }), 150);
            try {
                const closed = await idle.closed;
                assert.equal(closed.code, 1001);
                assert.match(closed.reason, /^idle for 600 ms: no message from the client$/);
                assert.ok(Date.now() - started >= 500, "not before the timeout");
                await new Promise((resolve) => setTimeout(resolve, 400));
                assert.equal(busy.ws.readyState, WebSocket.OPEN);
            } finally {
                clearInterval(chatting);
            }
        });

        it("terminates a client that does not answer pings; its disconnect runs", async () => {
            localRealtimeServer(stack.runtime).configure({ pingIntervalMs: 150 });
            const silent = await connect("live", { token: await token("alice"), autoPong: false });
            const answering = await connect("live", { token: await token("bob") });
            const { connectionId } = await silent.ask({ action: "echo" });
            assert.equal((await silent.closed).code, 1006, "no close frame: the socket was dropped");
            await until("the store forgot the silent connection", async () => (await push({ op: "record", connectionId })).record === null);
            assert.equal(answering.ws.readyState, WebSocket.OPEN);
        });

        it("closes a connection at the longest a connection may last, with 1001", async () => {
            localRealtimeServer(stack.runtime).configure({ maxConnectionMs: 400 });
            const alice = await connect("live", { token: await token("alice") });
            const chatting = setInterval(() => alice.send({ action: "echo" }), 100);
            try {
                const closed = await alice.closed;
                assert.equal(closed.code, 1001);
                assert.match(closed.reason, /open for 400 ms, the longest a connection may last/);
            } finally {
                clearInterval(chatting);
            }
        });
    });

    // Mocha runs a suite's own tests before its child suites: these are a suite so they come last.
    describe("status and stopping", () => {
        it("lists each Realtime with its open connections at /_local/status", async () => {
            await connect("live", { token: await token("alice") });
            await connect("live", { token: await token("bob") });
            await connect("tight", { token: await token("carol") });
            const { realtimes } = await statusOf();
            assert.deepEqual(
                realtimes.map((r: any) => [r.name, r.path, r.connections]),
                [["live", "/ws/live", 2], ["secure", "/ws/secure", 0], ["tight", "/ws/tight", 1], ["narrow", "/ws/narrow", 0]],
            );
            assert.equal(realtimes[0].functions.$connect, "live-connect");
        });

        it("closes every connection with 1001 when the runtime stops, after running their disconnects", async () => {
            const alice = await connect("live", { token: await token("alice") });
            const { connectionId } = await alice.ask({ action: "echo" });
            await localRealtimeServer(stack.runtime).shutdown();
            stopped = true;
            assert.deepEqual(await alice.closed, { code: 1001, reason: "the local runtime is stopping" });
            assert.equal((await push({ op: "record", connectionId })).record, null, "the disconnect ran before shutdown() resolved");
            const late = await refusal("live", { token: await token("alice") });
            assert.equal(late.status, 503);
        });
    });
});
