// An Auth's secret on Tencent Cloud: its ES256 signing keys, generated at deploy by Pulumi's tls
// provider (secret outputs in the stack's state), and a Secrets Manager (SSM) secret whose one
// version holds `{ issuer, keys, clientSecrets }` as JSON (functions/runtime/clients/auth-secret.ts
// reads it at cold start with GetSecretValue). The auth functions may read exactly this secret; no
// key or client secret is in their environment, only the secret's name and version (SCF sets
// TENCENTCLOUD_REGION, the region the client calls).
//
// The keys, their rotation and the value's shape: ../auth-keys.ts, as on AWS.
//
// Facts:
// - terraform-provider-tencentcloud v1.83.25 (services/ssm/resource_tc_ssm_secret{,_version}.go):
//   the secret's name is up to 128 letters, digits, `_` and `-`, a letter or digit first, unique per
//   region; a version's value is at most 4096 bytes (ours is about 600 plus the issuer and client
//   secrets); changing `secret_string` updates the version in place (UpdateSecret), so the version
//   id stays `AUTH_SECRET_VERSION` and the functions' environment does not change with the keys.
// - GetSecretValue takes SecretName and VersionId, both required (SSM API 2019-09-23, GetSecretValue,
//   tencentcloud.com/document/api/1078/38649).
// - CAM: GetSecretValue is authorised at resource level on
//   `qcs::ssm:$region:uin/$uin:secret/creatorUin/$creatorUin/$secretName`, $uin the root account,
//   $creatorUin the account that created the secret (SSM "Creating an Access Control Policy",
//   tencentcloud.com/document/product/1078/38612; CAM-enabled API list for ssm,
//   cloud.tencent.com/document/product/598/70019). The deploying account creates it: tencentcloud_user_info's
//   `uin`; the root account is its `ownerUin`.
import * as pulumi from "@pulumi/pulumi";
import { authSecretString, signingKeys } from "../auth-keys";
import { writeOnce } from "../auth-secret-write";
import { ConfigError, target } from "../config";
import { Link, linkVariable } from "../link";
import type { AuthSecretRealisation, AuthSecretSpec } from "../provider";
import { getPackage, SsmSecret, SsmSecretVersion } from "./sdk";

/** What functions/runtime/clients/auth-secret.ts calls on Tencent Cloud, exactly. */
export const AUTH_SECRET_ACTIONS = ["ssm:GetSecretValue"];

/** The one version of the secret; its value changes in place. */
export const AUTH_SECRET_VERSION = "current";

/** Days a deleted secret can be restored: a week when the stack protects (prod), none otherwise. */
export const RECOVERY_WINDOW_DAYS = { protected: 7, unprotected: 0 };

/** The most an SSM secret version holds (the provider's `secret_string`). */
export const SECRET_VALUE_MAX_BYTES = 4096;

const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function tencentAuthSecret(parent: pulumi.Resource, spec: AuthSecretSpec): AuthSecretRealisation {
    const region = target().region;
    const secretName = `${pulumi.getProject()}-${pulumi.getStack()}-${spec.name}-auth`;
    if (!SECRET_NAME.test(secretName)) {
        throw new ConfigError(`Auth '${spec.name}' secret name`, secretName, "SSM secret names (<project>-<stack>-<auth>-auth) take up to 128 letters, digits, '_' and '-', a letter or digit first");
    }
    const keys = signingKeys(parent, spec);
    const secret = new SsmSecret(`${spec.name}-secret`, {
        secretName,
        description: `Signing keys, issuer and OAuth client secrets of Auth ${spec.name}`,
        isEnabled: true,
        recoveryWindowInDays: spec.protect ? RECOVERY_WINDOW_DAYS.protected : RECOVERY_WINDOW_DAYS.unprotected,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const account = accountUins();
    const resource = pulumi.interpolate`qcs::ssm:${region}:uin/${account.ownerUin}:secret/creatorUin/${account.uin}/${secret.secretName}`;
    const link: Link = {
        type: "authsecret",
        name: spec.name,
        environment: {
            [linkVariable("authsecret", spec.name, "id")]: secret.secretName,
            [linkVariable("authsecret", spec.name, "version")]: AUTH_SECRET_VERSION,
        },
        permissions: [{ actions: AUTH_SECRET_ACTIONS, resources: [resource] }],
        resources: { secretName: secret.secretName, secretResource: resource },
    };
    return {
        link,
        write: writeOnce(spec.name, (content) => {
            new SsmSecretVersion(`${spec.name}-secret-value`, {
                secretName: secret.secretName,
                versionId: AUTH_SECRET_VERSION,
                secretString: authSecretString(content, keys).apply((value) => {
                    const bytes = Buffer.byteLength(value, "utf8");
                    if (bytes > SECRET_VALUE_MAX_BYTES) throw new Error(`Auth '${spec.name}': its secret is ${bytes} bytes, more than the ${SECRET_VALUE_MAX_BYTES} an SSM secret version holds; are the client secrets that long?`);
                    return value;
                }),
            }, { parent });
        }),
    };
}

/** The deploying account (`uin`, which creates the secret) and its root account (`ownerUin`). */
export function accountUins(): { uin: pulumi.Output<string>; ownerUin: pulumi.Output<string> } {
    const info = pulumi.output(pulumi.runtime.invoke("tencentcloud:index/getUserInfo:getUserInfo", {}, {}, getPackage()));
    return {
        uin: info.apply((i) => String(i.uin)),
        ownerUin: info.apply((i) => String(i.ownerUin || i.uin)),
    };
}
