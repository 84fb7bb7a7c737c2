// The dead-letter alarm on Tencent Cloud: a Cloud Monitor alarm policy on the task's TDMQ CMQ
// queue that tells the Alarms' notice as soon as a message is visible there.
// Policy type `tdmq_cmq_queue` (namespace QCE/TDMQ, "cmq-queue", in Cloud Monitor's policy type
// list) and metric `VisibleMsgNum` (CMQ's visible messages, dimensions queueId and queueName, in
// Cloud Monitor's CMQ metrics) come from the documentation; not tried against a live account.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";
import { metricAlarm, type MetricAlarm } from "./metric-alarm";
import type { MonitorAlarmPolicy } from "./sdk";

/** As soon as a message is visible, reminded hourly while dead letters wait. */
export const DEAD_LETTER_ALARM: MetricAlarm = { namespace: "tdmq_cmq_queue", metricName: "VisibleMsgNum", period: 60, operator: "gt", value: 0, continuePeriod: 1 };

export function deadLetterAlarm(parent: pulumi.Resource, task: string, queueName: pulumi.Input<string>, alarms: pulumi.Output<AlarmTarget>): MonitorAlarmPolicy {
    return metricAlarm(parent, `${task}-dlq-alarm`, DEAD_LETTER_ALARM, {
        policyName: pulumi.interpolate`${queueName} has dead letters`,
        remark: `Task ${task} has dead letters: see them with \`npm run dlq -- list ${task}\`, redrive after the fix`,
        // This queue only.
        dimensions: pulumi.output(queueName).apply((name) => ({ queueName: name })),
    }, alarms);
}
