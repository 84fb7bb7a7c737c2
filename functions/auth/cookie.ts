// The refresh token's cookie: HttpOnly (page scripts never see it), Secure, SameSite=Strict (no
// other site's request carries it), scoped to the issuer's path (`/auth`, locally `/api/auth`), so
// only the auth API receives it. The access token is never a cookie: the page keeps it in memory.
import { HttpError, type HttpRequest } from "../runtime";
import { setCookie } from "../runtime/cookies";
import { issuerPath } from "./settings";

export const REFRESH_COOKIE = "sb_refresh";

export function refreshCookie(issuer: string, token: string, expiresAt: number): string {
    const maxAge = Math.max(0, expiresAt - Math.floor(Date.now() / 1000));
    return setCookie(REFRESH_COOKIE, token, { path: issuerPath(issuer), sameSite: "Strict", httpOnly: true, secure: true, maxAge });
}

export function clearedRefreshCookie(issuer: string): string {
    return setCookie(REFRESH_COOKIE, "", { path: issuerPath(issuer), sameSite: "Strict", httpOnly: true, secure: true, maxAge: 0 });
}

export function refreshTokenOf(req: HttpRequest): string | undefined {
    return req.cookies?.[REFRESH_COOKIE] || undefined;
}

/**
 * CSRF: refresh and sign-out change state on a cookie alone, so they take only requests a page of
 * another site cannot send without a CORS preflight: a JSON body type, or the custom header
 * `X-Requested-With`. A cross-site form post has neither (and SameSite=Strict withholds the cookie too).
 */
export function requireScriptedRequest(req: HttpRequest): void {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type === "application/json" || req.headers["x-requested-with"]) return;
    throw new HttpError(403, "send this request from script: Content-Type: application/json or an X-Requested-With header", { code: "csrf" });
}
