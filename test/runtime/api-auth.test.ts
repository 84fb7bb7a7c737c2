// Bearer tokens checked where no gateway checks them (Tencent Cloud, local): real key pairs made
// here, a JWKS served by a real HTTP server on 127.0.0.1, tokens signed by jose. Then the Tencent
// adapter with a BusinessApi route's settings (401s, roles' 403s, claims, CORS), and a route's real
// SCF bundle.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { BusinessApi } from "../../components";
import { unzipFiles } from "../../components/build/zip";
import { ROLES_ENV } from "../../functions/runtime/adapters/route-roles";
import { toScf } from "../../functions/runtime/adapters/tencentcloud";
import { JWT_ENV, verifyBearer, type JwtSettings } from "../../functions/runtime/auth/jwt";
import { CORS_ENV } from "../../functions/runtime/cors";
import { http as httpHandler, HttpError } from "../../functions/runtime/http";
import { evaluate } from "../harness";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface Issuer {
    url: string;
    keys: KeyPair;
    /** Requests the JWKS endpoint has answered. */
    fetches: number;
    close(): Promise<void>;
}

/** An issuer on 127.0.0.1 publishing `keys`' public half at /.well-known/jwks.json (500 at /broken/...). */
async function startIssuer(keys: KeyPair, kid = "key-1"): Promise<Issuer> {
    const jwk = { ...(await exportJWK(keys.publicKey)), kid, alg: "RS256", use: "sig" };
    const issuer = { fetches: 0 } as Issuer;
    const server = http.createServer((req, res) => {
        if (req.url === "/.well-known/jwks.json") {
            issuer.fetches++;
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
        } else {
            res.writeHead(500).end("boom");
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer.keys = keys;
    issuer.close = () => new Promise((resolve) => server.close(() => resolve()));
    return issuer;
}

async function sign(keys: KeyPair, claims: JWTPayload, options: { issuer: string; kid?: string; expiresIn?: string | number; alg?: string }): Promise<string> {
    let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "key-1" })
        .setIssuer(options.issuer)
        .setIssuedAt();
    if (options.expiresIn !== undefined) jwt = jwt.setExpirationTime(options.expiresIn);
    return jwt.sign(keys.privateKey);
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
    try {
        await promise;
    } catch (error) {
        assert.ok(HttpError.is(error), `expected an HttpError, got ${String(error)}`);
        return error;
    }
    throw new assert.AssertionError({ message: "expected the token to be refused" });
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const original = console.error;
    console.error = () => undefined;
    try {
        return await fn();
    } finally {
        console.error = original;
    }
}

describe("verifyBearer against a real JWKS", () => {
    let issuer: Issuer;
    let settings: JwtSettings;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    before(async () => {
        issuer = await startIssuer(await generateKeyPair("RS256"));
        settings = { issuer: issuer.url, audience: ["shop-web", "shop-app"] };
    });
    after(() => issuer.close());

    it("returns the claims of a valid token, fetching the keys once", async () => {
        const token = await sign(issuer.keys, { sub: "user-42", aud: "shop-web", email: "a@example.com" }, { issuer: issuer.url, expiresIn: "5m" });
        const claims = await verifyBearer(bearer(token), settings);
        assert.equal(claims.sub, "user-42");
        assert.equal(claims.email, "a@example.com");
        await verifyBearer({ Authorization: `bearer ${token}` }, settings);
        assert.equal(issuer.fetches, 1, "the key set is cached between requests");
    });

    it("accepts a token without aud whose client_id is an audience (as AWS's JWT authorizer does)", async () => {
        const token = await sign(issuer.keys, { sub: "u", client_id: "shop-app" }, { issuer: issuer.url, expiresIn: "5m" });
        assert.equal((await verifyBearer(bearer(token), settings)).client_id, "shop-app");
    });

    it("refuses a missing or malformed Authorization header with a 401", async () => {
        const missing = await refusal(verifyBearer({}, settings));
        assert.equal(missing.status, 401);
        assert.equal(missing.code, "unauthorized");
        assert.match(missing.message, /missing bearer token/);
        assert.match((await refusal(verifyBearer({ authorization: "Basic dXNlcjpwYXNz" }, settings))).message, /not 'Bearer <token>'/);
        assert.match((await refusal(verifyBearer(bearer("not.a.jwt"), settings))).message, /not a well-formed JWT|signature/);
    });

    it("refuses another audience, another issuer, an expired and a not-yet-valid token, naming why", async () => {
        const otherAudience = await sign(issuer.keys, { aud: "admin" }, { issuer: issuer.url, expiresIn: "5m" });
        const wrongAud = await refusal(verifyBearer(bearer(otherAudience), settings));
        assert.equal(wrongAud.status, 401);
        assert.match(wrongAud.message, /audience/);
        assert.deepEqual(wrongAud.details, { claim: "aud" });

        const otherIssuer = await sign(issuer.keys, { aud: "shop-web" }, { issuer: "https://evil.example.com", expiresIn: "5m" });
        assert.match((await refusal(verifyBearer(bearer(otherIssuer), settings))).message, /token refused: unexpected "iss" claim value/);

        const expired = await sign(issuer.keys, { aud: "shop-web" }, { issuer: issuer.url, expiresIn: Math.floor(Date.now() / 1000) - 60 });
        assert.equal((await refusal(verifyBearer(bearer(expired), settings))).message, "token expired");

        const early = await new SignJWT({ aud: "shop-web" }).setProtectedHeader({ alg: "RS256", kid: "key-1" }).setIssuer(issuer.url)
            .setNotBefore(Math.floor(Date.now() / 1000) + 3600).sign(issuer.keys.privateKey);
        assert.match((await refusal(verifyBearer(bearer(early), settings))).message, /"nbf" claim timestamp check failed/);
    });

    it("refuses a token signed by a key the issuer does not publish, and a symmetric one", async () => {
        const stranger = await generateKeyPair("RS256");
        const forged = await sign(stranger, { aud: "shop-web" }, { issuer: issuer.url, expiresIn: "5m", kid: "key-1" });
        assert.match((await refusal(verifyBearer(bearer(forged), settings))).message, /signature is not valid/);
        const unknownKid = await sign(stranger, { aud: "shop-web" }, { issuer: issuer.url, expiresIn: "5m", kid: "key-9" });
        assert.match((await refusal(verifyBearer(bearer(unknownKid), settings))).message, /not signed by a key of the issuer/);
        const hs256 = await new SignJWT({ aud: "shop-web" }).setProtectedHeader({ alg: "HS256" }).setIssuer(issuer.url).setExpirationTime("5m")
            .sign(new TextEncoder().encode("a-shared-secret-anyone-could-guess!"));
        assert.match((await refusal(verifyBearer(bearer(hs256), settings))).message, /algorithm is not allowed/);
    });

    it("answers 503, not 401, when the issuer's keys cannot be fetched", async () => {
        const token = await sign(issuer.keys, { aud: "shop-web" }, { issuer: issuer.url, expiresIn: "5m" });
        const broken = await quietly(() => refusal(verifyBearer(bearer(token), { ...settings, jwksUrl: `${issuer.url}/broken/jwks.json` })));
        assert.equal(broken.status, 503);
        assert.equal(broken.code, "jwks_unavailable");
        const closed = await startIssuer(issuer.keys);
        await closed.close();
        const unreachable = await quietly(() => refusal(verifyBearer(bearer(token), { ...settings, jwksUrl: `${closed.url}/.well-known/jwks.json` })));
        assert.equal(unreachable.status, 503);
    });
});

describe("Tencent adapter on a BusinessApi route", () => {
    let issuer: Issuer;
    const saved = { ...process.env };
    const event = (headers: Record<string, string>) => ({
        httpMethod: "GET",
        path: "/users/42",
        headers,
        pathParameters: { id: "42" },
        queryString: {},
        requestContext: { requestId: "req-1", sourceIp: "203.0.113.7", path: "/users/{id}", stage: "release" },
        isBase64Encoded: false,
    });
    const whoAmI = toScf(httpHandler(async (req) => ({ id: req.params.id, sub: req.claims?.sub ?? null })));

    before(async () => {
        issuer = await startIssuer(await generateKeyPair("RS256"));
    });
    after(() => issuer.close());
    afterEach(() => {
        for (const key of [JWT_ENV.issuer, JWT_ENV.audience, JWT_ENV.jwksUrl, CORS_ENV, ROLES_ENV]) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
    });

    function authorizedRoute() {
        process.env[JWT_ENV.issuer] = issuer.url;
        process.env[JWT_ENV.audience] = JSON.stringify(["shop-web"]);
        process.env[JWT_ENV.jwksUrl] = `${issuer.url}/.well-known/jwks.json`;
    }

    it("answers 401 with a JSON error and the request id when the token is missing", async () => {
        authorizedRoute();
        const response = await whoAmI(event({}));
        assert.equal(response.statusCode, 401);
        assert.deepEqual(JSON.parse(response.body), { error: { code: "unauthorized", message: "missing bearer token: send Authorization: Bearer <token>" } });
        assert.equal(response.headers["x-request-id"], "req-1");
    });

    it("hands the verified claims to the handler", async () => {
        authorizedRoute();
        const token = await sign(issuer.keys, { sub: "user-42", aud: "shop-web" }, { issuer: issuer.url, expiresIn: "5m" });
        const response = await whoAmI(event({ Authorization: `Bearer ${token}` }));
        assert.equal(response.statusCode, 200);
        assert.deepEqual(JSON.parse(response.body), { id: "42", sub: "user-42" });
    });

    it("checks the route's roles after the token: 403 without one of them, 200 with one, 401 before either without a token", async () => {
        authorizedRoute();
        process.env[ROLES_ENV] = JSON.stringify(["admin"]);
        const user = await sign(issuer.keys, { sub: "user-42", aud: "shop-web", roles: ["user"] }, { issuer: issuer.url, expiresIn: "5m" });
        const forbidden = await whoAmI(event({ Authorization: `Bearer ${user}` }));
        assert.equal(forbidden.statusCode, 403);
        assert.deepEqual(JSON.parse(forbidden.body), {
            error: { code: "forbidden", message: "this route needs the role 'admin'; the token's roles claim has 'user'", details: { anyOf: ["admin"] } },
        });
        const admin = await sign(issuer.keys, { sub: "user-1", aud: "shop-web", roles: ["user", "admin"] }, { issuer: issuer.url, expiresIn: "5m" });
        const allowed = await whoAmI(event({ Authorization: `Bearer ${admin}` }));
        assert.equal(allowed.statusCode, 200);
        assert.deepEqual(JSON.parse(allowed.body), { id: "42", sub: "user-1" });
        assert.equal((await whoAmI(event({}))).statusCode, 401);
    });

    it("checks nothing on a public route", async () => {
        const response = await whoAmI(event({}));
        assert.equal(response.statusCode, 200);
        assert.deepEqual(JSON.parse(response.body), { id: "42", sub: null });
    });

    it("adds CORS headers for a listed origin only, replacing the handler's own", async () => {
        process.env[CORS_ENV] = JSON.stringify({ allowOrigins: ["https://shop.example.com"], allowCredentials: true, exposeHeaders: ["x-request-id"] });
        const wildcard = toScf(httpHandler(async () => ({ status: 200, headers: { "access-control-allow-origin": "*" }, body: { ok: true } })));
        const allowed = await wildcard(event({ Origin: "https://shop.example.com" }));
        assert.equal(allowed.headers["access-control-allow-origin"], "https://shop.example.com");
        assert.equal(allowed.headers["access-control-allow-credentials"], "true");
        assert.equal(allowed.headers["access-control-expose-headers"], "x-request-id");
        assert.equal(allowed.headers.vary, "origin");
        const other = await wildcard(event({ Origin: "https://evil.example.com" }));
        assert.equal(other.headers["access-control-allow-origin"], undefined);
        assert.equal(other.headers["access-control-allow-credentials"], undefined);
        assert.equal(other.headers.vary, "origin");
    });
});

describe("a BusinessApi route's SCF bundle", () => {
    let issuer: Issuer;
    const saved = { ...process.env };

    before(async () => {
        issuer = await startIssuer(await generateKeyPair("RS256"));
    });
    after(async () => {
        await issuer.close();
        for (const key of [JWT_ENV.issuer, JWT_ENV.audience, JWT_ENV.jwksUrl, ROLES_ENV]) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
    });

    /** The route's SCF function as the Tencent realisation plans it: its zip unpacked and loaded, its environment applied. */
    async function deployedRoute(route: { roles?: string[] }) {
        const stack = await evaluate("tencentcloud", () => new BusinessApi("shop", {
            routes: { "POST /orders/{orderId}/items": { handler: "test/fixtures/functions/echo.handler", ...route } },
            jwt: { issuer: issuer.url, audience: ["shop-web"] },
        }));
        const fn = stack.one("tencentcloud:index/scfFunction:ScfFunction", "shop-post-orders-orderid-items");
        const env = fn.inputs.environment as Record<string, string>;
        for (const key of [JWT_ENV.issuer, JWT_ENV.audience, JWT_ENV.jwksUrl, ROLES_ENV]) {
            if (env[key] === undefined) delete process.env[key];
            else process.env[key] = env[key];
        }
        const files = unzipFiles(fs.readFileSync(String(fn.inputs.zipFile)));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-api-auth-"));
        for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
        const { handler } = require(path.join(dir, "index.js"));
        const event = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "events", "tencent-apigw.json"), "utf8"));
        return { handler, event };
    }

    it("verifies the token with the settings the Tencent realisation put in its environment (a route needs one by default)", async function () {
        this.timeout(60_000);
        const { handler, event } = await deployedRoute({});

        const refused = await handler(event, { request_id: "r-1" });
        assert.equal(refused.statusCode, 401);
        assert.equal(JSON.parse(refused.body).error.code, "unauthorized");

        const token = await sign(issuer.keys, { sub: "user-7", aud: "shop-web" }, { issuer: issuer.url, expiresIn: "5m" });
        const accepted = await handler({ ...event, headers: { ...event.headers, Authorization: `Bearer ${token}` } }, { request_id: "r-2" });
        assert.equal(accepted.statusCode, 200, accepted.body);
        assert.equal(issuer.fetches, 1);
    });

    it("checks the route's roles the realisation put in its environment", async function () {
        this.timeout(60_000);
        const { handler, event } = await deployedRoute({ roles: ["admin"] });
        const call = async (roles: string[]) => {
            const token = await sign(issuer.keys, { sub: "user-7", aud: "shop-web", roles }, { issuer: issuer.url, expiresIn: "5m" });
            return handler({ ...event, headers: { ...event.headers, Authorization: `Bearer ${token}` } }, { request_id: "r-3" });
        };
        const forbidden = await call(["user"]);
        assert.equal(forbidden.statusCode, 403);
        assert.equal(JSON.parse(forbidden.body).error.code, "forbidden");
        assert.equal((await call(["user", "admin"])).statusCode, 200);
    });
});
