// AsyncTask on AWS. Two edges can fail, and each has its own retries and the same dead-letter queue:
//   delivery  (EventBridge -> Lambda): the target's retry policy, then the target's DLQ; the message
//             body is the original event, the error is in the message attributes;
//   execution (the handler throws):    Lambda's async retries, then the on-failure destination; the
//             message is an invocation record wrapping the event with the error and attempt count.
// `functions/runtime/redrive/aws.ts` reads both kinds and re-invokes the task with the original event.
// Rules, permissions and the invoke config name the Function's `live` alias, which is what runs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { aboveZeroAlarm } from "./above-zero-alarm";
import { ConfigError } from "../config";
import { Function } from "../function";
import type { Link } from "../link";
import type { AsyncTaskRealisation, AsyncTaskSpec } from "../provider";
import type { Statement } from "./policy";

/** The longest SQS keeps a message: two weeks to notice the alarm and redrive. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/**
 * EventBridge's own delivery retries: its maximum. A failed delivery never ran the handler (Lambda
 * was throttled or unavailable, or did not accept the event), so retrying it cannot run work twice;
 * the retries stop at the task's maxEventAge, the same limit Lambda applies to execution retries.
 */
export const DELIVERY_RETRIES = 185;

/** The realisation, plus the alias what invokes the task must name (a FileUpload's notification). */
export interface AwsAsyncTask extends AsyncTaskRealisation {
    alias: pulumi.Output<string>;
    aliasId: pulumi.Output<string>;
}

export function awsAsyncTask(parent: pulumi.Resource, spec: AsyncTaskSpec): AwsAsyncTask {
    const opts = { parent };

    // First, so that nothing can fail before there is somewhere to keep the failure.
    const dlq = new aws.sqs.Queue(`${spec.name}-dlq`, {
        sqsManagedSseEnabled: true, // SSE-SQS: encrypted, and EventBridge can write to it without a KMS key policy
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    // Lambda sends the on-failure record with the function's execution role: the link grants exactly that.
    const fn = new Function(spec.name, {
        ...spec.function,
        link: [...(spec.function.link ?? []), deadLetterLink(spec.name, dlq)],
    }, opts);

    // On the alias: Lambda applies the config of the qualifier an event was sent to.
    new aws.lambda.FunctionEventInvokeConfig(`${spec.name}-invoke-config`, {
        functionName: fn.functionName,
        qualifier: fn.alias,
        maximumRetryAttempts: spec.retries,
        maximumEventAgeInSeconds: spec.maxEventAgeSeconds,
        destinationConfig: { onFailure: { destination: dlq.arn } },
    }, opts);

    const rules: Rule[] = [];
    if (spec.subscription) {
        const hub = spec.subscription.hub;
        const busName = hub.apply((link) => busOf(spec.name, link));
        rules.push({
            name: `${spec.name}-on-hub`,
            busName,
            rule: new aws.cloudwatch.EventRule(`${spec.name}-on-hub`, {
                eventBusName: busName,
                eventPattern: JSON.stringify(spec.subscription.pattern),
                description: pulumi.interpolate`Runs task ${spec.name} for matching events on hub ${hub.name}`,
            }, opts),
        });
    }
    if (spec.schedule) {
        // A rule on the default bus rather than EventBridge Scheduler: the same target wiring as a
        // subscription (retry policy, target DLQ, permission and queue policy scoped to the rule ARN),
        // and the schedule syntax is EventBridge's UTC one either way.
        rules.push({
            name: `${spec.name}-on-schedule`,
            rule: new aws.cloudwatch.EventRule(`${spec.name}-on-schedule`, {
                scheduleExpression: spec.schedule.expression,
                description: `Runs task ${spec.name} on ${spec.schedule.expression}`,
            }, opts),
        });
    }

    const queuePolicy = new aws.sqs.QueuePolicy(`${spec.name}-dlq-policy`, {
        queueUrl: dlq.url,
        policy: deadLetterQueuePolicy(dlq.arn, rules.map((r) => r.rule.arn)),
    }, opts);

    for (const { name, rule, busName } of rules) {
        const permission = new aws.lambda.Permission(`${name}-permission`, {
            function: fn.functionName,
            qualifier: fn.alias,
            action: "lambda:InvokeFunction",
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
        }, opts);
        // After the permission and the queue policy: an early event neither fails for want of the
        // first nor is lost for want of the second.
        new aws.cloudwatch.EventTarget(`${name}-target`, {
            rule: rule.name,
            eventBusName: busName,
            targetId: "task",
            arn: fn.aliasId,
            retryPolicy: { maximumRetryAttempts: DELIVERY_RETRIES, maximumEventAgeInSeconds: spec.maxEventAgeSeconds },
            deadLetterConfig: { arn: dlq.arn },
        }, { parent, dependsOn: [permission, queuePolicy] });
    }

    // Told when dead letters arrive and when the queue is empty again (after a redrive).
    aboveZeroAlarm(parent, `${spec.name}-dlq-alarm`, {
        description: `Task ${spec.name} has dead letters: see them with \`npm run dlq -- list ${spec.name}\`, redrive after the fix`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: dlq.name },
        statistic: "Maximum",
        periodSeconds: 60,
    }, spec.alarms);

    return { functionName: fn.functionName, resourceId: fn.resourceId, deadLetterQueue: dlq.url, alias: fn.alias, aliasId: fn.aliasId };
}

interface Rule {
    name: string;
    rule: aws.cloudwatch.EventRule;
    /** Unset for the default bus (schedules). */
    busName?: pulumi.Output<string>;
}

/** Lets the task's function send its on-failure records to its own dead-letter queue, and nothing else. */
function deadLetterLink(task: string, dlq: aws.sqs.Queue): Link {
    return {
        type: "queue",
        name: `${task}-dlq`,
        environment: {},
        permissions: [{ actions: ["sqs:SendMessage"], resources: [dlq.arn] }],
    };
}

/** Only this task's rules may dead-letter into the queue through EventBridge, and only over TLS. */
function deadLetterQueuePolicy(queueArn: pulumi.Output<string>, ruleArns: pulumi.Output<string>[]): pulumi.Output<string> {
    return pulumi.all([queueArn, pulumi.all(ruleArns)]).apply(([queue, rules]) => {
        const Statement: Statement[] = [
            {
                Sid: "EventBridgeDeliveryFailures",
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: ["sqs:SendMessage"],
                Resource: [queue],
                Condition: { ArnEquals: { "aws:SourceArn": rules } },
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: ["sqs:*"],
                Resource: [queue],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ];
        return JSON.stringify({ Version: "2012-10-17", Statement });
    });
}

/** The bus a subscription's hub link names; anything but an EventHub's link is a config mistake. */
function busOf(task: string, link: pulumi.Unwrap<Link>): string {
    const busName = link.resources?.busName;
    if (link.type !== "hub" || !busName) {
        throw new ConfigError(`AsyncTask '${task}' subscribe.hub`, `${link.type} '${link.name}'`, "expected an EventHub's link (hub.link)");
    }
    return busName;
}
