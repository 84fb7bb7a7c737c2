// One HTTP request exactly as a test builds it (any method, a path sent unnormalised, repeated
// headers, any body bytes) with a bound on how long the answer may take: what fetch cannot send.
// Used by the fuzzer and the fault tests against a running `npm start`.
import * as http from "node:http";

export interface RawRequest {
    method: string;
    /** Sent as is: `..`, malformed escapes and all. */
    path: string;
    /** In order, repeats allowed; Host and Content-Length are added when missing. */
    headers: [string, string][];
    body?: Buffer;
    /** Ask for a WebSocket (adds the upgrade headers a browser sends). */
    upgrade?: boolean;
}

export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    /** The first `maxBodyBytes` of the body. */
    body: Buffer;
}

/** Thrown when no answer came within the bound: the property "never a hang" failed. */
export class NoAnswer extends Error {}

export function sendRaw(baseUrl: string, request: RawRequest, timeoutMs: number, maxBodyBytes = 1 << 20): Promise<RawResponse> {
    const url = new URL(baseUrl);
    const headers = [...request.headers];
    const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
    if (!has("host")) headers.push(["host", url.host]);
    if (request.body && !has("content-length")) headers.push(["content-length", String(request.body.length)]);
    if (request.upgrade) headers.push(["connection", "Upgrade"], ["upgrade", "websocket"], ["sec-websocket-version", "13"], ["sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="]);
    const abort = new AbortController();
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            abort.abort();
            reject(new NoAnswer(`no answer to ${request.method} ${request.path.slice(0, 200)} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (value: RawResponse | Error) => {
            clearTimeout(timer);
            if (value instanceof Error) reject(value);
            else resolve(value);
        };
        const req = http.request({
            host: url.hostname,
            port: url.port,
            method: request.method,
            path: request.path,
            headers: headers.flat(),
            setHost: false,
            agent: false,
            signal: abort.signal,
        });
        req.on("upgrade", (res, socket) => {
            socket.destroy();
            done({ status: res.statusCode ?? 101, headers: res.headers, body: Buffer.alloc(0) });
        });
        // A CONNECT's answer, whatever its status, comes here with the socket (and no 'response').
        req.on("connect", (res, socket, head) => {
            const chunks: Buffer[] = [Buffer.from(head)];
            socket.on("data", (chunk: Buffer) => chunks.push(chunk));
            socket.on("close", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, maxBodyBytes) }));
            socket.on("error", () => socket.destroy());
        });
        req.on("response", (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (chunk: Buffer) => {
                if (size < maxBodyBytes) chunks.push(chunk);
                size += chunk.length;
            });
            res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, maxBodyBytes) }));
            res.on("error", (err) => done(err));
        });
        req.on("error", (err) => {
            if (!abort.signal.aborted) done(err);
        });
        req.end(request.body);
    });
}
