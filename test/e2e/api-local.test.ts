// BusinessApi on the local runtime, for real: a program with two APIs evaluated for the local
// target and served the way `npm start` serves the app (local/start.ts): the runtime's HTTP
// server on a real port, bundled route functions in their worker threads, real HTTP requests,
// tokens signed with a real key pair whose JWKS a real HTTP server publishes.
import * as assert from "node:assert/strict";
import { once } from "node:events";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { BusinessApi } from "../../components";
import { LOCAL_TOKEN_HEADER } from "../../functions/runtime/clients/local/local-token";
import { MAX_BODY_BYTES } from "../../local/server";
import { serveLocally, type ServedLocally } from "../support/serve-locally";
import { evaluate, type Evaluated } from "../harness";

const ISSUER = "https://issuer.example.test";
const AUDIENCE = "shop-web";
const ORIGIN = "https://shop.example.com";

interface Reply {
    status: number;
    headers: http.IncomingHttpHeaders;
    rawHeaders: string[];
    body: Buffer;
    text: string;
    json: any;
}

/** The run's token (serve() sets it): requests under /_local carry it unless told `token: false`. */
let localToken = "";

/** One request over a fresh connection, headers exactly as given (arrays repeat a header), plus the token under /_local. */
function request(base: string, method: string, target: string, options: { headers?: http.OutgoingHttpHeaders; body?: string | Buffer; token?: false } = {}): Promise<Reply> {
    const headers = target.startsWith("/_local") && options.token !== false ? { [LOCAL_TOKEN_HEADER]: localToken, ...options.headers } : options.headers;
    return new Promise((resolve, reject) => {
        const req = http.request(`${base}${target}`, { method, headers, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
                const body = Buffer.concat(chunks);
                const text = body.toString("utf8");
                let json: unknown;
                try {
                    json = JSON.parse(text);
                } catch {
                    json = undefined;
                }
                resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body, text, json });
            });
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

/** Served as npm start serves it; requests under /_local carry its token. */
async function serve(stack: Evaluated, dataDir: string): Promise<ServedLocally> {
    const served = await serveLocally(stack, { dataDir, log: () => {} });
    localToken = served.token;
    return served;
}

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
    const sign = (claims: Record<string, unknown>, options: { key?: Parameters<SignJWT["sign"]>[0]; expiresIn?: string | number } = {}) =>
        new SignJWT(claims)
            .setProtectedHeader({ alg: "ES256", kid: "key-1" })
            .setIssuer(ISSUER)
            .setIssuedAt()
            .setExpirationTime(options.expiresIn ?? "5m")
            .sign(options.key ?? privateKey);
    return {
        jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
        sign,
        strangerKey: stranger.privateKey,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

describe("BusinessApi on the local runtime (real HTTP)", function () {
    this.timeout(60_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-api-"));
    let tokens: Awaited<ReturnType<typeof issuer>>;
    let stack: Evaluated;
    let app: Awaited<ReturnType<typeof serve>>;
    let base: string;

    before(async () => {
        tokens = await issuer();
        stack = await evaluate("local", () => {
            const shop = new BusinessApi("shop", {
                routes: {
                    "GET /users/{id}": { handler: "test/fixtures/functions/api-echo.handler", public: true },
                    "PUT /users/{id}": { handler: "test/fixtures/functions/api-echo.handler", public: true },
                    "GET /users/{id}/orders/{orderId}": { handler: "test/fixtures/functions/api-echo.handler", public: true },
                    "GET /users/me": { handler: "test/fixtures/functions/api-echo.handler" }, // needs a token: the default
                    "GET /reports": { handler: "test/fixtures/functions/api-echo.handler", roles: ["admin", "auditor"] },
                    "POST /users": { handler: "test/fixtures/functions/api-users.handler", public: true },
                    "POST /text": { handler: "test/fixtures/functions/api-text.handler", public: true },
                    "POST /cookies": { handler: "test/fixtures/functions/api-cookies.handler", public: true },
                    "GET /hello": { handler: "examples/shop/functions/hello/greet.handler", public: true },
                    "GET /crash": { handler: "test/fixtures/functions/api-failures.throws", public: true },
                    "GET /crash-instance": { handler: "test/fixtures/functions/api-failures.exits", public: true },
                    "GET /slow": { handler: "test/fixtures/functions/api-failures.hangs", timeout: 1, public: true },
                },
                cors: { allowOrigins: [ORIGIN] },
                // The key set's URL as another component's output (a local issuer) would hand it over.
                jwt: { issuer: ISSUER, audience: [AUDIENCE], jwksUrl: pulumi.output(tokens.jwksUrl) },
            });
            const tiny = new BusinessApi("tiny", {
                routes: { "GET /tiny": { handler: "examples/shop/functions/hello/greet.handler", public: true } },
                throttle: { burstLimit: 2, rateLimit: 1 },
            });
            return { shopUrl: shop.url, shopId: shop.resourceId, tinyUrl: tiny.url };
        }, { "serverless-blocks:localUrl": "http://127.0.0.1:3999" }); // where npm start would say it listens
        app = await serve(stack, dataDir);
        base = app.url;
    });

    after(async () => {
        await app?.stop();
        await tokens?.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const invocations = async (functionName: string): Promise<number> => {
        const status = (await request(base, "GET", "/_local/status")).json;
        return status.functions.find((f: any) => f.name === functionName).invocations;
    };

    it("outputs the runtime's /api URL and lists each API's routes and functions in the status", async () => {
        assert.equal(stack.outputs.shopUrl, "http://127.0.0.1:3999/api");
        assert.equal(stack.outputs.tinyUrl, "http://127.0.0.1:3999/api");
        assert.equal(stack.outputs.shopId, "local:api:shop");
        const { apis } = (await request(base, "GET", "/_local/status")).json;
        assert.deepEqual(apis.map((a: any) => a.name).sort(), ["shop", "tiny"]);
        const shop = apis.find((a: any) => a.name === "shop").routes;
        assert.equal(shop.length, 12);
        assert.deepEqual(shop.find((r: any) => r.key === "POST /api/users"), { key: "POST /api/users", functionName: "shop-post-users", auth: false });
        assert.deepEqual(shop.find((r: any) => r.key === "GET /api/users/me"), { key: "GET /api/users/me", functionName: "shop-get-users-me", auth: true });
    });

    it("passes path params decoded, query strings with repeated keys joined, headers lower-cased and joined", async () => {
        const res = await request(base, "GET", "/api/users/ada%20lovelace/orders/o-7?tag=a&tag=b&q=%C3%A9t%C3%A9&empty=", {
            headers: { "X-Trace-Id": "t-1", "X-Dup": ["one", "two"] },
        });
        assert.equal(res.status, 200);
        const echo = res.json;
        assert.equal(echo.method, "GET");
        assert.equal(echo.path, "/users/ada%20lovelace/orders/o-7");
        assert.deepEqual(echo.params, { id: "ada lovelace", orderId: "o-7" });
        assert.deepEqual(echo.query, { tag: "a,b", q: "été", empty: "" });
        assert.equal(echo.headers["x-trace-id"], "t-1");
        assert.equal(echo.headers["x-dup"], "one,two");
        assert.ok(Object.keys(echo.headers).every((name) => name === name.toLowerCase()));
        assert.equal(echo.body, null);
        assert.equal(echo.claims, null);
        assert.match(echo.requestId, /^[0-9a-f-]{36}$/);
        assert.equal(res.headers["x-request-id"], echo.requestId, "the handler's request id is the one the caller sees");
    });

    it("serves a literal segment before a {param} in the same place, and strips no other paths", async () => {
        const me = await request(base, "GET", "/api/users/me"); // GET /users/me (auth), not GET /users/{id}
        assert.equal(me.status, 401);
        const hello = await request(base, "GET", "/api/hello?name=Ada");
        assert.deepEqual(hello.json, { message: "Hello, Ada!" });
        const trailing = await request(base, "GET", "/api/hello/?name=Bo");
        assert.deepEqual(trailing.json, { message: "Hello, Bo!" });
    });

    it("answers each request with its own request id", async () => {
        const ids = await Promise.all([1, 2, 3].map(async () => (await request(base, "GET", "/api/hello")).headers["x-request-id"]));
        assert.equal(new Set(ids).size, 3);
    });

    describe("JSON and non-JSON bodies", () => {
        it("creates a valid JSON body: 201 with the handler's status and headers", async () => {
            const res = await request(base, "POST", "/api/users", {
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ email: "grace@example.com", name: "Grace", age: 36 }),
            });
            assert.equal(res.status, 201);
            assert.equal(res.headers.location, "/users/grace%40example.com");
            assert.match(String(res.headers["content-type"]), /^application\/json/);
            assert.deepEqual(res.json, { created: { email: "grace@example.com", name: "Grace", age: 36 } });
        });

        it("answers a body failing its zod schema with 400 naming each field and the reason", async () => {
            const res = await request(base, "POST", "/api/users", { body: JSON.stringify({ email: "not-an-email", age: 1.5 }) });
            assert.equal(res.status, 400);
            const { error } = res.json;
            assert.equal(error.code, "invalid_body");
            assert.deepEqual(error.details.map((d: any) => d.field), ["email", "name", "age"]);
            const reason = (field: string) => error.details.find((d: any) => d.field === field).reason;
            assert.match(reason("email"), /email/i);
            assert.match(reason("name"), /expected string, received undefined/);
            assert.match(reason("age"), /int/i);
            assert.match(error.message, /^email: .+; name: .+; age: .+$/);
        });

        it("answers malformed JSON and a missing body with 400", async () => {
            const broken = await request(base, "POST", "/api/users", { body: '{"email": ' });
            assert.equal(broken.status, 400);
            assert.equal(broken.json.error.code, "invalid_json");
            assert.match(broken.json.error.message, /body is not valid JSON/);
            const empty = await request(base, "POST", "/api/users");
            assert.equal(empty.status, 400);
            assert.equal(empty.json.error.code, "missing_body");
        });

        it("passes a text body through as text and sends text and bytes back as the handler gave them", async () => {
            const res = await request(base, "POST", "/api/text", { headers: { "content-type": "text/plain; charset=utf-8" }, body: "héllo, wörld ✓" });
            assert.equal(res.status, 200);
            assert.equal(res.headers["content-type"], "text/plain; charset=utf-8");
            assert.equal(res.headers["x-received-type"], "text/plain; charset=utf-8");
            assert.equal(res.text, "✓ dlröw ,olléh");
            const bytes = await request(base, "POST", "/api/text?binary", { body: "x" });
            assert.equal(bytes.headers["content-type"], "application/octet-stream");
            assert.deepEqual([...bytes.body], [0, 1, 2, 253, 254, 255]);
        });

        it("passes a 1 MB body intact", async () => {
            const body = "ab".repeat(512 * 1024);
            const res = await request(base, "PUT", "/api/users/big", { headers: { "content-type": "text/plain" }, body });
            assert.equal(res.status, 200);
            assert.equal(res.json.body, body);
        });
    });

    describe("413 over Lambda's 6 MB", () => {
        it("refuses a declared length over the limit before the body is sent, and invokes nothing", async () => {
            const before = await invocations("shop-post-text");
            const req = http.request(`${base}/api/text`, { method: "POST", agent: false, headers: { "content-length": String(MAX_BODY_BYTES + 1) } });
            req.on("error", () => {}); // the server closes the connection: the unsent body is the point
            req.write("the first bytes of a body the server must not wait for");
            const [res] = (await once(req, "response")) as [http.IncomingMessage];
            assert.equal(res.statusCode, 413);
            assert.equal(res.headers.connection, "close");
            assert.ok(res.headers["x-request-id"]);
            const body = JSON.parse(Buffer.concat(await res.toArray()).toString());
            assert.equal(body.error.code, "payload_too_large");
            req.destroy();
            assert.equal(await invocations("shop-post-text"), before);
        });

        it("cuts a chunked body off at the limit, answering while the sender is still sending", async () => {
            const req = http.request(`${base}/api/text`, { method: "POST", agent: false }); // no length: chunked
            req.on("error", () => {});
            req.write(Buffer.alloc(MAX_BODY_BYTES + 1, "a"));
            const [res] = (await once(req, "response")) as [http.IncomingMessage];
            assert.equal(res.statusCode, 413);
            assert.equal(req.writableEnded, false, "answered before the request ended");
            res.resume();
            req.destroy();
        });

        it("gives fetch the 413 too, and serves the next request normally", async () => {
            const res = await fetch(`${base}/api/text`, { method: "POST", body: "x".repeat(MAX_BODY_BYTES + 1) });
            assert.equal(res.status, 413);
            assert.match(((await res.json()) as any).error.message, /request body over 6291456 bytes/);
            assert.equal((await request(base, "GET", "/api/hello")).status, 200);
        });
    });

    describe("routes and methods", () => {
        it("answers an unknown route with 404 listing the routes there are", async () => {
            const res = await request(base, "GET", "/api/nowhere");
            assert.equal(res.status, 404);
            assert.equal(res.json.error.code, "not_found");
            assert.equal(res.json.error.message, "no route for GET /api/nowhere");
            assert.ok(res.json.error.details.routes.includes("GET /api/users/{id}"));
            assert.ok(res.json.error.details.routes.includes("GET /api/tiny"));
            assert.ok(res.headers["x-request-id"]);
            assert.equal((await request(base, "GET", "/api/users/1/orders")).status, 404);
        });

        it("answers a known path with the wrong method with 405 and an Allow header", async () => {
            const res = await request(base, "DELETE", "/api/users/42");
            assert.equal(res.status, 405);
            assert.equal(res.headers.allow, "GET, PUT");
            assert.equal(res.json.error.code, "method_not_allowed");
            assert.match(res.json.error.message, /DELETE is not allowed on \/api\/users\/42; allowed: GET, PUT/);
        });

        it("answers a path parameter over 1,024 bytes with 400 naming it, before invoking the function", async () => {
            const before = await invocations("shop-get-users-id-orders-orderid");
            const longUser = await request(base, "GET", `/api/users/${"u".repeat(2049)}/orders/o-1`);
            assert.equal(longUser.status, 400);
            assert.equal(longUser.json.error.code, "bad_request");
            assert.equal(longUser.json.error.message, "path parameter 'id' is 2049 bytes, at most 1024");
            // Bytes of UTF-8, after decoding: 512 × "é" (2 bytes each) and an "x" are 513 characters but 1,025 bytes.
            const longOrder = await request(base, "GET", `/api/users/u-1/orders/${encodeURIComponent("é".repeat(512) + "x")}`);
            assert.equal(longOrder.status, 400);
            assert.equal(longOrder.json.error.message, "path parameter 'orderId' is 1025 bytes, at most 1024");
            assert.equal(await invocations("shop-get-users-id-orders-orderid"), before);
            const atLimit = await request(base, "GET", `/api/users/u-1/orders/${"o".repeat(1024)}`);
            assert.equal(atLimit.status, 200);
        });

        it("answers a malformed percent-escape in a path with 400, under /api and /_local", async () => {
            for (const target of ["/api/users/%ZZ", "/api/users/%E0%A4%A", "/_local/functions/%ZZ/invoke", "/_local/hubs/%E0%A4%A/events"]) {
                const res = await request(base, target.startsWith("/api") ? "GET" : "POST", target, { headers: { "content-type": "application/json" }, body: "{}" });
                assert.equal(res.status, 400, `${target}: ${res.text}`);
            }
        });

        it("leaves paths outside /api to the rest of the runtime", async () => {
            assert.equal((await request(base, "GET", "/apis")).status, 404);
            assert.equal((await request(base, "GET", "/_local/status")).status, 200);
        });
    });

    describe("hostile clients", () => {
        const deepJson = "[".repeat(10_000) + "]".repeat(10_000);

        it("refuses a 10,000-deep JSON body with 400 before it reaches a function, under /api and /_local", async () => {
            const api = await request(base, "POST", "/api/users", { headers: { "content-type": "application/json" }, body: deepJson });
            assert.equal(api.status, 400);
            assert.equal(api.json.error.code, "too_deep");
            const invoke = await request(base, "POST", "/_local/functions/shop-get-hello/invoke", { headers: { "content-type": "application/json" }, body: deepJson });
            assert.equal(invoke.status, 400);
            assert.match(invoke.json.error.message, /nested more than 64 levels deep/);
            assert.equal((await request(base, "GET", "/api/hello?name=Ada")).status, 200);
        });

        /** Sends `head` (and nothing more) on a raw connection; resolves with what the server answers and when. */
        const stall = (head: string): Promise<{ answer: string; ms: number }> =>
            new Promise((resolve, reject) => {
                const started = Date.now();
                const { port } = new URL(base);
                const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(head));
                let answer = "";
                socket.on("data", (chunk) => (answer += chunk));
                socket.on("close", () => resolve({ answer, ms: Date.now() - started }));
                socket.on("error", reject);
            });

        it("answers a stalled body (2 of 100 bytes) and stalled headers with 408 within seconds, and closes", async () => {
            const [body, headers] = await Promise.all([
                stall("POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\""),
                stall("GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "),
            ]);
            for (const stalled of [body, headers]) {
                assert.match(stalled.answer, /^HTTP\/1\.1 408 /);
                assert.ok(stalled.ms < 13_000, `closed after ${stalled.ms} ms`);
            }
            assert.equal((await request(base, "GET", "/api/hello?name=Ada")).status, 200);
        });

        // Found by the fuzzer (test/e2e/fuzz-local.test.ts): Node's parser answered these with an
        // empty body, and CONNECT with a silent close a client cannot tell from a crash.
        it("answers what Node's parser refuses, and CONNECT, with a JSON error naming the fault", async () => {
            const jsonError = (answer: string) => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).error.message as string;
            const latin1 = await stall("GET /_local/\xc4\xaa HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assert.match(latin1.answer, /^HTTP\/1\.1 400 /);
            assert.match(latin1.answer, /content-type: application\/json/i);
            assert.match(jsonError(latin1.answer), /^malformed HTTP request: /);
            const huge = await stall(`GET /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${"h".repeat(40_000)}\r\n\r\n`);
            assert.match(huge.answer, /^HTTP\/1\.1 431 /);
            assert.match(jsonError(huge.answer), /request headers over \d+ bytes/);
            const connect = await stall("CONNECT /api/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assert.match(connect.answer, /^HTTP\/1\.1 405 /);
            assert.match(jsonError(connect.answer), /CONNECT \/api\/hello: this server is no proxy/);
            // A HEAD's answer has no body, even a refusal's: its client would read one as the next response.
            const head = await stall(`HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${"h".repeat(40_000)}\r\n\r\n`);
            assert.match(head.answer, /^HTTP\/1\.1 431 [^]*\r\n\r\n$/);
            assert.equal((await request(base, "GET", "/api/hello?name=Ada")).status, 200);
        });
    });

    describe("/_local answers only this machine's own tools", () => {
        const invokeHello = { kind: "http", request: { method: "GET", path: "/hello", headers: {}, query: {}, params: {}, requestId: "t" } };
        const port = () => new URL(base).port;
        const post = (headers: http.OutgoingHttpHeaders) => request(base, "POST", "/_local/functions/shop-get-hello/invoke", { headers, body: JSON.stringify(invokeHello) });

        it("refuses a Host that is not a loopback name on this port (DNS rebinding) with 403", async () => {
            for (const host of [`evil.example:${port()}`, "127.0.0.1:1", "127.0.0.1.evil.example", `localhost.evil.example:${port()}`]) {
                const res = await request(base, "GET", "/_local/status", { headers: { host } });
                assert.equal(res.status, 403, host);
                assert.match(res.json.error.message, /is not this machine/);
            }
            for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `LOCALHOST:${port()}`]) {
                assert.equal((await request(base, "GET", "/_local/status", { headers: { host } })).status, 200, host);
            }
        });

        it("refuses a foreign Origin with 403, and lets this machine's own pages in", async () => {
            for (const origin of ["https://evil.example", "null", `http://127.0.0.1.evil.example:${port()}`, `https://127.0.0.1:${port()}`]) {
                const res = await post({ "content-type": "application/json", origin });
                assert.equal(res.status, 403, origin);
                assert.match(res.json.error.message, /may not call \/_local/);
            }
            assert.equal((await post({ "content-type": "application/json", origin: `http://localhost:${port()}` })).status, 200);
            assert.equal((await post({ "content-type": "application/json" })).status, 200, "no Origin: a command-line tool");
        });

        it("refuses a POST not declared as JSON (a cross-site simple request) with 415, before reading it", async () => {
            const before = await invocations("shop-get-hello");
            for (const type of [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
                const res = await post(type ? { "content-type": type } : {});
                assert.equal(res.status, 415, String(type));
                assert.match(res.json.error.message, /content-type: application\/json/);
            }
            assert.equal(await invocations("shop-get-hello"), before);
            assert.equal((await post({ "content-type": "application/json; charset=utf-8" })).status, 200);
        });

        it("refuses a request without this run's token, or with another, with 401 (JSON), and takes it as a header or a bearer", async () => {
            const before = await invocations("shop-get-hello");
            for (const headers of [{}, { "x-sb-local-token": "wrong" }, { authorization: "Bearer wrong" }, { "x-sb-local-token": `${localToken}x` }, { cookie: `sb_local_token_${port()}=wrong` }]) {
                const status = await request(base, "GET", "/_local/status", { headers, token: false });
                assert.equal(status.status, 401, JSON.stringify(headers));
                assert.match(status.json.error.message, /needs this run's token/);
                const invoke = await request(base, "POST", "/_local/functions/shop-get-hello/invoke", { headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(invokeHello), token: false });
                assert.equal(invoke.status, 401, JSON.stringify(headers));
            }
            assert.equal(await invocations("shop-get-hello"), before, "no refused request reached the function");
            assert.equal((await request(base, "GET", "/_local/status", { headers: { authorization: `Bearer ${localToken}` }, token: false })).status, 200);
            assert.equal((await request(base, "GET", "/_local/status", { headers: { "x-sb-local-token": localToken }, token: false })).status, 200);
            assert.equal((await request(base, "GET", "/_local/status", { headers: { cookie: `other=1; sb_local_token_${port()}=${localToken}` }, token: false })).status, 200, "the console page's cookie");
        });

        it("refuses a foreign Origin even with the token (403), and a token in the query string outside the console page", async () => {
            const res = await post({ "content-type": "application/json", origin: "https://evil.example" });
            assert.equal(res.status, 403);
            assert.equal((await request(base, "GET", `/_local/status?token=${localToken}`, { token: false })).status, 401);
        });

        it("leaves the signed upload URLs and the sign-in pages to their own checks, and /api alone", async () => {
            const upload = await request(base, "PUT", "/_local/uploads/nobody/key", { headers: { origin: "https://evil.example", "content-type": "text/plain" }, body: "x" });
            assert.doesNotMatch(upload.text, /may not call \/_local|content-type: application\/json/);
            const api = await request(base, "GET", "/api/hello?name=Ada", { headers: { origin: "https://evil.example", host: "shop.example.com" } });
            assert.equal(api.status, 200);
        });
    });

    describe("failures", () => {
        const noInternals = (res: Reply, secret: RegExp) => {
            assert.doesNotMatch(res.text, secret);
            assert.doesNotMatch(res.text, /\bat .+:\d+:\d+/, "no stack trace");
        };

        it("answers a handler that throws with 500 carrying only the request id", async () => {
            const res = await request(base, "GET", "/api/crash");
            assert.equal(res.status, 500);
            assert.deepEqual(res.json, { error: { code: "internal", message: "internal error", requestId: res.headers["x-request-id"] } });
            noInternals(res, /hunter2/);
        });

        it("answers a crashed instance with 500 and the request id, and starts a fresh one for the next request", async () => {
            for (let i = 0; i < 2; i++) {
                const res = await request(base, "GET", "/api/crash-instance");
                assert.equal(res.status, 500);
                assert.deepEqual(res.json, { error: { code: "internal", message: "internal error", requestId: res.headers["x-request-id"] } });
                noInternals(res, /secret detail/);
            }
            assert.equal(await invocations("shop-get-crash-instance"), 2);
        });

        it("answers a function that outlives its timeout with 504 and the request id", async () => {
            const started = Date.now();
            const res = await request(base, "GET", "/api/slow");
            assert.equal(res.status, 504);
            assert.equal(res.json.error.code, "gateway_timeout");
            assert.equal(res.json.error.requestId, res.headers["x-request-id"]);
            assert.ok(Date.now() - started < 5_000);
        });
    });

    describe("JWT on every route not public", () => {
        const me = (token?: string) => request(base, "GET", "/api/users/me", { headers: token ? { authorization: `Bearer ${token}` } : {} });

        it("refuses a request to a route declared without flags (authenticated by default) with 401 and a Bearer challenge, without invoking the function", async () => {
            const res = await me();
            assert.equal(res.status, 401);
            assert.equal(res.headers["www-authenticate"], "Bearer");
            assert.equal(res.json.error.code, "unauthorized");
            assert.match(res.json.error.message, /missing bearer token/);
            assert.equal(await invocations("shop-get-users-me"), 0);
        });

        it("refuses a token for another audience, an expired one and one signed by another key", async () => {
            const otherAudience = await me(await tokens.sign({ sub: "u1", aud: "someone-else" }));
            assert.equal(otherAudience.status, 401);
            assert.match(otherAudience.json.error.message, /audience/);
            const expired = await me(await tokens.sign({ sub: "u1", aud: AUDIENCE }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }));
            assert.equal(expired.status, 401);
            assert.match(expired.json.error.message, /expired/);
            const forged = await me(await tokens.sign({ sub: "u1", aud: AUDIENCE }, { key: tokens.strangerKey }));
            assert.equal(forged.status, 401);
            assert.match(forged.json.error.message, /signature/);
            assert.equal(await invocations("shop-get-users-me"), 0);
        });

        it("passes a valid token's claims to the handler", async () => {
            const res = await me(await tokens.sign({ sub: "user-42", aud: AUDIENCE, email: "ada@example.com" }));
            assert.equal(res.status, 200);
            assert.equal(res.json.claims.sub, "user-42");
            assert.equal(res.json.claims.email, "ada@example.com");
            assert.equal(res.json.claims.iss, ISSUER);
        });
    });

    describe("roles", () => {
        const reports = async (claims?: Record<string, unknown>) =>
            request(base, "GET", "/api/reports", { headers: claims ? { authorization: `Bearer ${await tokens.sign({ aud: AUDIENCE, ...claims })}` } : {} });

        it("answers 403 with a JSON error to a valid token without one of the route's roles (the adapter checks them in the function, as on AWS)", async () => {
            const user = await reports({ sub: "user-1", roles: ["user"] });
            assert.equal(user.status, 403);
            assert.deepEqual(user.json, {
                error: { code: "forbidden", message: "this route needs one of the roles 'admin', 'auditor'; the token's roles claim has 'user'", details: { anyOf: ["admin", "auditor"] } },
            });
            assert.ok(user.headers["x-request-id"]);
            assert.equal((await reports({ sub: "user-2" })).status, 403, "no roles claim at all");
        });

        it("answers 200 to a token with one of them, and 401 to none", async () => {
            const auditor = await reports({ sub: "user-3", roles: ["user", "auditor"] });
            assert.equal(auditor.status, 200);
            assert.equal(auditor.json.claims.sub, "user-3");
            assert.equal((await reports()).status, 401);
        });
    });

    describe("cookies", () => {
        it("sends two cookies set in one response as two Set-Cookie headers", async () => {
            const res = await request(base, "POST", "/api/cookies");
            assert.equal(res.status, 200);
            assert.deepEqual(res.headers["set-cookie"], [
                "refresh=r-1; Path=/auth; Max-Age=3600; HttpOnly; Secure; SameSite=Strict",
                "theme=dark; Path=/; Secure; SameSite=Lax",
            ]);
            const raw: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === "set-cookie") raw.push(res.rawHeaders[i + 1]);
            assert.equal(raw.length, 2, "two header lines on the wire");
        });

        it("hands the handler the request's cookies, parsed", async () => {
            const res = await request(base, "POST", "/api/cookies", { headers: { cookie: "refresh=r-0; note=a%3B%20b" } });
            assert.deepEqual(res.json, { received: { refresh: "r-0", note: "a; b" } });
        });
    });

    describe("CORS", () => {
        it("answers a preflight from an allowed origin itself, with the configured headers", async () => {
            const res = await request(base, "OPTIONS", "/api/users", { headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
            assert.equal(res.status, 204);
            assert.equal(res.headers["access-control-allow-origin"], ORIGIN);
            assert.equal(res.headers["access-control-allow-methods"], "GET,POST,PUT");
            assert.equal(res.headers["access-control-allow-headers"], "authorization,content-type");
            assert.equal(res.headers["access-control-max-age"], "600");
        });

        it("gives a preflight from another origin no CORS headers", async () => {
            const res = await request(base, "OPTIONS", "/api/users", { headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
            assert.equal(res.headers["access-control-allow-origin"], undefined);
            assert.equal(res.headers["access-control-allow-methods"], undefined);
        });

        it("adds the configured headers to an allowed origin's response, replacing the handler's own", async () => {
            const body = JSON.stringify({ email: "lin@example.com", name: "Lin" });
            const allowed = await request(base, "POST", "/api/users", { headers: { origin: ORIGIN }, body });
            assert.equal(allowed.status, 201);
            assert.equal(allowed.headers["access-control-allow-origin"], ORIGIN);
            assert.equal(allowed.headers["access-control-expose-headers"], "x-request-id");
            assert.equal(allowed.headers.vary, "origin");
            const other = await request(base, "POST", "/api/users", { headers: { origin: "https://evil.example" }, body });
            assert.equal(other.status, 201);
            assert.equal(other.headers["access-control-allow-origin"], undefined, "the handler's own CORS header is dropped");
        });

        it("leaves an API without CORS alone: no preflight answer", async () => {
            const res = await request(base, "OPTIONS", "/api/tiny", { headers: { origin: ORIGIN, "access-control-request-method": "GET" } });
            assert.equal(res.status, 404);
            assert.equal(res.headers["access-control-allow-origin"], undefined);
        });
    });

    it("throttles an API over its burst with 429, other APIs unaffected", async () => {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await request(base, "GET", "/api/tiny")).status);
        assert.deepEqual(statuses, [200, 200, 429]);
        assert.equal((await request(base, "GET", "/api/hello")).status, 200);
    });

    it("refuses, before serving, two APIs whose routes would serve the same requests", async () => {
        // A clash of the local runtime's (on a cloud each API has its own URL): building the runtime
        // from the program's resources refuses it, as npm start does before it serves.
        await assert.rejects(
            evaluate("local", () => {
                new BusinessApi("a", { routes: { "GET /items/{id}": { handler: "examples/shop/functions/hello/greet.handler", public: true } } });
                new BusinessApi("b", { routes: { "GET /items/{key}": { handler: "examples/shop/functions/hello/greet.handler", public: true } } });
            }),
            // Whichever registers second (their bundles finish in either order) is refused, naming the other.
            /API '(a|b)' route 'GET \/items\/\{(id|key)\}' would serve the requests of GET \/api\/items\/\{(id|key)\} \(every API shares \/api locally\)/,
        );
    });
});
