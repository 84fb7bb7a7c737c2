// GET /auth/userinfo: who the bearer of an access token is, and what they may do. The token is
// verified here with this issuer's own keys (no JWKS fetch): ES256 only, our `iss` and `aud`, not
// expired. Roles come from the users table, so a change shows before the token runs out.
import { http } from "../runtime";
import { keyRing } from "./keys";
import { authSettings } from "./settings";
import { unauthorized, verifyAccessToken } from "./tokens";
import { users } from "./users";

export const handler = http(async (req) => {
    const settings = authSettings();
    const claims = await verifyAccessToken(req.headers, await keyRing(), settings);
    const user = await users().get({ userId: claims.sub });
    if (!user) throw unauthorized("the token's user no longer exists");
    return {
        headers: { "cache-control": "no-store" },
        body: { sub: user.userId, email: user.email, emailVerified: user.emailVerified, name: user.name, roles: user.roles },
    };
});
