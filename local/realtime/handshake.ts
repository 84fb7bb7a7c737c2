// What the upgrade request must be before any token or function is looked at (RFC 6455 4.2.1),
// so a connect handler never runs for a connection `ws` would then refuse to open.
import type * as http from "node:http";

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** Why `req` is not a WebSocket opening handshake, or undefined when it is one. */
export function handshakeProblem(req: http.IncomingMessage): string | undefined {
    if (req.method !== "GET") return `a WebSocket opens with GET, not ${req.method}`;
    if ((req.headers.upgrade ?? "").toLowerCase() !== "websocket") return "the Upgrade header must be 'websocket'";
    if (!KEY.test(req.headers["sec-websocket-key"] ?? "")) return "the Sec-WebSocket-Key header is missing or not 16 bytes in base64";
    const version = req.headers["sec-websocket-version"];
    if (version !== "13" && version !== "8") return `Sec-WebSocket-Version ${version ?? "(none)"} is not supported; use 13`;
    return undefined;
}

/** The request's query parameters, a repeated one's first value. */
export function queryOf(target: string | undefined): Record<string, string> {
    const query: Record<string, string> = {};
    for (const [key, value] of new URL(target ?? "/", "http://local").searchParams) if (!(key in query)) query[key] = value;
    return query;
}

/** The request target's path, without its query. */
export function pathOf(target: string | undefined): string {
    const at = (target ?? "/").indexOf("?");
    return at < 0 ? (target ?? "/") : (target ?? "/").slice(0, at);
}
