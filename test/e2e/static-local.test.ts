// The local StaticSite over real HTTP: the site a program registers, served by local/static.ts on a
// plain node:http server, as local/server.ts mounts it: client routes, hashed assets, missing files,
// config.json, the security headers, SSR through the site's Function in its worker, and requests
// that try to leave the site's directory.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { closure } from "../../components";
import { CACHE_IMMUTABLE, CACHE_REVALIDATE } from "../../components/build/site-files";
import { StaticSite } from "../../components/static-site";
import { http as httpHandler } from "../../functions/runtime";
import { primarySite, serveSite } from "../../local/static";
import { evaluate, type Evaluated } from "../harness";
import { makeSite, removeSite, SITE_FILES } from "../fixtures/static-site";

const CONFIG = { apiUrl: "http://127.0.0.1:3000/api", authIssuer: "http://127.0.0.1:3000/auth" };
const PROJECT_PACKAGE = fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8");

interface Answer {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** A raw request: the path is sent exactly as given (fetch would resolve `..` before sending). */
function request(base: string, rawPath: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    const { hostname, port } = new URL(base);
    return new Promise((resolve, reject) => {
        const req = http.request({ hostname, port, path: rawPath, method: init.method ?? "GET", headers: init.headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
        req.end(init.body);
    });
}

describe("StaticSite served locally", function () {
    this.timeout(60_000);
    let dir: string;
    let outside: string;
    let stack: Evaluated;
    let server: http.Server;
    let base: string;

    before(async () => {
        dir = makeSite();
        // A file beside the site and a link to it from inside: neither may be served.
        outside = path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`);
        fs.writeFileSync(outside, "secret beside the site\n");
        fs.symlinkSync(outside, path.join(dir, "linked.txt"));
        stack = await evaluate("local", () => {
            new StaticSite("web", {
                path: dir,
                config: CONFIG,
                ssr: {
                    paths: ["/products/*"],
                    code: closure(httpHandler(async (req) => ({
                        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
                        body: `<h1>product ${req.path.split("/").pop()}</h1><p>${req.method} ${req.query.color ?? ""}</p>`,
                    }))),
                },
            });
        });
        const site = primarySite(stack.runtime)!;
        server = http.createServer((req, res) => void serveSite(site, req, res));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
        await new Promise<void>((resolve) => server?.close(() => resolve()));
        await stack?.runtime.close();
        removeSite(dir);
        fs.rmSync(outside, { force: true });
    });

    it("serves / with index.html, revalidated, with the security headers and the CSP", async () => {
        const res = await request(base, "/");
        assert.equal(res.status, 200);
        assert.equal(res.body, SITE_FILES["index.html"]);
        assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
        assert.equal(res.headers["cache-control"], CACHE_REVALIDATE);
        assert.equal(res.headers["x-content-type-options"], "nosniff");
        assert.equal(res.headers["x-frame-options"], "DENY");
        assert.equal(res.headers["referrer-policy"], "strict-origin-when-cross-origin");
        assert.match(String(res.headers["content-security-policy"]), /^default-src 'self';.*connect-src 'self' http:\/\/127\.0\.0\.1:3000;/);
        assert.equal(res.headers["strict-transport-security"], undefined, "no HSTS over plain HTTP");
    });

    it("answers a client route with index.html and 200", async () => {
        for (const route of ["/orders/42", "/settings/", "/orders/42?tab=items", "/v1.0/about/"]) {
            const res = await request(base, route);
            assert.equal(res.status, 200, route);
            assert.equal(res.body, SITE_FILES["index.html"], route);
        }
    });

    it("serves a hashed asset with its content type, cached a year as immutable, and answers its ETag with 304", async () => {
        const res = await request(base, "/assets/app.1f2e3d4c.js");
        assert.equal(res.status, 200);
        assert.equal(res.body, SITE_FILES["assets/app.1f2e3d4c.js"]);
        assert.equal(res.headers["content-type"], "text/javascript; charset=utf-8");
        assert.equal(res.headers["cache-control"], CACHE_IMMUTABLE);
        const again = await request(base, "/assets/app.1f2e3d4c.js", { headers: { "if-none-match": String(res.headers.etag) } });
        assert.equal(again.status, 304);
        assert.equal(again.body, "");
        const robots = await request(base, "/robots.txt");
        assert.equal(robots.headers["cache-control"], CACHE_REVALIDATE, "an unhashed file is revalidated");
        assert.equal(robots.headers["content-type"], "text/plain; charset=utf-8");
    });

    it("answers a missing file with a real 404, never index.html", async () => {
        for (const missing of ["/assets/app.00000000.js", "/missing.png", "/orders/42/invoice.pdf", "/assets/not-a-route"]) {
            const res = await request(base, missing);
            assert.equal(res.status, 404, missing);
            assert.equal(res.headers["content-type"], "text/plain; charset=utf-8", missing);
            assert.notEqual(res.body, SITE_FILES["index.html"], missing);
        }
    });

    it("serves the generated config.json", async () => {
        const res = await request(base, "/config.json");
        assert.equal(res.status, 200);
        assert.deepEqual(JSON.parse(res.body), CONFIG);
        assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
        assert.equal(res.headers["cache-control"], CACHE_REVALIDATE);
    });

    it("refuses paths that leave the site's directory, encoded or not", async () => {
        const attempts = [
            "/../package.json",
            "/assets/../../package.json",
            "/%2e%2e/package.json",
            "/%2E%2E/%2E%2E/package.json",
            "/%2e%2e%2fpackage.json",
            "/..%2fpackage.json",
            "/assets/..%5c..%5cpackage.json",
            "/..\\package.json",
            "/./index.html",
            "/%00/index.html",
            "/%E0%A4%A",
        ];
        for (const attempt of attempts) {
            const res = await request(base, attempt);
            assert.equal(res.status, 400, attempt);
            assert.ok(!res.body.includes("serverless-blocks"), attempt);
        }
        // Double encoding decodes once: a literal "%2e%2e" segment, which is no file.
        const double = await request(base, "/%252e%252e/package.json");
        assert.equal(double.status, 404);
        assert.notEqual(double.body, PROJECT_PACKAGE);
        const linked = await request(base, "/linked.txt");
        assert.equal(linked.status, 404, "a symbolic link out of the site is not followed");
        assert.ok(!linked.body.includes("secret"));
    });

    it("does not serve unpublished dotfiles, but serves .well-known", async () => {
        const env = await request(base, "/.env");
        assert.equal(env.status, 404);
        assert.ok(!env.body.includes("SECRET"));
        // Not published, so an extensionless path there is a client route, as on the CDNs.
        const git = await request(base, "/.git/HEAD");
        assert.equal(git.body, SITE_FILES["index.html"]);
        const wellKnown = await request(base, "/.well-known/security.txt");
        assert.equal(wellKnown.status, 200);
        assert.equal(wellKnown.body, SITE_FILES[".well-known/security.txt"]);
    });

    it("answers HEAD without a body, and other methods on files with 405", async () => {
        const head = await request(base, "/", { method: "HEAD" });
        assert.equal(head.status, 200);
        assert.equal(head.body, "");
        assert.equal(head.headers["content-length"], String(Buffer.byteLength(SITE_FILES["index.html"])));
        const post = await request(base, "/index.html", { method: "POST", body: "x" });
        assert.equal(post.status, 405);
        assert.equal(post.headers.allow, "GET, HEAD");
    });

    it("renders SSR paths with the site's function, with the site's headers", async () => {
        const res = await request(base, "/products/7?color=red");
        assert.equal(res.status, 200);
        assert.equal(res.body, "<h1>product 7</h1><p>GET red</p>");
        assert.equal(res.headers["cache-control"], "no-store");
        assert.equal(res.headers["x-frame-options"], "DENY");
        const post = await request(base, "/products/8", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
        assert.equal(post.status, 200);
        assert.match(post.body, /POST/);
    });
});
