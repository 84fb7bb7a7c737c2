// Function on AWS: a Lambda (arm64, current Node.js) with its own role, a least-privilege
// inline policy built from its links, and a log group with retention. Every change publishes an
// immutable version, and callers invoke the `live` alias (./function-alias.ts), never the
// function itself: its invoke permission names the alias only. Active X-Ray tracing; alarms on
// the alias's errors and throttles when the spec names an Alarms (./function-alarms.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FunctionRealisation, FunctionSpec } from "../provider";
import { functionAlarms } from "./function-alarms";
import { liveAlias } from "./function-alias";
import { assumeRoleBy, policyDocument, XRAY_WRITE_ACTIONS } from "./policy";

/**
 * The Lambda runtime: the newest Node.js one that both AWS documents and @pulumi/aws accepts.
 * - AWS: Lambda Developer Guide, "Lambda runtimes" (Node.js 24, `nodejs24.x`, on Amazon Linux 2023).
 * - @pulumi/aws 7.48.0: types/enums/lambda `Runtime` (NodeJS24dX is its newest Node.js value).
 * test/unit/runtimes.test.ts holds it to test/fixtures/function-runtimes.json and to that enum.
 */
export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS24dX;
/** The Lambda Node.js runtimes ship AWS SDK v3; bundling it again only adds cold-start time. */
const RUNTIME_SHIPS = ["@aws-sdk/*", "@smithy/*"];

export function awsFunction(parent: pulumi.Resource, spec: FunctionSpec): FunctionRealisation {
    const opts = { parent };
    const code = spec.code.bundle({ module: "aws", exportName: "toLambda" }, RUNTIME_SHIPS);

    const logGroup = new aws.cloudwatch.LogGroup(`${spec.name}-logs`, {
        name: `/serverless-blocks/${pulumi.getStack()}/${spec.name}`,
        retentionInDays: spec.logRetentionDays,
    }, opts);
    const role = new aws.iam.Role(`${spec.name}-role`, {
        assumeRolePolicy: assumeRoleBy("lambda.amazonaws.com"),
        description: `Execution role of function ${spec.name}`,
    }, opts);
    const policy = new aws.iam.RolePolicy(`${spec.name}-policy`, {
        role: role.name,
        policy: policyDocument(pulumi.all([logGroup.arn, spec.permissions]).apply(([logGroupArn, linked]) => [
            { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logGroupArn}:*`] },
            { actions: XRAY_WRITE_ACTIONS, resources: ["*"] },
            ...linked,
        ])),
    }, opts);
    const fn = new aws.lambda.Function(spec.name, {
        role: role.arn,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code: code.apply((b) => new pulumi.asset.FileArchive(b.zipPath)),
        sourceCodeHash: code.sha256,
        memorySize: spec.memory,
        timeout: spec.timeout,
        description: spec.description,
        environment: { variables: spec.environment.apply((vars) => ({ NODE_OPTIONS: "--enable-source-maps", ...vars })) },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        tracingConfig: { mode: "Active" },
        publish: true,
    }, { parent, dependsOn: [policy, logGroup] });
    const alias = liveAlias(parent, spec.name, fn, spec.release);
    if (spec.alarms) functionAlarms(parent, spec.name, fn.name, alias.name, spec.alarms);

    return {
        functionName: fn.name,
        resourceId: fn.arn,
        // The alias's ARN (the function's, qualified): invoking the bare function is not allowed.
        invokePermission: { actions: ["lambda:InvokeFunction"], resources: [alias.arn] },
        alias: { name: spec.release.alias, id: alias.arn },
    };
}
