// The relying-party checks of functions/auth against hand-made providers and tokens: discovery
// (the document's issuer must be the configured one), the token endpoint's client authentication,
// every way an ID token can be wrong, and the landing URL after sign-in (no open redirect).
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
import { HttpError } from "../../functions/runtime";
import { authorizationUrl, codeChallenge, exchangeCode, providerEndpoints, verifyIdToken, type ProviderEndpoints } from "../../functions/auth/oidc";
import { checkRedirect, landing, signedInBase } from "../../functions/auth/redirect";

const ISSUER = "https://id.example.com";
const CLIENT_ID = "shop-web";

const endpoints: ProviderEndpoints = {
    issuer: ISSUER,
    authorizationEndpoint: `${ISSUER}/authorize`,
    tokenEndpoint: `${ISSUER}/token`,
    jwksUri: `${ISSUER}/jwks`,
    tokenAuthMethod: "client_secret_basic",
    algorithms: ["RS256", "ES256"],
};

async function refusedWith(promise: Promise<unknown>, code: string, claim?: string, message?: RegExp): Promise<void> {
    await assert.rejects(promise, (err: unknown) => {
        assert.ok(HttpError.is(err), `expected an HttpError, got ${String(err)}`);
        assert.equal(err.status, 400);
        assert.equal(err.code, code);
        if (claim) assert.deepEqual(err.details, { claim });
        if (message) assert.match(err.message, message);
        return true;
    });
}

describe("auth: OpenID Connect relying party", () => {
    describe("ID tokens", () => {
        let sign: (claims: Record<string, unknown>, options?: { key?: KeyLike; alg?: string; kid?: string }) => Promise<string>;
        let keys: ReturnType<typeof createLocalJWKSet>;
        let stranger: KeyLike;
        const now = () => Math.floor(Date.now() / 1000);
        const good = () => ({ iss: ISSUER, aud: CLIENT_ID, sub: "248289761001", nonce: "n-0S6_WzA2Mj", iat: now(), exp: now() + 300, email: "ada@example.com", email_verified: true });
        const check = (token: string, nonce = "n-0S6_WzA2Mj") => verifyIdToken(token, { endpoints, clientId: CLIENT_ID, nonce, keys });

        before(async () => {
            const pair = await generateKeyPair("RS256");
            stranger = (await generateKeyPair("RS256")).privateKey;
            const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
            keys = createLocalJWKSet({ keys: [jwk] });
            sign = (claims, options = {}) => new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "k1" }).sign(options.key ?? pair.privateKey);
        });

        it("accepts a good one and returns its claims", async () => {
            const claims = await check(await sign(good()));
            assert.equal(claims.sub, "248289761001");
            assert.equal(claims.email, "ada@example.com");
        });

        it("refuses a wrong nonce, issuer, audience; an expired one; a missing sub", async () => {
            await refusedWith(check(await sign(good()), "another-sign-in"), "id_token_refused", "nonce");
            await refusedWith(check(await sign({ ...good(), nonce: undefined })), "id_token_refused", "nonce");
            await refusedWith(check(await sign({ ...good(), iss: "https://evil.example.com" })), "id_token_refused", "iss");
            await refusedWith(check(await sign({ ...good(), aud: "someone-else" })), "id_token_refused", "aud");
            await refusedWith(check(await sign({ ...good(), iat: now() - 900, exp: now() - 600 })), "id_token_refused", "exp", /expired/);
            await refusedWith(check(await sign({ ...good(), sub: undefined })), "id_token_refused", "sub");
        });

        it("with several audiences, requires azp to be us", async () => {
            await refusedWith(check(await sign({ ...good(), aud: [CLIENT_ID, "other"] })), "id_token_refused", "azp");
            assert.ok(await check(await sign({ ...good(), aud: [CLIENT_ID, "other"], azp: CLIENT_ID })));
        });

        it("refuses alg none, HS256 (the client secret as a key), a foreign key, a tampered body", async () => {
            const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
            await refusedWith(check(`${b64({ alg: "none" })}.${b64(good())}.`), "id_token_refused");
            const hs = await new SignJWT(good()).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(new TextEncoder().encode("the-client-secret-the-client-secret"));
            await refusedWith(check(hs), "id_token_refused", undefined, /algorithm/);
            await refusedWith(check(await sign(good(), { key: stranger })), "id_token_refused", undefined, /signature/);
            await refusedWith(check(await sign(good(), { key: stranger, kid: "k2" })), "id_token_refused", undefined, /key of the provider/);
            const [h, , s] = (await sign(good())).split(".");
            await refusedWith(check(`${h}.${b64({ ...good(), sub: "someone-else" })}.${s}`), "id_token_refused", undefined, /signature/);
        });
    });

    describe("the provider's endpoints and the code exchange", () => {
        let server: http.Server;
        let base: string;
        let discovery: Record<string, unknown>;
        const seen: { path: string; authorization?: string; form: URLSearchParams }[] = [];

        before(async () => {
            server = http.createServer((req, res) => {
                let body = "";
                req.on("data", (c) => (body += c));
                req.on("end", () => {
                    if (req.url === "/.well-known/openid-configuration") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(discovery));
                    seen.push({ path: req.url!, authorization: req.headers.authorization, form: new URLSearchParams(body) });
                    const form = new URLSearchParams(body);
                    if (form.get("code") === "used") return res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_grant" }));
                    if (form.get("code") === "broken") return res.writeHead(503).end("down");
                    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id_token: "x.y.z", access_token: "at", token_type: "Bearer" }));
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));

        it("discovers the endpoints, only asymmetric algorithms, and refuses a document for another issuer", async () => {
            discovery = { issuer: base, authorization_endpoint: `${base}/a`, token_endpoint: `${base}/t`, jwks_uri: `${base}/k`, id_token_signing_alg_values_supported: ["none", "HS256", "RS256"], token_endpoint_auth_methods_supported: ["client_secret_post"] };
            const found = await providerEndpoints({ issuer: base, clientId: "c", scopes: ["openid"] });
            assert.deepEqual(found, { issuer: base, authorizationEndpoint: `${base}/a`, tokenEndpoint: `${base}/t`, jwksUri: `${base}/k`, userinfoEndpoint: undefined, tokenAuthMethod: "client_secret_post", algorithms: ["RS256"] });
            discovery = { ...discovery, issuer: "https://evil.example.com" };
            await assert.rejects(providerEndpoints({ issuer: base, clientId: "other", scopes: ["openid"] }), /says issuer "https:\/\/evil.example.com"/);
        });

        it("uses explicit endpoints without discovery", async () => {
            const explicit = await providerEndpoints({ issuer: "https://no-discovery.example", clientId: "c", scopes: ["openid"], authorizationEndpoint: "https://x/a", tokenEndpoint: "https://x/t", jwksUri: "https://x/k" });
            assert.equal(explicit.tokenEndpoint, "https://x/t");
            assert.equal(explicit.tokenAuthMethod, "client_secret_basic");
        });

        it("asks for the code with PKCE S256, state, nonce and the scopes", () => {
            const url = new URL(authorizationUrl(endpoints, { issuer: ISSUER, clientId: CLIENT_ID, scopes: ["openid", "email"] }, { redirectUri: "https://api.example.com/auth/callback", state: "s", nonce: "n", codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" }));
            assert.equal(url.searchParams.get("code_challenge"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "RFC 7636 appendix B");
            assert.equal(codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            assert.deepEqual(Object.fromEntries(url.searchParams), {
                response_type: "code", client_id: CLIENT_ID, redirect_uri: "https://api.example.com/auth/callback", scope: "openid email",
                state: "s", nonce: "n", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256",
            });
        });

        it("authenticates with client_secret_basic (form-encoded parts) or client_secret_post, sending the verifier", async () => {
            const at = { ...endpoints, tokenEndpoint: `${base}/token` };
            const provider = { issuer: ISSUER, clientId: "shop web", scopes: ["openid"] };
            await exchangeCode(at, provider, "s3cr:t", { code: "c1", redirectUri: "https://cb", codeVerifier: "v1" });
            let request = seen.at(-1)!;
            assert.equal(request.authorization, `Basic ${Buffer.from("shop+web:s3cr%3At").toString("base64")}`);
            assert.deepEqual(Object.fromEntries(request.form), { grant_type: "authorization_code", code: "c1", redirect_uri: "https://cb", code_verifier: "v1" });
            await exchangeCode({ ...at, tokenAuthMethod: "client_secret_post" }, provider, "s3cr:t", { code: "c2", redirectUri: "https://cb", codeVerifier: "v2" });
            request = seen.at(-1)!;
            assert.equal(request.authorization, undefined);
            assert.equal(request.form.get("client_id"), "shop web");
            assert.equal(request.form.get("client_secret"), "s3cr:t");
        });

        it("a public client (no secret) sends its client_id in the form and the verifier, no Authorization", async () => {
            const at = { ...endpoints, tokenEndpoint: `${base}/token` };
            await exchangeCode(at, { issuer: ISSUER, clientId: "spa", scopes: ["openid"] }, undefined, { code: "c3", redirectUri: "https://cb", codeVerifier: "v3" });
            const request = seen.at(-1)!;
            assert.equal(request.authorization, undefined);
            assert.deepEqual(Object.fromEntries(request.form), { grant_type: "authorization_code", code: "c3", redirect_uri: "https://cb", code_verifier: "v3", client_id: "spa" });
        });

        it("a refused code is the caller's 400; a provider that is down is not", async () => {
            const at = { ...endpoints, tokenEndpoint: `${base}/token` };
            const provider = { issuer: ISSUER, clientId: CLIENT_ID, scopes: ["openid"] };
            await refusedWith(exchangeCode(at, provider, "s", { code: "used", redirectUri: "https://cb", codeVerifier: "v" }), "code_refused", undefined, /invalid_grant/);
            await assert.rejects(exchangeCode(at, provider, "s", { code: "broken", redirectUri: "https://cb", codeVerifier: "v" }), (err: unknown) => !HttpError.is(err));
        });
    });

    describe("where sign-in lands", () => {
        const issuer = "https://api.example.com/auth";

        it("takes relative paths under the signed-in URL", () => {
            const base = signedInBase("https://shop.example.com/app/", issuer);
            for (const [redirect, expected] of [
                [undefined, "https://shop.example.com/app/"],
                ["", "https://shop.example.com/app/"],
                ["/orders/42", "https://shop.example.com/app/orders/42"],
                ["orders?tab=1#top", "https://shop.example.com/app/orders?tab=1#top"],
            ] as const) {
                assert.equal(landing(base, checkRedirect(redirect, base)).href, expected, String(redirect));
            }
            assert.equal(signedInBase("", issuer).href, "https://api.example.com/");
            assert.equal(signedInBase("/welcome", issuer).href, "https://api.example.com/welcome");
        });

        it("refuses absolute, protocol-relative, backslash, scheme and climbing redirects", () => {
            const base = signedInBase("https://shop.example.com/app/", issuer);
            for (const redirect of ["https://evil.example", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "/../admin", "..", "a/../../x", "%2e%2e/x", "/a\nb", "/a b"]) {
                assert.throws(() => checkRedirect(redirect, base), (err: unknown) => HttpError.is(err) && err.status === 400 && err.code === "bad_redirect", redirect);
            }
        });
    });
});
