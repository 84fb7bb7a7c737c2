// A BusinessApi's alarms on Tencent Cloud: Cloud Monitor alarm policies on its API Gateway service's
// release environment, telling the Alarms' notice.
//
// Metrics: namespace QCE/APIGATEWAY, dimensions `serviceId` and `environmentName` (Cloud Monitor's
// API Gateway metrics page, "API 网关监控指标"). What it offers for errors is counts, not rates:
// `ServerError` counts every backend answer of 400 or more (a route's own 404s and 403s too), so
// the 5xx alarm watches `Serviceservererror502`, the backend's invalid answers: a route function
// that failed or timed out. Per-minute counts stand in for AWS's 5xx rate; each route function's
// own Error alarm (./function-alarms.ts) fires on its first failure, this one when failures persist.
// `ResponseTime` is the gateway's average response time in ms.
// Policy type `apigateway` follows the documentation's naming; not tried against a live account.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";
import { metricAlarm, type MetricAlarm } from "./metric-alarm";

/** Backend failures in each of 3 consecutive minutes. */
export const API_5XX_ALARM: MetricAlarm = { namespace: "apigateway", metricName: "Serviceservererror502", period: 60, operator: "gt", value: 0, continuePeriod: 3 };
/** Average response time above 3 s for 5 consecutive minutes (a route's default timeout is 10 s). */
export const API_LATENCY_ALARM: MetricAlarm = { namespace: "apigateway", metricName: "ResponseTime", period: 60, operator: "gt", value: 3000, continuePeriod: 5 };

export function apiAlarms(parent: pulumi.Resource, api: string, serviceId: pulumi.Output<string>, environmentName: string, alarms: pulumi.Output<AlarmTarget>): void {
    const dimensions = serviceId.apply((id) => ({ serviceId: id, environmentName }));
    metricAlarm(parent, `${api}-5xx-alarm`, API_5XX_ALARM, {
        policyName: pulumi.interpolate`API ${api} (${serviceId}) answers 5xx`,
        remark: `BusinessApi ${api}: route functions keep failing or timing out (502 from the backend); see their error alarms and logs`,
        dimensions,
    }, alarms);
    metricAlarm(parent, `${api}-latency-alarm`, API_LATENCY_ALARM, {
        policyName: pulumi.interpolate`API ${api} (${serviceId}) is slow`,
        remark: `BusinessApi ${api}: average response time above ${API_LATENCY_ALARM.value} ms for ${API_LATENCY_ALARM.continuePeriod} minutes`,
        dimensions,
    }, alarms);
}
