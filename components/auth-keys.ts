// An Auth's signing keys and the secret value that holds them, the same on every cloud that
// generates keys at deploy (AWS, Tencent Cloud): Pulumi's tls provider makes the keys, so this
// module loads neither cloud's SDK.
//
// Key rotation: each generation is its own resource, `<name>-key-<g>`. The current key is
// generation `keyRotation`, the previous one `keyRotation - 1` (none at 0). Raising keyRotation by
// one creates the next key, keeps the one that was current (tokens it signed stay valid) and
// drops the one before: no replacement analysis needed, the names say which key is which.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { AuthSecretContent, AuthSecretSpec } from "./provider";

/** The current key (generation `keyRotation`) and the previous one (absent at generation 0). */
export interface SigningKeys {
    current: tls.PrivateKey;
    previous?: tls.PrivateKey;
}

/** ES256 keys: ECDSA on P-256, one resource per generation. */
export function signingKeys(parent: pulumi.Resource, spec: AuthSecretSpec): SigningKeys {
    const key = (generation: number) => new tls.PrivateKey(`${spec.name}-key-${generation}`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
    const g = spec.keyRotation;
    return { current: key(g), previous: g > 0 ? key(g - 1) : undefined };
}

/**
 * The secret's value, a Pulumi secret: `{ issuer, keys: [{ privateKeyPem, current }], clientSecrets }`,
 * the keys PKCS#8 PEM, the current one first (functions/runtime/clients/auth-secret.ts reads it).
 */
export function authSecretString(content: AuthSecretContent, keys: SigningKeys): pulumi.Output<string> {
    const pems = [keys.current.privateKeyPemPkcs8, ...(keys.previous ? [keys.previous.privateKeyPemPkcs8] : [])];
    return pulumi.secret(pulumi.all([content.issuer, content.clientSecrets, pulumi.all(pems)]).apply(([issuer, clientSecrets, [current, previous]]) =>
        JSON.stringify({
            issuer,
            keys: [{ privateKeyPem: current, current: true }, ...(previous === undefined ? [] : [{ privateKeyPem: previous, current: false }])],
            clientSecrets,
        })));
}
