// An Auth's secret on Tencent Cloud: SSM GetSecretValue (ssm 2019-09-23,
// cloud.tencent.com/document/api/1140/40522: SecretName and VersionId, both required; answers
// SecretString, or SecretBinary in base64), signed with the function role's keys through api3.ts
// (no tencentcloud-sdk-nodejs in the bundle: api3.ts says why). The link names the secret and
// the version it wrote; without a version the newest one is read (ListSecretVersionIds,
// cloud.tencent.com/document/api/1140/40520), which needs that action too.
import type { AuthSecretLocation, AuthSecretStore } from "../auth-secret";
import { callApi3 } from "./api3";
import { regionFromEnv } from "./credentials";

const SSM = { service: "ssm", version: "2019-09-23" } as const;

export interface TencentAuthSecretOptions {
    /** Default https://ssm.tencentcloudapi.com/. */
    endpoint?: string;
    fetch?: typeof fetch;
}

export function createTencentAuthSecretStore(options: TencentAuthSecretOptions = {}): AuthSecretStore {
    const call = (location: AuthSecretLocation, action: string, payload: Record<string, unknown>) =>
        callApi3({ ...SSM, action, region: regionFromEnv(location.region), payload, endpoint: options.endpoint, fetch: options.fetch });
    return {
        async read(location) {
            const versionId = location.version ?? (await newestVersion(location));
            const answer = await call(location, "GetSecretValue", { SecretName: location.id, VersionId: versionId });
            if (typeof answer.SecretString === "string" && answer.SecretString !== "") return answer.SecretString;
            if (typeof answer.SecretBinary === "string" && answer.SecretBinary !== "") return Buffer.from(answer.SecretBinary, "base64").toString("utf8");
            throw new Error(`SSM secret ${location.id} version ${versionId} has no value`);
        },
    };

    async function newestVersion(location: AuthSecretLocation): Promise<string> {
        const answer = await call(location, "ListSecretVersionIds", { SecretName: location.id });
        const versions = (answer.Versions ?? []) as { VersionId: string; CreateTime?: number }[];
        const newest = [...versions].sort((a, b) => (b.CreateTime ?? 0) - (a.CreateTime ?? 0))[0];
        if (!newest) throw new Error(`SSM secret ${location.id} has no version`);
        return newest.VersionId;
    }
}

export const tencentAuthSecretStore = createTencentAuthSecretStore();
