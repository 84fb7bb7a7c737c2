// Auth on the local runtime, for real: the Auth component evaluated for the local target, its
// issuer's functions (functions/auth) bundled and run in their worker threads behind the local
// /api gateway, its secret file written by the runtime, a real OpenID provider (oidc-provider, as
// npm start runs it under /_local/oidc on the same port) driven through its sign-in form with
// fetch, following every redirect by hand, tables in SQLite files, events through the hub to an
// AsyncTask. Every bad input is refused with a JSON 400/401 and leaves nothing stored.
import * as assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import Database from "better-sqlite3";
import { calculateJwkThumbprint, exportJWK, importPKCS8, SignJWT } from "jose";
import { AsyncTask, Auth, BusinessApi, EventHub } from "../../components";
import { createLocalServer, type ServerContext } from "../../local/server";
import { startLocalOidc, type LocalOidc } from "../../local/oidc";
import { evaluate, type Evaluated } from "../harness";
import { until } from "../support/until";

const CLIENT_ID = "shop-local";
const CLIENT_SECRET = "local-dev-client-secret";
const AUDIENCE = "shop";
/**
 * Auth takes 60 s at least; the test shortens the deployed functions' setting to see a token
 * expire in seconds (the runtime starts an instance with its definition's environment).
 */
const ACCESS_TOKEN_SECONDS = 3;

interface Reply {
    status: number;
    headers: Headers;
    text: string;
    json: any;
}

async function call(url: string, init: RequestInit = {}): Promise<Reply> {
    const res = await fetch(url, { redirect: "manual", ...init });
    const text = await res.text();
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
}

/** Cookies by name, as a browser keeps them for one site (paths and expiry aside: each test looks at what it needs). */
class Jar {
    readonly cookies = new Map<string, string>();
    take(headers: Headers): void {
        for (const line of headers.getSetCookie()) {
            const [pair, ...attributes] = line.split(";").map((s) => s.trim());
            const at = pair.indexOf("=");
            const name = pair.slice(0, at);
            const value = pair.slice(at + 1);
            if (value === "" || attributes.some((a) => /^max-age=0$/i.test(a))) this.cookies.delete(name);
            else this.cookies.set(name, value);
        }
    }
    header(): string {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
}

/** The refresh cookie a response set, with its attributes. */
function refreshCookieOf(headers: Headers): { value: string; attributes: string[] } | undefined {
    const line = headers.getSetCookie().find((c) => c.startsWith("sb_refresh="));
    if (!line) return undefined;
    const [pair, ...attributes] = line.split(";").map((s) => s.trim());
    return { value: pair.slice("sb_refresh=".length), attributes };
}

describe("Auth on the local runtime (real HTTP, real OpenID provider)", function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-auth-"));
    const dataDir = path.join(dir, "data");
    const signupsFile = path.join(dir, "signups.jsonl");
    const secretFile = path.join(dataDir, "auth", "auth", "secret.json");
    const previousDataDir = process.env.SB_LOCAL_DATA_DIR;
    let outer: http.Server;
    let inner: http.Server | undefined;
    let oidc: LocalOidc;
    let stack: Evaluated;
    let base: string;
    let api: string;
    let issuer: string;
    /** The signing keys the runtime generated into the secret file (keyRotation 1: a current and a previous one). */
    const keys = { current: "", previous: "" };

    before(async () => {
        fs.mkdirSync(dataDir, { recursive: true });
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        // Listen first, as npm start does: the program and the provider are told the real address.
        outer = http.createServer((req, res) => {
            if (inner) inner.emit("request", req, res);
            else res.writeHead(503).end();
        });
        await new Promise<void>((resolve) => outer.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(outer.address() as AddressInfo).port}`;
        api = `${base}/api`;
        issuer = `${api}/auth`;
        oidc = await startLocalOidc({ baseUrl: base, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${issuer}/callback`] }] });

        stack = await evaluate("local", () => {
            const events = new EventHub("events", {});
            const auth = new Auth("auth", {
                providers: { local: { issuer: oidc.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } },
                audience: AUDIENCE,
                adminEmails: ["boss@example.com"],
                signedInUrl: `${base}/`,
                keyRotation: 1,
                events: events.link,
            });
            new BusinessApi("shop", {
                routes: { "GET /me": { handler: "test/fixtures/functions/api-echo.handler" } },
                jwt: auth.jwt,
            });
            new AsyncTask("record-signups", {
                handler: "test/fixtures/functions/record-to-file.handler",
                subscribe: { hub: events.link, pattern: JSON.stringify({ "detail-type": ["UserSignedUp"] }) },
                environment: { RECORD_FILE: signupsFile },
            });
            return { issuer: auth.issuer, jwt: auth.jwt };
        }, { "serverless-blocks:localUrl": base });
        assert.equal(stack.outputs.issuer, issuer);
        assert.deepEqual(stack.outputs.jwt, { issuer, audience: [AUDIENCE], jwksUrl: `${issuer}/.well-known/jwks.json` });
        for (const host of stack.runtime.functions.values()) {
            const settings = host.definition.environment.SB_AUTH_SETTINGS;
            if (settings) host.definition.environment.SB_AUTH_SETTINGS = JSON.stringify({ ...JSON.parse(settings), accessTokenSeconds: ACCESS_TOKEN_SECONDS });
        }
        const secret = JSON.parse(fs.readFileSync(secretFile, "utf8"));
        assert.equal(secret.issuer, issuer);
        assert.deepEqual(secret.clientSecrets, { local: CLIENT_SECRET });
        keys.current = secret.keys.find((k: any) => k.current).privateKeyPem;
        keys.previous = secret.keys.find((k: any) => !k.current).privateKeyPem;
        const context: ServerContext = { stack: "test", runtime: stack.runtime, components: stack.resources, oidc };
        inner = createLocalServer(context);
        stack.runtime.start({ dataDir, log: () => {} });
    });

    after(async () => {
        await new Promise<void>((resolve) => {
            outer?.close(() => resolve());
            outer?.closeAllConnections();
        });
        await stack?.runtime.close();
        await oidc?.close();
        if (previousDataDir === undefined) delete process.env.SB_LOCAL_DATA_DIR;
        else process.env.SB_LOCAL_DATA_DIR = previousDataDir;
        fs.rmSync(dir, { recursive: true, force: true });
    });

    // ---- what is stored ----

    function rows(table: string): any[] {
        const file = path.join(dataDir, "tables", `${table}.sqlite`);
        if (!fs.existsSync(file)) return [];
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
            return db.prepare(`SELECT item FROM "${table.replace(/-/g, "_")}"`).all().map((r: any) => JSON.parse(r.item));
        } catch (err) {
            if (/no such table/.test((err as Error).message)) return [];
            throw err;
        } finally {
            db.close();
        }
    }
    const users = () => rows("auth-users");
    /** Records other than pending sign-in states: what a sign-in leaves behind. */
    const facts = () => rows("auth-records").filter((r) => !String(r.pk).startsWith("login#"));
    const signups = (): any[] => (fs.existsSync(signupsFile) ? fs.readFileSync(signupsFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []);

    function assertNothingStored(before: { users: number; facts: number }) {
        assert.equal(users().length, before.users, "no user was stored");
        assert.equal(facts().length, before.facts, "no identity, email or session was stored");
    }
    const counts = () => ({ users: users().length, facts: facts().length });

    // ---- the browser's part ----

    /** GET /auth/login: the provider's authorization URL it redirects to. */
    async function startLogin(query = ""): Promise<URL> {
        const res = await call(`${issuer}/login${query}`);
        assert.equal(res.status, 302, res.text);
        return new URL(res.headers.get("location")!);
    }

    /**
     * At the provider: from the authorization URL through its sign-in form to the redirect back to
     * our callback; returns the callback URL (with code and state). `jar` is the browser's cookies at the provider.
     */
    async function atProvider(authorization: URL, login: string, jar = new Jar()): Promise<URL> {
        let url = authorization;
        for (let step = 0; step < 10; step++) {
            if (url.href.startsWith(`${issuer}/callback`)) return url;
            const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
            jar.take(res.headers);
            if (res.status >= 300 && res.status < 400) {
                url = new URL(res.headers.get("location")!, url);
                continue;
            }
            const html = await res.text();
            assert.equal(res.status, 200, html);
            const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
            assert.ok(action && /name="login"/.test(html), `expected the provider's sign-in form, got: ${html.slice(0, 300)}`);
            const submit = await fetch(new URL(action.replace(/&amp;/g, "&"), url), {
                method: "POST",
                redirect: "manual",
                headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({ prompt: "login", login, password: "anything" }),
            });
            jar.take(submit.headers);
            assert.ok(submit.status >= 300 && submit.status < 400, `sign-in form post answered ${submit.status}`);
            url = new URL(submit.headers.get("location")!, url);
        }
        throw new Error("too many redirects at the provider");
    }

    /** A whole sign-in: login, the provider's form, the callback. Returns the callback's answer. */
    async function signIn(login: string, query = ""): Promise<{ callback: Reply; refresh: string }> {
        const back = await atProvider(await startLogin(query), login);
        const callback = await call(back.href);
        assert.equal(callback.status, 302, callback.text);
        const cookie = refreshCookieOf(callback.headers);
        assert.ok(cookie, "the callback sets the refresh cookie");
        return { callback, refresh: cookie.value };
    }

    async function refresh(token: string | undefined, headers: Record<string, string> = { "content-type": "application/json" }): Promise<Reply> {
        return call(`${issuer}/refresh`, { method: "POST", headers: { ...headers, ...(token ? { cookie: `sb_refresh=${token}` } : {}) }, body: "{}" });
    }

    const userinfo = (token: string) => call(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    const me = (token: string) => call(`${api}/me`, { headers: { authorization: `Bearer ${token}` } });
    const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));


    // ---- the tests ----

    describe("publishing the keys", () => {
        it("keeps the keys and the client secret in the secret file only, none in any function's environment", () => {
            assert.ok(keys.current.includes("PRIVATE KEY") && keys.previous.includes("PRIVATE KEY") && keys.current !== keys.previous);
            for (const host of stack.runtime.functions.values()) {
                const environment = JSON.stringify(host.definition.environment);
                assert.ok(!environment.includes("PRIVATE KEY") && !environment.includes(CLIENT_SECRET), `function ${host.definition.name}`);
            }
            assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);
        });

        it("serves the discovery document API Gateway's JWT authorizer reads", async () => {
            const res = await call(`${issuer}/.well-known/openid-configuration`);
            assert.equal(res.status, 200);
            assert.equal(res.json.issuer, issuer);
            assert.equal(res.json.jwks_uri, `${issuer}/.well-known/jwks.json`);
            assert.deepEqual(res.json.id_token_signing_alg_values_supported, ["ES256"]);
        });

        // Found by the fuzzer (test/e2e/fuzz-local.test.ts): Koa's plain-text "Not Found" under /_local.
        it("answers a path the local OpenID provider has no route for with a JSON 404 naming it", async () => {
            const res = await call(`${oidc.issuer}/nowhere/${"a".repeat(300)}`, { method: "POST" });
            assert.equal(res.status, 404);
            assert.match((res.json as any).error.message, /^nothing at POST \/_local\/oidc\/nowhere\/a+: see \/_local\/oidc\/\.well-known\/openid-configuration$/);
        });

        it("publishes the current and the previous public key, each with its thumbprint as kid, and no private part", async () => {
            const res = await call(`${issuer}/.well-known/jwks.json`);
            assert.equal(res.status, 200);
            assert.equal(res.json.keys.length, 2);
            for (const key of res.json.keys) {
                assert.equal(key.kty, "EC");
                assert.equal(key.crv, "P-256");
                assert.equal(key.use, "sig");
                assert.equal(key.alg, "ES256");
                assert.equal(key.d, undefined, "no private key material");
                assert.equal(key.kid, await calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }));
            }
            assert.ok(!res.text.includes("PRIVATE"), "no PEM in the JWKS");
        });
    });

    describe("sign-in with the authorization code flow and PKCE", () => {
        let refreshToken: string;
        let accessToken: string;
        let userId: string;

        it("sends the browser to the provider with code, S256 PKCE, state, nonce and our callback", async () => {
            const to = await startLogin();
            assert.equal(to.origin + to.pathname, `${oidc.issuer}/auth`);
            const q = to.searchParams;
            assert.equal(q.get("response_type"), "code");
            assert.equal(q.get("client_id"), CLIENT_ID);
            assert.equal(q.get("redirect_uri"), `${issuer}/callback`);
            assert.equal(q.get("code_challenge_method"), "S256");
            assert.match(q.get("code_challenge")!, /^[A-Za-z0-9_-]{43}$/);
            assert.match(q.get("state")!, /^[A-Za-z0-9_-]{43}$/);
            assert.match(q.get("nonce")!, /^[A-Za-z0-9_-]{43}$/);
            assert.deepEqual(q.get("scope")!.split(" ").sort(), ["email", "openid", "profile"]);
        });

        it("signs a new user in: a user with the default roles, the refresh cookie, the signed-in URL, one UserSignedUp", async () => {
            const before = counts();
            const { callback, refresh: token } = await signIn("Ada.Lovelace@Example.com");
            assert.equal(callback.headers.get("location"), `${base}/`);
            const cookie = refreshCookieOf(callback.headers)!;
            assert.match(cookie.value, /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
            for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/auth"]) assert.ok(cookie.attributes.includes(attribute), `cookie has ${attribute}: ${cookie.attributes.join("; ")}`);
            refreshToken = token;

            const created = users().filter((u) => u.email === "ada.lovelace@example.com");
            assert.equal(created.length, 1);
            assert.deepEqual(created[0].roles, ["user"]);
            assert.equal(created[0].name, "Ada Lovelace");
            assert.equal(created[0].emailVerified, true);
            userId = created[0].userId;
            assert.equal(users().length, before.users + 1);
            // The refresh token is kept hashed only.
            assert.ok(!JSON.stringify(rows("auth-records")).includes(token.split(".")[1]), "the token's secret is not stored");
            const event = await until("UserSignedUp", () => signups().find((e) => e.detail.userId === userId));
            assert.equal(event.type, "UserSignedUp");
            // outboxEventId: the id Auth's outbox fixed when it wrote the event (the same on a re-publish).
            assert.deepEqual(event.detail, { userId, email: "ada.lovelace@example.com", name: "Ada Lovelace", outboxEventId: event.detail.outboxEventId });
            assert.match(event.detail.outboxEventId, /^[0-9a-f-]{36}$/);
        });

        it("trades the refresh cookie for an ES256 access token with our claims, and rotates the cookie", async () => {
            const res = await refresh(refreshToken);
            assert.equal(res.status, 200, res.text);
            assert.equal(res.json.tokenType, "Bearer");
            assert.equal(res.json.expiresIn, ACCESS_TOKEN_SECONDS);
            accessToken = res.json.accessToken;
            const header = JSON.parse(Buffer.from(accessToken.split(".")[0], "base64url").toString());
            assert.equal(header.alg, "ES256");
            const jwks = (await call(`${issuer}/.well-known/jwks.json`)).json;
            assert.equal(header.kid, jwks.keys[0].kid, "signed with the current key");
            const claims = decode(accessToken);
            assert.equal(claims.sub, userId);
            assert.equal(claims.iss, issuer);
            assert.equal(claims.aud, AUDIENCE);
            assert.deepEqual(claims.roles, ["user"]);
            assert.equal(claims.email, "ada.lovelace@example.com");
            assert.equal(claims.name, "Ada Lovelace");
            assert.equal(claims.exp - claims.iat, ACCESS_TOKEN_SECONDS);
            const rotated = refreshCookieOf(res.headers)!;
            assert.notEqual(rotated.value, refreshToken);
            assert.equal(rotated.value.split(".")[0], refreshToken.split(".")[0], "same family");
            refreshToken = rotated.value;
        });

        it("answers userinfo and a protected route for the token, and refuses it after it expires", async () => {
            const info = await userinfo(accessToken);
            assert.equal(info.status, 200, info.text);
            assert.deepEqual({ ...info.json, emailVerified: undefined }, { sub: userId, email: "ada.lovelace@example.com", emailVerified: undefined, name: "Ada Lovelace", roles: ["user"] });
            const ok = await me(accessToken);
            assert.equal(ok.status, 200, ok.text);
            assert.equal(ok.json.claims.sub, userId);
            assert.deepEqual(ok.json.claims.roles, ["user"]);

            // exp passed, and the gateways' 5 s of clock tolerance with it.
            await new Promise((r) => setTimeout(r, (ACCESS_TOKEN_SECONDS + 6) * 1000));
            for (const res of [await userinfo(accessToken), await me(accessToken)]) {
                assert.equal(res.status, 401, res.text);
                assert.equal(res.json.error.code, "unauthorized");
                assert.match(res.json.error.message, /expired/);
            }
        });

        it("finds the same user on the next sign-in, without a second UserSignedUp", async () => {
            const before = counts();
            await signIn("Ada.Lovelace@Example.com");
            assert.equal(users().length, before.users);
            await new Promise((r) => setTimeout(r, 500));
            assert.equal(signups().filter((e) => e.detail.userId === userId).length, 1);
        });

        it("links another account with the same verified email to the same user", async () => {
            const before = counts();
            const { refresh: token } = await signIn("ada.lovelace@example.com"); // another sub at the provider, the same email
            assert.equal(users().length, before.users);
            const res = await refresh(token);
            assert.equal(decode(res.json.accessToken).sub, userId);
            const identities = facts().filter((r) => r.pk.startsWith("identity#") && r.userId === userId);
            assert.equal(identities.length, 2);
        });

        it("gives the admin role to an admin email", async () => {
            const { refresh: token } = await signIn("boss@example.com");
            const res = await refresh(token);
            assert.deepEqual(decode(res.json.accessToken).roles, ["user", "admin"]);
        });

        it("lands on a path under the signed-in URL the login asked for", async () => {
            const { callback } = await signIn("ada.lovelace@example.com", "?redirect=/orders/42?tab=items");
            assert.equal(callback.headers.get("location"), `${base}/orders/42?tab=items`);
        });
    });

    describe("refresh tokens", () => {
        it("rotate on every use; reusing a used one revokes the whole family", async () => {
            const { refresh: first } = await signIn("grace@example.com");
            const second = refreshCookieOf((await refresh(first)).headers)!.value;
            const third = refreshCookieOf((await refresh(second)).headers)!.value;
            // `first` again: a stolen token replayed after its rotation.
            const reuse = await refresh(first);
            assert.equal(reuse.status, 401, reuse.text);
            assert.equal(reuse.json.error.code, "refresh_token_reused");
            assert.ok(refreshCookieOf(reuse.headers)!.attributes.includes("Max-Age=0"), "the cookie is cleared");
            // ...and the family is gone: the legitimate holder's newest token no longer works either.
            const after = await refresh(third);
            assert.equal(after.status, 401, after.text);
            assert.match(after.json.error.message, /signed out|revoked/);
        });

        it("only one of two concurrent uses of a token wins; the other revokes the family", async () => {
            const { refresh: token } = await signIn("grace@example.com");
            const answers = await Promise.all([refresh(token), refresh(token)]);
            assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401]);
            const winner = answers.find((a) => a.status === 200)!;
            const next = refreshCookieOf(winner.headers)!.value;
            assert.equal((await refresh(next)).status, 401, "the family was revoked by the reuse");
        });

        it("are refused when missing, malformed, unknown or from another family, clearing the cookie", async () => {
            const before = counts();
            const { refresh: real } = await signIn("grace@example.com");
            const after = counts();
            const [family] = real.split(".");
            for (const token of [undefined, "garbage", `${family}.${"A".repeat(43)}`, `${"B".repeat(43)}.${"C".repeat(43)}`]) {
                const res = await refresh(token);
                assert.equal(res.status, 401, `${token}: ${res.text}`);
                assert.equal(res.json.error.code, "unauthorized");
                assert.ok(refreshCookieOf(res.headers)!.attributes.includes("Max-Age=0"));
            }
            assert.ok(after.facts > before.facts);
            assert.equal(counts().facts, after.facts, "refused refreshes store nothing");
            assert.equal((await refresh(real)).status, 200, "a guess at a family's token does not revoke it");
        });

        it("are refused from a cross-site form (no JSON content type, no custom header): CSRF", async () => {
            const { refresh: token } = await signIn("grace@example.com");
            const form = await refresh(token, { "content-type": "application/x-www-form-urlencoded" });
            assert.equal(form.status, 403, form.text);
            assert.equal(form.json.error.code, "csrf");
            assert.equal((await refresh(token, { "x-requested-with": "fetch" })).status, 200, "a custom header is enough");
        });

        it("stop working after sign-out, which clears the cookie", async () => {
            const { refresh: token } = await signIn("grace@example.com");
            const rotated = refreshCookieOf((await refresh(token)).headers)!.value;
            const csrf = await call(`${issuer}/logout`, { method: "POST", headers: { cookie: `sb_refresh=${rotated}` } });
            assert.equal(csrf.status, 403, "sign-out needs a scripted request too");
            const out = await call(`${issuer}/logout`, { method: "POST", headers: { cookie: `sb_refresh=${rotated}`, "content-type": "application/json" }, body: "{}" });
            assert.equal(out.status, 204, out.text);
            assert.ok(refreshCookieOf(out.headers)!.attributes.includes("Max-Age=0"));
            const res = await refresh(rotated);
            assert.equal(res.status, 401);
            assert.match(res.json.error.message, /signed out/);
            // Signed out without a cookie: still 204.
            assert.equal((await call(`${issuer}/logout`, { method: "POST", headers: { "content-type": "application/json" } })).status, 204);
        });
    });

    describe("bad tokens at userinfo and at a protected route", () => {
        let good: string;
        let claims: Record<string, unknown>;
        const sign = async (payload: Record<string, unknown>, pem: string, header: Record<string, unknown> = {}) => {
            const key = await importPKCS8(pem, "ES256");
            return new SignJWT(payload).setProtectedHeader({ alg: "ES256", ...header }).sign(key);
        };
        const kidOf = async (pem: string) => {
            const jwk = await exportJWK(createPublicKey(createPrivateKey(pem)));
            return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as any);
        };

        before(async () => {
            const { refresh: token } = await signIn("ada.lovelace@example.com");
            good = (await refresh(token)).json.accessToken;
            claims = decode(good);
        });

        async function refused(token: string, reason: RegExp) {
            for (const res of [await userinfo(token), await me(token)]) {
                assert.equal(res.status, 401, `${res.text}`);
                assert.equal(res.json.error.code, "unauthorized");
                assert.match(res.json.error.message, reason);
            }
        }

        it("accepts a token signed by the previous key (rotation signs nobody out)", async () => {
            const now = Math.floor(Date.now() / 1000);
            const token = await sign({ ...claims, iat: now, exp: now + 60 }, keys.previous, { kid: await kidOf(keys.previous) });
            assert.equal((await userinfo(token)).status, 200);
            assert.equal((await me(token)).status, 200);
        });

        it("refuses an expired one", async () => {
            const now = Math.floor(Date.now() / 1000);
            await refused(await sign({ ...claims, iat: now - 120, exp: now - 60 }, keys.current, { kid: await kidOf(keys.current) }), /expired/);
        });

        it("refuses a tampered one (roles changed, signature kept)", async () => {
            const [h, , s] = good.split(".");
            const body = Buffer.from(JSON.stringify({ ...claims, roles: ["user", "admin"] })).toString("base64url");
            await refused(`${h}.${body}.${s}`, /signature/);
        });

        it("refuses alg none", async () => {
            const h = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
            const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
            await refused(`${h}.${body}.`, /algorithm|not valid|well-formed/);
        });

        it("refuses HS256 (a key confusion attempt)", async () => {
            const token = await new SignJWT(claims as any).setProtectedHeader({ alg: "HS256", kid: decodeHeader(good).kid }).sign(new TextEncoder().encode("a-shared-secret-of-32-bytes-long!"));
            await refused(token, /algorithm|not valid/);
        });

        it("refuses one signed by a foreign key, even under our kid", async () => {
            const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
            await refused(await sign(claims, stranger, { kid: decodeHeader(good).kid }), /signature|key/);
            await refused(await sign(claims, stranger, { kid: await kidOf(stranger) }), /key|signature/);
        });

        it("refuses a wrong audience and a wrong issuer", async () => {
            const kid = await kidOf(keys.current);
            await refused(await sign({ ...claims, aud: "someone-else" }, keys.current, { kid }), /aud/);
            await refused(await sign({ ...claims, iss: "https://evil.example/auth" }, keys.current, { kid }), /iss/);
        });

        it("refuses a missing or malformed Authorization header", async () => {
            for (const headers of [{}, { authorization: "Basic abc" }, { authorization: "Bearer not-a-jwt" }] as Record<string, string>[]) {
                const res = await call(`${issuer}/userinfo`, { headers });
                assert.equal(res.status, 401, res.text);
                assert.equal(res.json.error.code, "unauthorized");
            }
        });

        function decodeHeader(jwt: string) {
            return JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString("utf8"));
        }
    });

    describe("bad sign-in input: a JSON 400 and nothing stored", () => {
        it("refuses a callback without state, or with an unknown one", async () => {
            const before = counts();
            for (const query of ["?code=abc", "?code=abc&state=", `?code=abc&state=${"x".repeat(43)}`, "?code=abc&state=short"]) {
                const res = await call(`${issuer}/callback${query}`);
                assert.equal(res.status, 400, `${query}: ${res.text}`);
                assert.match(res.json.error.code, /missing_state|unknown_state/);
                assert.equal(refreshCookieOf(res.headers), undefined);
            }
            assertNothingStored(before);
        });

        it("refuses a replayed callback (the state is used once) and a replayed code under a fresh state", async () => {
            const first = await startLogin();
            const fresh = await startLogin();
            const back = await atProvider(first, "replay@example.com");
            const ok = await call(back.href);
            assert.equal(ok.status, 302, ok.text);
            const before = counts();
            const again = await call(back.href);
            assert.equal(again.status, 400, again.text);
            assert.equal(again.json.error.code, "unknown_state");
            // The same code with another sign-in's state (and so its PKCE verifier): the provider refuses it.
            const replay = await call(`${issuer}/callback?code=${encodeURIComponent(back.searchParams.get("code")!)}&state=${fresh.searchParams.get("state")}`);
            assert.equal(replay.status, 400, replay.text);
            assert.equal(replay.json.error.code, "code_refused");
            assertNothingStored(before);
        });

        it("refuses an ID token whose nonce is not the sign-in's", async () => {
            const to = await startLogin();
            to.searchParams.set("nonce", "a-nonce-of-someone-elses-making");
            const back = await atProvider(to, "nonce@example.com");
            const before = counts();
            const res = await call(back.href);
            assert.equal(res.status, 400, res.text);
            assert.equal(res.json.error.code, "id_token_refused");
            assert.deepEqual(res.json.error.details, { claim: "nonce" });
            assertNothingStored(before);
            assert.equal(users().filter((u) => u.email === "nonce@example.com").length, 0);
        });

        it("refuses a provider error answer", async () => {
            const to = await startLogin();
            const before = counts();
            const res = await call(`${issuer}/callback?error=access_denied&state=${to.searchParams.get("state")}`);
            assert.equal(res.status, 400, res.text);
            assert.equal(res.json.error.code, "sign_in_refused");
            assertNothingStored(before);
        });

        it("refuses an unknown provider, and open redirects", async () => {
            const unknown = await call(`${issuer}/login?provider=nope`);
            assert.equal(unknown.status, 400);
            assert.deepEqual(unknown.json.error.details, { providers: ["local"] });
            for (const redirect of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/../../x", "/a/%2e%2e/%2e%2e/x"]) {
                const res = await call(`${issuer}/login?redirect=${encodeURIComponent(redirect)}`);
                assert.equal(res.status, 400, `${redirect}: ${res.status} ${res.headers.get("location")}`);
                assert.equal(res.json.error.code, "bad_redirect");
            }
        });
    });

    describe("one user per email", () => {
        it("20 concurrent first sign-ins of one email make one user and one UserSignedUp", async () => {
            const email = "rush@example.com";
            // Each its own browser (its own session at the provider): 20 accounts' first sign-ins at once.
            const backs = await Promise.all(Array.from({ length: 20 }, async (_, i) => atProvider(await startLogin(), i % 2 ? email : email.toUpperCase())));
            const callbacks = await Promise.all(backs.map((back) => call(back.href)));
            for (const res of callbacks) assert.equal(res.status, 302, res.text);
            const created = users().filter((u) => u.email === email);
            assert.equal(created.length, 1, `one user for ${email}: ${JSON.stringify(created)}`);
            const subs = new Set(await Promise.all(callbacks.map(async (res) => decode((await refresh(refreshCookieOf(res.headers)!.value)).json.accessToken).sub)));
            assert.deepEqual([...subs], [created[0].userId], "every sign-in is that user");
            await until("UserSignedUp", () => signups().find((e) => e.detail.email === email));
            await new Promise((r) => setTimeout(r, 1000));
            assert.equal(signups().filter((e) => e.detail.email === email).length, 1);
        });
    });
});
