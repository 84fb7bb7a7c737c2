// One Cloud Monitor alarm policy on one metric of one object, telling an Alarms' notice: policy
// type (`namespace`), one rule, the object chosen by an AlarmPolicyFilter of dimensions (a JSON
// two-dimensional array, OR of ANDs; here one AND of `eq` conditions), `noticeIds`. Dead letters
// (./dead-letter-alarm.ts), functions (./function-alarms.ts) and APIs (./api-alarms.ts) use it.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";
import { MonitorAlarmPolicy } from "./sdk";

export interface MetricAlarm {
    /** Cloud Monitor's policy type, e.g. `scf_v2`. */
    namespace: string;
    metricName: string;
    /** Statistic period, seconds. */
    period: number;
    operator: "gt" | "ge";
    value: number;
    /** Consecutive periods the condition holds before the alarm fires. */
    continuePeriod: number;
}

export function metricAlarm(
    parent: pulumi.Resource,
    name: string,
    alarm: MetricAlarm,
    on: { policyName: pulumi.Input<string>; remark: string; dimensions: pulumi.Input<Record<string, string>> },
    alarms: pulumi.Output<AlarmTarget>,
): MonitorAlarmPolicy {
    return new MonitorAlarmPolicy(name, {
        policyName: on.policyName,
        remark: on.remark,
        monitorType: "MT_QCE",
        namespace: alarm.namespace,
        enable: 1,
        conditions: {
            isUnionRule: 0,
            rules: [{
                metricName: alarm.metricName,
                period: alarm.period,
                operator: alarm.operator,
                value: String(alarm.value),
                continuePeriod: alarm.continuePeriod,
                // Reminded hourly while the condition holds.
                noticeFrequency: 3600,
                isPowerNotice: 0,
            }],
        },
        filter: {
            type: "DIMENSION",
            dimensions: pulumi.output(on.dimensions).apply((dims) => JSON.stringify([Object.entries(dims).map(([Key, value]) => ({ Key, Operator: "eq", Value: [value] }))])),
        },
        noticeIds: [alarms.id],
    }, { parent });
}
