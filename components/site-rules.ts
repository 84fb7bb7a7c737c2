// The rules every StaticSite target applies the same way: which paths are the app's client routes
// (answered with index.html), which go to the SSR function, and the security headers.
import { ConfigError } from "./config";

/** Two years, the HSTS preload list's minimum; subdomains included. */
export const HSTS_MAX_AGE_SECONDS = 63072000;

/** Headers every response carries besides the CSP (HSTS only over HTTPS, so not locally). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
};

export const HSTS_HEADER = `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;

/**
 * A path whose last segment has no file extension is a client route of the single-page app
 * (`/`, `/orders/42`, `/settings/`): it is answered with index.html and status 200. A path with
 * an extension names a file (`/assets/app.js`, `/favicon.ico`): when it is missing the answer is
 * a real 404, so a broken asset reference never comes back as HTML.
 */
export function isClientRoute(urlPath: string): boolean {
    const last = urlPath.slice(urlPath.lastIndexOf("/") + 1);
    return !last.includes(".");
}

/**
 * The default Content-Security-Policy: everything from the site itself, plus connections to the
 * origins named by URL-valued config (the API, the WebSocket endpoint, the auth issuer), so the
 * front end can reach its backend and nothing else. No inline script or style.
 */
export function defaultCsp(config: Record<string, string>): string {
    const origins = new Set<string>();
    for (const value of Object.values(config)) {
        const origin = urlOrigin(value);
        if (origin) origins.add(origin);
    }
    const connect = ["'self'", ...[...origins].sort()].join(" ");
    return [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src ${connect}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].join("; ");
}

function urlOrigin(value: string): string | undefined {
    try {
        const url = new URL(value);
        return ["http:", "https:", "ws:", "wss:"].includes(url.protocol) ? `${url.protocol}//${url.host}` : undefined;
    } catch {
        return undefined;
    }
}

/** A path the SSR function answers: an exact path (`/about`) or everything under a prefix (`/products/*`). */
export interface SsrPath {
    /** As given, which is also CloudFront's path pattern. */
    pattern: string;
    /** `/products/` for `/products/*`, `/about` for `/about`, `/` for `/*`. */
    prefix: string;
    exact: boolean;
}

const SEGMENT = "[A-Za-z0-9._~!$&'()+,;=:@-]+";
const SSR_PATTERN = new RegExp(`^/(?:${SEGMENT}/)*(?:${SEGMENT}|\\*)?$`);

/** Parses `ssr.paths`; anything the three targets cannot all route the same way is a ConfigError. */
export function parseSsrPaths(site: string, patterns: string[]): SsrPath[] {
    const key = `StaticSite '${site}' ssr.paths`;
    if (patterns.length === 0) throw new ConfigError(key, "[]", "give at least one path, e.g. \"/products/*\"");
    const seen = new Set<string>();
    return patterns.map((pattern) => {
        if (!SSR_PATTERN.test(pattern) || pattern.split("/").some((s) => s === "." || s === "..")) {
            throw new ConfigError(key, pattern, "expected an exact path (\"/about\") or a prefix ending in \"/*\" (\"/products/*\", \"/*\"); '*' only as the last segment");
        }
        if (seen.has(pattern)) throw new ConfigError(key, pattern, "each path once");
        seen.add(pattern);
        const wildcard = pattern.endsWith("*");
        return { pattern, prefix: wildcard ? pattern.slice(0, -1) : pattern, exact: !wildcard };
    });
}

export function matchesSsr(urlPath: string, paths: readonly SsrPath[]): boolean {
    return paths.some((p) => (p.exact ? urlPath === p.prefix : urlPath.startsWith(p.prefix)));
}

/** Does the SSR function answer `/` (so the site needs no index.html)? */
export function ssrServesRoot(paths: readonly SsrPath[]): boolean {
    return matchesSsr("/", paths);
}
