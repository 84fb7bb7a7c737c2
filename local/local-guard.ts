// Guards in front of /_local/*: the runtime's own endpoints (invoke a function with any claims,
// publish events, read the status) have no authentication, so they answer only the machine's
// own tools. A page a developer opens elsewhere could otherwise reach them: by a simple
// cross-origin POST (text/plain needs no preflight), or by DNS rebinding (its own name resolving
// to 127.0.0.1, which lets it read the answers too). Refused here:
// - a Host that is not a loopback name on this server's port (a rebinding page sends its own name);
// - a foreign Origin (another site's page), except on the signed upload URLs and the browser-facing
//   sign-in pages, which other origins use by design and which check their own credentials;
// - a POST whose body is not declared application/json (what a form or a simple request sends).
// Not a per-run token: any local process (and any page, through the browser's own tools) can still
// call these endpoints with the right headers; they are a developer tool bound to 127.0.0.1.
import type * as http from "node:http";
import { isOidcRequest } from "./oidc";
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

/** Why a request to /_local/* is refused, or undefined when it may go on. */
export function localEndpointRefusal(req: http.IncomingMessage): Refusal | undefined {
    const port = req.socket.localPort;
    const host = req.headers.host ?? "";
    if (!isLoopbackHost(host, port)) return { status: 403, message: `Host '${host}' is not this machine: /_local answers only 127.0.0.1, localhost or [::1] on port ${port}` };
    if (isBrowserFacing(req.url ?? "/")) return undefined;
    const origin = req.headers.origin;
    if (origin !== undefined && !isLoopbackOrigin(origin, port)) return { status: 403, message: `Origin '${origin}' may not call /_local: only pages served from this machine's port ${port}` };
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

/** The signed upload URLs and the sign-in pages: browsers on other origins use them by design. */
function isBrowserFacing(target: string): boolean {
    return isUploadRequest(target) || isOidcRequest(target);
}

/** "application/json; charset=utf-8" -> "application/json". */
function mediaType(contentType: string | undefined): string {
    return (contentType ?? "").split(";")[0].trim().toLowerCase();
}
