// GET /auth/.well-known/openid-configuration: what an API gateway reads to trust our tokens (API
// Gateway's JWT authorizer fetches `<issuer>/.well-known/openid-configuration` and then its
// `jwks_uri`). This issuer is not an OAuth authorization server for other clients: it publishes
// its issuer, keys, userinfo and signing algorithm, not authorization or token endpoints.
import { http } from "../runtime";
import { ALG, keyRing } from "./keys";

export const handler = http(async () => {
    const { issuer } = await keyRing();
    return {
        headers: { "cache-control": "public, max-age=300" },
        body: {
            issuer,
            jwks_uri: `${issuer}/.well-known/jwks.json`,
            userinfo_endpoint: `${issuer}/userinfo`,
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: [ALG],
            claims_supported: ["sub", "iss", "aud", "iat", "exp", "email", "name", "roles"],
        },
    };
});
