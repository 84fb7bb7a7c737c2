// EventHub on AWS: a custom EventBridge bus, and an archive of every event on it for replay after
// a bug fix. Publishers get `events:PutEvents` on exactly this bus; subscribers (AsyncTask) read
// the bus's name and ARN from the link's `resources`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { linkVariable, type Link } from "../link";
import type { EventHubRealisation, EventHubSpec } from "../provider";

export function awsEventHub(parent: pulumi.Resource, spec: EventHubSpec): EventHubRealisation {
    // The bus and its archive hold the app's events: prod keeps them even if the stack goes.
    const stateful = { parent, protect: spec.protect, retainOnDelete: spec.protect };

    // EventBridge encrypts events at rest with an AWS owned key by default; a customer managed
    // key would also need a bus dead-letter queue and key policies for every consumer.
    const bus = new aws.cloudwatch.EventBus(spec.name, {
        description: `Event hub ${spec.name}`,
    }, stateful);

    // EventBridge reads retention 0 as "keep forever", so 0 here means no archive at all.
    if (spec.archiveRetentionDays > 0) {
        new aws.cloudwatch.EventArchive(`${spec.name}-archive`, {
            eventSourceArn: bus.arn,
            retentionDays: spec.archiveRetentionDays,
            description: `Every event on hub ${spec.name}, kept ${spec.archiveRetentionDays} days for replay`,
        }, stateful);
    }

    const link: Link = {
        type: "hub",
        name: spec.name,
        environment: { [linkVariable("hub", spec.name, "name")]: bus.name },
        permissions: [{ actions: ["events:PutEvents"], resources: [bus.arn] }],
        resources: { busName: bus.name, busArn: bus.arn },
    };
    return { busName: bus.name, resourceId: bus.arn, link };
}
