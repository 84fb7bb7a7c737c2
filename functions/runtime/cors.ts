// CORS response headers for explicit origins, applied by an adapter where the gateway cannot:
// Tencent Cloud API Gateway's built-in CORS answers `Access-Control-Allow-Origin: *`, and the CORS
// plugin that takes a list of origins is not among the provider resources this project binds.
// Like API Gateway HTTP APIs on AWS, it drops CORS headers the handler set, and adds the
// configured ones only for an allowed Origin: a request from any other origin gets none, so the
// browser keeps the response from the page.
import type { NormalizedResponse } from "./http";

export interface CorsSettings {
    /** Exact origins, e.g. "https://shop.example.com"; ["*"] allows any (never with credentials). */
    allowOrigins: string[];
    allowCredentials: boolean;
    /** Response headers a page may read, e.g. x-request-id. */
    exposeHeaders: string[];
}

/** The variable a route function finds its API's CORS settings in (JSON of CorsSettings), set by the realisation's link. */
export const CORS_ENV = "SB_API_CORS";

export function corsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CorsSettings | undefined {
    const raw = env[CORS_ENV];
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<CorsSettings>;
    if (!Array.isArray(parsed.allowOrigins) || typeof parsed.allowCredentials !== "boolean" || !Array.isArray(parsed.exposeHeaders)) {
        throw new Error(`${CORS_ENV} must be {"allowOrigins":[...],"allowCredentials":bool,"exposeHeaders":[...]} (set by the API's link)`);
    }
    return { allowOrigins: parsed.allowOrigins, allowCredentials: parsed.allowCredentials, exposeHeaders: parsed.exposeHeaders };
}

/** The response with the handler's own CORS headers dropped and the configured ones added for an allowed origin. */
export function withCors(response: NormalizedResponse, origin: string | undefined, settings: CorsSettings | undefined): NormalizedResponse {
    if (!settings) return response;
    return { ...response, headers: corsResponseHeaders(settings, origin, response.headers) };
}

/**
 * `headers` without CORS headers of their own, plus the configured ones when `origin` is allowed
 * (the gateway's rules; the local runtime's /api applies them too).
 */
export function corsResponseHeaders(settings: CorsSettings, origin: string | undefined, headers: Record<string, string>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!name.startsWith("access-control-")) result[name] = value;
    // The answer depends on the Origin, allowed or not: a shared cache must key on it.
    result.vary = result.vary ? `${result.vary},origin` : "origin";
    if (origin === undefined) return result;
    const added = allowedOriginHeaders(settings, origin);
    if (added["access-control-allow-origin"] && settings.exposeHeaders.length > 0) added["access-control-expose-headers"] = settings.exposeHeaders.join(",");
    return { ...result, ...added };
}

/** Allow-Origin (and -Credentials) for an allowed origin; nothing for another. */
export function allowedOriginHeaders(settings: CorsSettings, origin: string): Record<string, string> {
    const any = settings.allowOrigins.includes("*") && !settings.allowCredentials;
    if (!any && !settings.allowOrigins.includes(origin)) return {};
    const headers: Record<string, string> = { "access-control-allow-origin": any ? "*" : origin };
    if (settings.allowCredentials) headers["access-control-allow-credentials"] = "true";
    return headers;
}
