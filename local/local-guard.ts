// Guards in front of /_local/*: the runtime's own endpoints (invoke a function with any claims,
// publish events, read the status, redrive dead letters) answer only the machine's own tools
// holding this run's token. A page a developer opens elsewhere could otherwise reach them: by a
// simple cross-origin POST (text/plain needs no preflight), or by DNS rebinding (its own name
// resolving to 127.0.0.1, which lets it read the answers too); another local user's process
// could call them outright. Refused here:
// - a Host that is not a loopback name on this server's port (a rebinding page sends its own name);
// - a foreign Origin (another site's page), except on the signed upload URLs and the browser-facing
//   sign-in pages, which other origins use by design and which check their own credentials;
// - a request without this run's token (local/console/token.ts: a header, or the console page's
//   cookie; the console page's own URL carries it once as ?token=), except on those same
//   browser-facing paths and on the fake payment service, which stands in for a third party the
//   app's own function code calls (as it would a real one) and can do only what that one does;
// - a POST whose body is not declared application/json (what a form or a simple request sends).
import type * as http from "node:http";
import { presentedToken, tokenMatches } from "./console/token";
import { isOidcRequest } from "./oidc";
import { isPaymentServiceRequest } from "./payment-service/service";
import { isUploadRequest } from "./uploads/service";

const LOCAL_PREFIX = "/_local";
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface Refusal {
    status: number;
    message: string;
}

/** Whether a request target is one of the runtime's own endpoints ("/_local" or under it). */
export function isLocalEndpoint(target: string | undefined): boolean {
    const path = (target ?? "/").split("?")[0];
    return path === LOCAL_PREFIX || path.startsWith(`${LOCAL_PREFIX}/`);
}

/** The console page (`/_local/`), the one place a token may come in the query string. */
export const CONSOLE_PAGE_PATHS = new Set([LOCAL_PREFIX, `${LOCAL_PREFIX}/`]);

/** Why a request to /_local/* is refused, or undefined when it may go on; `token` is this run's. */
export function localEndpointRefusal(req: http.IncomingMessage, token: string): Refusal | undefined {
    const port = req.socket.localPort;
    const host = req.headers.host ?? "";
    if (!isLoopbackHost(host, port)) return { status: 403, message: `Host '${host}' is not this machine: /_local answers only 127.0.0.1, localhost or [::1] on port ${port}` };
    if (isBrowserFacing(req.url ?? "/")) return undefined;
    const origin = req.headers.origin;
    if (origin !== undefined && !isLoopbackOrigin(origin, port)) return { status: 403, message: `Origin '${origin}' may not call /_local: only pages served from this machine's port ${port}` };
    if (!isPaymentServiceRequest(req.url) && !tokenMatches(token, presentedToken(req) ?? pageToken(req))) {
        return {
            status: 401,
            message: "/_local needs this run's token: send 'authorization: Bearer <token>' or 'x-sb-local-token: <token>' (npm start writes it to <data dir>/local-token), or open the console URL npm start printed",
        };
    }
    if (req.method === "POST" && mediaType(req.headers["content-type"]) !== "application/json") {
        return { status: 415, message: `POST ${(req.url ?? "/").split("?")[0]}: the body must be sent as content-type: application/json` };
    }
    return undefined;
}

/** "127.0.0.1:3000", "localhost:3000", "[::1]:3000" on this server's port (no port: only on port 80). */
function isLoopbackHost(host: string, port: number | undefined): boolean {
    const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
    if (!match || !LOOPBACK_NAMES.has(match[1])) return false;
    return Number(match[2] ?? 80) === port;
}

function isLoopbackOrigin(origin: string, port: number | undefined): boolean {
    let url: URL;
    try {
        url = new URL(origin);
    } catch {
        return false; // "null" (a sandboxed page, a file://) or garbage
    }
    return url.protocol === "http:" && isLoopbackHost(url.host, port);
}

/** `?token=` on a GET of the console page: the link npm start prints. */
function pageToken(req: http.IncomingMessage): string | undefined {
    const [path, query = ""] = (req.url ?? "/").split("?", 2);
    if (req.method !== "GET" || !CONSOLE_PAGE_PATHS.has(path)) return undefined;
    return new URLSearchParams(query).get("token") ?? undefined;
}

/** The signed upload URLs and the sign-in pages: browsers on other origins use them by design. */
function isBrowserFacing(target: string): boolean {
    return isUploadRequest(target) || isOidcRequest(target);
}

/** "application/json; charset=utf-8" -> "application/json". */
function mediaType(contentType: string | undefined): string {
    return (contentType ?? "").split(";")[0].trim().toLowerCase();
}
