// The dead-letter alarm on Tencent Cloud: a Cloud Monitor alarm policy on the task's TDMQ CMQ
// queue that tells the Alarms' notice as soon as a message is visible there.
// Policy type `tdmq_cmq_queue` (namespace QCE/TDMQ, "cmq-queue", in Cloud Monitor's policy type
// list) and metric `VisibleMsgNum` (CMQ's visible messages, dimensions queueId and queueName, in
// Cloud Monitor's CMQ metrics) come from the documentation; not tried against a live account.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";
import { MonitorAlarmPolicy } from "./sdk";

export const DEAD_LETTER_ALARM = { monitorType: "MT_QCE", namespace: "tdmq_cmq_queue", metricName: "VisibleMsgNum" } as const;

export function deadLetterAlarm(parent: pulumi.Resource, task: string, queueName: pulumi.Input<string>, alarms: pulumi.Output<AlarmTarget>): MonitorAlarmPolicy {
    return new MonitorAlarmPolicy(`${task}-dlq-alarm`, {
        policyName: pulumi.interpolate`${queueName} has dead letters`,
        remark: `Task ${task} has dead letters: see them with \`npm run dlq -- list ${task}\`, redrive after the fix`,
        monitorType: DEAD_LETTER_ALARM.monitorType,
        namespace: DEAD_LETTER_ALARM.namespace,
        enable: 1,
        conditions: {
            isUnionRule: 0,
            rules: [{
                metricName: DEAD_LETTER_ALARM.metricName,
                period: 60,
                operator: "gt",
                value: "0",
                continuePeriod: 1,
                // Reminded hourly while dead letters wait.
                noticeFrequency: 3600,
                isPowerNotice: 0,
            }],
        },
        // This queue only: AlarmPolicyFilter's dimensions are a JSON two-dimensional array (OR of ANDs).
        filter: {
            type: "DIMENSION",
            dimensions: pulumi.output(queueName).apply((name) => JSON.stringify([[{ Key: "queueName", Operator: "eq", Value: [name] }]])),
        },
        noticeIds: [alarms.id],
    }, { parent });
}
