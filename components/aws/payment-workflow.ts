// PaymentWorkflow on AWS: a STANDARD Step Functions state machine (exactly-once state
// transitions, executions up to a year, names unique for 90 days: the payment id). Its role may
// invoke exactly the workflow's task functions; it logs every state transition without execution
// data (no payment details in the logs) to a log group with retention, and traces with X-Ray.
// Linked functions may start executions of this state machine and read them; in callback mode
// the callback may resume this state machine's waits. The definition is components/payment's.
// Its tasks invoke each function's `live` alias (the role may invoke those ARNs only). Given an
// Alarms: alarms on failed and timed-out executions (./workflow-alarms.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Link } from "../link";
import { paymentDefinition, taskRoles, type DefinitionTarget, type TaskRole } from "../payment/definition";
import type { PaymentWorkflowRealisation, PaymentWorkflowSpec } from "../provider";
import { assumeRoleBy, type Statement } from "./policy";
import { workflowAlarms } from "./workflow-alarms";

/**
 * Lambda's own invoke errors worth retrying, as AWS's guidance for Lambda tasks lists them: the
 * function did not run (or its result was lost), so a retry is safe for idempotent tasks.
 */
export const LAMBDA_SERVICE_ERRORS = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"];

/**
 * What Step Functions needs to deliver its logs (the vended-logs delivery API) and traces. Neither
 * service supports resource-level permissions for these actions, so `*` is the only resource
 * IAM accepts (Step Functions developer guide, "IAM policies for logging to CloudWatch Logs" and
 * "IAM policies for using AWS X-Ray"); they grant delivery set-up and trace upload, no data.
 */
export const LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
];
export const TRACING_ACTIONS = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"];

export function awsPaymentWorkflow(parent: pulumi.Resource, spec: PaymentWorkflowSpec): PaymentWorkflowRealisation {
    const opts = { parent };
    const roles = taskRoles(spec.definition);
    // The alias ARNs: a qualified ARN is what a task's Resource and the role's grant must both name.
    const arns = pulumi.all(Object.fromEntries(roles.map((role) => [role, taskOf(spec, role).aliasId]))) as pulumi.Output<Record<TaskRole, string>>;

    // Under /aws/vendedlogs/: the resource policy Step Functions adds to let its log delivery write
    // covers that prefix once, instead of growing with every log group (a policy is limited to 5120 characters).
    const logGroup = new aws.cloudwatch.LogGroup(`${spec.name}-logs`, {
        name: `/aws/vendedlogs/states/serverless-blocks/${pulumi.getStack()}/${spec.name}`,
        retentionInDays: spec.logRetentionDays,
    }, opts);
    const role = new aws.iam.Role(`${spec.name}-role`, {
        assumeRolePolicy: assumeRoleBy("states.amazonaws.com"),
        description: `Execution role of payment workflow ${spec.name}`,
    }, opts);
    const policy = new aws.iam.RolePolicy(`${spec.name}-policy`, {
        role: role.name,
        policy: arns.apply((byRole) => stateMachinePolicy(roles.map((r) => byRole[r]))),
    }, opts);

    // Created after its policy: Step Functions checks at creation that the role may deliver logs.
    const machine = new aws.sfn.StateMachine(spec.name, {
        type: "STANDARD",
        roleArn: role.arn,
        definition: arns.apply((byRole) => JSON.stringify(paymentDefinition(spec.definition, awsTarget(byRole)))),
        // ALL: every state transition is logged, so a payment's path can be followed; never its data.
        loggingConfiguration: { level: "ALL", includeExecutionData: false, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
        tracingConfiguration: { enabled: true },
    }, { parent, dependsOn: [policy] });
    if (spec.alarms) workflowAlarms(parent, spec.name, machine.arn, spec.alarms);

    spec.links({
        workflowId: machine.arn,
        start: [
            { actions: ["states:StartExecution"], resources: [machine.arn] },
            { actions: ["states:DescribeExecution"], resources: [pulumi.all([machine.arn, machine.name]).apply(([arn, name]) => executionsOf(arn, name))] },
        ],
        read: [{ actions: ["dynamodb:GetItem"], resources: [spec.table.apply((link) => pulumi.output(tableArnOf(link)))] }],
        // The callback only ever completes a wait (a failed payment is a completed wait whose check reads "failed").
        resume: spec.definition.waitForCallback ? [{ actions: ["states:SendTaskSuccess"], resources: [machine.arn] }] : [],
    });
    return { resourceId: machine.arn };
}

/** How the definition's states reach Lambda: a task's Resource is its function's alias ARN (its result is the function's). */
export function awsTarget(arns: Record<TaskRole, string>): DefinitionTarget {
    const arn = (role: TaskRole) => {
        const found = arns[role];
        if (!found) throw new Error(`the payment workflow has no ${role} function`);
        return found;
    };
    return {
        resource: arn,
        serviceErrors: LAMBDA_SERVICE_ERRORS,
        waitForToken: (role, payload) => ({
            Resource: `arn:${arn(role).split(":")[1]}:states:::lambda:invoke.waitForTaskToken`,
            Parameters: { FunctionName: arn(role), Payload: payload },
        }),
    };
}

/** Invoke exactly these functions; deliver logs and traces (which take no resource but `*`). */
function stateMachinePolicy(functionArns: string[]): string {
    const Statement: Statement[] = [
        { Sid: "InvokeTasks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [...new Set(functionArns)].sort() },
        { Sid: "DeliverLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: ["*"] },
        { Sid: "Trace", Effect: "Allow", Action: TRACING_ACTIONS, Resource: ["*"] },
    ];
    return JSON.stringify({ Version: "2012-10-17", Statement });
}

/**
 * Every execution of a state machine, for DescribeExecution, from its ARN's partition, region and
 * account and its name: arn:<partition>:states:<region>:<account>:execution:<name>:*.
 */
export function executionsOf(stateMachineArn: string, name: string): string {
    const [, partition, , region, account] = stateMachineArn.split(":");
    return `arn:${partition}:states:${region}:${account}:execution:${name}:*`;
}

function taskOf(spec: PaymentWorkflowSpec, role: TaskRole) {
    const task = spec.tasks[role];
    if (!task) throw new Error(`PaymentWorkflow '${spec.name}': the component made no ${role} function, which the definition runs`);
    return task;
}

function tableArnOf(link: Link): pulumi.Input<string> {
    const arn = link.resources?.tableArn;
    if (!arn) throw new Error(`the payments table link names no tableArn (got ${link.type} '${link.name}')`);
    return arn;
}
