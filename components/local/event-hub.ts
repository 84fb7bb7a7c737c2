// EventHub on the local target: a descriptor (./descriptor.ts) of the bus the local runtime keeps,
// its queues and log persisted in the runtime's SQLite database. The link is what a cloud's would
// be: the bus name for publishers, permission to publish on exactly this hub, and the bus for subscribers.
import * as pulumi from "@pulumi/pulumi";
import { Link, linkVariable } from "../link";
import type { EventHubRealisation, EventHubSpec } from "../provider";
import { LocalDescriptor } from "./descriptor";

export function localEventHub(parent: pulumi.Resource, spec: EventHubSpec): EventHubRealisation {
    const busName = spec.name;
    const resourceId = `local:hub:${spec.name}`;
    new LocalDescriptor("Hub", spec.name, { name: spec.name, busName, archiveRetentionDays: spec.archiveRetentionDays }, parent);
    const link: Link = {
        type: "hub",
        name: spec.name,
        environment: { [linkVariable("hub", spec.name, "name")]: busName },
        permissions: [{ actions: ["publish"], resources: [resourceId] }],
        resources: { busName },
    };
    return { busName: pulumi.output(busName), resourceId: pulumi.output(resourceId), link };
}
