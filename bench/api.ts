// npm run bench:api [-- --connections N --seconds S] — what the local runtime's API gateway costs.
// The same handler (examples/shop/functions/hello/greet.ts, GET /hello?name=bench) served two ways in one run:
//  1. plain: a bare node:http server calling the handler in-process (runHttp), the floor;
//  2. local: a BusinessApi route behind the local runtime's /api (routing, request id, CORS and
//     auth checks, the bundled handler in its worker thread, the answer posted back); the
//     route's throttle is off, or its 10,000 requests/s at most would be what is measured.
// A load generator in a worker thread of its own keeps N keep-alive connections busy, one request
// at a time each, for S seconds per server after a warm-up; it prints requests/s, p50 and p99
// latency for both, and their ratio. Defaults: 16 connections, 5 s each (about 15 s in all).
// With --json it prints { connections, seconds, plain, local, ratio } as JSON instead (bench/index.ts).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { BusinessApi } from "../components";
import { runProgram } from "../engine/run";
import { handler } from "../examples/shop/functions/hello/greet";
import { runHttp } from "../functions/runtime/http";
import { localApiGateway } from "../local/api";
import { loadResources } from "../local/load";
import { resetLocalRuntime } from "../local/runtime";
import { createLocalServer } from "../local/server";
import { jsonRequested, machine } from "./stats";

const projectDir = path.resolve(__dirname, "..");
const TARGET = "/hello?name=bench";

function option(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
    return value;
}

interface LoadResult {
    requests: number;
    seconds: number;
    /** Answers other than 200 (e.g. a 429 from the throttle), and failed requests. */
    unexpected: number;
    p50: number;
    p99: number;
}

// Plain JS for the load worker: keep-alive agent, `connections` loops of one request at a time.
const LOAD_WORKER = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const { url, connections, seconds } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const get = () => new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
    req.on("error", () => resolve(0));
});
async function loop(until, latencies) {
    let unexpected = 0;
    while (performance.now() < until) {
        const start = performance.now();
        const status = await get();
        latencies.push(performance.now() - start);
        if (status !== 200) unexpected++;
    }
    return unexpected;
}
(async () => {
    const latencies = [];
    const started = performance.now();
    const unexpected = (await Promise.all(Array.from({ length: connections }, () => loop(started + seconds * 1000, latencies)))).reduce((a, b) => a + b, 0);
    const elapsed = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1)];
    parentPort.postMessage({ requests: latencies.length, seconds: elapsed, unexpected, p50: at(50), p99: at(99) });
})();`;

function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
        const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, connections, seconds } });
        worker.once("message", (result: LoadResult) => void worker.terminate().then(() => resolve(result)));
        worker.once("error", reject);
    });
}

/** The floor: the handler called in-process by a bare node:http server, no gateway, no worker. */
function plainServer(): http.Server {
    let next = 0;
    return http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://plain");
        const request = {
            method: req.method ?? "GET",
            path: url.pathname,
            headers: req.headers as Record<string, string>,
            query: Object.fromEntries(url.searchParams),
            params: {},
            requestId: `plain-${next++}`,
        };
        void runHttp(handler, request).then((response) => {
            res.writeHead(response.status, response.headers);
            res.end(response.body);
        });
    });
}

async function listen(server: http.Server): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function line(name: string, r: LoadResult): string {
    const rate = r.requests / r.seconds;
    const unexpected = r.unexpected ? `  (${r.unexpected} answers not 200!)` : "";
    return `${name.padEnd(44)} ${rate.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms${unexpected}`;
}

async function main(): Promise<void> {
    const connections = option("connections", 16);
    const seconds = option("seconds", 5);
    const warmup = Math.min(1, seconds);
    process.chdir(projectDir);
    const runtime = resetLocalRuntime(projectDir);
    const { resources } = await runProgram(() => {
        new BusinessApi("bench", { routes: { "GET /hello": { handler: "examples/shop/functions/hello/greet.handler", public: true } } });
    }, { project: "serverless-blocks", stack: "bench", config: { "serverless-blocks:cloud": "local" } });
    loadResources(runtime, resources);
    // The gateway's work is measured, not its rate limit (at most 10,000 requests/s per route).
    localApiGateway(runtime).throttling = false;

    const plain = plainServer();
    const local = createLocalServer({ stack: "bench", runtime, components: resources });
    const plainUrl = `${await listen(plain)}${TARGET}`;
    const localUrl = `${await listen(local)}/api${TARGET}`;

    // Warm-up: JIT, the worker's cold start and the connections are not what this measures.
    await load(plainUrl, connections, warmup);
    await load(localUrl, connections, warmup);
    const plainResult = await load(plainUrl, connections, seconds);
    const localResult = await load(localUrl, connections, seconds);

    plain.close();
    plain.closeAllConnections();
    local.close();
    local.closeAllConnections();
    await runtime.close();

    const rate = (r: LoadResult) => r.requests / r.seconds;
    if (jsonRequested()) {
        const summary = (r: LoadResult) => ({ requestsPerSecond: rate(r), p50Ms: r.p50, p99Ms: r.p99, requests: r.requests, unexpected: r.unexpected });
        const ratio = { throughput: rate(localResult) / rate(plainResult), p99: localResult.p99 / plainResult.p99 };
        console.log(JSON.stringify({ target: TARGET, connections, seconds, plain: summary(plainResult), local: summary(localResult), ratio, machine: machine() }));
        return;
    }
    console.log(`GET ${TARGET} (examples/shop/functions/hello/greet.ts), ${connections} keep-alive connections, ${seconds} s each, after ${warmup} s of warm-up`);
    console.log(line("plain node:http, handler in-process", plainResult));
    console.log(line("local runtime /api (gateway + worker)", localResult));
    console.log(`ratio local/plain: throughput ${(rate(localResult) / rate(plainResult)).toFixed(2)}x, p99 latency ${(localResult.p99 / plainResult.p99).toFixed(2)}x`);
    console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"}); the load generator runs in a worker thread of this process`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
