// The credentials and region Tencent Cloud API clients use inside an SCF function. SCF hands the
// execution role's temporary keys to the function in TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY
// and TENCENTCLOUD_SESSIONTOKEN, and its region in TENCENTCLOUD_REGION; outside SCF (a redrive run
// by an operator) the same variables, set by hand, work too. Clients read them on every request
// (a DynamicCredential), so keys SCF rotates on a warm instance are picked up.
import type { DynamicCredential } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";

export interface TencentCredential {
    secretId: string;
    secretKey: string;
    token?: string;
}

/**
 * The role's keys, or an operator's: SCF's variables first, then the ones the Terraform provider
 * (and so `pulumi up`) reads, TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SECURITY_TOKEN. Throws
 * naming the variables when neither pair is set.
 */
export function credentialFromEnv(env: NodeJS.ProcessEnv = process.env): TencentCredential {
    const secretId = env.TENCENTCLOUD_SECRETID || env.TENCENTCLOUD_SECRET_ID;
    const secretKey = env.TENCENTCLOUD_SECRETKEY || env.TENCENTCLOUD_SECRET_KEY;
    if (!secretId || !secretKey) {
        throw new Error("no Tencent Cloud keys: SCF sets TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY from the function's role; elsewhere set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY");
    }
    return { secretId, secretKey, token: env.TENCENTCLOUD_SESSIONTOKEN || env.TENCENTCLOUD_SECURITY_TOKEN || undefined };
}

/** The region to call: `preferred`, else the function's own. */
export function regionFromEnv(preferred?: string, env: NodeJS.ProcessEnv = process.env): string {
    const region = preferred || env.TENCENTCLOUD_REGION;
    if (!region) throw new Error("no Tencent Cloud region: TENCENTCLOUD_REGION is not set (SCF sets it); pass a region explicitly elsewhere");
    return region;
}

/** For tencentcloud-sdk-nodejs clients: the keys in the environment at the time of each request. */
export const environmentCredential: DynamicCredential = {
    getCredential: async () => credentialFromEnv(),
};
