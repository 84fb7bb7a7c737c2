// CORS the way API Gateway HTTP APIs apply a CORS configuration: the gateway answers preflight
// OPTIONS requests itself (no route needed), adds the configured headers to responses for an
// allowed Origin, and ignores CORS headers the function returns. A request from an origin not
// allowed gets no CORS headers, so the browser blocks it.

export interface LocalCors {
    /** Exact origins, e.g. "https://app.example.com"; ["*"] allows any (never with credentials). */
    allowOrigins: string[];
    allowMethods: string[];
    allowHeaders: string[];
    allowCredentials: boolean;
    /** Response headers a page may read, e.g. x-request-id. */
    exposeHeaders: string[];
    /** Seconds a browser may cache a preflight answer; undefined sends no max-age. */
    maxAge?: number;
}

/** Whether a request is a CORS preflight (OPTIONS with an Origin and the method it asks for). */
export function isPreflight(method: string, headers: Record<string, string>): boolean {
    return method === "OPTIONS" && headers.origin !== undefined && headers["access-control-request-method"] !== undefined;
}

/** The headers answering a preflight; none when the origin is not allowed. */
export function preflightHeaders(cors: LocalCors, origin: string): Record<string, string> {
    const headers = originHeaders(cors, origin);
    if (!headers["access-control-allow-origin"]) return headers;
    headers["access-control-allow-methods"] = cors.allowMethods.join(",");
    if (cors.allowHeaders.length > 0) headers["access-control-allow-headers"] = cors.allowHeaders.join(",");
    if (cors.maxAge !== undefined) headers["access-control-max-age"] = String(cors.maxAge);
    return headers;
}

/**
 * The function's headers with its own CORS headers dropped and the configured ones added for
 * an allowed `origin`.
 */
export function withCorsHeaders(cors: LocalCors, origin: string | undefined, headers: Record<string, string>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!name.startsWith("access-control-")) result[name] = value;
    // The answer depends on the Origin, allowed or not: a shared cache must key on it.
    result.vary = result.vary ? `${result.vary},origin` : "origin";
    if (origin === undefined) return result;
    const added = originHeaders(cors, origin);
    if (added["access-control-allow-origin"] && cors.exposeHeaders.length > 0) added["access-control-expose-headers"] = cors.exposeHeaders.join(",");
    return { ...result, ...added };
}

function originHeaders(cors: LocalCors, origin: string): Record<string, string> {
    const any = cors.allowOrigins.includes("*") && !cors.allowCredentials;
    if (!any && !cors.allowOrigins.includes(origin)) return {};
    const headers: Record<string, string> = { "access-control-allow-origin": any ? "*" : origin };
    if (cors.allowCredentials) headers["access-control-allow-credentials"] = "true";
    return headers;
}
