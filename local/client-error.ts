// What the local server answers when Node's HTTP parser refuses a request before any handler
// sees it (a byte a request line may not hold, headers over Node's limit, a Transfer-Encoding it
// cannot frame, a request too slow to arrive): the same status Node would send, but with a JSON
// body that says what was wrong, like every other 4xx the runtime answers.
import * as http from "node:http";
import type * as stream from "node:stream";
import type { ServerLimits } from "./server";

/** The status, reason phrase and message for one parser error. */
export function clientErrorAnswer(err: NodeJS.ErrnoException & { reason?: string }, limits: Pick<ServerLimits, "headersTimeoutMs" | "requestTimeoutMs">): { status: number; message: string } {
    if (err.code === "HPE_HEADER_OVERFLOW") return { status: 431, message: `request headers over ${http.maxHeaderSize} bytes: send fewer or shorter headers (cookies included)` };
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
        return { status: 408, message: `the request did not arrive in time: headers within ${limits.headersTimeoutMs} ms, the whole request within ${limits.requestTimeoutMs} ms` };
    }
    // llhttp's reason names the fault ("Invalid header value char", "Transfer-Encoding can't be present with Content-Length").
    return { status: 400, message: `malformed HTTP request: ${err.reason ?? err.message}` };
}

/** Answers (or, when an answer is already under way or the peer is gone, just closes) the socket. */
export function answerClientError(err: NodeJS.ErrnoException, socket: stream.Duplex, limits: ServerLimits): void {
    // As Node does: nothing to say to a peer that reset, or once a response has started on this socket.
    if (err.code === "ECONNRESET" || !socket.writable || ((socket as { bytesWritten?: number }).bytesWritten ?? 0) > 0) return void socket.destroy();
    // A HEAD gets the headers only: its client reads no body, and would take one for garbage.
    const head = (err as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString("latin1") === "HEAD ";
    answerAndClose(socket, clientErrorAnswer(err, limits), head);
}

/**
 * CONNECT (a proxy tunnel) is not something this server does: 405 instead of Node's silent close
 * of the socket, which a client cannot tell from a crash.
 */
export function refuseConnect(req: http.IncomingMessage, socket: stream.Duplex): void {
    answerAndClose(socket, { status: 405, message: `CONNECT ${req.url}: this server is no proxy; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS` }, false);
}

function answerAndClose(socket: stream.Duplex, { status, message }: { status: number; message: string }, headersOnly: boolean): void {
    const body = JSON.stringify({ error: { message } });
    const head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
    socket.end(headersOnly ? head : `${head}${body}`);
}
