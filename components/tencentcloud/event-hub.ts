// EventHub on Tencent Cloud: an EventBridge (EB) event bus. Publishers get `eb:PutEvents` on
// exactly this bus and its id in `SB_HUB_<NAME>_NAME` (PutEvents names the bus by id);
// subscribers (AsyncTask) read the bus id from the link's `resources` for their rules.
//
// Archive: this provider version (terraform-provider-tencentcloud v1.83.25) has no EB archive or
// replay resource. The bus's own event storage (`enableStore`, `saveDays`) is EB's event query
// store billed through CLS, not a replayable archive, so it is left off and the hub keeps no
// archive on Tencent Cloud whatever `archiveRetentionDays` says.
//
// CAM: EB authorises at resource level; bus-scoped APIs take `qcs::eb:${region}:uin/${uin}:eventbusid/${EventBusId}`
// (CAM "事件总线" API authorization table, cloud.tencent.com/document/product/598/98127).
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, target } from "../config";
import { linkVariable, type Link } from "../link";
import type { EventHubRealisation, EventHubSpec } from "../provider";
import { accountUin } from "./account";
import { stackScoped } from "./names";
import { EbEventBus } from "./sdk";

/** EB bus and rule names: a letter first, letters, digits, `_` and `-`, a letter or digit last, 2-60 characters (CreateEventBus, eb 2021-04-16). */
export const EB_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

/** The bus name EB will take, or a ConfigError before the EventHub registers. */
export function checkTencentEventHub(spec: EventHubSpec): string {
    return ebName(stackScoped(spec.name), `EventHub '${spec.name}'`);
}

export function tencentEventHub(parent: pulumi.Resource, spec: EventHubSpec): EventHubRealisation {
    const busName = checkTencentEventHub(spec);
    // The bus holds the app's event routing: prod keeps it even if the stack goes.
    const bus = new EbEventBus(spec.name, {
        eventBusName: busName,
        description: `Event hub ${spec.name}`,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const resourceId = pulumi.interpolate`qcs::eb:${target().region}:uin/${accountUin()}:eventbusid/${bus.id}`;
    const link: Link = {
        type: "hub",
        name: spec.name,
        environment: { [linkVariable("hub", spec.name, "name")]: bus.id },
        permissions: [{ actions: ["eb:PutEvents"], resources: [resourceId] }],
        resources: { busName: bus.eventBusName, busId: bus.id },
    };
    return { busName: bus.eventBusName, resourceId, link };
}

/** A component name as an EB name, or a ConfigError saying what EB accepts. */
export function ebName(name: string, where: string): string {
    if (!EB_NAME.test(name)) {
        throw new ConfigError(`${where} name`, name, "Tencent EB names take 2-60 letters, digits, '_' and '-', starting with a letter and ending with a letter or digit");
    }
    return name;
}
