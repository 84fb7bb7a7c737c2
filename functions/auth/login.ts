// GET /auth/login?provider=<name>&redirect=<path>: starts a sign-in. Keeps the sign-in's state,
// nonce and PKCE verifier for 10 minutes under the state (which only this browser's round trip
// carries back), then sends the browser to the provider's authorization endpoint.
import { http, HttpError } from "../runtime";
import { nowSeconds, records } from "./records";
import { authorizationUrl, providerEndpoints, randomToken } from "./oidc";
import { checkRedirect, signedInBase } from "./redirect";
import { readAuthSecret } from "../runtime/clients/auth-secret";
import { authSettings } from "./settings";

/** How long a sign-in may take at the provider. */
export const LOGIN_SECONDS = 600;

export const handler = http(async (req) => {
    const settings = authSettings();
    const names = Object.keys(settings.providers);
    const name = req.query.provider || (names.length === 1 ? names[0] : undefined);
    if (!name) throw new HttpError(400, `say which provider to sign in with: ?provider=${names.join("|")}`, { code: "provider_required", details: { providers: names } });
    const provider = Object.prototype.hasOwnProperty.call(settings.providers, name) ? settings.providers[name] : undefined;
    if (!provider) throw new HttpError(400, `unknown provider '${name}'; known: ${names.join(", ")}`, { code: "unknown_provider", details: { providers: names } });

    const { issuer } = await readAuthSecret();
    const redirect = checkRedirect(req.query.redirect, signedInBase(settings.signedInUrl, issuer));
    const endpoints = await providerEndpoints(provider);
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = randomToken();
    await records().put({ pk: `login#${state}`, sk: "login", provider: name, codeVerifier, nonce, redirect, expiresAt: nowSeconds() + LOGIN_SECONDS }, { ifNotExists: true });
    const location = authorizationUrl(endpoints, provider, { redirectUri: `${issuer}/callback`, state, nonce, codeVerifier });
    return { status: 302, headers: { location, "cache-control": "no-store" } };
});
