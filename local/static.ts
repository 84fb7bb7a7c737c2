// The local runtime's StaticSite: files served from the site's directory with the rules the CDNs
// apply (client routes answered with index.html and 200, a missing file a real 404, hashed assets
// cached a year, everything else revalidated, the generated /config.json, the security headers),
// and the SSR paths answered by the site's Function. Paths that try to leave the directory
// (`..`, encoded or not, backslashes, NUL) are refused with 400 before any file is touched.
//
// Mounting (local/server.ts): for a request outside /api and /_local,
//     const site = primarySite(runtime);
//     if (site) return void serveSite(site, req, res);
import type { LocalSiteDescriptor } from "../components/local/descriptor";
import * as fs from "node:fs";
import type * as http from "node:http";
import * as path from "node:path";
import { cacheControlOf, CACHE_REVALIDATE, CONFIG_KEY, contentTypeOf, INDEX_KEY, isPublishedName } from "../components/build/site-files";
import { isClientRoute, matchesSsr, SECURITY_HEADERS, type SsrPath } from "../components/site-rules";
import type { HttpRequest, NormalizedResponse } from "../functions/runtime/http";
import type { LocalRuntime } from "./runtime";

/** Largest SSR request body read, as on Lambda. */
const MAX_SSR_BODY_BYTES = 6 * 1024 * 1024;

/** A site as its descriptor records it (components/local/descriptor.ts), its SSR function bound. */
export interface LocalSite extends Omit<LocalSiteDescriptor, "ssr"> {
    ssr?: { paths: SsrPath[]; render(request: HttpRequest): Promise<NormalizedResponse> };
}

const registries = new WeakMap<LocalRuntime, Map<string, LocalSite>>();

export function registerSite(runtime: LocalRuntime, site: LocalSite): void {
    let sites = registries.get(runtime);
    if (!sites) registries.set(runtime, (sites = new Map()));
    if (sites.has(site.name)) throw new Error(`local runtime: a site named '${site.name}' is already registered; component names must be unique`);
    sites.set(site.name, site);
}

/** Every site the program registered, in order. */
export function localSites(runtime: LocalRuntime): LocalSite[] {
    return [...(registries.get(runtime)?.values() ?? [])];
}

/** The site served at `/` of the runtime's port: the first one registered (each site gets its own domain on a cloud). */
export function primarySite(runtime: LocalRuntime): LocalSite | undefined {
    return localSites(runtime)[0];
}

class Refused extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

/** Answers one request for `site`; never throws (a failure is a 500 naming nothing internal). */
export async function serveSite(site: LocalSite, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
        const { urlPath, segments, query } = parseRequestPath(req.url ?? "/");
        const headers = baseHeaders(site);
        if (site.ssr && matchesSsr(urlPath, site.ssr.paths)) return await render(site, req, res, urlPath, query, headers);
        if (req.method !== "GET" && req.method !== "HEAD") {
            return reply(res, req, 405, { ...headers, allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }, `${req.method} is not allowed here\n`);
        }
        if (urlPath === `/${CONFIG_KEY}`) {
            return reply(res, req, 200, { ...headers, "content-type": contentTypeOf(CONFIG_KEY), "cache-control": CACHE_REVALIDATE }, site.configJson);
        }
        const key = segments.length === 0 ? INDEX_KEY : segments.join("/");
        if (segments.every(isPublishedName) && serveFile(site, req, res, key, headers)) return;
        const hashedDirectory = segments.length > 1 && site.hashedDirectories.includes(segments[0]);
        if (site.hasIndex && isClientRoute(urlPath) && !hashedDirectory && serveFile(site, req, res, INDEX_KEY, headers)) return;
        reply(res, req, 404, { ...headers, "content-type": "text/plain; charset=utf-8", "cache-control": CACHE_REVALIDATE }, "Not Found\n");
    } catch (err) {
        if (err instanceof Refused) {
            return reply(res, req, err.status, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" }, `${err.message}\n`);
        }
        console.error(`local runtime: site '${site.name}':`, err);
        reply(res, req, 500, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" }, "Internal Server Error\n");
    }
}

/**
 * The request's path, decoded, and its segments; refuses what could name a file outside the
 * site: `.` or `..` segments and backslashes (before and after percent-decoding), NUL, bad escapes.
 */
export function parseRequestPath(rawUrl: string): { urlPath: string; segments: string[]; query: string } {
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? "" : rawUrl.slice(q + 1);
    if (!rawPath.startsWith("/")) throw new Refused(400, "the request path must start with /");
    let urlPath: string;
    try {
        urlPath = decodeURIComponent(rawPath);
    } catch {
        throw new Refused(400, "the request path has a malformed percent-encoding");
    }
    for (const candidate of [rawPath, urlPath]) {
        if (candidate.includes("\\") || candidate.includes("\0")) throw new Refused(400, "the request path may not hold backslashes or NUL");
        if (candidate.split("/").some((s) => s === "." || s === "..")) throw new Refused(400, "the request path may not hold . or .. segments");
    }
    return { urlPath, segments: urlPath.split("/").filter((s) => s !== ""), query };
}

/** Serves `key` if it is a regular file inside the root, reached without symbolic links. */
function serveFile(site: LocalSite, req: http.IncomingMessage, res: http.ServerResponse, key: string, headers: Record<string, string>): boolean {
    const file = path.resolve(site.root, ...key.split("/"));
    if (!file.startsWith(site.root + path.sep)) return false;
    let stat: fs.Stats;
    try {
        stat = fs.lstatSync(file);
        // Symbolic links are not published to the clouds either (components/build/site-files.ts).
        if (!stat.isFile() || fs.realpathSync(file) !== path.join(fs.realpathSync(site.root), path.relative(site.root, file))) return false;
    } catch {
        return false;
    }
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const fileHeaders = { ...headers, "content-type": contentTypeOf(key), "cache-control": cacheControlOf(key), etag };
    if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, fileHeaders);
        res.end();
        return true;
    }
    res.writeHead(200, { ...fileHeaders, "content-length": String(stat.size) });
    if (req.method === "HEAD") res.end();
    else fs.createReadStream(file).on("error", () => res.destroy()).pipe(res);
    return true;
}

async function render(site: LocalSite, req: http.IncomingMessage, res: http.ServerResponse, urlPath: string, query: string, headers: Record<string, string>): Promise<void> {
    const body = await readBody(req);
    const request: HttpRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        path: urlPath,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(",") : String(v ?? "")])),
        query: Object.fromEntries(new URLSearchParams(query)),
        params: {},
        body: body.length > 0 ? body.toString("utf8") : undefined,
        requestId: `local-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
        sourceIp: req.socket.remoteAddress,
    };
    const response = await site.ssr!.render(request);
    // The CDN's response headers policy covers rendered pages too; the function's own headers win.
    reply(res, req, response.status, { ...headers, ...response.headers }, Buffer.from(response.body, response.isBase64 ? "base64" : "utf8"));
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_SSR_BODY_BYTES) {
                req.removeAllListeners("data");
                req.resume();
                reject(new Refused(413, `request body over ${MAX_SSR_BODY_BYTES} bytes`));
            } else chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

function baseHeaders(site: LocalSite): Record<string, string> {
    return { ...SECURITY_HEADERS, "content-security-policy": site.csp };
}

function reply(res: http.ServerResponse, req: http.IncomingMessage, status: number, headers: Record<string, string>, body: string | Buffer): void {
    if (res.headersSent) return void res.end();
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    res.writeHead(status, { ...headers, "content-length": String(bytes.byteLength) });
    res.end(req.method === "HEAD" ? undefined : bytes);
}
