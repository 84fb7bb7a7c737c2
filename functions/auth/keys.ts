// Our signing keys: ES256 (P-256) private keys from the secret store. The current one signs; every
// key (current and previous) verifies and is published in the JWKS, so rotating (the Auth's
// `keyRotation`) logs nobody out. A key's `kid` is its JWK thumbprint (RFC 7638), the same on
// every instance without storing it anywhere.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, type JWK } from "jose";
import { readAuthSecret, type AuthSecretValue } from "../runtime/clients/auth-secret";

export const ALG = "ES256";

export interface SigningKey {
    kid: string;
    privateKey: KeyObject;
    /** The public JWK as the JWKS publishes it. */
    jwk: JWK;
    current: boolean;
}

export interface KeyRing {
    issuer: string;
    /** Signs new tokens. */
    current: SigningKey;
    all: SigningKey[];
    /** `{ keys }`: public keys only. */
    jwks: { keys: JWK[] };
    /** Verifies with the keys held, without fetching anything. */
    keySet: ReturnType<typeof createLocalJWKSet>;
}

/** The key ring of `secret`: each key checked to be P-256. */
export async function keyRingOf(secret: AuthSecretValue): Promise<KeyRing> {
    const all: SigningKey[] = [];
    for (const [i, key] of secret.keys.entries()) {
        const privateKey = createPrivateKey(key.privateKeyPem);
        if (privateKey.asymmetricKeyType !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
            throw new Error(`signing key ${i} is not an EC P-256 key (ES256)`);
        }
        const { kty, crv, x, y } = await exportJWK(createPublicKey(privateKey));
        const kid = await calculateJwkThumbprint({ kty, crv, x, y }, "sha256");
        all.push({ kid, privateKey, jwk: { kty, crv, x, y, kid, use: "sig", alg: ALG }, current: key.current });
    }
    const current = all.find((k) => k.current) ?? all[0];
    const jwks = { keys: all.map((k) => k.jwk) };
    return { issuer: secret.issuer, current, all, jwks, keySet: createLocalJWKSet(jwks) };
}

let ring: Promise<KeyRing> | undefined;

/** This instance's key ring, from the secret store at the first call. */
export function keyRing(): Promise<KeyRing> {
    if (!ring) {
        ring = readAuthSecret().then(keyRingOf);
        ring.catch(() => (ring = undefined));
    }
    return ring;
}
