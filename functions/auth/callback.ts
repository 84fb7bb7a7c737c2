// GET /auth/callback?code=...&state=...: the provider sends the browser back here. The state must
// be one this issuer handed out, unexpired and unused (it is deleted on first use); the code is
// exchanged with the sign-in's PKCE verifier; the ID token is verified (signature by the
// provider's keys, iss, aud, exp, nonce). Then the user is found, linked or created, a refresh
// token family starts in an HttpOnly cookie, and the browser goes on to the signed-in URL.
// Anything wrong is a 400 with a JSON error, and nothing about the person is stored.
import { http, HttpError } from "../runtime";
import { refreshCookie } from "./cookie";
import { records } from "./records";
import { exchangeCode, providerEndpoints, userinfo, verifyIdToken } from "./oidc";
import { landing, signedInBase } from "./redirect";
import { startFamily } from "./sessions";
import { readAuthSecret } from "../runtime/clients/auth-secret";
import { authSettings } from "./settings";
import { signInUser } from "./users";

const STATE_FORM = /^[A-Za-z0-9_-]{43}$/;

export const handler = http(async (req) => {
    const settings = authSettings();
    const secret = await readAuthSecret();
    const state = req.query.state;
    if (!state) throw new HttpError(400, "the callback has no state: start at /auth/login", { code: "missing_state" });
    const key = { pk: `login#${state}`, sk: "login" };
    const login = STATE_FORM.test(state) ? await records().get(key) : undefined;
    if (!login) throw new HttpError(400, "unknown or expired sign-in state: start again at /auth/login", { code: "unknown_state" });
    // Used once: a replay of this callback finds nothing.
    await records().delete(key);

    const providerName = String(login.provider);
    const provider = settings.providers[providerName];
    if (!provider) throw new HttpError(400, `the sign-in's provider '${providerName}' is no longer configured`, { code: "unknown_provider" });
    const endpoints = await providerEndpoints(provider);
    if (req.query.error) {
        throw new HttpError(400, `the provider did not sign you in: ${req.query.error}${req.query.error_description ? ` (${req.query.error_description})` : ""}`, { code: "sign_in_refused" });
    }
    // RFC 9207: a provider that names itself must be the one this sign-in went to (mix-up defence).
    if (req.query.iss !== undefined && req.query.iss !== provider.issuer) throw new HttpError(400, "the authorization response comes from another issuer", { code: "wrong_issuer" });
    const code = req.query.code;
    if (!code) throw new HttpError(400, "the callback has no code", { code: "missing_code" });

    const redirectUri = `${secret.issuer}/callback`;
    // A provider configured without a secret is a public client: PKCE alone.
    const clientSecret: string | undefined = secret.clientSecrets[providerName];
    const tokens = await exchangeCode(endpoints, provider, clientSecret, { code, redirectUri, codeVerifier: String(login.codeVerifier) });
    const claims = await verifyIdToken(tokens.id_token, { endpoints, clientId: provider.clientId, nonce: String(login.nonce) });

    let profile: Record<string, unknown> = claims;
    if (typeof claims.email !== "string" && tokens.access_token) profile = { ...(await userinfo(endpoints, tokens.access_token, claims.sub)), ...claims };
    const { user } = await signInUser({
        issuer: provider.issuer,
        subject: claims.sub,
        email: typeof profile.email === "string" ? profile.email : undefined,
        // Only a literal true: some providers send "true" as text, which OIDC does not allow.
        emailVerified: profile.email_verified === true,
        name: typeof profile.name === "string" ? profile.name : undefined,
    });
    const family = await startFamily(user.userId);
    const to = landing(signedInBase(settings.signedInUrl, secret.issuer), String(login.redirect ?? ""));
    return {
        status: 302,
        headers: { location: to.href, "cache-control": "no-store", "set-cookie": refreshCookie(secret.issuer, family.token, family.expiresAt) },
    };
});
