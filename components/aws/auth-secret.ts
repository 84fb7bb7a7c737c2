// An Auth's secret on AWS: its ES256 signing keys, generated at deploy by Pulumi's tls provider
// (the private keys live only in the stack's state, where they are secret outputs, and in the
// secret's value), and a Secrets Manager secret holding `{ issuer, keys, clientSecrets }` as JSON
// (functions/runtime/clients/auth-secret.ts reads it at cold start). The auth functions may read
// exactly this secret and nothing else; no key or client secret is in their environment.
// The keys and the value's shape: ../auth-keys.ts.
//
// Facts: Secrets Manager names take letters, digits and `/_+=.@-` (@pulumi/aws secretsmanager.Secret
// `name`); `recoveryWindowInDays` is 0 (delete at once) or 7-30. The secret is encrypted under the
// AWS managed key aws/secretsmanager, which Secrets Manager uses for any principal allowed to read
// the secret, so readers need no KMS grant. GetSecretValue is authorised on the secret's ARN
// (Secrets Manager User Guide, "Actions, resources, and context keys": resource type `Secret`).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { authSecretString, signingKeys } from "../auth-keys";
import { writeOnce } from "../auth-secret-write";
import { Link, linkVariable } from "../link";
import type { AuthSecretRealisation, AuthSecretSpec } from "../provider";

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
    return {
        link,
        write: writeOnce(spec.name, (content) => {
            new aws.secretsmanager.SecretVersion(`${spec.name}-secret-value`, {
                secretId: secret.id,
                secretString: authSecretString(content, keys),
            }, { parent });
        }),
    };
}
