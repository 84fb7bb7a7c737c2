// Alarms on the local target: the runtime prints each dead letter as it arrives, which is where a
// developer running `npm start` is already looking; there is nothing to create.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmsRealisation, AlarmsSpec } from "../provider";

export function localAlarms(_parent: pulumi.Resource, spec: AlarmsSpec): AlarmsRealisation {
    return { target: pulumi.output({ id: `local:alarms:${spec.name}` }) };
}
