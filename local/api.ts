// The local runtime's API gateway: every BusinessApi's routes served under /api, doing what API
// Gateway does before and after the function: route matching (404 with the routes there are,
// 405 with an Allow header), path params, query strings, headers lower-cased, the body as text,
// 413 over Lambda's 6 MB without reading the rest, JWT on every route not public (its roles are
// the route function's adapter's to check, as behind API Gateway), CORS, throttling per route
// (429), a request id on every answer, each of the function's cookies as its own Set-Cookie
// header, and the function's crash or silence as a 500 or 504 that shows the request id, never a stack.
import { randomUUID } from "node:crypto";
import type * as http from "node:http";
import { LOCAL_API_PATH } from "../components/local/settings";
import { verifyBearer } from "../functions/runtime/auth/jwt";
import { HttpError, isTextContent, type HttpRequest, type NormalizedResponse } from "../functions/runtime/http";
import { isPreflight, LocalCors, preflightHeaders, withCorsHeaders } from "./api-cors";
import { RoutePathError, RouteTable } from "./api-routes";
import { TokenBucket } from "./api-throttle";
import { FunctionTimeoutError } from "./function-host";
import type { LocalRuntime } from "./runtime";

/** Where the gateway is mounted on the runtime's port (an API's url says the same). */
export const API_PREFIX = LOCAL_API_PATH;

export interface LocalApiRoute {
    /** "POST /users/{id}" as the component was given it. */
    key: string;
    method: string;
    path: string;
    functionName: string;
    /** Requires a valid bearer token (the API's `jwt`). */
    auth: boolean;
}

export interface LocalApiJwt {
    issuer: string;
    audience: string[];
    jwksUrl?: string;
}

export interface LocalApiDefinition {
    /** The BusinessApi component's name. */
    name: string;
    routes: LocalApiRoute[];
    cors?: LocalCors;
    jwt?: LocalApiJwt;
    throttle: { burstLimit: number; rateLimit: number };
}

export interface GatewayOptions {
    /** Largest request body accepted (bytes). */
    maxBodyBytes: number;
}

interface Bound {
    api: LocalApiDefinition;
    route: LocalApiRoute;
    bucket: TokenBucket;
}

type Reply = { status: number; headers: Record<string, string>; cookies?: string[]; body: string | Buffer };

export class LocalApiGateway {
    private readonly apis = new Map<string, LocalApiDefinition>();
    /** Every API's routes: they share API_PREFIX, as one BusinessApi's do its URL on a cloud. */
    private readonly table = new RouteTable<Bound>();
    /** Answer 429 over a route's rate limit, as the cloud would; off for benchmarks and load tests. */
    throttling = true;

    constructor(private readonly runtime: LocalRuntime) {}

    /** Adds an API's routes; a route another API (or this one) already serves is refused. */
    register(definition: LocalApiDefinition): void {
        if (this.apis.has(definition.name)) throw new Error(`local runtime: an API named '${definition.name}' is already registered; component names must be unique`);
        if (definition.routes.some((r) => r.auth) && !definition.jwt) throw new Error(`local runtime: API '${definition.name}' has routes that need a token (not public) but no jwt settings`);
        const own = new RouteTable<null>();
        for (const route of definition.routes) {
            const clash = this.table.clash(route.method, route.path) ?? own.clash(route.method, route.path);
            if (clash) throw new Error(`local runtime: API '${definition.name}' route '${route.key}' would serve the requests of ${prefixed(clash)} (every API shares ${API_PREFIX} locally)`);
            own.add(route.method, route.path, null);
        }
        // Per route, as API Gateway applies a stage's default route throttling to each route.
        for (const route of definition.routes) {
            const bucket = new TokenBucket(definition.throttle.rateLimit, definition.throttle.burstLimit);
            this.table.add(route.method, route.path, { api: definition, route, bucket });
        }
        this.apis.set(definition.name, definition);
    }

    /** For /_local/status: each API and its routes. */
    status(): { name: string; routes: { key: string; functionName: string; auth: boolean }[] }[] {
        return [...this.apis.values()].map((definition) => ({
            name: definition.name,
            routes: definition.routes.map((r) => ({ key: prefixed(`${r.method} ${r.path}`), functionName: r.functionName, auth: r.auth })),
        }));
    }

    /** Answers one request whose path starts with API_PREFIX. Never rejects. */
    async serve(req: http.IncomingMessage, res: http.ServerResponse, options: GatewayOptions): Promise<void> {
        const requestId = randomUUID();
        let reply: Reply;
        try {
            reply = await this.handle(req, requestId, options);
        } catch (err) {
            // The client went away mid-body (or was timed out with a 408): no one is left to answer.
            if (req.destroyed && !req.complete) return;
            reply = failure(err, requestId);
        }
        reply.headers["x-request-id"] = requestId;
        write(res, reply);
    }

    private async handle(req: http.IncomingMessage, requestId: string, options: GatewayOptions): Promise<Reply> {
        const method = (req.method ?? "GET").toUpperCase();
        const target = req.url ?? "/";
        const queryAt = target.indexOf("?");
        const rawPath = (queryAt < 0 ? target : target.slice(0, queryAt)).slice(API_PREFIX.length) || "/";
        const headers = lowerCasedHeaders(req);

        let match;
        try {
            match = this.table.match(method, rawPath);
        } catch (err) {
            if (err instanceof RoutePathError) return errorReply(400, "bad_request", err.message);
            throw err;
        }
        if (isPreflight(method, headers) && match.kind !== "found") return this.preflight(match.kind === "method" ? match.owner.api : undefined, rawPath, headers.origin);
        if (match.kind === "none") {
            return errorReply(404, "not_found", `no route for ${method} ${API_PREFIX}${rawPath}`, { routes: this.table.keys().map(prefixed) });
        }
        if (match.kind === "method") {
            const reply = errorReply(405, "method_not_allowed", `${method} is not allowed on ${API_PREFIX}${rawPath}; allowed: ${match.allowed.join(", ")}`);
            reply.headers.allow = match.allowed.join(", ");
            return reply;
        }
        const { api, route, bucket } = match.value;
        const cors = (reply: Reply): Reply => (api.cors ? { ...reply, headers: withCorsHeaders(api.cors, headers.origin, reply.headers) } : reply);
        const oversized = oversizedParam(match.params);
        if (oversized) return cors(errorReply(400, "bad_request", oversized));

        if (this.throttling && !bucket.take()) {
            return cors(errorReply(429, "too_many_requests", `route '${route.key}' of API '${api.name}' is throttled: more than ${api.throttle.rateLimit} requests/s (burst ${api.throttle.burstLimit})`));
        }
        const body = await readBody(req, headers, options.maxBodyBytes);
        if (body === undefined) return cors(errorReply(413, "payload_too_large", `request body over ${options.maxBodyBytes} bytes (Lambda's limit)`));

        const request: HttpRequest = {
            method,
            path: rawPath,
            headers,
            query: queryParameters(queryAt < 0 ? "" : target.slice(queryAt + 1)),
            params: match.params,
            requestId,
        };
        // Text as text; other content types keep their exact bytes (the HTTP contract's `bytes`).
        if (body.length > 0) {
            if (isTextContent(headers["content-type"])) request.body = body.toString("utf8");
            else request.bytes = body;
        }
        if (req.socket.remoteAddress) request.sourceIp = req.socket.remoteAddress;
        if (route.auth) {
            try {
                request.claims = await verifyBearer(headers, api.jwt!);
            } catch (err) {
                if (HttpError.is(err)) return cors(fromHttpError(err));
                throw err;
            }
        }
        let response: NormalizedResponse;
        try {
            response = await this.invoke(route, request);
        } catch (err) {
            return cors(failure(err, requestId));
        }
        return cors({
            status: response.status,
            headers: response.headers,
            cookies: response.cookies,
            body: response.isBase64 ? Buffer.from(response.body, "base64") : response.body,
        });
    }

    private async invoke(route: LocalApiRoute, request: HttpRequest): Promise<NormalizedResponse> {
        // The route's timeout is at most API Gateway's 30 s (BusinessApi checks it), so the function's own timeout is the gateway's.
        const result = await this.runtime.function(route.functionName).invoke({ kind: "http", request, route: route.key });
        if (!isNormalizedResponse(result)) throw new Error(`function '${route.functionName}' answered no HTTP response: is its handler made with http(...)?`);
        return result;
    }

    /** API Gateway answers preflights itself for any path of an API with CORS (locally: the API serving the path, or the only one). */
    private preflight(api: LocalApiDefinition | undefined, rawPath: string, origin: string): Reply {
        const apis = [...this.apis.values()];
        const owner = api ?? (apis.length === 1 ? apis[0] : undefined);
        if (!owner?.cors) return errorReply(404, "not_found", `no route for OPTIONS ${API_PREFIX}${rawPath}, and no CORS configured to answer a preflight`);
        return { status: 204, headers: preflightHeaders(owner.cors, origin), body: "" };
    }
}

const gateways = new WeakMap<LocalRuntime, LocalApiGateway>();

/** The gateway of `runtime`: the local BusinessApis register into it, the server mounts it. */
export function localApiGateway(runtime: LocalRuntime): LocalApiGateway {
    let gateway = gateways.get(runtime);
    if (!gateway) gateways.set(runtime, (gateway = new LocalApiGateway(runtime)));
    return gateway;
}

/** Whether a request target belongs to the gateway: "/api", "/api/..." or "/api?...". */
export function isApiRequest(target: string | undefined): boolean {
    if (!target?.startsWith(API_PREFIX)) return false;
    const next = target.charAt(API_PREFIX.length);
    return next === "" || next === "/" || next === "?";
}

/** "GET /users/{id}" -> "GET /api/users/{id}": what a caller of the local runtime sends. */
function prefixed(key: string): string {
    const space = key.indexOf(" ");
    const path = key.slice(space + 1);
    return `${key.slice(0, space)} ${API_PREFIX}${path === "/" ? "" : path}`;
}

/**
 * Lower-cased names; a repeated header's values joined with "," (API Gateway's payload 2.0), but
 * several Cookie headers with "; ", as one Cookie header carries its pairs.
 */
function lowerCasedHeaders(req: http.IncomingMessage): Record<string, string> {
    // From rawHeaders (name, value, name, value...) in one pass: headersDistinct would build an array per header first.
    const headers: Record<string, string> = {};
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i].toLowerCase();
        const seen = headers[name];
        headers[name] = seen === undefined ? raw[i + 1] : `${seen}${name === "cookie" ? "; " : ","}${raw[i + 1]}`;
    }
    return headers;
}

/**
 * Longest path parameter accepted, in UTF-8 bytes: no id the runtime's clients take is longer
 * (a table's sort key is at most 1,024 bytes), so a longer one is the client's error (400), not
 * a RangeError deep in a function (500).
 */
export const MAX_PATH_PARAM_BYTES = 1024;

/** The 400 message for the first path parameter over MAX_PATH_PARAM_BYTES, if any. */
function oversizedParam(params: Record<string, string>): string | undefined {
    for (const [name, value] of Object.entries(params)) {
        const bytes = Buffer.byteLength(value, "utf8");
        if (bytes > MAX_PATH_PARAM_BYTES) return `path parameter '${name}' is ${bytes} bytes, at most ${MAX_PATH_PARAM_BYTES}`;
    }
    return undefined;
}

/** Decoded parameters; a repeated key's values joined with "," (API Gateway's payload 2.0). */
function queryParameters(raw: string): Record<string, string> {
    const query: Record<string, string> = {};
    if (raw === "") return query;
    for (const [key, value] of new URLSearchParams(raw)) query[key] = key in query ? `${query[key]},${value}` : value;
    return query;
}

const NO_BODY: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));

/**
 * The body, or undefined when it is over `limit`: a declared length over it is refused before
 * reading a byte; a chunked body is cut off at the limit. Either way the rest is not read: the
 * answer closes the connection.
 */
function readBody(req: http.IncomingMessage, headers: Record<string, string>, limit: number): Promise<Buffer | undefined> {
    // Neither header: HTTP/1.1 says there is no body (RFC 9112 6.3), so nothing to wait for (most GETs).
    if (headers["content-length"] === undefined && headers["transfer-encoding"] === undefined) return NO_BODY;
    if (Number(headers["content-length"] ?? 0) > limit) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer) => {
            size += chunk.length;
            if (size <= limit) return void chunks.push(chunk);
            req.off("data", onData);
            req.pause();
            resolve(undefined);
        };
        req.on("data", onData);
        req.once("end", () => resolve(Buffer.concat(chunks, size)));
        req.once("error", reject);
        req.once("close", () => reject(new Error("the client closed the connection before sending the whole body")));
    });
}

function isNormalizedResponse(value: unknown): value is NormalizedResponse {
    const r = value as NormalizedResponse;
    return typeof r === "object" && r !== null && Number.isInteger(r.status) && typeof r.body === "string" && typeof r.headers === "object";
}

/** A crash or a timeout: the cause goes to the log with the request id, the caller gets only the id. */
function failure(err: unknown, requestId: string): Reply {
    const timedOut = err instanceof FunctionTimeoutError;
    console.error(`[${requestId}] ${timedOut ? "gateway timeout" : "internal error"}: ${err instanceof Error ? err.message : String(err)}`);
    return timedOut
        ? errorReply(504, "gateway_timeout", "the function did not answer in time", undefined, requestId)
        : errorReply(500, "internal", "internal error", undefined, requestId);
}

function fromHttpError(err: HttpError): Reply {
    const reply = errorReply(err.status, err.code, err.message, err.details);
    if (err.status === 401) reply.headers["www-authenticate"] = "Bearer";
    return reply;
}

function errorReply(status: number, code: string, message: string, details?: unknown, requestId?: string): Reply {
    const error: Record<string, unknown> = { code, message };
    if (details !== undefined) error.details = details;
    if (requestId !== undefined) error.requestId = requestId;
    return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify({ error }) };
}

/** Hop-by-hop headers are the server's business, not the function's. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]);

function write(res: http.ServerResponse, reply: Reply): void {
    if (res.headersSent) return;
    const body = reply.body;
    const headers: Record<string, string | number | string[]> = {};
    for (const name in reply.headers) if (!HOP_BY_HOP.has(name)) headers[name] = reply.headers[name];
    // An array: node:http sends one Set-Cookie header per value.
    if (reply.cookies && reply.cookies.length > 0) headers["set-cookie"] = [...reply.cookies];
    // A string body stays a string: node:http then sends it with the headers in one write, not two.
    headers["content-length"] = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.length;
    // A body refused for its size is not read: the connection closes after the answer instead.
    if (reply.status === 413 && !res.req.complete) headers.connection = "close";
    res.writeHead(reply.status, headers);
    res.end(body);
}
