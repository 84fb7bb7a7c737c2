// Realtime on the local target: each of the Realtime's functions in its worker, and a descriptor
// (./descriptor.ts) of the WebSocket endpoint the local runtime serves at `/ws/<name>` on its port
// (local/realtime/): the token verified on the upgrade, messages routed by their route field to
// the functions, pushes from linked functions delivered to the open connections. The connection
// store is the Realtime's own Table (a SQLite file), kept by the functions as on the clouds.
import * as pulumi from "@pulumi/pulumi";
import { Function } from "../function";
import type { RealtimeRealisation, RealtimeSpec } from "../provider";
import { realtimeFunctionArgs } from "../realtime";
import { LOCAL_REALTIME_PATH, LocalDescriptor, type LocalRealtimeDescriptor } from "./descriptor";
import { localUrl } from "./settings";

/** What a Realtime's functions post to locally (`SB_REALTIME_<NAME>_ENDPOINT`). */
export function localRealtimeEndpoint(name: string): string {
    return `local:${name}`;
}

export function localRealtime(parent: pulumi.Resource, spec: RealtimeSpec): RealtimeRealisation {
    const resourceId = `local:realtime:${spec.name}`;
    const endpoint = localRealtimeEndpoint(spec.name);
    // The runtime lets a function push only to endpoints it links (local/runtime.ts), as a policy would.
    const self = spec.link(endpoint, [{ actions: ["post", "close"], resources: [resourceId] }]);
    const functionNames = spec.functions.map((fn) => new Function(fn.functionName, realtimeFunctionArgs(spec, fn, self), { parent }).functionName);
    const jwt = pulumi.output({ issuer: spec.jwt.issuer, audience: spec.jwt.audience, jwksUrl: spec.jwt.jwksUrl });
    const path = `${LOCAL_REALTIME_PATH}/${spec.name}`;
    const described = pulumi.all([pulumi.all(functionNames), jwt]).apply(([names, settings]): LocalRealtimeDescriptor => ({
        name: spec.name,
        path,
        endpoint,
        tokenFrom: spec.tokenFrom,
        routeField: spec.routeField,
        jwt: settings,
        functions: Object.fromEntries(spec.functions.map((fn, i) => [fn.route, names[i]])),
        throttle: spec.throttle,
    }));
    new LocalDescriptor("Realtime", spec.name, described, parent);
    // The runtime's own scheme, as a WebSocket's: http -> ws, https -> wss.
    const url = `${localUrl().replace(/^http/, "ws")}${path}`;
    return {
        url: described.apply(() => url),
        resourceId: described.apply(() => resourceId),
    };
}
