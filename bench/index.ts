// npm run bench [-- --quick --runs N] — every benchmark in one Markdown table (issue 15).
// Each bench runs in a fresh child process with --json, as its own npm script would run it; the
// local runtime's benches (api, events, realtime, workflow) run N times (default 3) and the table
// shows medians, each ratio the median of the ratios measured within one run (ours and baseline
// side by side on the same machine at the same time: on a shared machine the absolute numbers
// move more than the ratios). bench/plan.ts and bench/bundle-size.ts take their own medians.
// Rows: plan time (bench/plan.ts), resources one more route adds (a 10- and an 11-route plan of
// bench/routes per cloud) against the least-privilege minimum, each function's zip and cold start
// against its handler bundled alone, the local API against plain node:http, events, WebSocket
// fan-out and workflow executions. --quick skips the 1,000-route plan.
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { FunctionMeasure } from "./bundle-size";
import { median, wholeOption } from "./stats";
import type { PlanBenchRow } from "./plan";

const projectDir = path.resolve(__dirname, "..");
const tsNode = require.resolve("ts-node/register/transpile-only");

interface Row {
    measured: string;
    ours: string;
    baseline: string;
    ratio: string;
    aim: string;
}

/** Runs `node [nodeArgs] -r ts-node <script> args` and returns the JSON it printed; throws with its stderr when it fails. */
export function runJson(script: string, args: string[], nodeArgs: string[] = []): unknown {
    const run = spawnSync(process.execPath, [...nodeArgs, "-r", tsNode, script, ...args], { cwd: projectDir, encoding: "utf8", maxBuffer: 1 << 28 });
    const name = path.relative(projectDir, script);
    if (run.status !== 0) throw new Error(`${name} ${args.join(" ")} exited with ${run.status}:\n${run.stderr.trim().split("\n").slice(-15).join("\n")}`);
    return parseJsonOutput(run.stdout, name);
}

/** The JSON document a bench printed: the whole of stdout, else its last line (something may have logged before it). */
export function parseJsonOutput(stdout: string, name: string): unknown {
    const text = stdout.trim();
    try {
        return JSON.parse(text);
    } catch {
        const last = text.split("\n").pop() ?? "";
        try {
            return JSON.parse(last);
        } catch {
            throw new Error(`${name} printed no JSON (expected with --json); its output ends: ${text.slice(-300) || "(nothing)"}`);
        }
    }
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const ms = (value: number, digits = 2) => `${fixed(value, digits)} ms`;
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const x = (ratio: number) => `${ratio.toFixed(2)}x`;
/** The median of `pick` over runs. */
const med = <T>(runs: T[], pick: (run: T) => number) => median(runs.map(pick));

/** One bench/plan.ts row as its --json prints it (a type import: loading bench/plan.ts would run it). */
export type PlanRow = PlanBenchRow;

export function planRows(rows: PlanRow[]): Row[] {
    if (!Array.isArray(rows)) throw new Error("bench/plan.ts --json: expected an array of rows");
    const out: Row[] = [];
    for (const row of rows) {
        for (const key of ["id", "label", "resources", "ours_ms", "floor_ms", "ratio"] as const) {
            if (row[key] === undefined) throw new Error(`bench/plan.ts --json: row ${JSON.stringify(row).slice(0, 120)} has no '${key}'`);
        }
        const memory = row.peak_mb_ours === undefined ? "" : `, peak ${row.peak_mb_ours} MB`;
        const floorMemory = row.peak_mb_floor === undefined ? "" : `, peak ${row.peak_mb_floor} MB`;
        out.push({ measured: `plan time: ${row.label} (${row.resources.toLocaleString("en")} resources)`, ours: `${seconds(row.ours_ms)}${memory}`, baseline: `SDK floor ${seconds(row.floor_ms)}${floorMemory}`, ratio: x(row.ratio), aim: "" });
        if (row.per_route_ms_ours !== undefined && row.per_route_ms_floor !== undefined) {
            const ratio = row.per_route_ms_floor > 0 ? x(row.per_route_ms_ours / row.per_route_ms_floor) : "-";
            out.push({ measured: `plan time per extra route, up to ${row.id} routes`, ours: ms(row.per_route_ms_ours, 1), baseline: `SDK floor ${ms(row.per_route_ms_floor, 1)}`, ratio, aim: "" });
        }
    }
    return out;
}

/**
 * What one more route needs at least, per cloud, when the routes share a handler (bench/routes):
 * - AWS (API Gateway HTTP API): the route, its integration with the function, and the permission
 *   for API Gateway to invoke the function scoped to that route's ARN (a wildcard permission
 *   would let every route, present and future, invoke it). The function, its role and log group
 *   exist once for the handler.
 * - Tencent Cloud (API Gateway): one API, which carries the path, the method and the SCF backend;
 *   API Gateway invokes SCF through its service role, with no per-route permission resource.
 */
export const ROUTE_MINIMUM: Record<string, { count: number; what: string }> = {
    aws: { count: 3, what: "route + integration + invoke permission" },
    tencentcloud: { count: 1, what: "one API Gateway API (path, method, SCF backend)" },
};

/** The resource types (and counts) an 11-route plan has beyond a 10-route one. */
export function addedResources(ten: { resources: { type: string }[] }, eleven: { resources: { type: string }[] }): Map<string, number> {
    const count = (plan: { resources: { type: string }[] }) => {
        const counts = new Map<string, number>();
        for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        return counts;
    };
    const [a, b] = [count(ten), count(eleven)];
    const added = new Map<string, number>();
    for (const type of new Set([...a.keys(), ...b.keys()])) {
        const diff = (b.get(type) ?? 0) - (a.get(type) ?? 0);
        if (diff !== 0) added.set(type, diff);
    }
    return added;
}

function routeRow(cloud: string): Row {
    const plan = (routes: number) =>
        runJson(path.join(projectDir, "bin", "plan.ts"), [
            "--project", path.join(projectDir, "bench", "routes"), "--stack", "bench", "--json",
            "--config", `routes:routes=${routes}`, "--config", `serverless-blocks:cloud=${cloud}`,
            ...(cloud === "tencentcloud" ? ["--config", "tencentcloud:region=ap-guangzhou"] : []),
        ]) as { resources: { type: string }[] };
    const added = addedResources(plan(10), plan(11));
    const total = [...added.values()].reduce((a, b) => a + b, 0);
    const components = [...added].filter(([type]) => type.startsWith("serverless-blocks:")).reduce((a, [, n]) => a + n, 0);
    const cloudResources = total - components;
    const names = [...added].filter(([type]) => !type.startsWith("serverless-blocks:")).map(([type, n]) => `${n > 1 ? `${n} ` : ""}${type.split(":").pop()}`);
    const minimum = ROUTE_MINIMUM[cloud];
    return {
        measured: `resources one more route adds (${cloud === "aws" ? "prod, AWS" : "dev, Tencent"}; 11 vs 10 routes)`,
        ours: `${cloudResources} cloud (${names.join(", ")}) + ${components} component`,
        baseline: `least-privilege minimum ${minimum.count}: ${minimum.what}`,
        ratio: x(cloudResources / minimum.count),
        aim: "",
    };
}

function bundleRows(functions: FunctionMeasure[]): Row[] {
    return functions.map((f) => {
        const cold = f.firstCallMs ?? f.requireMs;
        const what = f.firstCallMs !== null ? "require + first call" : "require";
        const aloneCold = f.alone ? (f.firstCallMs !== null ? f.alone.firstCallMs : f.alone.requireMs) : null;
        return {
            measured: `zip, cold start (${what}): ${f.name} (${f.cloud === "aws" ? "AWS" : "Tencent"})`,
            ours: `${kb(f.zipBytes)}, ${ms(cold)}`,
            baseline: f.alone ? `handler alone ${kb(f.alone.zipBytes)}, ${aloneCold === null ? "-" : ms(aloneCold)}` : "not recorded",
            ratio: aloneCold ? `${x(f.zipBytes / f.alone!.zipBytes)} size, ${x(cold / aloneCold)} time` : "-",
            aim: "<= 30 ms, <= 1.1x",
        };
    });
}

interface LoadSummary { requestsPerSecond: number; p50Ms: number; p99Ms: number }
interface ApiRun { plain: LoadSummary; local: LoadSummary; ratio: { throughput: number; p99: number } }

function apiRows(runs: ApiRun[]): Row[] {
    return [
        {
            measured: "local API throughput, GET /api/hello (16 connections)",
            ours: `${fixed(med(runs, (r) => r.local.requestsPerSecond), 0)} req/s`,
            baseline: `plain node:http ${fixed(med(runs, (r) => r.plain.requestsPerSecond), 0)} req/s`,
            ratio: x(med(runs, (r) => r.ratio.throughput)),
            aim: ">= 0.8x",
        },
        {
            measured: "local API p99 latency",
            ours: ms(med(runs, (r) => r.local.p99Ms)),
            baseline: `plain node:http ${ms(med(runs, (r) => r.plain.p99Ms))}`,
            ratio: x(med(runs, (r) => r.ratio.p99)),
            aim: "",
        },
    ];
}

interface Distribution { p50Ms: number; p99Ms: number }
interface EventsRun { latency: Distribution; dispatch: Distribution; throughput: { eventsPerSecond: number }; underLoad: Distribution }

function eventRows(runs: EventsRun[]): Row[] {
    return [
        { measured: "event latency, publish -> handler done (one at a time)", ours: `p50 ${ms(med(runs, (r) => r.latency.p50Ms))}, p99 ${ms(med(runs, (r) => r.latency.p99Ms))}`, baseline: "-", ratio: "-", aim: "" },
        { measured: "event throughput, hub -> async task (no-op)", ours: `${fixed(med(runs, (r) => r.throughput.eventsPerSecond), 0)} events/s`, baseline: "-", ratio: "-", aim: "" },
    ];
}

interface RealtimeRun { clients: number; fanOut: { medianMs: number }; memoryPerConnection: { heapBytes: number; rssBytes: number } }

function realtimeRows(runs: RealtimeRun[]): Row[] {
    return [
        { measured: `WebSocket fan-out to ${runs[0].clients.toLocaleString("en")} clients, broadcast -> all received`, ours: ms(med(runs, (r) => r.fanOut.medianMs), 1), baseline: "-", ratio: "-", aim: "" },
        { measured: "memory per WebSocket connection (heap, RSS)", ours: `${kb(med(runs, (r) => r.memoryPerConnection.heapBytes))}, ${kb(med(runs, (r) => r.memoryPerConnection.rssBytes))}`, baseline: "-", ratio: "-", aim: "" },
    ];
}

interface WorkflowRun { states: number; latency: { meanMs: number }; direct: { meanMs: number }; addedPerStateMs: number; throughput: { executionsPerSecond: number } }

function workflowRows(runs: WorkflowRun[]): Row[] {
    return [
        { measured: "workflow executions/s (PaymentWorkflow, 200 at once)", ours: `${fixed(med(runs, (r) => r.throughput.executionsPerSecond), 1)}/s`, baseline: "-", ratio: "-", aim: "" },
        {
            measured: `workflow execution, one at a time (${runs[0].states} states, 6 tasks)`,
            ours: `${ms(med(runs, (r) => r.latency.meanMs))} mean (+${ms(med(runs, (r) => r.addedPerStateMs))} per state)`,
            baseline: `the 6 tasks invoked directly ${ms(med(runs, (r) => r.direct.meanMs))}`,
            ratio: x(med(runs, (r) => r.latency.meanMs / r.direct.meanMs)),
            aim: "",
        },
    ];
}

export function markdownTable(rows: Row[]): string {
    const escape = (cell: string) => cell.replace(/\|/g, "\\|");
    return [
        "| measured | ours | baseline (same run) | ratio | aim |",
        "| --- | --- | --- | --- | --- |",
        ...rows.map((r) => `| ${[r.measured, r.ours, r.baseline, r.ratio, r.aim].map(escape).join(" | ")} |`),
    ].join("\n");
}

function main(): void {
    const quick = process.argv.includes("--quick");
    const runs = wholeOption("runs", 3);
    const bench = (name: string) => path.join(__dirname, `${name}.ts`);
    const repeat = <T>(name: string, args: string[] = [], nodeArgs: string[] = []): T[] =>
        Array.from({ length: runs }, (_, i) => {
            process.stderr.write(`bench: ${name} (run ${i + 1} of ${runs})\n`);
            return runJson(bench(name), args, nodeArgs) as T;
        });
    const rows: Row[] = [];
    const failures: string[] = [];
    const section = (name: string, make: () => Row[]) => {
        try {
            rows.push(...make());
        } catch (err) {
            // One bench failing leaves the others' rows; the failure is printed under the table.
            failures.push(`${name} failed: ${(err as Error).message}`);
        }
    };

    section("plan", () => {
        process.stderr.write("bench: plan\n");
        return planRows(runJson(bench("plan"), quick ? ["--json", "--only", "app,10,100"] : ["--json"]) as PlanRow[]);
    });
    // bench/plan.ts has no Tencent (dev) app row to ask for (its rows: app = prod on AWS, and routes).
    const notes = ["plan time of the typical app on Tencent (dev): bench/plan.ts has no such row yet (its --only takes app, 10, 100, 1000; app is prod, AWS)"];
    for (const cloud of ["aws", "tencentcloud"]) section(`routes (${cloud})`, () => [routeRow(cloud)]);
    section("bundle-size", () => {
        process.stderr.write("bench: bundle-size\n");
        return bundleRows((runJson(bench("bundle-size"), ["--json"]) as { functions: FunctionMeasure[] }).functions);
    });
    section("api", () => apiRows(repeat<ApiRun>("api", ["--json"])));
    section("events", () => eventRows(repeat<EventsRun>("events", ["--json"])));
    section("realtime", () => realtimeRows(repeat<RealtimeRun>("realtime", ["--json"], ["--expose-gc"])));
    section("workflow", () => workflowRows(repeat<WorkflowRun>("workflow", ["--json"])));

    console.log(markdownTable(rows));
    console.log(`\n${os.availableParallelism()} cores (nproc; ${os.cpus()[0]?.model.trim() ?? "unknown cpu"}), Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; local benches: medians of ${runs} run(s), each in a fresh process${quick ? "; --quick: no 1,000-route plan" : ""}.`);
    console.log(`\nNot in the table:\n${[...notes, ...failures].map((m) => `- ${m}`).join("\n")}`);
    if (failures.length > 0) process.exitCode = 1;
}

if (require.main === module) main();
