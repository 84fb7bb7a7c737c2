// A rollback on AWS: each function's `live` alias (components/aws/function-alias.ts) read with
// GetAlias and ListVersionsByFunction, then moved with UpdateAlias to the version alone, its
// RoutingConfig cleared (an empty AdditionalVersionWeights map, which is how Lambda drops a weighted
// alias's extra version: Lambda API reference, UpdateAlias / AliasRoutingConfiguration). Credentials
// and the region as for any AWS SDK; AWS_ENDPOINT_URL_LAMBDA (the SDK's own setting) sends the calls
// elsewhere, as the tests do.
import { GetAliasCommand, LambdaClient, ListVersionsByFunctionCommand, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import type { AliasApi } from "./cloud";

export function lambdaAliasApi(region: string): AliasApi {
    const client = new LambdaClient({ region });
    return {
        async live(functionName, alias) {
            const answer = await client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
            const weights = Object.keys(answer.RoutingConfig?.AdditionalVersionWeights ?? {});
            return [answer.FunctionVersion!, ...weights];
        },
        async versions(functionName) {
            const versions: string[] = [];
            let marker: string | undefined;
            do {
                const page = await client.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
                for (const v of page.Versions ?? []) if (v.Version && v.Version !== "$LATEST") versions.push(v.Version);
                marker = page.NextMarker;
            } while (marker);
            return versions;
        },
        async point(functionName, alias, version) {
            await client.send(new UpdateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: {} } }));
        },
    };
}
