// The local runtime's WebSocket side: every Realtime's endpoint at `/ws/<name>` on the runtime's
// one port (the HTTP server hands its `upgrade` requests here, local/server.ts), one heartbeat for
// all their connections, pushes from functions to the endpoint they name, and the status.
import type * as http from "node:http";
import type { Duplex } from "node:stream";
import { LOCAL_REALTIME_PATH, type LocalRealtimeDescriptor } from "../../components/local/descriptor";
import type { LocalRuntime } from "../runtime";
import { RealtimeEndpoint } from "./endpoint";
import { pathOf } from "./handshake";
import { LOCAL_REALTIME_DEFAULTS, resolveRealtimeOptions, type LocalRealtimeOptions } from "./options";
import { refuseUpgrade } from "./refusal";

export interface LocalRealtimeStatus {
    name: string;
    path: string;
    /** Open connections. */
    connections: number;
    /** Function names by route. */
    functions: Record<string, string>;
}

export class LocalRealtimeServer {
    /** By path (`/ws/<name>`). */
    private readonly endpoints = new Map<string, RealtimeEndpoint>();
    private options: LocalRealtimeOptions = LOCAL_REALTIME_DEFAULTS;
    private heartbeat?: NodeJS.Timeout;
    private stopping = false;

    constructor(private readonly runtime: LocalRuntime) {}

    /** Changes the options; open connections keep their idle and lifetime clocks, the heartbeat takes the new interval. */
    configure(options: Partial<LocalRealtimeOptions>): void {
        this.options = resolveRealtimeOptions(this.options, options);
        if (this.heartbeat) this.startHeartbeat();
    }

    register(definition: LocalRealtimeDescriptor): void {
        if ([...this.endpoints.values()].some((e) => e.definition.name === definition.name)) {
            throw new Error(`local runtime: a Realtime named '${definition.name}' is already registered; component names must be unique`);
        }
        if (!definition.path.startsWith(`${LOCAL_REALTIME_PATH}/`)) throw new Error(`local runtime: Realtime '${definition.name}' path '${definition.path}' is not under ${LOCAL_REALTIME_PATH}/`);
        this.endpoints.set(definition.path, new RealtimeEndpoint(definition, this.runtime, () => this.options));
    }

    /** Answers an upgrade request of the runtime's HTTP server. Never rejects. */
    upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
        const path = pathOf(req.url);
        const endpoint = this.endpoints.get(path);
        if (this.stopping) return refuseUpgrade(socket, 503, "service_unavailable", "the local runtime is stopping");
        if (!endpoint) {
            const known = [...this.endpoints.keys()];
            return refuseUpgrade(socket, 404, "not_found", `no Realtime at ${path}; WebSocket endpoints here: ${known.join(", ") || "none"}`);
        }
        this.startHeartbeat(false);
        void endpoint.upgrade(req, socket, head);
    }

    /** Answers a plain HTTP request to a Realtime's path: 426, it takes WebSocket connections only. */
    answerPlainRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
        const path = pathOf(req.url);
        const found = this.endpoints.has(path);
        const message = found ? `${path} takes WebSocket connections only: connect with a WebSocket client` : `no Realtime at ${path}`;
        res.writeHead(found ? 426 : 404, { "content-type": "application/json; charset=utf-8", ...(found ? { upgrade: "websocket", connection: "Upgrade" } : {}) });
        res.end(JSON.stringify({ error: { code: found ? "upgrade_required" : "not_found", message } }));
    }

    /** Delivers `payload` to connections of the Realtime at `endpoint` (`local:<name>`); the ids not open there. */
    post(endpoint: string, connectionIds: string[], payload: string): string[] {
        return this.byEndpoint(endpoint).post(connectionIds, payload);
    }

    /** Closes a connection of the Realtime at `endpoint`; no error when it is gone already. */
    close(endpoint: string, connectionId: string): void {
        this.byEndpoint(endpoint).disconnect(connectionId);
    }

    status(): LocalRealtimeStatus[] {
        return [...this.endpoints.values()].map((e) => ({ name: e.definition.name, path: e.definition.path, connections: e.connections.size, functions: { ...e.definition.functions } }));
    }

    /** Closes every connection (1001) and waits for their `$disconnect` functions; later upgrades get 503. Before the runtime stops its functions. */
    async shutdown(): Promise<void> {
        this.stopping = true;
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
        await Promise.all([...this.endpoints.values()].map((e) => e.shutdown()));
    }

    private byEndpoint(endpoint: string): RealtimeEndpoint {
        const found = [...this.endpoints.values()].find((e) => e.definition.endpoint === endpoint);
        if (!found) throw new Error(`no Realtime at endpoint '${endpoint}'; known: ${[...this.endpoints.values()].map((e) => e.definition.endpoint).join(", ") || "none"}`);
        return found;
    }

    /** One timer pings every connection of every endpoint (not one per connection: thousands stay cheap). */
    private startHeartbeat(restart = true): void {
        if (this.heartbeat && !restart) return;
        clearInterval(this.heartbeat);
        this.heartbeat = setInterval(() => {
            for (const endpoint of this.endpoints.values()) endpoint.heartbeat();
        }, this.options.pingIntervalMs).unref();
    }
}

const servers = new WeakMap<LocalRuntime, LocalRealtimeServer>();

/** The WebSocket server of `runtime`: the local Realtimes register into it, the HTTP server hands it upgrades. */
export function localRealtimeServer(runtime: LocalRuntime): LocalRealtimeServer {
    let server = servers.get(runtime);
    if (!server) servers.set(runtime, (server = new LocalRealtimeServer(runtime)));
    return server;
}

/** Whether a request target is under the Realtimes' path: "/ws/...". */
export function isRealtimeRequest(target: string | undefined): boolean {
    return (target ?? "").startsWith(`${LOCAL_REALTIME_PATH}/`);
}
