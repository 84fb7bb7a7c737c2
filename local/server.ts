// The local runtime's HTTP front door: one port for the whole app. BusinessApis are served under
// /api (local/api.ts), Realtimes' WebSockets under /ws (local/realtime/: the server's upgrade
// requests), FileUploads' signed PUTs under /_local/uploads (local/uploads/), a StaticSite at /
// (local/static.ts; until one exists, a welcome page), the runtime's status (functions, hubs,
// tasks with their queues, APIs, Realtimes with their connections, FileUploads with their
// objects, workflows with their executions), workflow executions' histories under
// /_local/workflows (local/workflows/), the fake payment service under /_local/payment-service
// when the app has one (local/payment-service/), direct invocation, publishing to a hub, and the
// console at /_local/ with its data under /_local/console/api (local/console/).
// /_local/* answers only this machine's tools holding this run's token (local/local-guard.ts); a
// request that is slow to arrive gets a 408 (SERVER_LIMITS); no client input is a 500.
import * as http from "node:http";
import { isLocalDescriptor } from "../components/local/descriptor";
import type { EngineResource } from "../engine/run";
import { jsonNestingExceeds, MAX_JSON_DEPTH } from "../functions/runtime/http";
import { isApiRequest, localApiGateway } from "./api";
import { FunctionError } from "./function-host";
import { answerAliasRequest, isAliasRequest } from "./alias-endpoint";
import { localReleases } from "./function-versions";
import { answerClientError, refuseConnect } from "./client-error";
import { answerConsoleApi, ConsoleRequestError, isConsoleApiRequest } from "./console/api";
import { LOG_STREAM_PATH, streamLogs } from "./console/log-stream";
import { isConsolePage, serveConsolePage } from "./console/page";
import { newLocalToken } from "./console/token";
import { isLocalEndpoint, localEndpointRefusal } from "./local-guard";
import { isOidcRequest, type LocalOidc } from "./oidc";
import { isPaymentServiceRequest, PAYMENT_SERVICE_PATH, type FakePaymentService } from "./payment-service/service";
import { isRealtimeRequest, localRealtimeServer } from "./realtime/server";
import { primarySite, serveSite } from "./static";
import type { LocalRuntime } from "./runtime";
import { answerUploadRequest } from "./uploads/endpoint";
import { isUploadRequest, localUploads } from "./uploads/service";
import { answerWorkflowRequest, isWorkflowRequest } from "./workflows/endpoint";
import { localWorkflows } from "./workflows/service";

/** Lambda's synchronous payload limit; the local runtime refuses what the cloud would. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * How long a client may take to send a request, and how many connections it may hold: a stalled
 * or trickled request is answered 408 and closed (Node checks every `checkIntervalMs`), and
 * connections past `maxConnections` are dropped, so no client holds the port for minutes.
 * The timeouts end at the request's last byte: a function's own time (up to 30 s) is not counted.
 */
export interface ServerLimits {
    /** Until the request's headers are in. */
    headersTimeoutMs: number;
    /** Until the whole request, body included, is in: generous for a local upload, short for a stall. */
    requestTimeoutMs: number;
    checkIntervalMs: number;
    /** Open connections (WebSockets included); more are refused. */
    maxConnections: number;
}

export const SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, checkIntervalMs: 1_000, maxConnections: 1_000 };

export interface ServerContext {
    stack: string;
    runtime: LocalRuntime;
    components: EngineResource[];
    /** The local OpenID provider under /_local/oidc, when sign-in is configured (local/oidc). */
    oidc?: LocalOidc;
    /** The fake payment service under /_local/payment-service, when the app pays (local/payment-service). */
    paymentService?: FakePaymentService;
    /**
     * This run's token, which every /_local/* request must carry (local/console/token.ts). When
     * absent, createLocalServer makes one and sets it here; either way the runtime's functions get
     * it as SB_LOCAL_TOKEN.
     */
    token?: string;
}

class RequestError extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

export function createLocalServer(ctx: ServerContext, limits: ServerLimits = SERVER_LIMITS): http.Server {
    const api = localApiGateway(ctx.runtime);
    const realtime = localRealtimeServer(ctx.runtime);
    const uploads = localUploads(ctx.runtime);
    const token = (ctx.token ??= newLocalToken());
    ctx.runtime.sharedEnvironment.SB_LOCAL_TOKEN = token;
    const options: http.ServerOptions = {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: limits.checkIntervalMs,
    };
    const server = http.createServer(options, (req, res) => {
        const refusal = isLocalEndpoint(req.url) ? localEndpointRefusal(req, token) : undefined;
        if (refusal) return send(res, refusal.status, { error: { message: refusal.message } }, { connection: "close" });
        if (isApiRequest(req.url)) {
            // The server listens before the app is loaded (the program needs its address): until then a
            // route that will exist is unavailable, not missing, so callers retry (a 404 is final to them).
            if (!ctx.runtime.started) return send(res, 503, { error: { message: "the app is starting; try again in a moment" } }, { "retry-after": "1" });
            return void api.serve(req, res, { maxBodyBytes: MAX_BODY_BYTES });
        }
        // Before the site: browsers PUT files here, up to a FileUpload's own size limit (not MAX_BODY_BYTES).
        if (isUploadRequest(req.url)) return void answerUploadRequest(uploads, req, res);
        if (isRealtimeRequest(req.url)) return realtime.answerPlainRequest(req, res);
        if (ctx.oidc && isOidcRequest(req.url)) return void ctx.oidc.handle(req, res);
        if (ctx.paymentService && isPaymentServiceRequest(req.url)) return void ctx.paymentService.handle(req, res);
        // Everything outside /api and /_local belongs to the StaticSite, once the app has one.
        const site = primarySite(ctx.runtime);
        if (site && !isLocalEndpoint(req.url)) return void serveSite(site, req, res);
        const pathname = (req.url ?? "/").split("?")[0];
        if (isConsolePage(pathname)) return void serveConsolePage(req, res, new URL(req.url ?? "/", "http://local"));
        if (pathname === LOG_STREAM_PATH) return streamLogs(ctx.runtime, req, res, new URL(req.url ?? "/", "http://local"));
        route(ctx, req).then(
            (reply) => send(res, reply.status, reply.body),
            (err) => {
                const status = err instanceof RequestError || err instanceof ConsoleRequestError ? err.status : 500;
                if (status === 500) console.error("local runtime:", err);
                send(res, status, { error: { message: status === 500 ? "internal error" : err.message } });
            },
        );
    });
    // WebSockets: a Realtime's path is upgraded (or refused with an HTTP status); nothing else is.
    server.on("upgrade", (req, socket, head) => realtime.upgrade(req, socket, head));
    // What Node's parser refuses (bad bytes, headers too large, too slow) is answered in JSON too.
    server.on("clientError", (err, socket) => answerClientError(err, socket, limits));
    server.on("connect", refuseConnect);
    server.maxConnections = limits.maxConnections;
    return server;
}

async function route(ctx: ServerContext, req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname === "/_local/status") {
        if (req.method !== "GET") throw new RequestError(405, `${req.method} ${url.pathname}: only GET is allowed`);
        return { status: 200, body: status(ctx) };
    }
    if (isConsoleApiRequest(url.pathname)) {
        return { status: 200, body: await answerConsoleApi(ctx, req.method ?? "GET", url, async () => parseJson(await readBody(req))) };
    }
    if (isWorkflowRequest(url.pathname)) return answerWorkflowRequest(localWorkflows(ctx.runtime), req.method, url.pathname);
    if (isAliasRequest(url.pathname)) return answerAliasRequest(localReleases(ctx.runtime), req.method, url.pathname, async () => parseJson(await readBody(req)));
    const invoke = /^\/_local\/functions\/([^/]+)\/invoke$/.exec(url.pathname);
    if (invoke) {
        if (req.method !== "POST") throw new RequestError(405, `${req.method} ${url.pathname}: only POST is allowed`);
        const name = decodeSegment(invoke[1]);
        const host = ctx.runtime.functions.get(name);
        if (!host) throw new RequestError(404, `no function named '${name}'; known: ${[...ctx.runtime.functions.keys()].join(", ")}`);
        const input = parseJson(await readBody(req));
        try {
            return { status: 200, body: { result: await host.invoke(input) } };
        } catch (err) {
            // An input that does not fit the handler is the caller's 400; the function's own failure a 502.
            throw new RequestError(err instanceof FunctionError && err.errorName === "LocalInputError" ? 400 : 502, (err as Error).message);
        }
    }
    const publish = /^\/_local\/hubs\/([^/]+)\/events$/.exec(url.pathname);
    if (publish) {
        if (req.method !== "POST") throw new RequestError(405, `${req.method} ${url.pathname}: only POST is allowed`);
        const bus = decodeSegment(publish[1]);
        if (!ctx.runtime.hubs.has(bus)) throw new RequestError(404, `no hub named '${bus}'; known: ${[...ctx.runtime.hubs.keys()].join(", ") || "none"}`);
        const body = parseJson(await readBody(req));
        try {
            // One event ({"type", "detail", "source"?}) or an array of them.
            return { status: 200, body: { ids: ctx.runtime.publish(bus, Array.isArray(body) ? body : [body]) } };
        } catch (err) {
            throw new RequestError(400, (err as Error).message);
        }
    }
    if (url.pathname === "/" && req.method === "GET") return { status: 200, body: welcome(ctx) };
    throw new RequestError(404, `nothing at ${req.method} ${url.pathname}`);
}

function status(ctx: ServerContext) {
    return {
        stack: ctx.stack,
        cloud: "local",
        components: appComponents(ctx).map((r) => ({ type: r.type, name: r.name, parent: r.parent })),
        functions: [...ctx.runtime.functions.values()].map((f) => ({
            name: f.definition.name,
            timeoutSeconds: f.definition.timeoutSeconds,
            memoryMb: f.definition.memoryMb,
            invocations: f.invocations,
            errors: f.errors,
            // p50/p99 of its recent invocations, as the console computes them (local/console/invocation-log.ts).
            latencyMs: f.recent.latency(),
            // Its versions and where its `live` alias points (local/function-versions.ts), once started.
            ...(localReleases(ctx.runtime).has(f.definition.name) ? { alias: localReleases(ctx.runtime).status(f.definition.name) } : {}),
        })),
        ...(ctx.runtime.started ? ctx.runtime.events.status() : { hubs: [], tasks: [] }),
        apis: localApiGateway(ctx.runtime).status(),
        realtimes: localRealtimeServer(ctx.runtime).status(),
        uploads: localUploads(ctx.runtime).status(),
        workflows: localWorkflows(ctx.runtime).status(),
        ...(ctx.paymentService ? { paymentService: { path: PAYMENT_SERVICE_PATH } } : {}),
        ...(ctx.oidc ? { signIn: { issuer: ctx.oidc.issuer } } : {}),
    };
}

/** The app's components; the local descriptors among them show as the functions, hubs, tasks and APIs listed. */
function appComponents(ctx: ServerContext): EngineResource[] {
    return ctx.components.filter((r) => !r.custom && !isLocalDescriptor(r.type));
}

function welcome(ctx: ServerContext): string {
    const items = appComponents(ctx).map((r) => `<li><code>${escape(r.type)}</code> ${escape(r.name)}</li>`);
    return `<!doctype html><meta charset="utf-8"><title>serverless-blocks</title>
<h1>serverless-blocks is running locally</h1>
<p>Stack <b>${escape(ctx.stack)}</b>. No StaticSite yet; the app's components:</p>
<ul>${items.join("")}</ul>
<p>The local console: the URL npm start printed (<code>/_local/?token=…</code>); status as JSON at <code>/_local/status</code> with the token (<code>.data/local-token</code>).</p>`;
}

function escape(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                // Answer now and drain the rest unread: destroying the socket would lose the 413.
                req.removeAllListeners("data");
                req.resume();
                reject(new RequestError(413, `request body over ${MAX_BODY_BYTES} bytes`));
            } else chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

/** A percent-encoded path segment; a malformed escape ("%ZZ") is the client's error, not ours. */
function decodeSegment(part: string): string {
    try {
        return decodeURIComponent(part);
    } catch {
        throw new RequestError(400, `'${part}' in the path is not valid percent-encoded UTF-8`);
    }
}

function parseJson(text: string): unknown {
    // Refused before parsing: a worker cannot receive a value this deep (structured clone overflows).
    if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) throw new RequestError(400, `body is nested more than ${MAX_JSON_DEPTH} levels deep`);
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new RequestError(400, `body is not valid JSON: ${(err as Error).message}`);
    }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
    if (res.headersSent) return;
    const html = typeof body === "string";
    res.writeHead(status, { ...headers, "content-type": html ? "text/html; charset=utf-8" : "application/json; charset=utf-8" });
    res.end(html ? body : JSON.stringify(body));
}
