// The rules, shared by the policy pack (index.ts, run by the Pulumi CLI) and `npm run check`
// (bin/check.ts, run against the engine's plan): one list, so both enforce the same thing.
import type { Policies } from "@pulumi/policy";
import { asyncEdgesRetryAndDeadLetter } from "./rules/async-edges";
import { privateEncryptedTlsBuckets } from "./rules/buckets";
import { corsNamedOrigins } from "./rules/cors";
import { deadLetterQueuesAlarmed } from "./rules/dead-letter-alarms";
import { noWildcardGrants } from "./rules/iam";
import { invokePermissionsScoped } from "./rules/invoke-permissions";
import { logRetention } from "./rules/log-retention";
import { statefulProtectedInProduction } from "./rules/protect";
import { routesAuthenticated } from "./rules/routes";
import { supportedRuntimes } from "./rules/runtimes";
import { noPlaintextSecrets } from "./rules/secrets";

export const PACK_NAME = "serverless-blocks";

export const policies: Policies = [
    noWildcardGrants,
    invokePermissionsScoped,
    privateEncryptedTlsBuckets,
    asyncEdgesRetryAndDeadLetter,
    logRetention,
    routesAuthenticated,
    corsNamedOrigins,
    noPlaintextSecrets,
    statefulProtectedInProduction,
    supportedRuntimes,
    deadLetterQueuesAlarmed,
];
