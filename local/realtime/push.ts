// Pushes from function code (functions/runtime/clients/local/realtime.ts) to a Realtime's
// connections: `realtime.post` answers the ids that are not connected (gone), `realtime.close`
// closes one. As a cloud's policy would, a function reaches only the Realtimes it links.
import { SOCKET_LIMITS } from "../../functions/runtime/socket-limits";
import type { LocalFunctionDefinition } from "../function-host";
import type { LocalRealtimeServer } from "./server";

export const REALTIME_CALLS = ["realtime.post", "realtime.close"] as const;
export type RealtimeCall = (typeof REALTIME_CALLS)[number];

/** A Realtime's link sets SB_REALTIME_<NAME>_ENDPOINT: what a linked function may post to. */
const ENDPOINT_VARIABLE = /^SB_REALTIME_.+_ENDPOINT$/;

export function isRealtimeCall(method: string): method is RealtimeCall {
    return (REALTIME_CALLS as readonly string[]).includes(method);
}

export function answerRealtimeCall(server: LocalRealtimeServer, caller: LocalFunctionDefinition, method: RealtimeCall, args: unknown): string[] | null {
    const { endpoint, connectionIds, connectionId, payload } = (args ?? {}) as { endpoint?: unknown; connectionIds?: unknown; connectionId?: unknown; payload?: unknown };
    if (typeof endpoint !== "string") throw new TypeError(`${method}: expected the Realtime's endpoint, got ${JSON.stringify(endpoint)}`);
    const linked = Object.entries(caller.environment).some(([key, value]) => ENDPOINT_VARIABLE.test(key) && value === endpoint);
    if (!linked) throw new Error(`function '${caller.name}' may not push to Realtime endpoint '${endpoint}': add the Realtime's link (link: [realtime.link])`);
    if (method === "realtime.close") {
        if (typeof connectionId !== "string" || connectionId === "") throw new TypeError(`${method}: expected a connection id, got ${JSON.stringify(connectionId)}`);
        server.close(endpoint, connectionId);
        return null;
    }
    if (!Array.isArray(connectionIds) || !connectionIds.every((id) => typeof id === "string" && id !== "")) throw new TypeError(`${method}: expected connection ids (strings)`);
    if (typeof payload !== "string") throw new TypeError(`${method}: expected the frame's text`);
    // The client checks the size too; a hand-made call must not get past the platform's limit.
    if (Buffer.byteLength(payload) > SOCKET_LIMITS.maxMessageBytes) throw new RangeError(`${method}: a frame is at most ${SOCKET_LIMITS.maxMessageBytes} bytes`);
    return server.post(endpoint, connectionIds, payload);
}
