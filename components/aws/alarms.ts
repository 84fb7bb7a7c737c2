// Alarms on AWS: an SNS topic that CloudWatch alarms publish to, with the configured email and
// webhook subscribed. Not KMS-encrypted: CloudWatch cannot publish to a topic under the
// AWS-managed SNS key, and an alarm message holds no user data (the alarm, its state, its metric).
// The topic's default access policy lets this account's CloudWatch alarms publish.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmsRealisation, AlarmsSpec } from "../provider";

export function awsAlarms(parent: pulumi.Resource, spec: AlarmsSpec): AlarmsRealisation {
    const topic = new aws.sns.Topic(`${spec.name}-alarms`, {
        displayName: `Alarms of ${spec.name}`,
    }, { parent });
    // Each subscription must be confirmed by its endpoint (SNS sends the link) before alarms arrive.
    if (spec.email) {
        new aws.sns.TopicSubscription(`${spec.name}-email`, { topic: topic.arn, protocol: "email", endpoint: spec.email }, { parent });
    }
    if (spec.webhookUrl) {
        new aws.sns.TopicSubscription(`${spec.name}-webhook`, { topic: topic.arn, protocol: "https", endpoint: spec.webhookUrl }, { parent });
    }
    return { target: topic.arn.apply((id) => ({ id })) };
}
