// readAuthSecret(): what an Auth's issuer functions read from the cloud's secret store at cold
// start: the issuer URL, the ES256 signing keys (PKCS#8 PEM, the current one first) and the
// providers' client secrets. An Auth's link names its secret in `SB_AUTHSECRET_<NAME>_ID` (a
// Secrets Manager ARN on AWS, an SSM secret name on Tencent Cloud, a file path locally); the value
// is the JSON `{ issuer, keys: [{ privateKeyPem, current }], clientSecrets }`. It is read once per
// instance: the secret changes only with a deploy, which starts new instances.
import { currentTarget } from "./target";

export interface AuthSigningKey {
    /** An ES256 (P-256) private key, PKCS#8 PEM. */
    privateKeyPem: string;
    /** The key new tokens are signed with; the others only verify. */
    current: boolean;
}

export interface AuthSecretValue {
    /** Our tokens' `iss`: the auth API's URL plus `/auth`. */
    issuer: string;
    /** The current key first, the previous one (if any) after it. */
    keys: AuthSigningKey[];
    /** Provider name to its OAuth client secret. */
    clientSecrets: Record<string, string>;
}

/** Where one Auth's secret is: the link's variables. */
export interface AuthSecretLocation {
    /** The Auth's name as the variable spells it (`SHOP_AUTH`). */
    name: string;
    /** `SB_AUTHSECRET_<NAME>_ID`: ARN, SSM secret name or file path. */
    id: string;
    /** Tencent Cloud: `SB_AUTHSECRET_<NAME>_VERSION`, the SSM version to read (the newest when unset). */
    version?: string;
    /** Tencent Cloud: `SB_AUTHSECRET_<NAME>_REGION`, when the secret is not in the function's region. */
    region?: string;
}

/** How one cloud fetches the secret's text. */
export interface AuthSecretStore {
    read(location: AuthSecretLocation): Promise<string>;
}

const ID_VARIABLE = /^SB_AUTHSECRET_([A-Z0-9_]+)_ID$/;

/** The one Auth secret linked to this function; throws naming the variables when there is none or more than one. */
export function authSecretLocation(env: NodeJS.ProcessEnv = process.env): AuthSecretLocation {
    const found = Object.keys(env).filter((key) => ID_VARIABLE.test(key) && env[key]).sort();
    if (found.length !== 1) {
        throw new Error(found.length === 0
            ? "no SB_AUTHSECRET_<NAME>_ID variable: the auth functions need their Auth's secret linked (the Auth component links it)"
            : `more than one Auth secret is linked (${found.join(", ")}); an auth function serves one Auth`);
    }
    const name = ID_VARIABLE.exec(found[0])![1];
    const optional = (key: string) => env[`SB_AUTHSECRET_${name}_${key}`] || undefined;
    return { name, id: env[found[0]]!, version: optional("VERSION"), region: optional("REGION") };
}

/** Checks the secret's JSON; the error names the field, never a value. */
export function parseAuthSecret(text: string, where = "auth secret"): AuthSecretValue {
    let value: any;
    try {
        value = JSON.parse(text);
    } catch {
        throw new Error(`${where}: the value is not JSON`);
    }
    if (typeof value !== "object" || value === null) throw new Error(`${where}: the value is not a JSON object`);
    if (typeof value.issuer !== "string" || !/^https?:\/\//.test(value.issuer)) throw new Error(`${where}: 'issuer' is not an http(s) URL`);
    if (!Array.isArray(value.keys) || value.keys.length === 0) throw new Error(`${where}: 'keys' holds no signing key`);
    const keys: AuthSigningKey[] = value.keys.map((key: any, i: number) => {
        if (typeof key?.privateKeyPem !== "string" || !key.privateKeyPem.includes("PRIVATE KEY")) throw new Error(`${where}: keys[${i}].privateKeyPem is not a PEM private key`);
        return { privateKeyPem: key.privateKeyPem, current: key.current === true };
    });
    if (keys.filter((k) => k.current).length > 1) throw new Error(`${where}: more than one key is current`);
    const clientSecrets: Record<string, string> = {};
    for (const [provider, secret] of Object.entries(value.clientSecrets ?? {})) {
        if (typeof secret !== "string") throw new Error(`${where}: clientSecrets.${provider} is not a string`);
        clientSecrets[provider] = secret;
    }
    return { issuer: value.issuer.replace(/\/+$/, ""), keys, clientSecrets };
}

function store(): AuthSecretStore {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and SDK) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/auth-secret").awsAuthSecretStore;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/auth-secret").tencentAuthSecretStore;
    if (process.env.SB_TARGET === "local") return require("./local/auth-secret").localAuthSecretStore;
    throw new Error(`unknown target ${currentTarget()}`);
}

let cached: Promise<AuthSecretValue> | undefined;

/**
 * The linked Auth's secret, fetched at the first call of this instance and kept. A failed read is
 * not kept: the next call tries again.
 *
 * @example const { issuer, keys } = await readAuthSecret();
 */
export function readAuthSecret(source: AuthSecretStore = store()): Promise<AuthSecretValue> {
    if (!cached) {
        const location = authSecretLocation();
        cached = source.read(location).then((text) => parseAuthSecret(text, `Auth secret ${location.name}`));
        cached.catch(() => (cached = undefined));
    }
    return cached;
}

/** Forgets the cached secret (tests; a key rotation seen without a new instance). */
export function forgetAuthSecret(): void {
    cached = undefined;
}
