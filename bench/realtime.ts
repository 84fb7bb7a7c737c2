// npm run bench:realtime [-- --clients N --rounds R] — the local runtime's WebSocket fan-out.
// A Realtime evaluated for the local target and served as `npm start` serves it (its connect and
// $default functions in worker threads keeping the connection store, a SQLite file); N `ws`
// clients in a child process (so their memory is not the server's) connect with a short-lived
// token and subscribe to one topic; then, R times, a linked Function broadcasts to the topic:
//  - fan-out: from the broadcast call (the function invoked, the store queried, the frames posted)
//    until the last of the N clients has received its frame; median, min and max over R rounds;
//  - memory per connection: the runtime process's heap (main thread: sockets, connection state)
//    and RSS (everything, the function workers included) after the N connected, minus before,
//    divided by N (run with --expose-gc, as the npm script does, for steadier numbers).
// The endpoint's throttle is off: what the server costs is measured, not its rate limit.
// Defaults (1,000 clients, 7 rounds) take a few seconds. With --json it prints
// { clients, connect, fanOut, memoryPerConnection } as JSON instead (bench/index.ts).
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Function, Realtime } from "../components";
import { runProgram } from "../engine/run";
import type { NormalizedResponse } from "../functions/runtime/http";
import { loadResources } from "../local/load";
import { localRealtimeServer } from "../local/realtime/server";
import { resetLocalRuntime } from "../local/runtime";
import { createLocalServer } from "../local/server";
import { jsonRequested, machine, median, wholeOption } from "./stats";

const projectDir = path.resolve(__dirname, "..");
const ISSUER = "https://issuer.bench.test";
const AUDIENCE = "bench";
const TOPIC = "bench";
const MB = 1024 * 1024;

// Plain JS for the client process: N connections opened in batches, each subscribed to the topic;
// every broadcast frame carries its round, and the process reports when all N have received one.
const CLIENTS = `
const WebSocket = require(${JSON.stringify(require.resolve("ws"))});
const { url, clients, topic } = JSON.parse(process.argv[1]);
const received = new Map();
const sockets = [];
function frame(data) {
    const { round } = JSON.parse(data);
    const n = (received.get(round) || 0) + 1;
    received.set(round, n);
    if (n === clients) process.send({ kind: "received", round });
}
function open() {
    return new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.once("unexpected-response", (_req, res) => reject(new Error("connection refused with " + res.statusCode)));
        ws.once("error", reject);
        ws.once("open", () => {
            ws.once("message", (data) => {
                if (JSON.parse(data).subscribed !== topic) return reject(new Error("subscribe answered " + data));
                ws.on("message", frame);
                resolve(ws);
            });
            ws.send(JSON.stringify({ action: "subscribe", topic }));
        });
    });
}
(async () => {
    for (let done = 0; done < clients; done += 50) {
        sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, clients - done) }, open))));
    }
    process.send({ kind: "ready" });
})().catch((err) => { console.error(err); process.exit(1); });
process.on("message", (msg) => {
    if (msg.kind !== "close") return;
    for (const ws of sockets) ws.close();
    process.exit(0);
});`;

/** A JWKS endpoint on a real port, and a token signed with its key. */
async function issuer() {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "ES256", use: "sig" };
    const server = http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    // Short-lived: long enough for every client to connect, not a token to keep.
    const token = await new SignJWT({ sub: "bench-user" }).setProtectedHeader({ alg: "ES256", kid: "bench" }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime("2m").sign(privateKey);
    return { jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, token, close: () => server.close() };
}

/** The client process, and the next message of a kind from it. */
function clientProcess(url: string, clients: number) {
    const child: ChildProcess = spawn(process.execPath, ["-e", CLIENTS, JSON.stringify({ url, clients, topic: TOPIC })], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const listeners = new Set<(msg: { kind: string; round?: number }) => void>();
    child.on("message", (msg: { kind: string; round?: number }) => listeners.forEach((l) => l(msg)));
    const failed = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the client process exited with ${code}`))));
    const next = (kind: string, round?: number) =>
        Promise.race([
            failed,
            new Promise<void>((resolve) => {
                const listener = (msg: { kind: string; round?: number }) => {
                    if (msg.kind !== kind || msg.round !== round) return;
                    listeners.delete(listener);
                    resolve();
                };
                listeners.add(listener);
            }),
        ]);
    failed.catch(() => undefined); // reported through next()
    return { child, next, close: () => child.send({ kind: "close" }) };
}

function memory(): NodeJS.MemoryUsage {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage();
}

async function main(): Promise<void> {
    const clients = wholeOption("clients", 1000);
    const rounds = wholeOption("rounds", 7);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-realtime-"));
    process.chdir(projectDir);
    const tokens = await issuer();
    process.env.SB_LOCAL_DATA_DIR = dataDir; // the connection store's file, as npm start places it
    const runtime = resetLocalRuntime(projectDir);
    const { resources } = await runProgram(() => {
        const live = new Realtime("bench", { jwt: { issuer: ISSUER, audience: [AUDIENCE], jwksUrl: tokens.jwksUrl } });
        // Any linked function pushes the same way; this one broadcasts what it is asked to.
        new Function("broadcaster", { handler: "test/fixtures/functions/realtime-push.handler", link: [live.link] });
    }, { project: "serverless-blocks", stack: "bench", config: { "serverless-blocks:cloud": "local" } });
    loadResources(runtime, resources);
    localRealtimeServer(runtime).configure({ throttling: false });
    const server = createLocalServer({ stack: "bench", runtime, components: resources });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/bench?token=${tokens.token}`;
    runtime.start({ dataDir, log: () => {} });

    const broadcast = async (round: number) => {
        const request = { method: "POST", path: "/", headers: { "content-type": "application/json" }, query: {}, params: {}, requestId: `round-${round}`, body: JSON.stringify({ op: "broadcast", realtime: "bench", topic: TOPIC, data: { round } }) };
        const response = (await runtime.function("broadcaster").invoke({ kind: "http", request })) as NormalizedResponse;
        if (response.status !== 200) throw new Error(`broadcast answered ${response.status}: ${response.body}`);
        return JSON.parse(response.body) as { delivered: number; gone: number };
    };

    // Warm-up: the workers' cold starts, the store's file and the JIT are not what this measures.
    const warm = clientProcess(url, 10);
    await warm.next("ready");
    await Promise.all([warm.next("received", 0), broadcast(0)]);
    warm.close();
    await new Promise((resolve) => warm.child.once("exit", resolve));
    while (localRealtimeServer(runtime).status()[0].connections > 0) await new Promise((resolve) => setTimeout(resolve, 20));

    const before = memory();
    const connectStarted = performance.now();
    const load = clientProcess(url, clients);
    await load.next("ready");
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const after = memory();
    const connected = localRealtimeServer(runtime).status()[0].connections;
    if (connected !== clients) throw new Error(`${connected} connections open, expected ${clients}`);

    const fanOut: number[] = [];
    const handedOff: number[] = [];
    for (let round = 1; round <= rounds; round++) {
        const started = performance.now();
        const all = load.next("received", round);
        const result = await broadcast(round);
        handedOff.push(performance.now() - started);
        if (result.delivered !== clients) throw new Error(`round ${round}: delivered to ${result.delivered}, expected ${clients}`);
        await all;
        fanOut.push(performance.now() - started);
    }
    load.close();
    await localRealtimeServer(runtime).shutdown();
    server.close();
    server.closeAllConnections();
    await runtime.close();
    tokens.close();
    fs.rmSync(dataDir, { recursive: true, force: true });

    if (jsonRequested()) {
        console.log(JSON.stringify({
            clients,
            rounds,
            connect: { seconds: connectSeconds, perSecond: clients / connectSeconds },
            fanOut: { medianMs: median(fanOut), minMs: Math.min(...fanOut), maxMs: Math.max(...fanOut), handedOffMedianMs: median(handedOff) },
            memoryPerConnection: { heapBytes: (after.heapUsed - before.heapUsed) / clients, rssBytes: (after.rss - before.rss) / clients },
            gcExposed: Boolean((globalThis as { gc?: unknown }).gc),
            machine: machine(),
        }));
        return;
    }
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`${clients} clients connected and subscribed in ${connectSeconds.toFixed(2)} s (${(clients / connectSeconds).toFixed(0)} connects/s, each: token verified, $connect and $default (subscribe) functions)`);
    console.log(`broadcast fan-out, call -> all ${clients} received: median ${ms(median(fanOut))}, min ${ms(Math.min(...fanOut))}, max ${ms(Math.max(...fanOut))} (${rounds} rounds)`);
    console.log(`  of which the function's call returned after: median ${ms(median(handedOff))} (invoke, store query, frames handed to the sockets)`);
    console.log(`memory per connection: heap ${kb((after.heapUsed - before.heapUsed) / clients)}, RSS ${kb((after.rss - before.rss) / clients)} (heap ${((after.heapUsed - before.heapUsed) / MB).toFixed(1)} MB, RSS ${((after.rss - before.rss) / MB).toFixed(1)} MB for ${clients})`);
    const gc = (globalThis as { gc?: unknown }).gc ? "" : "; run with --expose-gc for steadier memory numbers";
    console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"}); clients in a child process${gc}`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
