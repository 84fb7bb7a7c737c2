// How the upload endpoint says no: a JSON `{ error: { code, message } }` as every HTTP error of
// the runtime. A refusal often comes before the body was read (or part-way through it): the
// answer closes the connection, and what the client still sends is read and dropped for a
// moment, so that it sees the answer instead of a reset; a client that keeps sending past that
// is cut off.
import type * as http from "node:http";

/** How much of an unwanted body is read (and dropped) after a refusal, and for how long. */
const DRAIN_BYTES = 1024 * 1024;
const DRAIN_MS = 2_000;

export class UploadRefusal extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
        super(message);
        this.name = "UploadRefusal";
    }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
    res.end(text);
}

export function refuse(req: http.IncomingMessage, res: http.ServerResponse, refusal: UploadRefusal, cors: Record<string, string>): void {
    if (res.headersSent) return void res.destroy();
    const unread = !req.complete;
    sendJson(res, refusal.status, { error: { code: refusal.code, message: refusal.message } }, { ...cors, ...refusal.headers, ...(unread ? { connection: "close" } : {}) });
    if (unread) drain(req);
}

function drain(req: http.IncomingMessage): void {
    let dropped = 0;
    const cut = () => req.socket.destroy();
    const timer = setTimeout(cut, DRAIN_MS).unref();
    req.on("data", (chunk: Buffer) => {
        dropped += chunk.length;
        if (dropped > DRAIN_BYTES) cut();
    });
    req.once("close", () => clearTimeout(timer));
    req.resume();
}
