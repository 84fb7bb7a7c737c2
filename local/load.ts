// Builds the local runtime from what a program for the `local` target recorded: each descriptor
// its components registered (components/local/descriptor.ts) becomes a function, hub, task, API or
// site of the runtime. The program may have run in another process: only the recorded outputs
// cross over, so the runtime works the same after the SDK's launcher as after an in-process run.
import {
    localDescriptorKind,
    isLocalDescriptor,
    type LocalDescriptorKind,
    type LocalDescriptors,
    type LocalSiteDescriptor,
} from "../components/local/descriptor";
import { writeLocalAuthSecret } from "../components/local/auth-secret";
import { parseSchedule } from "../components/events/schedule";
import type { EngineResource } from "../engine/run";
import type { LocalHttpInput } from "../functions/runtime/adapters/local";
import type { NormalizedResponse } from "../functions/runtime/http";
import { localApiGateway } from "./api";
import { localRealtimeServer } from "./realtime/server";
import type { LocalRuntime } from "./runtime";
import { registerSite, type LocalSite } from "./static";
import { localUploads } from "./uploads/service";
import { localWorkflows } from "./workflows/service";

/**
 * Auth secrets before the functions that read them; functions before the tasks, APIs, Realtimes
 * and sites that name them; tasks before the FileUploads whose processors they are. Workflows
 * after their functions: their definitions are checked against them.
 */
const LOAD_ORDER: readonly LocalDescriptorKind[] = ["AuthSecret", "Function", "Hub", "Task", "Upload", "Api", "Realtime", "Site", "Workflow"];

const loaders: { [K in LocalDescriptorKind]: (runtime: LocalRuntime, d: LocalDescriptors[K]) => void } = {
    // The secret file: keys generated on first load and kept across restarts, rotated with keyRotation.
    AuthSecret: (_runtime, d) => void writeLocalAuthSecret(d),
    Function: (runtime, d) => runtime.registerFunction(d),
    Hub: (runtime, d) => runtime.registerHub(d),
    // Validated by the program; parsed again for the scheduler's fields.
    Task: (runtime, d) => runtime.registerTask({ ...d, schedule: d.schedule === undefined ? undefined : parseSchedule(d.schedule, `AsyncTask '${d.name}' schedule`) }),
    Api: (runtime, d) =>
        localApiGateway(runtime).register({
            name: d.name,
            routes: d.routes.map((r) => ({ key: r.key, method: r.method, path: r.path, functionName: r.functionName, auth: r.auth })),
            cors: d.cors,
            jwt: d.jwt,
            throttle: d.throttle,
        }),
    Realtime: (runtime, d) => localRealtimeServer(runtime).register(d),
    Upload: (runtime, d) => localUploads(runtime).register(d),
    Workflow: (runtime, d) => localWorkflows(runtime).register(d),
    Site: (runtime, d) => registerSite(runtime, { ...d, ssr: d.ssr && { paths: d.ssr.paths, render: renderer(runtime, d.ssr) } }),
};

/** Registers every local descriptor among `resources` (a program's recorded resources) with `runtime`. */
export function loadResources(runtime: LocalRuntime, resources: readonly EngineResource[]): void {
    const descriptors = resources.filter((r) => isLocalDescriptor(r.type));
    const unknown = descriptors.find((r) => localDescriptorKind(r.type) === undefined);
    if (unknown) throw new Error(`local runtime: unknown resource type '${unknown.type}' (${unknown.name}); is the program's serverless-blocks newer than this runtime?`);
    for (const kind of LOAD_ORDER) {
        for (const resource of descriptors) if (localDescriptorKind(resource.type) === kind) load(runtime, kind, resource);
    }
}

function load<K extends LocalDescriptorKind>(runtime: LocalRuntime, kind: K, resource: EngineResource): void {
    // A preview leaves outputs unknown, and a program that failed may not have registered them.
    if (typeof resource.outputs?.name !== "string") {
        throw new Error(`local runtime: ${resource.type} '${resource.name}' has no outputs; load the resources of a completed update, not of a preview`);
    }
    loaders[kind](runtime, resource.outputs as LocalDescriptors[K]);
}

/** The site's SSR paths answered by its function, as the HTTP-type function a CDN would call. */
function renderer(runtime: LocalRuntime, ssr: NonNullable<LocalSiteDescriptor["ssr"]>): NonNullable<LocalSite["ssr"]>["render"] {
    const host = runtime.function(ssr.functionName); // loaded already: functions come first
    return async (request) => {
        const input: LocalHttpInput = { kind: "http", request };
        return (await host.invoke(input)) as NormalizedResponse;
    };
}
