// The console's data, as JSON under /_local/console/api (read-only but for redrive; invoking and
// publishing use /_local/functions/<name>/invoke and /_local/hubs/<bus>/events):
//   GET  architecture                       components, their resources, the flows between them, and an SVG drawing
//   GET  functions                          each function: invocations, errors, p50/p99, last cold start
//   GET  functions/<name>/invocations       its recent invocations with their log lines and errors
//   GET  logs                               Server-Sent Events: every function's invocations and lines as they happen (./log-stream.ts)
//   GET  apis                               each BusinessApi with its routes and whether they need a signed-in user
//   GET  hubs                               each hub with its recent events, the rules that matched and the deliveries
//   GET  tasks                              each AsyncTask: queued, in flight, dead letters, processed
//   GET  tasks/<name>/dead-letters          its dead letters with the error and attempts
//   POST tasks/<name>/redrive               {"ids"?: [...]}: queue them again (what `npm run dlq -- redrive` does)
//   GET  realtimes | uploads | workflows    connections; objects; executions (history: /_local/workflows/...)
//   GET  tables                             the app's tables (from its functions' links)
//   GET  tables/<name>/items?limit=&offset=&filter=   items, read-only; filter keeps those whose JSON contains the text
import type { EngineResource } from "../../engine/run";
import { localApiGateway } from "../api";
import type { LocalRuntime } from "../runtime";
import { localRealtimeServer } from "../realtime/server";
import { localUploads } from "../uploads/service";
import { localWorkflows } from "../workflows/service";
import { architectureView } from "./architecture";
import { ConsoleRequestError } from "./request-error";
import { consoleState } from "./state";
import { appTables, readItems } from "./tables";

export const CONSOLE_API_PATH = "/_local/console/api";

export { ConsoleRequestError };

export function isConsoleApiRequest(pathname: string): boolean {
    return pathname === CONSOLE_API_PATH || pathname.startsWith(`${CONSOLE_API_PATH}/`);
}

/** Answers a console API request (not the log stream); throws ConsoleRequestError for the client's mistakes. */
export function answerConsoleApi(app: { runtime: LocalRuntime; components: EngineResource[] }, method: string, url: URL, body: () => Promise<unknown>): Promise<unknown> | unknown {
    const runtime = app.runtime;
    const parts = url.pathname.slice(CONSOLE_API_PATH.length).split("/").filter(Boolean).map(decode);
    const [collection, name, action, ...rest] = parts;
    const route = `${method} ${[collection, name && "<name>", action].filter(Boolean).join("/")}`;
    if (rest.length > 0) throw notFound(url.pathname);
    if (method !== "GET" && route !== "POST tasks/<name>/redrive") throw new ConsoleRequestError(405, `${method} ${url.pathname}: only GET is allowed (POST only on tasks/<name>/redrive)`);
    switch (route) {
        case "GET architecture":
            return architectureView(app.components);
        case "GET functions":
            return { functions: [...runtime.functions.values()].map((f) => ({ name: f.definition.name, timeoutSeconds: f.definition.timeoutSeconds, memoryMb: f.definition.memoryMb, invocations: f.invocations, errors: f.errors, latencyMs: f.recent.latency(), lastColdStart: f.recent.lastColdStart })) };
        case "GET functions/<name>/invocations":
            return { function: name, invocations: functionNamed(runtime, name).recent.recent() };
        case "GET apis":
            return { apis: localApiGateway(runtime).status() };
        case "GET hubs": {
            const events = started(runtime);
            const log = consoleState(runtime).events!;
            return { hubs: events.status().hubs.map((h) => ({ ...h, rules: events.subscribers(h.busName), recent: log.recent(h.busName) })) };
        }
        case "GET tasks":
            return { tasks: started(runtime).status().tasks };
        case "GET tasks/<name>/dead-letters":
            return { task: name, deadLetters: asClientError(() => started(runtime).deadLetters(name), 404).map((d) => ({ ...d, enqueuedAt: iso(d.enqueuedAt), failedAt: iso(d.failedAt) })) };
        case "POST tasks/<name>/redrive":
            return body().then((input) => {
                const ids = (input as { ids?: unknown } | null)?.ids;
                if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === "string"))) throw new ConsoleRequestError(400, `redrive: "ids" must be an array of dead-letter ids (strings), or left out for all`);
                return asClientError(() => started(runtime).redrive(name, ids as string[] | undefined), 404);
            });
        case "GET realtimes":
            return { realtimes: localRealtimeServer(runtime).status() };
        case "GET uploads": {
            const uploads = localUploads(runtime);
            return {
                uploads: uploads.status().map((u) => {
                    const store = uploads.store(uploads.find(u.bucket)!);
                    return { ...u, objects: store.keys().map((key) => store.head(key)).filter((o) => o !== undefined) };
                }),
            };
        }
        case "GET workflows": {
            const workflows = localWorkflows(runtime);
            return { workflows: workflows.status().map((w) => ({ ...w, recent: workflows.started ? workflows.list(w.name, 20) : [] })) };
        }
        case "GET tables":
            return { tables: appTables(runtime).map(({ file: _file, ...table }) => table) };
        case "GET tables/<name>/items": {
            const table = appTables(runtime).find((t) => t.name === name);
            if (!table) throw new ConsoleRequestError(404, `no table named '${name}'; tables: ${appTables(runtime).map((t) => t.name).join(", ") || "none"}`);
            return readItems(table, { limit: count(url, "limit", 50, 500), offset: count(url, "offset", 0, Number.MAX_SAFE_INTEGER), filter: url.searchParams.get("filter") ?? undefined });
        }
    }
    throw notFound(url.pathname);
}

function functionNamed(runtime: LocalRuntime, name: string) {
    const host = runtime.functions.get(name);
    if (!host) throw new ConsoleRequestError(404, `no function named '${name}'; functions: ${[...runtime.functions.keys()].join(", ") || "none"}`);
    return host;
}

function started(runtime: LocalRuntime) {
    if (!runtime.started) throw new ConsoleRequestError(503, "the local runtime's hubs and tasks are not running yet");
    return runtime.events;
}

/** The event runtime's "no such task" is the client's mistake. */
function asClientError<T>(fn: () => T, status: number): T {
    try {
        return fn();
    } catch (err) {
        throw new ConsoleRequestError(status, (err as Error).message);
    }
}

function count(url: URL, name: string, fallback: number, max: number): number {
    const text = url.searchParams.get(name);
    if (text === null) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > max) throw new ConsoleRequestError(400, `${name} '${text}' must be a whole number from 0 to ${max}`);
    return value;
}

function decode(part: string): string {
    try {
        return decodeURIComponent(part);
    } catch {
        throw new ConsoleRequestError(400, `'${part}' in the path is not valid percent-encoded UTF-8`);
    }
}

function notFound(pathname: string): ConsoleRequestError {
    return new ConsoleRequestError(404, `nothing at ${pathname}; under ${CONSOLE_API_PATH}: architecture, functions[/<name>/invocations], logs, apis, hubs, tasks[/<name>/dead-letters|redrive], realtimes, uploads, workflows, tables[/<name>/items]`);
}

function iso(ms: number): string {
    return new Date(ms).toISOString();
}
