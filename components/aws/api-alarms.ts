// A BusinessApi's alarms on AWS: its share of 5xx answers and its p95 latency, told to an Alarms'
// topic and told again when they clear. HTTP APIs publish `5xx`, `Count` and `Latency` to
// AWS/ApiGateway by ApiId (and Stage, Route); the API has one stage, `$default`, so the API's
// metrics are the stage's (API Gateway developer guide, "Monitor CloudWatch metrics for HTTP APIs").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "../alarms";

/** Over this share of answers being 5xx (the function failed, timed out, or could not be invoked) is an outage. */
export const API_5XX_RATE_THRESHOLD = 0.05;
/**
 * p95 latency above this (ms) is a slow API for its users. A fixed bound rather than one from the
 * route timeouts: those (up to API Gateway's 30 s) mark a failure, which the 5xx alarm hears of
 * (a timed-out integration answers 503/504); 2 s is already slow for an interactive call.
 */
export const API_P95_LATENCY_MS = 2000;
/** One-minute data, alarming when 3 of the last 5 minutes breach: a lone slow or failed minute is not paged. */
const PERIOD_SECONDS = 60;
const EVALUATION = { evaluationPeriods: 5, datapointsToAlarm: 3 };

export function apiAlarms(parent: pulumi.Resource, name: string, apiId: pulumi.Output<string>, alarms: pulumi.Output<AlarmTarget>): void {
    const opts = { parent };
    const actions = [alarms.id];
    const dimensions = { ApiId: apiId };
    const metric = (metricName: string) => ({ namespace: "AWS/ApiGateway", metricName, dimensions, period: PERIOD_SECONDS, stat: "Sum" });

    // The rate as metric math (5xx / Count): the HTTP API documentation gives `5xx` as a count
    // only, not (as for REST APIs' 5XXError) its Average as the rate. A minute without requests has
    // no rate, and no data is not an outage.
    new aws.cloudwatch.MetricAlarm(`${name}-5xx-alarm`, {
        alarmDescription: `API ${name}: more than ${API_5XX_RATE_THRESHOLD * 100}% of requests answered 5xx; see the access logs and the route functions' logs`,
        metricQueries: [
            { id: "errors", metric: metric("5xx"), returnData: false },
            { id: "requests", metric: metric("Count"), returnData: false },
            { id: "rate", expression: "errors / requests", label: "Share of requests answered 5xx", returnData: true },
        ],
        ...EVALUATION,
        threshold: API_5XX_RATE_THRESHOLD,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
    }, opts);

    new aws.cloudwatch.MetricAlarm(`${name}-latency-alarm`, {
        alarmDescription: `API ${name}: p95 latency above ${API_P95_LATENCY_MS} ms; see the route functions' traces (X-Ray) and logs`,
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions,
        extendedStatistic: "p95",
        period: PERIOD_SECONDS,
        ...EVALUATION,
        threshold: API_P95_LATENCY_MS,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: actions,
        okActions: actions,
    }, opts);
}
