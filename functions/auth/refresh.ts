// POST /auth/refresh: trades the refresh cookie for a new access token and a rotated cookie.
// Missing, unknown, expired, revoked or reused tokens are a 401 that also clears the cookie; a
// reused one has revoked its whole family first (sessions.ts). Scripted requests only (cookie.ts).
import { http } from "../runtime";
import { clearedRefreshCookie, refreshCookie, refreshTokenOf, requireScriptedRequest } from "./cookie";
import { keyRing } from "./keys";
import { RefreshRefused, rotate } from "./sessions";
import { authSettings } from "./settings";
import { issueAccessToken } from "./tokens";
import { users } from "./users";

const REASONS: Record<RefreshRefused["reason"], string> = {
    malformed: "no refresh token: sign in first",
    unknown: "unknown refresh token: sign in again",
    expired: "the refresh token has expired: sign in again",
    revoked: "the session was signed out: sign in again",
    reused: "the refresh token was already used; the session is revoked: sign in again",
};

export const handler = http(async (req) => {
    requireScriptedRequest(req);
    const ring = await keyRing();
    const refused = (reason: RefreshRefused["reason"]) => ({
        status: 401,
        headers: { "set-cookie": clearedRefreshCookie(ring.issuer), "cache-control": "no-store", "www-authenticate": 'Bearer error="invalid_token"' },
        body: { error: { code: reason === "reused" ? "refresh_token_reused" : "unauthorized", message: REASONS[reason] } },
    });
    let grant;
    try {
        grant = await rotate(refreshTokenOf(req));
    } catch (error) {
        if (error instanceof RefreshRefused) return refused(error.reason);
        throw error;
    }
    const user = await users().get({ userId: grant.userId });
    if (!user) return refused("unknown");
    const token = await issueAccessToken(user, ring, authSettings());
    return {
        status: 200,
        headers: { "set-cookie": refreshCookie(ring.issuer, grant.token, grant.expiresAt), "cache-control": "no-store" },
        body: token,
    };
});

