// Our access tokens: short-lived ES256 JWTs with `sub` (the user id), `roles`, `email`, `name`,
// `aud`, `iss`, `iat`, `exp` and the signing key's `kid`. APIs verify them against the JWKS (API
// Gateway's JWT authorizer on AWS, the adapter on Tencent Cloud and locally); /auth/userinfo
// verifies them here, with the keys this instance already holds.
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { HttpError } from "../runtime";
import { ALG, type KeyRing } from "./keys";
import type { AuthSettings } from "./settings";
import type { User } from "./users";

export interface AccessToken {
    accessToken: string;
    /** Seconds. */
    expiresIn: number;
    tokenType: "Bearer";
}

export async function issueAccessToken(user: User, ring: KeyRing, settings: AuthSettings, now = Date.now()): Promise<AccessToken> {
    const iat = Math.floor(now / 1000);
    const accessToken = await new SignJWT({ roles: user.roles, email: user.email, name: user.name })
        .setProtectedHeader({ alg: ALG, kid: ring.current.kid, typ: "JWT" })
        .setSubject(user.userId)
        .setIssuer(ring.issuer)
        .setAudience(settings.audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + settings.accessTokenSeconds)
        .sign(ring.current.privateKey);
    return { accessToken, expiresIn: settings.accessTokenSeconds, tokenType: "Bearer" };
}

/** Clock skew tolerated, seconds (what functions/runtime/auth/jwt.ts allows the gateways' side). */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * The claims of the request's bearer token, when it is one of ours: signed ES256 by one of our
 * keys, our issuer, our audience, not expired. Anything else is a 401 naming the reason.
 */
export async function verifyAccessToken(headers: Record<string, string | undefined>, ring: KeyRing, settings: AuthSettings): Promise<JWTPayload & { sub: string }> {
    const header = headers.authorization;
    if (!header) throw unauthorized("missing bearer token: send Authorization: Bearer <token>");
    const match = /^Bearer[ ]+([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(header);
    if (!match) throw unauthorized("Authorization header is not 'Bearer <token>'");
    try {
        const { payload } = await jwtVerify(match[1], ring.keySet, {
            issuer: ring.issuer,
            audience: settings.audience,
            algorithms: [ALG],
            clockTolerance: CLOCK_TOLERANCE_SECONDS,
            requiredClaims: ["sub", "exp", "iat"],
        });
        return payload as JWTPayload & { sub: string };
    } catch (error) {
        throw refusal(error);
    }
}

function refusal(error: unknown): HttpError {
    if (error instanceof errors.JWTExpired) return unauthorized("token expired", "exp");
    if (error instanceof errors.JWTClaimValidationFailed) return unauthorized(`token refused: ${error.message}`, error.claim);
    if (error instanceof errors.JOSEAlgNotAllowed) return unauthorized("token signature algorithm is not allowed");
    if (error instanceof errors.JWKSNoMatchingKey) return unauthorized("token is not signed by a key of this issuer");
    if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized("token signature is not valid");
    if (error instanceof errors.JOSEError) return unauthorized("token is not valid");
    throw error;
}

export function unauthorized(message: string, claim?: string): HttpError {
    return new HttpError(401, message, { code: "unauthorized", details: claim === undefined ? undefined : { claim } });
}
