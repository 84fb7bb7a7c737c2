// EventHub on the local target: a bus in the local runtime, its queues and log persisted in the
// runtime's SQLite database. The link is what a cloud's would be: the bus name for publishers,
// permission to publish on exactly this hub, and the bus for subscribers.
import * as pulumi from "@pulumi/pulumi";
import { localRuntime } from "../../local/runtime";
import { Link, linkVariable } from "../link";
import type { EventHubRealisation, EventHubSpec } from "../provider";

export function localEventHub(_parent: pulumi.Resource, spec: EventHubSpec): EventHubRealisation {
    const busName = spec.name;
    const resourceId = `local:hub:${spec.name}`;
    localRuntime().registerHub({ name: spec.name, busName, archiveRetentionDays: spec.archiveRetentionDays });
    const link: Link = {
        type: "hub",
        name: spec.name,
        environment: { [linkVariable("hub", spec.name, "name")]: busName },
        permissions: [{ actions: ["publish"], resources: [resourceId] }],
        resources: { busName },
    };
    return { busName: pulumi.output(busName), resourceId: pulumi.output(resourceId), link };
}
