// GET /auth/.well-known/jwks.json: the public keys our tokens are signed with, current and
// previous, each with its `kid` (the key's thumbprint), `use: "sig"` and `alg: "ES256"`.
import { http } from "../runtime";
import { keyRing } from "./keys";

export const handler = http(async () => ({
    headers: { "cache-control": "public, max-age=300", "content-type": "application/json; charset=utf-8" },
    body: (await keyRing()).jwks,
}));
