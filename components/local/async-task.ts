// AsyncTask on the local target: the task's Function in a worker, and a descriptor
// (./descriptor.ts) of the durable queue the local runtime keeps for it, which delivers hub events
// matching the pattern (and schedule runs) to it, at least once, retrying with backoff and
// dead-lettering after the last attempt (see local/events/).
// At least once means a handler may see an event twice: the event `id` is the idempotency key.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { Function } from "../function";
import type { AsyncTaskRealisation, AsyncTaskSpec } from "../provider";
import { LocalDescriptor, type LocalTaskDescriptor } from "./descriptor";

export function localAsyncTask(parent: pulumi.Resource, spec: AsyncTaskSpec): AsyncTaskRealisation {
    const fn = new Function(spec.name, spec.function, { parent });
    const hub = spec.subscription ? spec.subscription.hub : pulumi.output(undefined);
    const described = pulumi.all([fn.functionName, hub]).apply(([functionName, link]): LocalTaskDescriptor => {
        let subscription;
        if (spec.subscription && link) {
            const busName = link.resources?.busName;
            if (link.type !== "hub" || typeof busName !== "string") {
                throw new ConfigError(`AsyncTask '${spec.name}' subscribe.hub`, `${link.type}:${link.name}`, "expected an EventHub's link (hub.link)");
            }
            subscription = { busName, pattern: spec.subscription.pattern };
        }
        return {
            name: spec.name,
            functionName,
            retries: spec.retries,
            maxEventAgeSeconds: spec.maxEventAgeSeconds,
            timeoutSeconds: spec.timeout,
            subscription,
            schedule: spec.schedule?.expression,
        };
    });
    new LocalDescriptor("Task", spec.name, described, parent);
    return {
        functionName: described.apply((d) => d.functionName),
        resourceId: fn.resourceId,
        deadLetterQueue: described.apply((d) => `local:dlq:${d.name}`),
    };
}
