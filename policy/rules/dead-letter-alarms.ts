// A dead letter is an event the app gave up on: somebody has to hear about it. Every dead-letter
// queue has an alarm on its depth, and the alarm notifies someone (an action / a notice template).
//   AWS: a CloudWatch MetricAlarm on AWS/SQS for the queue (dimension QueueName) with alarmActions.
//   Tencent: a Cloud Monitor alarm policy bound to the CMQ queue with noticeIds.
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { asArray, AWS, ENV, environmentOf, ofTypes, parseDocument, refersTo, TENCENT, violation } from "./support";

/** The SQS queues that receive what failed elsewhere. */
function awsDeadLetterQueues(resources: PolicyResource[]): PolicyResource[] {
    const arns = new Set<string>();
    for (const t of ofTypes(resources, AWS.eventTarget)) if (t.props.deadLetterConfig?.arn) arns.add(t.props.deadLetterConfig.arn);
    for (const c of ofTypes(resources, AWS.invokeConfig)) if (c.props.destinationConfig?.onFailure?.destination) arns.add(c.props.destinationConfig.onFailure.destination);
    for (const f of ofTypes(resources, AWS.lambda)) if (f.props.deadLetterConfig?.targetArn) arns.add(f.props.deadLetterConfig.targetArn);
    for (const q of ofTypes(resources, AWS.queue)) {
        const target = parseDocument(q.props.redrivePolicy)?.deadLetterTargetArn;
        if (typeof target === "string") arns.add(target);
    }
    return ofTypes(resources, AWS.queue).filter((q) => [...arns].some((arn) => refersTo(arn, q, ["arn"])));
}

/** The queue names a CloudWatch alarm watches, directly or in a metric query. */
function queuesWatchedBy(alarm: PolicyResource): string[] {
    const metrics = [alarm.props, ...asArray<any>(alarm.props.metricQueries).map((q) => q?.metric).filter(Boolean)];
    return metrics.filter((m) => m.namespace === "AWS/SQS").map((m) => m.dimensions?.QueueName).filter((n): n is string => typeof n === "string");
}

function checkAws(resources: PolicyResource[], report: ReportViolation): void {
    const alarms = ofTypes(resources, AWS.metricAlarm);
    for (const queue of awsDeadLetterQueues(resources)) {
        const watching = alarms.filter((a) => queuesWatchedBy(a).includes(queue.props.name));
        if (watching.length === 0) {
            report(violation(`dead-letter queue ${queue.name} has no alarm`, "add an aws.cloudwatch.MetricAlarm on AWS/SQS ApproximateNumberOfMessagesVisible > 0 for it, with alarmActions"), queue.urn);
            continue;
        }
        for (const alarm of watching) {
            if (asArray(alarm.props.alarmActions).length === 0) {
                report(violation(`alarm ${alarm.name} on dead-letter queue ${queue.name} notifies nobody (no alarmActions)`, "set alarmActions to an SNS topic that reaches the on-call (email, chat, pager)"), alarm.urn);
            }
        }
    }
}

function checkTencent(resources: PolicyResource[], report: ReportViolation): void {
    const queueNames = new Set(ofTypes(resources, TENCENT.scfFunction).map((fn) => environmentOf(fn)[ENV.deadLetterQueue]).filter((n): n is string => typeof n === "string"));
    const policies = ofTypes(resources, TENCENT.alarmPolicy);
    const bindings = ofTypes(resources, TENCENT.alarmBinding);
    for (const queue of ofTypes(resources, TENCENT.queue)) {
        const name = queue.props.queueName;
        if (!queueNames.has(name)) continue;
        // A policy watches the queue when it, or an object binding of it, names the queue.
        const mentions = (r: PolicyResource) => JSON.stringify(r.props).includes(JSON.stringify(name).slice(1, -1));
        const watching = [
            ...policies.filter(mentions),
            ...bindings.filter(mentions).flatMap((b) => policies.filter((p) => refersTo(b.props.policyId, p, ["id", "policyId"]))),
        ];
        if (watching.length === 0) {
            report(violation(`dead-letter queue ${queue.name} (${name}) has no alarm`, "add a tencentcloud.MonitorAlarmPolicy on the CMQ queue's message count (> 0) bound to it, with noticeIds"), queue.urn);
            continue;
        }
        for (const policy of new Set(watching)) {
            if (asArray(policy.props.noticeIds).length === 0) {
                report(violation(`alarm policy ${policy.name} on dead-letter queue ${name} notifies nobody (no noticeIds)`, "set noticeIds to a notification template that reaches the on-call"), policy.urn);
            }
        }
    }
}

export const deadLetterQueuesAlarmed: StackValidationPolicy = {
    name: "dead-letter-queues-alarmed",
    description: "Every dead-letter queue has an alarm on its depth, and the alarm notifies someone.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        checkAws(args.resources, reportViolation);
        checkTencent(args.resources, reportViolation);
    },
};
