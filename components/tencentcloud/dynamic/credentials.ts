// Keys and region for dynamic resources over Tencent Cloud API 3.0, found where
// terraform-provider-tencentcloud (and so every other resource of the stack) finds them: the
// provider's stack config `tencentcloud:secretId` / `secretKey` / `securityToken` / `region`, else
// the environment variables TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SECURITY_TOKEN / _REGION
// (provider.go of v1.83.25, each key on its own, config first). TENCENTCLOUD_SESSION_TOKEN,
// tencentcloud-sdk-nodejs's name for the token, is read too. The provider's other sources (shared
// credential profiles, assume_role, a CVM's CAM role) are not: the error says so.
//
// This runs inside the `pulumi-nodejs` dynamic-provider plugin, never in the program: the CLI hands
// that process the whole stack config through the provider's `configure` (namespaced keys, as
// pulumi/pulumi tests/integration/dynamic/nodejs-config reads `colors:banana`) and the CLI's own
// environment. The keys are read there at deploy time, never captured into the serialized
// provider, so none lands in the stack's state.
import type { TencentCredential } from "../../../functions/runtime/clients/tencentcloud/credentials";

export type { TencentCredential };

/** What a dynamic provider's `configure` hands over: `pulumi.dynamic.Config`. */
export interface ConfigReader {
    get(key: string): string | undefined;
}

export const CREDENTIAL_CONFIG = {
    secretId: "tencentcloud:secretId",
    secretKey: "tencentcloud:secretKey",
    securityToken: "tencentcloud:securityToken",
    region: "tencentcloud:region",
} as const;

export const CREDENTIAL_ENV = {
    secretId: "TENCENTCLOUD_SECRET_ID",
    secretKey: "TENCENTCLOUD_SECRET_KEY",
    securityToken: ["TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"],
    region: "TENCENTCLOUD_REGION",
} as const;

/** The `name` of the error for missing keys or region; its message names what to set. */
export const MISSING_CREDENTIALS = "MissingCredentialsError";

/** A plain Error, not a subclass: a serialized subclass of Error loses its message (./client.ts). */
function missing(message: string): Error {
    return Object.assign(new Error(message), { name: MISSING_CREDENTIALS });
}

/** The keys to sign with; throws (MISSING_CREDENTIALS) naming what to set. `what` names the caller. */
export function resolveCredential(what: string, config: ConfigReader | undefined, env: NodeJS.ProcessEnv = process.env): TencentCredential {
    const secretId = config?.get(CREDENTIAL_CONFIG.secretId) || env[CREDENTIAL_ENV.secretId];
    const secretKey = config?.get(CREDENTIAL_CONFIG.secretKey) || env[CREDENTIAL_ENV.secretKey];
    const token = config?.get(CREDENTIAL_CONFIG.securityToken) || CREDENTIAL_ENV.securityToken.map((name) => env[name]).find(Boolean);
    if (secretId && secretKey) return { secretId, secretKey, ...(token ? { token } : {}) };
    const set = "`pulumi config set tencentcloud:secretId <id>` and `pulumi config set --secret tencentcloud:secretKey <key>`, " +
        `or the environment variables ${CREDENTIAL_ENV.secretId} and ${CREDENTIAL_ENV.secretKey}`;
    if (secretId || secretKey) {
        const absent = secretId ? `${CREDENTIAL_CONFIG.secretKey} / ${CREDENTIAL_ENV.secretKey}` : `${CREDENTIAL_CONFIG.secretId} / ${CREDENTIAL_ENV.secretId}`;
        throw missing(`${what}: Tencent Cloud keys are incomplete: ${absent} is not set (set ${set})`);
    }
    throw missing(
        `${what}: no Tencent Cloud keys: set ${set} (plus ${CREDENTIAL_CONFIG.securityToken} / ${CREDENTIAL_ENV.securityToken[0]} for temporary keys). ` +
        "Dynamic resources do not read the Terraform provider's profiles, assume_role or CVM role.",
    );
}

/** The region to call: the resource's own, else the provider's config, else TENCENTCLOUD_REGION. */
export function resolveRegion(what: string, preferred: string | undefined, config: ConfigReader | undefined, env: NodeJS.ProcessEnv = process.env): string {
    const region = preferred || config?.get(CREDENTIAL_CONFIG.region) || env[CREDENTIAL_ENV.region];
    if (!region) {
        throw missing(`${what}: no Tencent Cloud region: set \`pulumi config set ${CREDENTIAL_CONFIG.region} <region>\` (e.g. ap-guangzhou) or ${CREDENTIAL_ENV.region}`);
    }
    return region;
}
