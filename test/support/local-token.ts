// Requests to the local runtime's own endpoints (/_local/*) carry the run's token
// (local/local-guard.ts): these add it to what a test sends.
import { LOCAL_TOKEN_HEADER, readLocalToken } from "../../functions/runtime/clients/local/local-token";

/** `init` with the token header added. */
export function withToken(token: string, init: RequestInit = {}): RequestInit {
    return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), [LOCAL_TOKEN_HEADER]: token } };
}

/** fetch for `${base}${path}` with the token. */
export function localFetcher(base: string, token: string): (path: string, init?: RequestInit) => Promise<Response> {
    return (path, init) => fetch(`${base}${path}`, withToken(token, init));
}

/** The header with the token of the runtime whose data directory is `dataDir` (npm start writes it there). */
export function localTokenHeaders(dataDir: string): Record<string, string> {
    return { [LOCAL_TOKEN_HEADER]: readLocalToken(dataDir) };
}
