// Pushes on the local target: the runtime hosting this function holds the Realtime's open
// WebSockets, so a post is a call to it over the worker's message port (./channel.ts), answered
// with the connections that are not open there (gone). The runtime refuses an endpoint the
// function does not link, as a cloud's policy would.
import type { RealtimeTransport } from "../realtime";
import { callRuntime, inLocalFunction } from "./channel";

function call(method: string, endpoint: string, args: Record<string, unknown>): Promise<unknown> {
    // The connections live in the runtime's process: only its function instances can reach them.
    if (!inLocalFunction()) return Promise.reject(new Error(`${method} to Realtime endpoint '${endpoint}': only a function running in the local runtime (npm start) can push to its connections`));
    return callRuntime(method, { endpoint, ...args });
}

export const localRealtime: RealtimeTransport = {
    async post(endpoint, connectionIds, payload) {
        return (await call("realtime.post", endpoint, { connectionIds, payload })) as string[];
    },
    async close(endpoint, connectionId) {
        await call("realtime.close", endpoint, { connectionId });
    },
};
