// How the local WebSocket server keeps connections healthy; tests shorten the times.
import { SOCKET_LIMITS } from "../../functions/runtime/socket-limits";

export interface LocalRealtimeOptions {
    /** Every connection is pinged this often; one that has not answered the previous ping is terminated. */
    pingIntervalMs: number;
    /** A connection the client sent no message on for this long is closed with 1001, as API Gateway does. */
    idleTimeoutMs: number;
    /** A connection open this long is closed with 1001 (API Gateway's 2-hour limit). */
    maxConnectionMs: number;
    /** Refuse what is over an endpoint's throttle, as the cloud would; off for benchmarks and load tests. */
    throttling: boolean;
}

export const LOCAL_REALTIME_DEFAULTS: LocalRealtimeOptions = {
    pingIntervalMs: 30_000,
    idleTimeoutMs: SOCKET_LIMITS.idleSeconds * 1000,
    maxConnectionMs: SOCKET_LIMITS.maxConnectionSeconds * 1000,
    throttling: true,
};

/** `given` over the defaults, each time checked: a zero or negative time would close everything at once. */
export function resolveRealtimeOptions(current: LocalRealtimeOptions, given: Partial<LocalRealtimeOptions>): LocalRealtimeOptions {
    const options = { ...current, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as LocalRealtimeOptions;
    for (const key of ["pingIntervalMs", "idleTimeoutMs", "maxConnectionMs"] as const) {
        if (!(Number.isFinite(options[key]) && options[key] > 0)) throw new RangeError(`local realtime option ${key}: expected a positive number of milliseconds, got ${String(options[key])}`);
    }
    return options;
}
