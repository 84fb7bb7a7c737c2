// The console page at /_local/: one HTML document and its script, bundled from
// local/console/web/ with esbuild when first asked for in this process (about 50 ms) and kept in
// memory. Built at run time, not into dist/: the console is part of `npm start` (TypeScript run
// by ts-node), not of the library dist/ ships, and a build step would be one more thing to
// forget after editing the page.
//
// The token: the URL npm start prints carries it once (?token=, checked by local/local-guard.ts).
// This answers it with a cookie and a redirect to the bare /_local/, so the token leaves the
// address bar and the history. The cookie, not sessionStorage: the live log is an EventSource,
// which cannot send headers, and HttpOnly keeps the token out of reach of the page's scripts
// (whatever a function logs is shown on this page). SameSite=Strict and Path=/_local keep it
// off other sites' requests and off the app's own paths; the guard's Origin and content-type
// checks refuse the other pages of this machine (another port is the same site).
import * as path from "node:path";
import type * as http from "node:http";
import { build } from "esbuild";
import { tokenCookieName } from "./token";

export const CONSOLE_PAGE = "/_local/";
export const CONSOLE_SCRIPT = "/_local/console/app.js";

let script: Promise<string> | undefined;

export function isConsolePage(pathname: string): boolean {
    return pathname === "/_local" || pathname === CONSOLE_PAGE || pathname === CONSOLE_SCRIPT;
}

export async function serveConsolePage(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { "content-type": "application/json; charset=utf-8", allow: "GET, HEAD" });
        return void res.end(JSON.stringify({ error: { message: `${req.method} ${url.pathname}: only GET is allowed` } }));
    }
    const token = url.searchParams.get("token");
    if (url.pathname !== CONSOLE_SCRIPT && token !== null) {
        // The guard has checked it: it is this run's.
        const cookie = `${tokenCookieName(req.socket.localPort)}=${token}; Path=/_local; HttpOnly; SameSite=Strict`;
        res.writeHead(303, { location: CONSOLE_PAGE, "set-cookie": cookie, "cache-control": "no-store", "referrer-policy": "no-referrer" });
        return void res.end();
    }
    if (url.pathname === "/_local") {
        res.writeHead(308, { location: CONSOLE_PAGE });
        return void res.end();
    }
    const headers = {
        "cache-control": "no-store",
        // Only this page's own script and calls: log lines are shown as text, and this makes sure.
        "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        "x-content-type-options": "nosniff",
    };
    if (url.pathname === CONSOLE_SCRIPT) {
        let body: string;
        try {
            body = await consoleScript();
        } catch (err) {
            script = undefined; // a later request tries again (the source may have been fixed)
            res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
            return void res.end(JSON.stringify({ error: { message: `the console page failed to build: ${(err as Error).message}` } }));
        }
        res.writeHead(200, { ...headers, "content-type": "text/javascript; charset=utf-8" });
        return void res.end(req.method === "HEAD" ? undefined : body);
    }
    res.writeHead(200, { ...headers, "content-type": "text/html; charset=utf-8" });
    res.end(req.method === "HEAD" ? undefined : CONSOLE_HTML);
}

function consoleScript(): Promise<string> {
    script ??= build({
        entryPoints: [path.join(__dirname, "web", "main.ts")],
        bundle: true,
        write: false,
        format: "iife",
        target: "es2020",
        minify: true,
        logLevel: "silent",
    }).then((result) => result.outputFiles[0].text);
    return script;
}

// The shell: the script fills the sections (local/console/web/main.ts). Styles inline, small.
const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>serverless-blocks local console</title>
<style>
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }
body { margin: 0; }
header { padding: .75rem 1rem; background: #14324f; color: #fff; }
header h1 { margin: 0; font-size: 1.25rem; }
header p { margin: .25rem 0 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: .5rem 1rem; background: #e8eef4; }
nav a { display: inline-block; padding: .4rem .7rem; color: #0b3d6b; border-radius: 4px; }
nav a[aria-current=page] { background: #0b3d6b; color: #fff; }
main { padding: 1rem; max-width: 80rem; }
section[hidden] { display: none; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, [tabindex]:focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #c8d0d8; vertical-align: top; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
pre { white-space: pre-wrap; word-break: break-word; background: #f4f6f8; padding: .5rem; margin: .25rem 0; border-radius: 4px; }
button { font: inherit; padding: .35rem .8rem; border: 1px solid #0b3d6b; background: #0b3d6b; color: #fff; border-radius: 4px; cursor: pointer; }
button.secondary { background: #fff; color: #0b3d6b; }
label { display: block; margin: .5rem 0 .2rem; font-weight: 600; }
input, select, textarea { font: inherit; padding: .3rem; border: 1px solid #6b7785; border-radius: 4px; max-width: 100%; box-sizing: border-box; }
textarea { width: 100%; min-height: 6rem; font-family: ui-monospace, monospace; }
.error { color: #a4000f; }
.ok { color: #1c6b2a; }
.log { font-family: ui-monospace, monospace; font-size: .9rem; }
.log .invocation { border-left: 4px solid #6b7785; padding-left: .5rem; margin: .5rem 0; }
.log .invocation[data-status=error] { border-color: #a4000f; }
.log .invocation[data-status=ok] { border-color: #1c6b2a; }
.arch { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .75rem; }
.box { border: 2px solid #0b3d6b; border-radius: 6px; padding: .5rem .75rem; }
.box h3 { margin: 0 0 .25rem; font-size: 1rem; overflow-wrap: anywhere; }
.box p { margin: 0; color: #3d4752; overflow-wrap: anywhere; }
.history li[aria-current=step] { font-weight: 700; background: #fff3c4; }
.svg svg { max-width: 100%; height: auto; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
h2:focus { outline: none; }
</style>
<script src="${CONSOLE_SCRIPT}" defer></script>
</head>
<body data-state="loading">
<header><h1>serverless-blocks local console</h1><p id="stack">Loading…</p></header>
<nav aria-label="Console sections"><ul id="tabs"></ul></nav>
<main id="main" tabindex="-1"><p id="message" role="status" aria-live="polite"></p></main>
</body>
</html>`;
