// realtime(name): push to a linked Realtime's connections, on any target.
//   send(connectionId, data)     one connection
//   send({ userId }, data)       every connection of a user (the store's user index)
//   broadcast(topic, data)       every connection subscribed to a topic
// Data goes out as one JSON text frame. A connection the platform reports gone (410 on AWS,
// an unknown connection on Tencent and locally) is removed from the store, so a stale record
// costs one failed post, once.
import { SOCKET_LIMITS } from "../socket-limits";
import { ConnectionStore } from "./realtime-store";
import { table } from "./table";
import { currentTarget, linkedValue } from "./target";

/** How one target delivers frames to connections. */
export interface RealtimeTransport {
    /** Posts `payload` to each connection; resolves to the ids that are gone. Rejects on any other failure. */
    post(endpoint: string, connectionIds: string[], payload: string): Promise<string[]>;
    /** Closes a connection (no error when it is gone already). */
    close(endpoint: string, connectionId: string): Promise<void>;
}

/** What a Realtime's link tells a function: SB_REALTIME_<NAME>_TABLE and _ENDPOINT. */
export interface RealtimeSettings {
    name: string;
    /** The connection Table's component name (its own link's variables are set too). */
    table: string;
    /** Where frames are posted: the management endpoint (AWS), the push address (Tencent), `local:<name>`. */
    endpoint: string;
}

export interface PushResult {
    /** Connections the frame was handed to. */
    delivered: number;
    /** Connections found gone and removed from the store. */
    gone: number;
}

/** A target of `send`: a connection id, or every connection of a user. */
export type PushTarget = string | { userId: string };

function transportFor(): RealtimeTransport {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and SDK) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/realtime").awsRealtime;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/realtime").tencentRealtime;
    if (process.env.SB_TARGET === "local") return require("./local/realtime").localRealtime;
    throw new Error(`unknown target ${currentTarget()}`);
}

/** The settings of the Realtime linked under `name`. */
export function realtimeSettings(name: string): RealtimeSettings {
    return { name, table: linkedValue("realtime", name, "table"), endpoint: linkedValue("realtime", name, "endpoint") };
}

/** The connection store of the Realtime linked under `name`. */
export function connectionStore(name: string): ConnectionStore {
    return new ConnectionStore(table(realtimeSettings(name).table));
}

/** The client for `settings`, over `transport` and `store`: what `realtime(name)` returns, and what tests build directly. */
export function realtimeClient(settings: RealtimeSettings, transport: RealtimeTransport, store: ConnectionStore) {
    const push = async (ids: string[], data: unknown): Promise<PushResult> => {
        const payload = encode(settings.name, data);
        if (ids.length === 0) return { delivered: 0, gone: 0 };
        const gone = await transport.post(settings.endpoint, ids, payload);
        await Promise.all(gone.map((id) => store.remove(id)));
        return { delivered: ids.length - gone.length, gone: gone.length };
    };
    return {
        /** Sends `data` (as JSON) to one connection, or to every connection of `{ userId }`. */
        async send(to: PushTarget, data: unknown): Promise<PushResult> {
            if (typeof to === "string" && to !== "") return push([to], data);
            if (typeof to === "object" && to !== null && typeof to.userId === "string" && to.userId !== "") return push(await store.byUser(to.userId), data);
            throw new TypeError(`realtime '${settings.name}' send: the target is a connection id or { userId }, got ${JSON.stringify(to)}`);
        },
        /** Sends `data` (as JSON) to every connection subscribed to `topic`. */
        async broadcast(topic: string, data: unknown): Promise<PushResult> {
            return push(await store.byTopic(topic), data);
        },
        /** Closes a connection: its disconnect handler runs, as when the client leaves. */
        async close(connectionId: string): Promise<void> {
            await transport.close(settings.endpoint, connectionId);
            await store.remove(connectionId);
        },
    };
}

export type RealtimeClient = ReturnType<typeof realtimeClient>;

/**
 * The Realtime linked under `name` (`link: [live.link]` makes `realtime("live")` work).
 *
 * @example await realtime("live").send({ userId: order.userId }, { type: "order", order });
 * @example await realtime("live").broadcast("prices", { sku, price });
 */
export function realtime(name: string): RealtimeClient {
    // Read on each call, so that a client made at module load still finds its link's variables.
    const client = () => {
        const settings = realtimeSettings(name);
        return realtimeClient(settings, transportFor(), new ConnectionStore(table(settings.table)));
    };
    return {
        send: async (to, data) => client().send(to, data),
        broadcast: async (topic, data) => client().broadcast(topic, data),
        close: async (connectionId) => client().close(connectionId),
    };
}

/** One JSON frame, refused over the platform's frame limit before anything is sent. */
export function encode(name: string, data: unknown): string {
    const payload = JSON.stringify(data);
    if (payload === undefined) throw new TypeError(`realtime '${name}': data of type ${typeof data} cannot be sent as JSON`);
    const bytes = Buffer.byteLength(payload);
    if (bytes > SOCKET_LIMITS.maxMessageBytes) throw new RangeError(`realtime '${name}': a frame is at most ${SOCKET_LIMITS.maxMessageBytes} bytes; this one is ${bytes}`);
    return payload;
}
