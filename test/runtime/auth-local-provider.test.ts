// When npm start runs the local OpenID provider (the stack's signIn config without an issuer),
// what it tells the program, and how the provider's paths are recognised on the runtime's port.
import * as assert from "node:assert/strict";
import { isOidcRequest, localOidcIssuer, nameOf } from "../../local/oidc";
import { localSignIn } from "../../local/oidc/config";

describe("local OpenID provider settings", () => {
    const base = "http://127.0.0.1:3000";

    it("runs for signIn without an issuer: one client whose redirect is the local auth callback; the program learns the issuer", () => {
        const signIn = localSignIn({ "serverless-blocks:signIn": JSON.stringify({ clientId: "shop-local" }), "serverless-blocks:signInClientSecret": "dev" }, base);
        assert.deepEqual(signIn, {
            options: { baseUrl: base, clients: [{ clientId: "shop-local", clientSecret: "dev", redirectUris: ["http://127.0.0.1:3000/api/auth/callback"] }] },
            overrides: { "serverless-blocks:signIn": JSON.stringify({ clientId: "shop-local", issuer: "http://127.0.0.1:3000/_local/oidc" }) },
        });
    });

    it("does not run without signIn, or when signIn names a real provider", () => {
        assert.equal(localSignIn({}, base), undefined);
        assert.equal(localSignIn({ "serverless-blocks:signIn": JSON.stringify({ issuer: "https://accounts.google.com", clientId: "x" }) }, base), undefined);
    });

    it("names the missing key", () => {
        assert.throws(() => localSignIn({ "serverless-blocks:signIn": JSON.stringify({}) }, base), /signIn.clientId: required/);
        assert.throws(() => localSignIn({ "serverless-blocks:signIn": JSON.stringify({ clientId: "a" }) }, base), /signInClientSecret: required/);
        assert.throws(() => localSignIn({ "serverless-blocks:signIn": "[1]" }, base), /expected an object/);
    });

    it("serves /_local/oidc and below, nothing else", () => {
        assert.equal(localOidcIssuer("http://127.0.0.1:3000/"), "http://127.0.0.1:3000/_local/oidc");
        for (const target of ["/_local/oidc", "/_local/oidc/", "/_local/oidc/auth?x=1", "/_local/oidc?x"]) assert.ok(isOidcRequest(target), target);
        for (const target of ["/_local/oidcx", "/_local/status", "/api/auth/login", undefined]) assert.ok(!isOidcRequest(target), String(target));
    });

    it("makes a display name from the login", () => {
        assert.equal(nameOf("ada.lovelace@example.com"), "Ada Lovelace");
        assert.equal(nameOf("grace"), "Grace");
    });
});
