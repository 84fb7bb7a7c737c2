// Property-based fuzzing of `npm start` for real: generated requests (methods, paths with odd
// parameters, headers, tokens, cookies, bodies) at every route the running app reports in
// /_local/status, at /_local/* itself, at the static site and at the WebSocket upgrade path.
// Properties: never a 5xx, never a hang (each request answers within ANSWER_BOUND_MS), never a
// crash (the runtime answers /_local/status after each property), and every 4xx from /api or
// /_local has a JSON error body.
// Replaying a failure: the report prints FUZZ_SEED and FUZZ_PATH; set both (and FUZZ_ONLY=<title
// part> to run one property). FUZZ_RUNS=<n> runs each property n times (default: a bounded run).
import * as assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { startApp, type RunningApp } from "../support/local-app";
import { localTokenHeaders } from "../support/local-token";
import { NoAnswer, sendRaw, type RawRequest, type RawResponse } from "../support/raw-request";
import { signIn } from "../support/sign-in";

/** Generous for a cold function instance on a loaded machine; a hang is far longer. */
const ANSWER_BOUND_MS = 20_000;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REPLAY_PATH = process.env.FUZZ_PATH;
const RUNS = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);
if (RUNS !== undefined && !(Number.isInteger(RUNS) && RUNS > 0)) throw new Error(`FUZZ_RUNS: expected a whole number above 0, got '${process.env.FUZZ_RUNS}'`);

/** What the running app reported about itself, and the credentials the fuzzer mixes in. */
interface Target {
    app: RunningApp;
    localHeaders: Record<string, string>;
    routes: { method: string; path: string }[];
    functions: string[];
    hubs: string[];
    workflows: string[];
    uploads: string[];
    realtimePaths: string[];
    tokens: { valid: string; expired: string; wronglySigned: string; unsigned: string };
}

describe("fuzzing the running local app (npm start)", function () {
    this.timeout(600_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-fuzz-"));
    let target: Target;

    before(async () => {
        console.log(`      fuzz seed ${SEED}${REPLAY_PATH ? ` path ${REPLAY_PATH}` : ""}${RUNS ? `, ${RUNS} runs per property` : ""}`);
        const app = await startApp(dataDir);
        const localHeaders = localTokenHeaders(dataDir);
        const status = (await (await fetch(`${app.url}/_local/status`, { headers: localHeaders })).json()) as any;
        const routes = status.apis.flatMap((api: any) => api.routes.map((r: any) => {
            const [method, routePath] = r.key.split(" ");
            return { method, path: routePath };
        }));
        assert.ok(routes.length > 5, `the app reports its API routes in /_local/status (got ${routes.length})`);
        target = {
            app,
            localHeaders,
            routes,
            functions: status.functions.map((f: any) => f.name),
            hubs: status.hubs.map((h: any) => h.busName),
            workflows: status.workflows.map((w: any) => w.name),
            uploads: status.uploads.map((u: any) => u.bucket ?? u.name),
            realtimePaths: status.realtimes.map((r: any) => r.path),
            tokens: await forgeTokens(app.url, dataDir),
        };
    });

    after(() => {
        if (target?.app.child.exitCode === null) target.app.child.kill("SIGKILL");
    });

    // Never a crash: after each property the process is alive and answers its status.
    afterEach(async function () {
        if (!target) return;
        assert.equal(target.app.child.exitCode, null, `npm start exited:\n${target.app.output().slice(-3000)}`);
        const res = await sendRaw(target.app.url, { method: "GET", path: "/_local/status", headers: Object.entries(target.localHeaders) }, ANSWER_BOUND_MS);
        assert.equal(res.status, 200, `/_local/status after "${this.currentTest?.title}": ${res.body.toString().slice(0, 300)}`);
    });

    property("every API route: methods, odd parameters, headers, tokens, cookies and bodies", 800, () =>
        fc.record({
            route: fc.constantFrom(...target.routes),
            otherMethod: sometimes(method()),
            params: fc.array(segment(), { minLength: 4, maxLength: 4 }),
            tail: sometimes(pathTail()),
            headers: requestHeaders(target.tokens),
            body: body(),
        }).map(({ route, otherMethod, params, tail, headers, body }): RawRequest => {
            let i = 0;
            const filled = route.path.replace(/\{[^}]+\}/g, () => params[i++]);
            return { method: otherMethod ?? route.method, path: `${filled}${tail ?? ""}`, headers, body };
        }));

    property("the runtime's own /_local endpoints, with and without this run's token", 500, () =>
        fc.record({
            method: fc.oneof({ weight: 3, arbitrary: fc.constantFrom("GET", "POST") }, method()),
            path: localPath(target),
            token: fc.oneof({ weight: 4, arbitrary: fc.constant(target.localHeaders) }, fc.constant({}), fc.record({ "x-sb-local-token": headerText(80) }), fc.constant({ authorization: `Bearer ${target.tokens.valid}` })),
            headers: requestHeaders(target.tokens),
            body: fc.oneof({ weight: 3, arbitrary: invocationBody() }, body()),
        }).map(({ method, path, token, headers, body }): RawRequest => {
            // With this run's token in hand, no Authorization beside it (the guard would read that instead).
            const sent = token === target.localHeaders ? headers.filter(([k]) => k.toLowerCase() !== "authorization") : headers;
            return { method, path, headers: [...Object.entries(token), ...sent], body };
        }));

    property("the static site: paths outside it (.., escapes, unicode, very long) and every method", 200, () =>
        fc.record({
            method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom("GET", "HEAD") }, method()),
            segments: fc.array(fc.oneof(segment(), fc.constantFrom("index.html", "config.json", "assets", "package.json", "..", "%2e%2e", "..%2f..%2fpackage.json")), { maxLength: 6 }),
            tail: fc.option(pathTail(), { freq: 3 }),
            headers: requestHeaders(target.tokens),
        }).map(({ method, segments, tail, headers }): RawRequest => ({ method, path: `/${segments.join("/")}${tail ?? ""}`, headers })),
        (res) => {
            // Whatever the path, nothing outside the site's folder is served (the project's package.json).
            assert.ok(!res.body.toString("latin1").includes('"devDependencies"'), "served a file from outside the site");
        });

    property("WebSocket upgrades: the Realtime's path and others, good, bad and no tokens", 200, () =>
        fc.record({
            where: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...target.realtimePaths) }, fc.constantFrom("/", "/api/orders", "/_local/status", "/ws", "/ws/nowhere"), segment().map((s) => `${target.realtimePaths[0]}/${s}`)),
            query: fc.option(fc.oneof(fc.constant(`?token=${target.tokens.valid}`), headerText(60).map((t) => `?token=${encodeURIComponent(t)}`), pathTail()), { freq: 2 }),
            protocol: fc.option(fc.oneof(
                fc.constant(`bearer, ${target.tokens.valid}`),
                fc.constantFrom(target.tokens.expired, target.tokens.wronglySigned, target.tokens.unsigned).map((t) => `bearer, ${t}`),
                garbageJwt().map((t) => `bearer, ${t}`),
                headerText(300),
            )),
            headers: requestHeaders(target.tokens),
        }).map(({ where, query, protocol, headers }): RawRequest => ({
            method: "GET",
            path: `${where}${query ?? ""}`,
            headers: [...(protocol === null ? [] : [["sec-websocket-protocol", protocol] as [string, string]]), ...headers.filter(([k]) => !/^(content-length|connection|upgrade)$/i.test(k))],
            upgrade: true,
        })));

    property("bodies at the limits: over the 6 MB payload limit, and 100,000 levels deep", 6, () =>
        fc.record({
            path: fc.constantFrom("/api/orders", `/_local/functions/${target.functions[0]}/invoke`, `/_local/hubs/${target.hubs[0]}/events`),
            body: fc.oneof(
                fc.integer({ min: 6 * 1024 * 1024 + 1, max: 7 * 1024 * 1024 }).map((n) => Buffer.alloc(n, "a")),
                fc.constantFrom("[", '{"a":').map((open) => Buffer.from(`${open.repeat(100_000)}1${(open === "[" ? "]" : "}").repeat(100_000)}`)),
            ),
        }).map(({ path, body }): RawRequest => ({
            method: "POST",
            path,
            // The API takes the access token; /_local takes this run's token (its own Authorization).
            headers: [["content-type", "application/json"], ...(path.startsWith("/api") ? [["authorization", `Bearer ${target.tokens.valid}`] as [string, string]] : Object.entries(target.localHeaders))],
            body,
        })),
        (res) => assert.ok(res.status === 413 || res.status === 400, `expected 413 or 400, got ${res.status}`));

    /** One property: `runs` generated requests (FUZZ_RUNS overrides), each answered well. */
    function property(title: string, runs: number, requests: () => fc.Arbitrary<RawRequest>, extra?: (res: RawResponse, req: RawRequest) => void): void {
        const only = process.env.FUZZ_ONLY;
        (only && !title.includes(only) ? it.skip : it)(title, async () => {
            const statuses = new Map<number, number>();
            const check = fc.asyncProperty(requests(), async (req) => {
                let res: RawResponse;
                try {
                    res = await sendRaw(target.app.url, req, ANSWER_BOUND_MS);
                } catch (err) {
                    if (err instanceof NoAnswer) throw err;
                    // The server may answer and close before a large body is sent (a 413, a 431): then the write fails, not the server.
                    if (/ECONNRESET|EPIPE|socket hang up/.test((err as Error).message) && (req.body?.length ?? 0) + JSON.stringify(req.headers).length > 16_000) return;
                    throw err;
                }
                statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
                answeredWell(req, res);
                extra?.(res, req);
            });
            const details = await fc.check(check, { seed: SEED, path: REPLAY_PATH, numRuns: RUNS ?? runs, endOnFailure: true });
            // What the requests got: a run of nothing but one refusal would test little.
            console.log(`      statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(" ")}`);
            if (details.failed) {
                const replay = `replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} FUZZ_ONLY="${title.slice(0, 30)}"`;
                console.error(`      ${replay}`);
                const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
                throw new Error(`${replay}\n${cause}\nrequest (after ${details.numRuns} runs, shrunk ${details.numShrinks} times): ${summary(details.counterexample![0])}`);
            }
        });
    }
});

/**
 * Never a 5xx; a 4xx from /api or /_local says what was wrong as JSON. One 5xx is the endpoint's
 * own report and no fault: /_local/functions/<name>/invoke runs the function on any input, and a
 * function that throws (an event handler throws on a bad event so its task retries it) is answered
 * 502 "function '<name>' failed: <its message>". An input that does not fit the function at all
 * is the caller's 400.
 */
function answeredWell(req: RawRequest, res: RawResponse): void {
    const where = `${req.method} ${req.path.slice(0, 120)}`;
    if (res.status === 502 && /^\/_local\/functions\/[^/?]+\/invoke(\?|$)/.test(req.path)) {
        assert.match(JSON.parse(res.body.toString()).error.message, /^function '[^']+' failed: /, `${where}: a 502 that is not the function's own failure`);
        return;
    }
    assert.ok(res.status < 500, `${where} answered ${res.status}: ${res.body.toString().slice(0, 500)}`);
    const ours = /^\/(api|_local)(\/|\?|$)/.test(req.path);
    if (ours && res.status >= 400 && req.method !== "HEAD") {
        assert.match(String(res.headers["content-type"]), /^application\/json/, `${where} answered ${res.status} as ${res.headers["content-type"]}: ${res.body.toString().slice(0, 300)}`);
        const error = JSON.parse(res.body.toString()).error;
        assert.ok(error !== undefined, `${where} answered ${res.status} without an error: ${res.body.toString().slice(0, 300)}`);
    }
}

/** A request short enough to read in a report: long strings and bodies cut. */
function summary(req: RawRequest): string {
    const cut = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}... (${text.length} chars)` : text);
    const body = req.body === undefined ? "none" : `${req.body.length} bytes: ${JSON.stringify(cut(req.body.toString("latin1")))}`;
    return `${req.method} ${cut(req.path)}${req.upgrade ? " (upgrade)" : ""}\n  headers: ${req.headers.map(([k, v]) => `${k}: ${cut(v)}`).join(" | ")}\n  body: ${body}`;
}

// ---- requests ----

function method(): fc.Arbitrary<string> {
    return fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") },
        fc.constantFrom("TRACE", "PROPFIND", "SEARCH", "QUERY", "CONNECT", "MKCOL", "LOCK", "purge"),
    );
}

/** A path segment where a parameter goes: plain ids, escapes good and bad, traversal, unicode, very long. */
function segment(): fc.Arbitrary<string> {
    return fc.oneof(
        fc.uuid(),
        fc.string({ maxLength: 40 }).map(encodeURIComponent),
        fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeURIComponent),
        fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 }),
        fc.string({ unit: fc.constantFrom("'", "!", "$", "(", ")", ":", "@", ";", "=", "+", ",", "*", "~", "[", "]", "|", "\\", "^", "`", "{", "}"), minLength: 1, maxLength: 10 }),
        fc.constantFrom("", "..", ".", "%", "%Z", "%zz", "%E2%82", "%00", "%2F", "%2f..%2f", "%2e%2e", "%C0%AE", "%FF", "%uD800", "%ED%A0%80", "con", "__proto__", "constructor", "{orderId}"),
        fc.integer({ min: 200, max: 20_000 }).map((n) => "a".repeat(n)),
    );
}

/** What may follow a route's path: a slash, more segments, `..`, a query string good or bad. */
function pathTail(): fc.Arbitrary<string> {
    const query = fc.array(fc.tuple(fc.oneof(segment(), fc.constantFrom("name", "token", "limit", "cursor", "__proto__")), fc.oneof(segment(), fc.constant(""))), { maxLength: 5 })
        .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`);
    return fc.oneof(fc.constantFrom("/", "//", "/..", "/../..", "/./", "?", "#x", "?a=%", "?a=%ZZ&a=1&a=2"), segment().map((s) => `/${s}`), query);
}

/** Header text Node may send: visible ASCII, spaces and Latin-1. */
function headerText(maxLength: number): fc.Arbitrary<string> {
    return fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength });
}

/** Three base64url-looking segments that are no token of ours. */
function garbageJwt(): fc.Arbitrary<string> {
    const part = fc.oneof(fc.base64String({ maxLength: 60 }).map((s) => s.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")), fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? "null").toString("base64url")));
    return fc.tuple(part, part, part).map((p) => p.join("."));
}

function requestHeaders(tokens: Target["tokens"]): fc.Arbitrary<[string, string][]> {
    const contentType = fc.constantFrom(
        "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "application/json;charset=UTF-16",
        "APPLICATION/JSON", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/octet-stream", "image/png", "application/vnd.api+json", "json", "", ";", "application/json; charset=", "*/*",
    );
    const authorization = fc.oneof(
        fc.constant(`Bearer ${tokens.valid}`),
        fc.constant(`bearer ${tokens.valid}`),
        fc.constantFrom(tokens.expired, tokens.wronglySigned, tokens.unsigned).map((t) => `Bearer ${t}`),
        garbageJwt().map((t) => `Bearer ${t}`),
        fc.constantFrom("Bearer", "Bearer ", "Basic YWRhOnB3", "Bearer a.b", `Bearer ${tokens.valid}x`, `Bearer  ${tokens.valid}`, `Token ${tokens.valid}`),
        headerText(200),
    );
    const cookie = fc.oneof(
        fc.constantFrom("sb_refresh=garbage", "sb_refresh=", "sb_refresh", "=; ;;", "sb_refresh=a; sb_refresh=b", "__proto__=1"),
        fc.tuple(headerText(20), headerText(100)).map(([k, v]) => `${k}=${v}`),
        fc.integer({ min: 1_000, max: 12_000 }).map((n) => `big=${"c".repeat(n)}`),
    );
    // Weighted so that most requests get past the first refusal: mostly the headers a client sends, some odd ones.
    const pair = (name: string) => (value: string): [string, string] => [name, value];
    const header = fc.oneof(
        { weight: 6, arbitrary: contentType.map(pair("content-type")) },
        { weight: 6, arbitrary: authorization.map(pair("authorization")) },
        { weight: 1, arbitrary: fc.constantFrom("gzip", "br", "deflate", "identity", "gzip, br", "x-unknown", "").map(pair("content-encoding")) },
        { weight: 2, arbitrary: cookie.map(pair("cookie")) },
        { weight: 1, arbitrary: fc.constantFrom("http://evil.example", "null", "http://127.0.0.1:1", "http://localhost").map(pair("origin")) },
        { weight: 1, arbitrary: fc.constantFrom("evil.example", "localhost", "127.0.0.1:1", "[::1]", "").map(pair("host")) },
        { weight: 1, arbitrary: fc.constantFrom("*/*", "text/html", "application/json", "").map(pair("accept")) },
        { weight: 1, arbitrary: fc.constantFrom("keep-alive", "close", "upgrade").map(pair("connection")) },
        { weight: 1, arbitrary: fc.constantFrom("chunked", "gzip, chunked", "identity").map(pair("transfer-encoding")) },
        { weight: 2, arbitrary: fc.tuple(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,30}$/), headerText(200)) },
        { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 40_000 }).map((n) => ["x-huge", "h".repeat(n)] as [string, string]) },
    );
    const clean = fc.constant<[string, string][]>([["content-type", "application/json"], ["authorization", `Bearer ${tokens.valid}`]]);
    const mixed = fc.array(header, { maxLength: 5 });
    return fc.oneof(clean, mixed, fc.tuple(clean, mixed).map(([a, b]) => [...a, ...b])).map((headers) => {
        // Node's client refuses to send both; the server would see a bad request either way.
        const chunked = headers.some(([k]) => k === "transfer-encoding");
        return chunked ? headers.filter(([k]) => k !== "content-length") : headers;
    });
}

/** Bodies: none, JSON of every shape (wrong types for the routes' fields), not JSON, binary, deep. */
function body(): fc.Arbitrary<Buffer | undefined> {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(-1, 0, 1.5, 1e308, "", "EUR", "x".repeat(5000), [], {}, null, true));
    const fields = fc.dictionary(fc.constantFrom("lines", "currency", "sku", "quantity", "unitPrice", "orderId", "amount", "paymentId", "status", "name", "email", "token", "code", "state", "__proto__", "constructor"), field, { maxKeys: 6 });
    const orderLike = fc.record({ lines: fc.oneof(field, fc.array(fc.dictionary(fc.constantFrom("sku", "quantity", "unitPrice"), field), { maxLength: 3 })), currency: field }, { requiredKeys: [] });
    return fc.oneof(
        fc.constant(undefined),
        fc.jsonValue({ maxDepth: 4 }).map(json),
        fields.map(json),
        orderLike.map(json),
        fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom("{", "[1,", '{"a":}', "nul", "\uFEFF{}", '{"__proto__":{"polluted":1}}', "1e99999", '"\\ud800"', "{}{}", " ")).map((s) => Buffer.from(s)),
        fc.uint8Array({ maxLength: 2_000 }).map((a) => Buffer.from(a)),
        fc.integer({ min: 10, max: 5_000 }).map((n) => Buffer.from(`${"[".repeat(n)}${"]".repeat(n)}`)),
    );
}

/** What /_local/functions/<name>/invoke takes: the runtime's envelopes with odd contents, and anything. */
function invocationBody(): fc.Arbitrary<Buffer | undefined> {
    const request = fc.record({
        method: fc.oneof(fc.constantFrom("GET", "POST"), fc.jsonValue()),
        path: fc.oneof(fc.constant("/"), fc.jsonValue()),
        headers: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })), fc.jsonValue()),
        query: fc.oneof(fc.constant({}), fc.jsonValue()),
        params: fc.oneof(fc.constant({}), fc.jsonValue()),
        body: fc.oneof(fc.string(), fc.jsonValue()),
    }, { requiredKeys: [] });
    const event = fc.record({ id: fc.oneof(fc.uuid(), fc.jsonValue()), type: fc.oneof(fc.constantFrom("UserSignedUp", "OrderPlaced", "Work"), fc.jsonValue()), detail: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] });
    return fc.oneof(
        fc.record({ kind: fc.constant("http"), request }, { requiredKeys: [] }).map(json),
        fc.record({ kind: fc.constant("event"), event }, { requiredKeys: [] }).map(json),
        fc.record({ kind: fc.oneof(fc.constantFrom("socket", "workflow", "upload", "schedule", "__proto__"), fc.jsonValue()), input: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }).map(json),
        fc.oneof(event, fc.array(event, { maxLength: 3 })).map(json),
    );
}

function localPath(target: Target): fc.Arbitrary<string> {
    const name = (known: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known, "nope") }, segment());
    return fc.oneof(
        fc.constantFrom("/_local", "/_local/", "/_local/status", "/_local/status?x=1", "/_local/functions", "/_local/workflows", "/_local/nothing", "/_local/../_local/status", "/_local/%2e%2e/status"),
        name(target.functions).map((n) => `/_local/functions/${n}/invoke`),
        name(target.hubs).map((n) => `/_local/hubs/${n}/events`),
        fc.tuple(name(target.workflows), fc.option(segment())).map(([w, id]) => `/_local/workflows/${w}/executions${id === null ? "" : `/${id}`}`),
        fc.option(segment()).map((id) => `/_local/payment-service/payments${id === null ? "" : `/${id}`}`),
        fc.tuple(name(target.uploads), fc.array(segment(), { maxLength: 3 }), fc.option(pathTail())).map(([b, key, tail]) => `/_local/uploads/${b}/${["uploads", ...key].join("/")}${tail ?? ""}`),
        fc.tuple(fc.array(segment(), { maxLength: 3 }), fc.option(pathTail())).map(([rest, tail]) => `/_local/oidc/${rest.join("/")}${tail ?? ""}`),
        fc.tuple(segment(), fc.option(pathTail())).map(([rest, tail]) => `/_local/${rest}${tail ?? ""}`),
    );
}

/** Null three times in four: the odd variation on top of a mostly well-formed request. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
    return fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

function json(value: unknown): Buffer {
    return Buffer.from(JSON.stringify(value) ?? "null");
}

// ---- tokens ----

/**
 * A real access token (signed in through the local provider), the same claims expired and signed
 * with the app's own key (read from the data directory), signed with another key, and unsigned.
 */
async function forgeTokens(appUrl: string, dataDir: string): Promise<Target["tokens"]> {
    const { accessToken } = await signIn(appUrl, "fuzz@example.com");
    const claims = decodeJwt(accessToken);
    const header = decodeProtectedHeader(accessToken);
    const secretFile = findFile(path.join(dataDir, "auth"), "secret.json");
    assert.ok(secretFile, `the Auth's secret under ${dataDir}/auth (to sign an expired token with the app's own key)`);
    const ownKey = createPrivateKey(JSON.parse(fs.readFileSync(secretFile, "utf8")).keys[0].privateKeyPem);
    const now = Math.floor(Date.now() / 1000);
    const sign = (key: KeyObject, overrides: Record<string, unknown>) =>
        new SignJWT({ ...claims, ...overrides }).setProtectedHeader({ alg: "ES256", kid: header.kid }).sign(key);
    const expired = await sign(ownKey, { iat: now - 7_200, exp: now - 3_600 });
    const wronglySigned = await sign(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey, {});
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${accessToken.split(".")[1]}.`;
    return { valid: accessToken, expired, wronglySigned, unsigned };
}

function findFile(dir: string, name: string): string | undefined {
    if (!fs.existsSync(dir)) return undefined;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isFile() && entry.name === name) return full;
        if (entry.isDirectory()) {
            const found = findFile(full, name);
            if (found) return found;
        }
    }
    return undefined;
}
