// A function's alarms: errors and throttles of its `live` alias, told to an Alarms' topic and
// told again when they clear. Lambda publishes per-alias metrics under the dimensions
// FunctionName and Resource `<function>:<alias>` (Lambda Developer Guide, "Types of metrics for
// Lambda functions": dimensions).
import * as pulumi from "@pulumi/pulumi";
import { aboveZeroAlarm } from "./above-zero-alarm";
import type { AlarmTarget } from "../alarms";

/** Five-minute windows: one failed invocation is worth hearing of, not once a minute. */
export const FUNCTION_ALARM_PERIOD_SECONDS = 300;

/** Errors (the handler threw, timed out or ran out of memory) and throttles (no concurrency left) above zero. */
export function functionAlarms(
    parent: pulumi.Resource,
    name: string,
    functionName: pulumi.Output<string>,
    alias: pulumi.Output<string>,
    alarms: pulumi.Output<AlarmTarget>,
): void {
    const dimensions = { FunctionName: functionName, Resource: pulumi.interpolate`${functionName}:${alias}` };
    for (const [metricName, what] of [["Errors", "invocations failed"], ["Throttles", "invocations were throttled"]] as const) {
        aboveZeroAlarm(parent, `${name}-${metricName.toLowerCase()}-alarm`, {
            description: `Function ${name}: ${what} (its live alias); see its logs`,
            namespace: "AWS/Lambda",
            metricName,
            dimensions,
            statistic: "Sum",
            periodSeconds: FUNCTION_ALARM_PERIOD_SECONDS,
        }, alarms);
    }
}
