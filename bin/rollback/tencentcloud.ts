// A rollback on Tencent Cloud: each function's `live` SCF alias read with GetAlias and
// ListVersionByFunction, then moved with UpdateAlias to the version alone, with an empty
// AdditionalVersionWeights list so a canary's additional version is dropped (SCF API 3.0, version
// 2018-04-16; actions and fields as tencentcloud-sdk-nodejs 4.1.313 declares them in
// services/scf/v20180416/scf_models.d.ts: UpdateAliasRequest, RoutingConfig, VersionWeight). Signed TC3-HMAC-SHA256 by
// functions/runtime/clients/tencentcloud/api3.ts with TENCENTCLOUD_SECRET_ID / _KEY;
// TENCENTCLOUD_SCF_ENDPOINT sends the calls elsewhere (default https://scf.tencentcloudapi.com/).
import { callApi3 } from "../../functions/runtime/clients/tencentcloud/api3";
import type { AliasApi } from "./cloud";

const SCF = { service: "scf", version: "2018-04-16" };
/** ListVersionByFunction's page size (its documented default is 20). */
const PAGE = 100;

export function scfAliasApi(region: string, namespace: string, endpoint = process.env.TENCENTCLOUD_SCF_ENDPOINT): AliasApi {
    const call = (action: string, payload: Record<string, unknown>) => callApi3({ ...SCF, action, region, endpoint, payload: { ...payload, Namespace: namespace } });
    return {
        async live(functionName, alias) {
            const answer = (await call("GetAlias", { FunctionName: functionName, Name: alias })) as { FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights?: { Version: string }[] } };
            return [answer.FunctionVersion, ...(answer.RoutingConfig?.AdditionalVersionWeights ?? []).map((w) => w.Version)];
        },
        async versions(functionName) {
            const versions: string[] = [];
            for (let offset = 0; ; offset += PAGE) {
                const page = (await call("ListVersionByFunction", { FunctionName: functionName, Offset: offset, Limit: PAGE, Order: "ASC", OrderBy: "AddTime" })) as {
                    Versions?: { Version: string }[];
                    TotalCount?: number;
                };
                const got = (page.Versions ?? []).map((v) => v.Version);
                versions.push(...got.filter((v) => v !== "$LATEST"));
                if (got.length < PAGE || offset + PAGE >= (page.TotalCount ?? 0)) break;
            }
            return versions;
        },
        async point(functionName, alias, version) {
            await call("UpdateAlias", { FunctionName: functionName, Name: alias, FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: [] } });
        },
    };
}
