// An Auth's secret on AWS: its ES256 signing keys, generated at deploy by Pulumi's tls provider
// (the private keys live only in the stack's state, where they are secret outputs, and in the
// secret's value), and a Secrets Manager secret holding `{ issuer, keys, clientSecrets }` as JSON
// (functions/runtime/clients/auth-secret.ts reads it at cold start). The auth functions may read
// exactly this secret and nothing else; no key or client secret is in their environment.
//
// Key rotation: each generation is its own resource, `<name>-key-<g>`. The current key is
// generation `keyRotation`, the previous one `keyRotation - 1` (none at 0). Raising keyRotation by
// one creates the next key, keeps the one that was current (tokens it signed stay valid) and
// drops the one before: no replacement analysis needed, the names say which key is which.
//
// Facts: Secrets Manager names take letters, digits and `/_+=.@-` (@pulumi/aws secretsmanager.Secret
// `name`); `recoveryWindowInDays` is 0 (delete at once) or 7-30. The secret is encrypted under the
// AWS managed key aws/secretsmanager, which Secrets Manager uses for any principal allowed to read
// the secret, so readers need no KMS grant. GetSecretValue is authorised on the secret's ARN
// (Secrets Manager User Guide, "Actions, resources, and context keys": resource type `Secret`).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { Link, linkVariable } from "../link";
import type { AuthSecretContent, AuthSecretRealisation, AuthSecretSpec } from "../provider";

/** What functions/runtime/clients/auth-secret.ts calls on AWS, exactly. */
export const AUTH_SECRET_ACTIONS = ["secretsmanager:GetSecretValue"];

/** Days a deleted secret can be restored: a week when the stack protects (prod), none otherwise. */
export const RECOVERY_WINDOW_DAYS = { protected: 7, unprotected: 0 };

export function awsAuthSecret(parent: pulumi.Resource, spec: AuthSecretSpec): AuthSecretRealisation {
    const keys = signingKeys(parent, spec);
    const secret = new aws.secretsmanager.Secret(`${spec.name}-secret`, {
        name: `${pulumi.getProject()}/${pulumi.getStack()}/${spec.name}/auth`,
        description: `Signing keys, issuer and OAuth client secrets of Auth ${spec.name}`,
        recoveryWindowInDays: spec.protect ? RECOVERY_WINDOW_DAYS.protected : RECOVERY_WINDOW_DAYS.unprotected,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const link: Link = {
        type: "authsecret",
        name: spec.name,
        environment: { [linkVariable("authsecret", spec.name, "id")]: secret.arn },
        permissions: [{ actions: AUTH_SECRET_ACTIONS, resources: [secret.arn] }],
        resources: { secretArn: secret.arn },
    };
    let written = false;
    return {
        link,
        write(content: AuthSecretContent): void {
            if (written) throw new Error(`Auth '${spec.name}': its secret is written once`);
            written = true;
            new aws.secretsmanager.SecretVersion(`${spec.name}-secret-value`, {
                secretId: secret.id,
                secretString: authSecretString(content, keys),
            }, { parent });
        },
    };
}

/** The current key (generation `keyRotation`) and the previous one (absent at generation 0). */
export interface SigningKeys {
    current: tls.PrivateKey;
    previous?: tls.PrivateKey;
}

/** ES256 keys: ECDSA on P-256, one resource per generation (see the rotation note above). */
export function signingKeys(parent: pulumi.Resource, spec: AuthSecretSpec): SigningKeys {
    const key = (generation: number) => new tls.PrivateKey(`${spec.name}-key-${generation}`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
    const g = spec.keyRotation;
    return { current: key(g), previous: g > 0 ? key(g - 1) : undefined };
}

/**
 * The secret's value, a Pulumi secret: `{ issuer, keys: [{ privateKeyPem, current }], clientSecrets }`,
 * the keys PKCS#8 PEM, the current one first. The same shape as the Tencent realisation's.
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
