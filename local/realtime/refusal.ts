// An upgrade refused before it happens: a plain HTTP answer written on the raw socket (the
// handshake never completed, so there is no WebSocket to close), with a JSON body naming the
// reason in the shape every HTTP error of the runtime has: `{ error: { code, message } }`.
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string, requestId?: string): void {
    if (!socket.writable) return void socket.destroy();
    const body = JSON.stringify({ error: requestId === undefined ? { code, message } : { code, message, requestId } });
    const headers = [
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
        "Connection: close",
        "Content-Type: application/json; charset=utf-8",
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...(status === 401 ? ["WWW-Authenticate: Bearer"] : []),
        ...(requestId === undefined ? [] : [`X-Request-Id: ${requestId}`]),
    ];
    // Destroyed once written: the client reads the answer, then the connection ends.
    socket.once("finish", () => socket.destroy());
    socket.end(`${headers.join("\r\n")}\r\n\r\n${body}`);
}
