// An Auth's secret on AWS: Secrets Manager GetSecretValue of the ARN the link gives, with the
// function role's credentials (the link grants secretsmanager:GetSecretValue on exactly it).
// Lambda ships the SDK, so the bundle leaves @aws-sdk/* out.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { AuthSecretStore } from "../auth-secret";

let shared: SecretsManagerClient | undefined;

export function createAwsAuthSecretStore(client: () => SecretsManagerClient = () => (shared ??= new SecretsManagerClient({}))): AuthSecretStore {
    return {
        async read(location) {
            const answer = await client().send(new GetSecretValueCommand({ SecretId: location.id }));
            if (answer.SecretString !== undefined) return answer.SecretString;
            if (answer.SecretBinary !== undefined) return Buffer.from(answer.SecretBinary).toString("utf8");
            throw new Error(`secret ${location.id} has no value`);
        },
    };
}

export const awsAuthSecretStore = createAwsAuthSecretStore();
