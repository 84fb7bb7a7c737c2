// npm run bench:plan [-- --runs N --only app,10,100,1000 --floor sdk|replay --json] — what `npm run plan`
// costs against the SDK floor.
// Rows: the typical app (prod, AWS) and a BusinessApi of 10, 100 and 1,000 routes on one handler
// (bench/routes/). Each is planned with `npm run plan -- --json` (the program through the SDK's
// launcher, type-checked as the CLI does), then bench/floor, a bare TypeScript program
// registering the same resources through the same launcher and command, is planned from that
// recorded plan: by default through the provider SDKs' own classes (`--floor sdk`, what a program
// declaring these resources by hand pays), or by type token with inputs only (`--floor replay`,
// the cheapest registration the SDK allows). Medians of N runs (default 3; 1 for 1,000 routes),
// each a fresh process, ours and the floor's taking turns; where /usr/bin/time exists, also peak
// memory (max RSS of the plan's processes) and CPU time (user + system of the plan and its
// program), which other work on a shared machine disturbs far less than wall time. Per-route
// growth: the extra time per extra route from one routes row to the next, ours against the
// floor's. With --json it prints the rows as a JSON array instead.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { jsonRequested, machine, median, wholeOption } from "./stats";

const projectDir = path.resolve(__dirname, "..");
const tsNode = require.resolve("ts-node/register/transpile-only");
const TIME = "/usr/bin/time";
const hasTime = fs.existsSync(TIME);
const ROW_IDS = ["app", "10", "100", "1000"];
const FLOOR_MODES = ["sdk", "replay"];

function option(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const value = process.argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
    return value;
}

interface Row {
    id: string;
    label: string;
    args: string[];
    runs: number;
    /** Routes in the BusinessApi; undefined for the app. */
    routes?: number;
}

/** One measured row, as `--json` prints it. */
export interface PlanBenchRow {
    id: string;
    label: string;
    resources: number;
    ours_ms: number;
    floor_ms: number;
    ratio: number;
    peak_mb_ours?: number;
    peak_mb_floor?: number;
    /** Extra milliseconds per extra route since the previous routes row (e.g. 100 to 1,000). */
    per_route_ms_ours?: number;
    per_route_ms_floor?: number;
    /** CPU time (user + system) of the plan's processes, medians; where /usr/bin/time exists. */
    cpu_ms_ours?: number;
    cpu_ms_floor?: number;
    cpu_ratio?: number;
    per_route_cpu_ms_ours?: number;
    per_route_cpu_ms_floor?: number;
}

interface Run {
    ms: number;
    stdout: string;
    peakMb?: number;
    cpuMs?: number;
}

function plan(args: string[], env: Record<string, string> = {}): Run {
    const command = [process.execPath, "-r", tsNode, path.join(projectDir, "bin", "plan.ts"), ...args, "--json"];
    const started = process.hrtime.bigint();
    const run = spawnSync(hasTime ? TIME : command[0], hasTime ? ["-f", "%M %U %S", ...command] : command.slice(1), {
        cwd: projectDir,
        encoding: "utf8",
        env: { ...process.env, ...env },
        maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) throw new Error(`plan ${args.join(" ")} failed:\n${run.stderr}`);
    // GNU time prints, as the last line, the max RSS (KB) and the user and system CPU seconds of
    // the process and its waited-for children (the program the launcher started, esbuild).
    const [peakKb, user, system] = hasTime ? run.stderr.trim().split("\n").pop()!.split(" ").map(Number) : [NaN, NaN, NaN];
    return {
        ms,
        stdout: run.stdout,
        ...(Number.isFinite(peakKb) ? { peakMb: peakKb / 1024 } : {}),
        ...(Number.isFinite(user + system) ? { cpuMs: (user + system) * 1000 } : {}),
    };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

function measure(row: Row, floorMode: string, scratch: string): PlanBenchRow {
    // Ours and the floor take turns, so that other work starting or stopping on the machine
    // weighs on both alike; the floor replays the plan of our first run.
    const file = path.join(scratch, `${row.id}.json`);
    const ours: Run[] = [];
    const floor: Run[] = [];
    for (let i = 0; i < row.runs; i++) {
        ours.push(plan(row.args));
        if (i === 0) fs.writeFileSync(file, ours[0].stdout);
        floor.push(plan(["--stack", "bench", "--project", path.join(projectDir, "bench", "floor")], { SB_FLOOR_PLAN: file, SB_FLOOR_MODE: floorMode }));
    }
    const oursMs = median(ours.map((r) => r.ms));
    const floorMs = median(floor.map((r) => r.ms));
    const peak = (runs: Run[]) => (runs[0].peakMb === undefined ? undefined : round(Math.max(...runs.map((r) => r.peakMb!))));
    const cpu = (runs: Run[]) => (runs[0].cpuMs === undefined ? undefined : median(runs.map((r) => r.cpuMs!)));
    const [cpuOurs, cpuFloor] = [cpu(ours), cpu(floor)];
    return {
        id: row.id,
        label: row.label,
        resources: JSON.parse(ours[0].stdout).resources.length,
        ours_ms: round(oursMs),
        floor_ms: round(floorMs),
        ratio: round(oursMs / floorMs, 2),
        peak_mb_ours: peak(ours),
        peak_mb_floor: peak(floor),
        ...(cpuOurs !== undefined && cpuFloor !== undefined
            ? { cpu_ms_ours: round(cpuOurs), cpu_ms_floor: round(cpuFloor), cpu_ratio: round(cpuOurs / cpuFloor, 2) }
            : {}),
    };
}

function main(): void {
    const runs = wholeOption("runs", 3);
    const only = option("only", ROW_IDS.join(",")).split(",");
    const unknown = only.filter((id) => !ROW_IDS.includes(id));
    if (unknown.length) throw new Error(`--only ${unknown.join(",")}: unknown row; the rows are ${ROW_IDS.join(", ")}`);
    const floorMode = option("floor", "sdk");
    if (!FLOOR_MODES.includes(floorMode)) throw new Error(`--floor ${floorMode}: expected ${FLOOR_MODES.join(" or ")}`);
    const json = jsonRequested();

    const routes = (n: number): Row => ({
        id: String(n),
        label: `BusinessApi, ${n.toLocaleString("en")} routes on one handler`,
        args: ["--project", path.join(projectDir, "bench", "routes"), "--stack", "bench", "--config", `routes:routes=${n}`],
        runs: n >= 1000 ? 1 : runs,
        routes: n,
    });
    const rows: Row[] = [{ id: "app", label: "the typical app (prod, AWS)", args: ["--stack", "prod"], runs }, routes(10), routes(100), routes(1000)]
        .filter((row) => only.includes(row.id));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-plan-"));
    if (!json) {
        console.log(`| app | resources | npm run plan | SDK floor (${floorMode}), same launcher | ratio | per extra route (plan / floor) | CPU time (plan / floor) | CPU per extra route | peak memory (plan / floor) |`);
        console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    }
    const measured: PlanBenchRow[] = [];
    let previous: { routes: number; result: PlanBenchRow } | undefined;
    for (const row of rows) {
        const result = measure(row, floorMode, scratch);
        const since = previous?.routes;
        if (row.routes !== undefined) {
            if (previous) {
                const extra = row.routes - previous.routes;
                result.per_route_ms_ours = round((result.ours_ms - previous.result.ours_ms) / extra, 1);
                result.per_route_ms_floor = round((result.floor_ms - previous.result.floor_ms) / extra, 1);
                if (result.cpu_ms_ours !== undefined && previous.result.cpu_ms_ours !== undefined) {
                    result.per_route_cpu_ms_ours = round((result.cpu_ms_ours - previous.result.cpu_ms_ours) / extra, 1);
                    result.per_route_cpu_ms_floor = round((result.cpu_ms_floor! - previous.result.cpu_ms_floor!) / extra, 1);
                }
            }
            previous = { routes: row.routes, result };
        }
        measured.push(result);
        if (!json) {
            const growth = (ours?: number, floor?: number) => (ours === undefined || floor === undefined
                ? "-"
                : `${ours} / ${floor} ms (${(ours / floor).toFixed(2)}x, from ${since!.toLocaleString("en")} routes)`);
            const cpu = result.cpu_ms_ours === undefined ? "n/a" : `${seconds(result.cpu_ms_ours)} / ${seconds(result.cpu_ms_floor!)} (${result.cpu_ratio!.toFixed(2)}x)`;
            const memory = result.peak_mb_ours === undefined ? "n/a" : `${result.peak_mb_ours.toLocaleString("en")} / ${result.peak_mb_floor!.toLocaleString("en")} MB`;
            console.log(`| ${row.label} | ${result.resources.toLocaleString("en")} | ${seconds(result.ours_ms)} | ${seconds(result.floor_ms)} | ${result.ratio.toFixed(2)}x | ${growth(result.per_route_ms_ours, result.per_route_ms_floor)} | ${cpu} | ${growth(result.per_route_cpu_ms_ours, result.per_route_cpu_ms_floor)} | ${memory} |`);
        }
    }
    fs.rmSync(scratch, { recursive: true, force: true });
    if (json) return void console.log(JSON.stringify(measured, null, 2));
    const where = machine();
    console.log(`\nMedians of ${runs} runs (1 for 1,000 routes); Node ${where.node}, ${where.cores} cores (${where.cpu}).`);
}

main();
