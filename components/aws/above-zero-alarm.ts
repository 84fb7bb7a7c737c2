// The alarm most of ours are: a metric above zero in one period means something needs a look
// (a failed invocation, a throttle, a dead letter, a failed execution). No data is no trouble;
// the Alarms' topic hears when it fires and again when it clears.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";

export interface AboveZero {
    /** What to do about it, shown in the alarm's message. */
    description: pulumi.Input<string>;
    namespace: string;
    metricName: string;
    dimensions: { [name: string]: pulumi.Input<string> };
    statistic: "Sum" | "Maximum";
    periodSeconds: number;
}

/** Without `alarms` the alarm still exists (the console shows it) but tells no one; the policy pack refuses that for dead letters. */
export function aboveZeroAlarm(parent: pulumi.Resource, name: string, metric: AboveZero, alarms: pulumi.Output<AlarmTarget> | undefined): aws.cloudwatch.MetricAlarm {
    const actions = alarms ? [alarms.id] : [];
    return new aws.cloudwatch.MetricAlarm(name, {
        alarmDescription: metric.description,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        statistic: metric.statistic,
        period: metric.periodSeconds,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
    }, { parent });
}
