// CORS the way API Gateway HTTP APIs apply a CORS configuration: the gateway answers preflight
// OPTIONS requests itself (no route needed), adds the configured headers to responses for an
// allowed Origin, and ignores CORS headers the function returns. A request from an origin not
// allowed gets no CORS headers, so the browser blocks it. Response headers follow the same rules
// as the Tencent adapter's (functions/runtime/cors.ts).
import { allowedOriginHeaders, corsResponseHeaders, type CorsSettings } from "../functions/runtime/cors";

export interface LocalCors extends CorsSettings {
    allowMethods: string[];
    allowHeaders: string[];
    /** Seconds a browser may cache a preflight answer; undefined sends no max-age. */
    maxAge?: number;
}

/** Whether a request is a CORS preflight (OPTIONS with an Origin and the method it asks for). */
export function isPreflight(method: string, headers: Record<string, string>): boolean {
    return method === "OPTIONS" && headers.origin !== undefined && headers["access-control-request-method"] !== undefined;
}

/** The headers answering a preflight; none when the origin is not allowed. */
export function preflightHeaders(cors: LocalCors, origin: string): Record<string, string> {
    const headers = allowedOriginHeaders(cors, origin);
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
    return corsResponseHeaders(cors, origin, headers);
}
