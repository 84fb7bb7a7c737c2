// The relying-party side of OpenID Connect: the provider's endpoints (discovery, cached, or given
// explicitly), the authorization request (code flow, PKCE S256, state, nonce), the code exchange
// (client_secret_basic or client_secret_post, as the provider supports), and the ID token check:
// signed by a key of the provider's JWKS with an asymmetric algorithm (never `none`, never HS*:
// a shared-secret algorithm would let anyone holding the client secret mint tokens), `iss` the
// provider's issuer, `aud` our client id (and `azp` when there are several audiences), `exp`, and
// the `nonce` of this sign-in.
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { HttpError } from "../runtime";
import type { ProviderSettings } from "./settings";

export interface ProviderEndpoints {
    issuer: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    jwksUri: string;
    userinfoEndpoint?: string;
    /** How the token endpoint takes the client secret. */
    tokenAuthMethod: "client_secret_basic" | "client_secret_post";
    /** ID token algorithms to accept: the provider's, asymmetric only. */
    algorithms: string[];
}

/** Public-key signature algorithms: `none` and HS* are never accepted. */
export const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 5_000;

const discovered = new Map<string, { at: number; endpoints: Promise<ProviderEndpoints> }>();

/** The provider's endpoints: explicit ones win, the rest from its discovery document (kept an hour). */
export function providerEndpoints(provider: ProviderSettings, fetcher: typeof fetch = fetch): Promise<ProviderEndpoints> {
    const key = JSON.stringify(provider);
    const hit = discovered.get(key);
    if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.endpoints;
    const endpoints = resolveEndpoints(provider, fetcher);
    discovered.set(key, { at: Date.now(), endpoints });
    endpoints.catch(() => discovered.delete(key));
    return endpoints;
}

async function resolveEndpoints(provider: ProviderSettings, fetcher: typeof fetch): Promise<ProviderEndpoints> {
    const explicit = provider.authorizationEndpoint && provider.tokenEndpoint && provider.jwksUri;
    let doc: Record<string, unknown> = {};
    if (!explicit) {
        const url = `${provider.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
        const res = await fetcher(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/json" } });
        if (!res.ok) throw new Error(`discovery of ${provider.issuer}: HTTP ${res.status} from ${url}`);
        doc = (await res.json()) as Record<string, unknown>;
        // OpenID Connect Discovery 4.3: the document's issuer must be exactly the one configured.
        if (doc.issuer !== provider.issuer) throw new Error(`discovery of ${provider.issuer}: the document says issuer ${JSON.stringify(doc.issuer)}`);
    }
    const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
    const pick = (given: string | undefined, field: string) => {
        const value = given ?? text(doc[field]);
        if (!value) throw new Error(`provider ${provider.issuer}: no ${field} (give it explicitly or publish a discovery document)`);
        return value;
    };
    const methods = Array.isArray(doc.token_endpoint_auth_methods_supported) ? (doc.token_endpoint_auth_methods_supported as string[]) : ["client_secret_basic"];
    const offered = Array.isArray(doc.id_token_signing_alg_values_supported) ? (doc.id_token_signing_alg_values_supported as string[]) : ["RS256"];
    const algorithms = offered.filter((alg) => ASYMMETRIC.includes(alg));
    return {
        issuer: provider.issuer,
        authorizationEndpoint: pick(provider.authorizationEndpoint, "authorization_endpoint"),
        tokenEndpoint: pick(provider.tokenEndpoint, "token_endpoint"),
        jwksUri: pick(provider.jwksUri, "jwks_uri"),
        userinfoEndpoint: text(doc.userinfo_endpoint),
        // RFC 6749 2.3.1: basic is what every server must support; post when it is all the provider offers.
        tokenAuthMethod: methods.includes("client_secret_basic") ? "client_secret_basic" : methods.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic",
        algorithms: algorithms.length > 0 ? algorithms : ["RS256"],
    };
}

/** A random value for state, nonce and the PKCE verifier: 32 bytes, base64url (43 characters). */
export const randomToken = () => randomBytes(32).toString("base64url");

/** RFC 7636 S256. */
export const codeChallenge = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

export function authorizationUrl(endpoints: ProviderEndpoints, provider: ProviderSettings, request: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): string {
    const url = new URL(endpoints.authorizationEndpoint);
    const params = {
        response_type: "code",
        client_id: provider.clientId,
        redirect_uri: request.redirectUri,
        scope: provider.scopes.join(" "),
        state: request.state,
        nonce: request.nonce,
        code_challenge: codeChallenge(request.codeVerifier),
        code_challenge_method: "S256",
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.href;
}

export interface TokenAnswer {
    id_token: string;
    access_token?: string;
    token_type?: string;
}

/** Exchanges the code; a refusal by the provider (a replayed or foreign code, a wrong verifier) is a 400. */
export async function exchangeCode(
    endpoints: ProviderEndpoints,
    provider: ProviderSettings,
    /** Undefined for a public client: PKCE alone proves the caller (RFC 7636), and client_id is sent in the form. */
    clientSecret: string | undefined,
    exchange: { code: string; redirectUri: string; codeVerifier: string },
    fetcher: typeof fetch = fetch,
): Promise<TokenAnswer> {
    const form = new URLSearchParams({ grant_type: "authorization_code", code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier });
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    if (clientSecret === undefined) {
        form.set("client_id", provider.clientId);
    } else if (endpoints.tokenAuthMethod === "client_secret_basic") {
        // RFC 6749 2.3.1: each part form-encoded before base64.
        const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
        headers.authorization = `Basic ${Buffer.from(`${encode(provider.clientId)}:${encode(clientSecret)}`).toString("base64")}`;
    } else {
        form.set("client_id", provider.clientId);
        form.set("client_secret", clientSecret);
    }
    const res = await fetcher(endpoints.tokenEndpoint, { method: "POST", headers, body: form.toString(), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const answer = (await res.json().catch(() => ({}))) as Partial<TokenAnswer> & { error?: string; error_description?: string };
    if (!res.ok || answer.error) {
        // 4xx: the code or verifier was refused (the caller's doing); anything else is the provider's trouble.
        if (res.status >= 400 && res.status < 500) {
            throw new HttpError(400, `the provider refused the authorization code: ${answer.error ?? `HTTP ${res.status}`}`, { code: "code_refused" });
        }
        throw new Error(`token endpoint ${endpoints.tokenEndpoint}: HTTP ${res.status} ${answer.error ?? ""}`);
    }
    if (typeof answer.id_token !== "string") throw new HttpError(400, "the provider's token answer has no ID token (is the openid scope allowed?)", { code: "no_id_token" });
    return answer as TokenAnswer;
}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function providerKeys(jwksUri: string): ReturnType<typeof createRemoteJWKSet> {
    let set = keySets.get(jwksUri);
    if (!set) keySets.set(jwksUri, (set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS, cooldownDuration: 30_000 })));
    return set;
}

export interface IdTokenCheck {
    endpoints: ProviderEndpoints;
    clientId: string;
    nonce: string;
    /** Default: the provider's JWKS. */
    keys?: Parameters<typeof jwtVerify>[1];
}

/** The ID token's claims, once every check passed; otherwise a 400 naming the check. */
export async function verifyIdToken(idToken: string, check: IdTokenCheck): Promise<JWTPayload & { sub: string }> {
    let payload: JWTPayload;
    try {
        ({ payload } = await jwtVerify(idToken, (check.keys ?? providerKeys(check.endpoints.jwksUri)) as any, {
            issuer: check.endpoints.issuer,
            audience: check.clientId,
            algorithms: check.endpoints.algorithms,
            requiredClaims: ["sub", "exp", "iat"],
            clockTolerance: 30,
        }));
    } catch (error) {
        throw idTokenRefused(error);
    }
    // OpenID Connect Core 3.1.3.7: with several audiences, the authorized party must be us.
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== check.clientId) throw badIdToken("the ID token's azp is not this client", "azp");
    if (payload.nonce !== check.nonce) throw badIdToken("the ID token's nonce is not this sign-in's", "nonce");
    return payload as JWTPayload & { sub: string };
}

function idTokenRefused(error: unknown): HttpError | Error {
    if (error instanceof errors.JWTExpired) return badIdToken("the ID token has expired", "exp");
    if (error instanceof errors.JWTClaimValidationFailed) return badIdToken(`the ID token was refused: ${error.message}`, error.claim);
    if (error instanceof errors.JOSEAlgNotAllowed) return badIdToken("the ID token's signature algorithm is not allowed");
    if (error instanceof errors.JWKSNoMatchingKey) return badIdToken("the ID token is not signed by a key of the provider");
    if (error instanceof errors.JWSSignatureVerificationFailed) return badIdToken("the ID token's signature is not valid");
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return error as Error; // the provider's trouble: a 500
    if (error instanceof errors.JOSEError) return badIdToken("the ID token is not valid");
    return error as Error;
}

function badIdToken(message: string, claim?: string): HttpError {
    return new HttpError(400, message, { code: "id_token_refused", details: claim === undefined ? undefined : { claim } });
}

/** Email and name from the userinfo endpoint, for providers that keep them out of the ID token. */
export async function userinfo(endpoints: ProviderEndpoints, accessToken: string, subject: string, fetcher: typeof fetch = fetch): Promise<Record<string, unknown> | undefined> {
    if (!endpoints.userinfoEndpoint) return undefined;
    const res = await fetcher(endpoints.userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    const claims = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    // OpenID Connect Core 5.3.2: the sub must be the ID token's, or the answer is not used.
    return claims?.sub === subject ? claims : undefined;
}
