// GET /_local/console/api/logs: every function's invocations and log lines as Server-Sent Events,
// as they happen ("start", "line", "end"; each data a JSON object naming the function and request
// id). `?function=<name>` keeps one function's. A comment every 15 s keeps idle proxies and the
// browser from giving up on the connection.
import type * as http from "node:http";
import type { LocalRuntime } from "../runtime";
import type { InvocationEvent } from "./invocation-log";

export const LOG_STREAM_PATH = "/_local/console/api/logs";
const KEEPALIVE_MS = 15_000;

/** Open streams per runtime: a stopping server waits for every connection, so they are ended first. */
const open = new WeakMap<LocalRuntime, Set<http.ServerResponse>>();

/** Ends every log stream of `runtime` (npm start's stop, before the server closes). */
export function endLogStreams(runtime: LocalRuntime): void {
    for (const res of open.get(runtime) ?? []) res.end();
}

export function streamLogs(runtime: LocalRuntime, req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const only = url.searchParams.get("function");
    const hosts = [...runtime.functions.values()].filter((f) => only === null || f.definition.name === only);
    if (req.method !== "GET") return refuse(res, 405, `${req.method} ${url.pathname}: only GET is allowed`);
    if (hosts.length === 0) return refuse(res, 404, `no function named '${only}'; functions: ${[...runtime.functions.keys()].join(", ") || "none"}`);
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.write(": connected\n\n");
    const send = (event: InvocationEvent) => {
        const { lines: _lines, ...record } = event.record;
        // "end" carries the whole record (error and stack included); "start" and "line" only what is new.
        const data = event.type === "line" ? { function: record.function, invocation: record.invocation, requestId: record.requestId, line: event.line } : event.type === "end" ? event.record : record;
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const stops = hosts.map((host) => host.recent.subscribe(send));
    const streams = open.get(runtime) ?? new Set();
    open.set(runtime, streams.add(res));
    const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
    keepalive.unref();
    res.on("close", () => {
        clearInterval(keepalive);
        streams.delete(res);
        for (const stop of stops) stop();
    });
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ error: { message } }));
}
