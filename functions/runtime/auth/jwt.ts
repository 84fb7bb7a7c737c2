// Bearer-token verification for routes that need a token (every BusinessApi route not public)
// where no gateway does it: Tencent Cloud (the SCF adapter) and the local runtime. It checks what API Gateway's JWT authorizer checks on AWS,
// so a token is accepted or refused the same way on every target:
//   - `Authorization: Bearer <JWT>`, signed with a key from the issuer's JWKS, asymmetric only;
//   - `iss` equal to the issuer; `exp`, `nbf` (and `iat`) respected;
//   - `aud` one of the audiences, or, for a token without `aud`, `client_id` one of them
//     (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
// A token problem is a 401 naming the reason; keys that cannot be fetched are a 503 (not the
// caller's fault), so a misconfigured issuer is not mistaken for bad tokens.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { HttpError } from "../http";

export interface JwtSettings {
    /** Exactly the tokens' `iss`. */
    issuer: string;
    /** Accepted audiences (`aud`, or `client_id` for tokens without `aud`). */
    audience: string[];
    /** The issuer's JSON Web Key Set; default issuer + "/.well-known/jwks.json". */
    jwksUrl?: string;
}

/** The variables a route function finds its API's token settings in (set by the realisation's link). */
export const JWT_ENV = {
    issuer: "SB_API_JWT_ISSUER",
    /** A JSON array of strings. */
    audience: "SB_API_JWT_AUDIENCE",
    jwksUrl: "SB_API_JWT_JWKS_URL",
} as const;

/** Signature algorithms accepted: public-key only, so holding the JWKS never lets anyone sign. */
export const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
/** Clock skew tolerated between the issuer and this function, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** Token settings from a route function's environment, or undefined for a public route. */
export function jwtSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): JwtSettings | undefined {
    const issuer = env[JWT_ENV.issuer];
    if (!issuer) return undefined;
    let audience: unknown;
    try {
        audience = JSON.parse(env[JWT_ENV.audience] ?? "");
    } catch {
        audience = undefined;
    }
    if (!Array.isArray(audience) || audience.length === 0 || !audience.every((a) => typeof a === "string" && a !== "")) {
        throw new Error(`${JWT_ENV.audience} must be a JSON array of audiences (set by the API's link); got ${JSON.stringify(env[JWT_ENV.audience])}`);
    }
    return { issuer, audience, jwksUrl: env[JWT_ENV.jwksUrl] || undefined };
}

/** Where the settings' keys are published. */
export function jwksUrlOf(settings: JwtSettings): string {
    return settings.jwksUrl ?? `${settings.issuer.replace(/\/+$/, "")}/.well-known/jwks.json`;
}

// One key set per URL for the life of the instance: jose caches the keys and refetches on an unknown `kid`.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string): ReturnType<typeof createRemoteJWKSet> {
    let set = keySets.get(url);
    if (!set) keySets.set(url, (set = createRemoteJWKSet(new URL(url), { timeoutDuration: 3000, cooldownDuration: 30_000 })));
    return set;
}

/**
 * Verifies the request's bearer token and returns its claims.
 * Throws HttpError 401 (`code: "unauthorized"`) for a missing or bad token, naming the reason,
 * and HttpError 503 (`code: "jwks_unavailable"`) when the issuer's keys cannot be fetched.
 *
 * @example const claims = await verifyBearer(req.headers, { issuer: "https://auth.example.com", audience: ["shop"] });
 */
export async function verifyBearer(headers: Record<string, string | undefined>, settings: JwtSettings): Promise<Record<string, unknown>> {
    return verifyToken(bearerToken(headers), settings);
}

/**
 * Verifies a token given by other means than the Authorization header (a WebSocket's `token`
 * query parameter or subprotocol) with the same rules and the same errors as verifyBearer.
 */
export async function verifyToken(token: string | undefined, settings: JwtSettings): Promise<Record<string, unknown>> {
    if (!token) throw unauthorized("missing token");
    if (!/^[A-Za-z0-9_.~+/=-]+$/.test(token)) throw unauthorized("token is not a well-formed JWT");
    let payload: JWTPayload;
    try {
        ({ payload } = await jwtVerify(token, keySet(jwksUrlOf(settings)), {
            issuer: settings.issuer,
            algorithms: ALGORITHMS,
            clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
    } catch (error) {
        throw refusal(error);
    }
    if (!audienceAccepted(payload, settings.audience)) {
        throw unauthorized("token audience is not accepted by this API", "aud");
    }
    return { ...payload };
}

function bearerToken(headers: Record<string, string | undefined>): string {
    const name = Object.keys(headers).find((key) => key.toLowerCase() === "authorization");
    const value = name === undefined ? undefined : headers[name];
    if (!value) throw unauthorized("missing bearer token: send Authorization: Bearer <token>");
    const match = /^Bearer[ ]+([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(value);
    if (!match) throw unauthorized("Authorization header is not 'Bearer <token>'");
    return match[1];
}

/** AWS's rule: `aud` when the token has one, else `client_id`. */
function audienceAccepted(payload: JWTPayload, accepted: string[]): boolean {
    if (payload.aud !== undefined) {
        const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        return audiences.some((aud) => accepted.includes(aud));
    }
    const clientId = payload.client_id;
    return typeof clientId === "string" && accepted.includes(clientId);
}

const KEY_SOURCE_FAILURES = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/** Token problems are the caller's (401); a key set that cannot be fetched or read is ours (503). */
function refusal(error: unknown): HttpError {
    if (error instanceof errors.JWTExpired) return unauthorized("token expired", "exp");
    // jose's messages name the claim and never a secret, e.g. `unexpected "iss" claim value`.
    if (error instanceof errors.JWTClaimValidationFailed) return unauthorized(`token refused: ${error.message}`, error.claim);
    if (error instanceof errors.JOSEError && !KEY_SOURCE_FAILURES.has(error.code)) {
        return unauthorized(TOKEN_PROBLEMS[error.code] ?? "token is not valid");
    }
    console.error("verifyBearer: the issuer's keys could not be used:", error);
    return new HttpError(503, "token keys are unavailable; try again later", { code: "jwks_unavailable", cause: error });
}

const TOKEN_PROBLEMS: Record<string, string> = {
    ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "token signature is not valid",
    ERR_JWKS_NO_MATCHING_KEY: "token is not signed by a key of the issuer",
    ERR_JWKS_MULTIPLE_MATCHING_KEYS: "token does not say which of the issuer's keys signed it",
    ERR_JOSE_ALG_NOT_ALLOWED: "token signature algorithm is not allowed",
    ERR_JOSE_NOT_SUPPORTED: "token signature algorithm is not supported",
    ERR_JWS_INVALID: "token is not a well-formed JWT",
    ERR_JWT_INVALID: "token is not a well-formed JWT",
};

function unauthorized(message: string, claim?: string): HttpError {
    return new HttpError(401, message, { code: "unauthorized", details: claim === undefined ? undefined : { claim } });
}
