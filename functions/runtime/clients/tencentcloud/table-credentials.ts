// The MySQL account a Tencent function connects to its Table as: read from the SSM secret its link
// names (SB_TABLE_<NAME>_ACCOUNT_SECRET_NAME; components/tencentcloud/table-accounts.ts writes it,
// value `{"user","password"}`) with GetSecretValue (ssm 2019-09-23, SecretName and VersionId both
// required, cloud.tencent.com/document/api/1140/40522), signed with the function role's keys
// (api3.ts). Read once per instance and cached: the first table call of a cold start pays one
// request; a failed read is tried again by the next call.
//
// SB_TABLE_<NAME>_USER and _PASSWORD, when set, name the account directly instead (a script or a
// test against its own MySQL); deployed links never set them.
import { linkedSetting, linkedValue } from "../target";
import { callApi3 } from "./api3";
import { regionFromEnv } from "./credentials";

/** The one version of each secret; components/tencentcloud/table-accounts.ts writes it. */
export const CREDENTIALS_VERSION = "current";

/** An endpoint in place of https://ssm.tencentcloudapi.com/ (tests). */
export const SSM_ENDPOINT_VARIABLE = "SB_TENCENTCLOUD_SSM_ENDPOINT";

export interface TableCredentials {
    user: string;
    password: string;
}

export interface TableCredentialsOptions {
    /** Default: SB_TENCENTCLOUD_SSM_ENDPOINT, else SSM's public endpoint. */
    endpoint?: string;
    fetch?: typeof fetch;
}

/** Reads a Table's credentials secret; one request per secret and instance. */
export function createTableCredentials(options: TableCredentialsOptions = {}): (secretName: string) => Promise<TableCredentials> {
    const cache = new Map<string, Promise<TableCredentials>>();
    return (secretName) => {
        let read = cache.get(secretName);
        if (!read) {
            read = readSecret(secretName, options);
            read.catch(() => cache.delete(secretName));
            cache.set(secretName, read);
        }
        return read;
    };
}

async function readSecret(secretName: string, options: TableCredentialsOptions): Promise<TableCredentials> {
    const answer = await callApi3({
        service: "ssm",
        version: "2019-09-23",
        action: "GetSecretValue",
        region: regionFromEnv(),
        payload: { SecretName: secretName, VersionId: CREDENTIALS_VERSION },
        endpoint: options.endpoint ?? (process.env[SSM_ENDPOINT_VARIABLE] || undefined),
        fetch: options.fetch,
    });
    let value: Partial<TableCredentials> | undefined;
    try {
        value = JSON.parse(String(answer.SecretString ?? ""));
    } catch {
        value = undefined;
    }
    if (typeof value?.user !== "string" || typeof value.password !== "string" || value.user === "" || value.password === "") {
        throw new Error(`SSM secret ${secretName} version ${CREDENTIALS_VERSION} is not {"user","password"} JSON: was it written by the Table's deploy?`);
    }
    return { user: value.user, password: value.password };
}

const instanceCredentials = createTableCredentials();

/** The account of the Table `name`: _USER/_PASSWORD when set, else its credentials secret's. */
export async function linkedCredentials(name: string, read = instanceCredentials): Promise<TableCredentials> {
    const password = linkedSetting("table", name, "password");
    if (password) return { user: linkedValue("table", name, "user"), password };
    return read(linkedValue("table", name, "account_secret_name"));
}
