// POST /auth/logout: revokes the refresh cookie's family (every token of this sign-in stops
// working) and clears the cookie. Access tokens already issued run out on their own, within
// accessTokenSeconds. Always 204, signed in or not. Scripted requests only (cookie.ts).
import { http } from "../runtime";
import { clearedRefreshCookie, refreshTokenOf, requireScriptedRequest } from "./cookie";
import { keyRing } from "./keys";
import { revoke } from "./sessions";

export const handler = http(async (req) => {
    requireScriptedRequest(req);
    const ring = await keyRing();
    await revoke(refreshTokenOf(req));
    return { status: 204, headers: { "set-cookie": clearedRefreshCookie(ring.issuer), "cache-control": "no-store" } };
});
