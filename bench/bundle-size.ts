// npm run bench:bundle-size [-- --json] — for each function of the typical app and each target:
// the zip's size in bytes, and the cold start a new instance pays in a fresh Node process:
// requiring the bundle, and answering a first call where it can without a cloud service (medians
// of 5). Next to each, the floor: esbuild's bundle of the handler module alone (same esbuild
// settings, externals and target, no adapter), required and, where the function's own first call
// was measured, called once with the portable request. The aim: a cold start of at most 30 ms and
// 1.1x the floor's. With --json it prints { functions: [...] } as JSON instead (bench/index.ts).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundle } from "../components/build/bundle";
import type { CloudName } from "../components/config";
import { unzipFiles } from "../components/build/zip";
import { evaluateStack } from "../engine/program";
import { jsonRequested, machine, median } from "./stats";
import { SHOP_DIR } from "../bin/shop";

const repoDir = path.resolve(__dirname, "..");
/** The typical app, whose functions are measured. */
const projectDir = SHOP_DIR;
const SAMPLES = 5;
/** As components/function-code.ts resolves the runtime for a handler that imports it by the package's name. */
const RUNTIME_ALIAS = { "serverless-blocks/functions/runtime": path.join(repoDir, "functions", "runtime") };
/** The aims issue 15 sets for a cold start: absolute, and against the handler bundled alone. */
export const COLD_START_AIM = { ms: 30, ratio: 1.1 };

const TARGETS: { cloud: CloudName; stack: string; zipOf: (inputs: any) => string | undefined; type?: string }[] = [
    { cloud: "aws", stack: "prod", type: "aws:lambda/function:Function", zipOf: (i) => i.code?.archive },
    { cloud: "tencentcloud", stack: "dev", type: "tencentcloud:index/scfFunction:ScfFunction", zipOf: (i) => i.zipFile },
];

/** A GET /hello?name=bench in each target's event shape; any answer below 500 is a handled first call. */
const FIRST_REQUEST: Record<string, unknown> = {
    aws: { version: "2.0", routeKey: "GET /hello", rawPath: "/hello", rawQueryString: "name=bench", headers: {}, queryStringParameters: { name: "bench" }, isBase64Encoded: false,
        requestContext: { requestId: "bench", http: { method: "GET", path: "/hello", sourceIp: "127.0.0.1", protocol: "HTTP/1.1", userAgent: "bench" }, stage: "$default", routeKey: "GET /hello", timeEpoch: 0 } },
    tencentcloud: { httpMethod: "GET", path: "/hello", headers: {}, queryString: { name: "bench" }, queryStringParameters: { name: "bench" }, pathParameters: {}, body: "", isBase64Encoded: false,
        requestContext: { requestId: "bench", httpMethod: "GET", path: "/hello", sourceIp: "127.0.0.1", serviceId: "service-bench", stage: "release", identity: {} } },
};

/** A hub event for task functions, without a detail: the handler refuses it at once, before any cloud API. */
const FIRST_EVENT: Record<string, unknown> = {
    aws: { version: "0", id: "bench", "detail-type": "Bench", source: "bench", account: "123456789012", time: "2026-01-01T00:00:00Z", region: "us-east-1", resources: [], detail: {} },
    tencentcloud: { specversion: "1.0", id: "bench", type: "Bench", source: "bench", time: "1767225600000", region: "ap-guangzhou", datacontenttype: "application/json", data: {} },
};

/**
 * Prints "<require ms> <require + first call ms | ->": the first call counts only when the function
 * answers it without a cloud service (functions using a table or a hub would need one).
 */
const MEASURE = `
const start = process.hrtime.bigint();
const ms = () => (Number(process.hrtime.bigint() - start) / 1e6).toFixed(2);
const { handler } = require(process.argv[1]);
const loaded = ms();
const expectHttp = process.argv[3] === "http";
console.error = () => {}; // a function refusing the call logs it; that is not the measure
Promise.resolve(handler(JSON.parse(process.argv[2]), {})).then(
    (res) => console.log(loaded, expectHttp && (!res || res.statusCode >= 500) ? "-" : ms()),
    () => console.log(loaded, expectHttp ? "-" : ms()), // a task refusing the empty event ends its first call
);`;

/** The same GET /hello?name=bench as the portable HttpRequest a handler alone takes. */
const PORTABLE_REQUEST = { method: "GET", path: "/hello", headers: {}, query: { name: "bench" }, params: {}, requestId: "bench", cookies: {} };

/** The floor's measure: a first call counts when it answers, or refuses with a status below 500 (an HttpError). */
const MEASURE_ALONE = `
const start = process.hrtime.bigint();
const ms = () => (Number(process.hrtime.bigint() - start) / 1e6).toFixed(2);
const { handler } = require(process.argv[1]);
const loaded = ms();
if (process.argv[2] === "-") console.log(loaded, "-");
else {
    console.error = () => {};
    Promise.resolve(handler(JSON.parse(process.argv[2]))).then(
        () => console.log(loaded, ms()),
        (err) => console.log(loaded, err && err.status < 500 ? ms() : "-"),
    );
}`;

export interface FunctionMeasure {
    name: string;
    cloud: CloudName;
    kind: "http" | "event";
    zipBytes: number;
    requireMs: number;
    /** Require + first call; null when the first call needs a cloud service. */
    firstCallMs: number | null;
    /** esbuild's bundle of the handler module alone; null when its source was not recorded. */
    alone: { zipBytes: number; requireMs: number; firstCallMs: number | null } | null;
}

/** The handler module and export of each Function, as bench/record-handlers.js recorded them while the stack was evaluated. */
interface HandlerSource {
    name: string;
    file: string;
    exportName: string;
    sloppy: boolean;
    external: string[];
}

/** Medians over SAMPLES fresh processes of `script` on the zip's index.js: [require ms, first call ms or null]. */
function coldStart(zip: Uint8Array, label: string, script: string, args: string[]): [number, number | null] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sb-bench-${label}-`));
    for (const [name, data] of Object.entries(unzipFiles(zip))) fs.writeFileSync(path.join(dir, name), data);
    const loads: number[] = [];
    const calls: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
        const run = spawnSync(process.execPath, ["-e", script, path.join(dir, "index.js"), ...args], { encoding: "utf8" });
        if (run.status !== 0) throw new Error(`${label}: ${run.stderr}`);
        // The last line: what the function logged on its first call (JSON lines) comes before it.
        const [load, call] = run.stdout.trim().split("\n").pop()!.split(" ");
        loads.push(Number(load));
        if (call !== "-") calls.push(Number(call));
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return [median(loads), calls.length === SAMPLES ? median(calls) : null];
}

async function measureTarget(target: (typeof TARGETS)[number]): Promise<FunctionMeasure[]> {
    const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-handlers-")), "handlers.jsonl");
    const hook = path.join(__dirname, "record-handlers.js");
    const evaluation = await evaluateStack(projectDir, target.stack, {
        env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim(), SB_BENCH_HANDLERS: record },
    });
    const sources = new Map<string, HandlerSource>();
    if (fs.existsSync(record)) for (const line of fs.readFileSync(record, "utf8").split("\n").filter(Boolean)) sources.set(JSON.parse(line).name, JSON.parse(line));
    const tasks = new Set(evaluation.resources.filter((r) => r.type === "serverless-blocks:index:AsyncTask").map((r) => r.name));
    const measures: FunctionMeasure[] = [];
    for (const fn of evaluation.resources.filter((r) => r.type === target.type)) {
        const kind = fn.parent !== null && tasks.has(fn.parent) ? "event" : "http";
        const firstCall = kind === "http" ? FIRST_REQUEST[target.cloud] : FIRST_EVENT[target.cloud];
        const zip = target.zipOf(fn.inputs);
        if (typeof zip !== "string" || !zip.endsWith(".zip")) continue; // not an app function (e.g. the site's invalidator)
        const zipPath = path.join(projectDir, zip);
        const [requireMs, firstCallMs] = coldStart(fs.readFileSync(zipPath), `${fn.name}-${target.cloud}`, MEASURE, [JSON.stringify(firstCall), kind]);
        const source = sources.get(fn.name);
        let alone: FunctionMeasure["alone"] = null;
        if (source) {
            const built = await bundle({ name: `${fn.name}-alone`, file: source.file, exportName: source.exportName, target: target.cloud, external: source.external, sloppy: source.sloppy, alias: RUNTIME_ALIAS, projectDir });
            // Called only where the function's own first call was (an event handler alone would run with no event to refuse).
            const call = kind === "http" && firstCallMs !== null ? JSON.stringify(PORTABLE_REQUEST) : "-";
            const [aloneRequire, aloneCall] = coldStart(fs.readFileSync(path.join(projectDir, built.zipPath)), `${fn.name}-alone`, MEASURE_ALONE, [call]);
            alone = { zipBytes: built.bytes, requireMs: aloneRequire, firstCallMs: aloneCall };
        }
        measures.push({ name: fn.name, cloud: target.cloud, kind, zipBytes: fs.statSync(zipPath).size, requireMs, firstCallMs, alone });
    }
    return measures;
}

async function main(): Promise<void> {
    const functions: FunctionMeasure[] = [];
    for (const target of TARGETS) functions.push(...(await measureTarget(target)));
    if (jsonRequested()) {
        console.log(JSON.stringify({ samples: SAMPLES, aim: COLD_START_AIM, functions, machine: machine() }));
        return;
    }
    const ms = (v: number | null | undefined) => (v === null || v === undefined ? "-" : v.toFixed(2));
    const rows: string[][] = [["function", "target", "zip bytes", "alone", "require ms", "alone", "+ first call ms", "alone", "cold start / alone"]];
    for (const f of functions) {
        const cold = f.firstCallMs ?? f.requireMs;
        const aloneCold = f.alone ? (f.firstCallMs !== null ? f.alone.firstCallMs : f.alone.requireMs) : null;
        rows.push([f.name, f.cloud, String(f.zipBytes), String(f.alone?.zipBytes ?? "-"), ms(f.requireMs), ms(f.alone?.requireMs), f.firstCallMs === null ? "- (needs a cloud service)" : ms(f.firstCallMs), ms(f.alone?.firstCallMs), aloneCold ? `${(cold / aloneCold).toFixed(2)}x` : "-"]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
    console.log(`\nmedians of ${SAMPLES} fresh processes; "alone": esbuild's bundle of the handler module without the adapter; aim: cold start <= ${COLD_START_AIM.ms} ms and <= ${COLD_START_AIM.ratio}x alone`);
    console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"})`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
