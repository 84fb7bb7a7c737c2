// A function's alarms on Tencent Cloud: Cloud Monitor alarm policies on its errors and its
// throttled invocations, telling the Alarms' notice.
//
// Metrics: namespace QCE/SCF_V2, `Error` (failed invocations: function and platform errors) and
// `Throttle` (throttled invocations), summed per period, dimension `functionName` (Cloud Monitor's
// SCF metrics page, "云函数监控指标": tencentyun/intlcloud-documents, yehe_doc/管理工具/云监控/云产品指标/). Every
// function of this project is in the `default` namespace, so the function's name picks it; all its
// versions count, so a canary's errors alarm too.
// Policy type `scf_v2` (the namespace's lower-cased product part, as `tdmq_cmq_queue` is for the
// dead-letter queues) follows the documentation's naming; not tried against a live account.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";
import { metricAlarm, type MetricAlarm } from "./metric-alarm";

const SCF = { namespace: "scf_v2", period: 60, operator: "gt", value: 0, continuePeriod: 1 } as const;
/** Any failed invocation in a minute. */
export const FUNCTION_ERRORS_ALARM: MetricAlarm = { ...SCF, metricName: "Error" };
/** Any throttled invocation in a minute: the function's concurrency is exhausted. */
export const FUNCTION_THROTTLES_ALARM: MetricAlarm = { ...SCF, metricName: "Throttle" };

export function functionAlarms(parent: pulumi.Resource, fn: string, functionName: pulumi.Output<string>, alarms: pulumi.Output<AlarmTarget>): void {
    const dimensions = functionName.apply((name) => ({ functionName: name }));
    metricAlarm(parent, `${fn}-errors-alarm`, FUNCTION_ERRORS_ALARM, {
        policyName: pulumi.interpolate`${functionName} fails`,
        remark: `Function ${fn} failed invocations: see its CLS topic ${fn}`,
        dimensions,
    }, alarms);
    metricAlarm(parent, `${fn}-throttles-alarm`, FUNCTION_THROTTLES_ALARM, {
        policyName: pulumi.interpolate`${functionName} is throttled`,
        remark: `Function ${fn} invocations were throttled: its concurrency quota is exhausted`,
        dimensions,
    }, alarms);
}
