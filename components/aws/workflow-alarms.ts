// A PaymentWorkflow's alarms on AWS: any failed or timed-out execution is a payment that did not
// finish, told to an Alarms' topic and told again when it clears. Step Functions publishes
// execution metrics to AWS/States by StateMachineArn (Step Functions developer guide, "Metrics
// for Step Functions": execution metrics).
import { aboveZeroAlarm } from "./above-zero-alarm";
import type * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";

/** The execution metrics alarmed on, above zero in a minute. */
export const WORKFLOW_ALARM_METRICS = { ExecutionsFailed: "failed", ExecutionsTimedOut: "timed-out" } as const;

export function workflowAlarms(parent: pulumi.Resource, name: string, stateMachineArn: pulumi.Output<string>, alarms: pulumi.Output<AlarmTarget>): void {
    for (const [metricName, what] of Object.entries(WORKFLOW_ALARM_METRICS)) {
        aboveZeroAlarm(parent, `${name}-${what}-alarm`, {
            description: `Payment workflow ${name}: an execution ${what.replace("-", " ")}; find it in the Step Functions console (its name is the payment id) and its log group`,
            namespace: "AWS/States",
            metricName,
            dimensions: { StateMachineArn: stateMachineArn },
            statistic: "Sum",
            periodSeconds: 60,
        }, alarms);
    }
}
