// npm run bench:plan [-- --runs N --only app,10,100,1000] — what `npm run plan` costs against the SDK floor.
// Rows: the typical app (prod, AWS) and a BusinessApi of 10, 100 and 1,000 routes on one handler
// (bench/routes/). Each is planned with `npm run plan -- --json` (the program through the SDK's
// launcher, type-checked as the CLI does), then bench/floor, a bare JavaScript program
// registering the same resources through the same launcher and command, is planned from that
// recorded plan. Medians of N runs (default 3; 1 for 1,000 routes), each a fresh process, in
// the same run; peak memory (max RSS of the plan's processes) where /usr/bin/time exists.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const projectDir = path.resolve(__dirname, "..");
const tsNode = require.resolve("ts-node/register/transpile-only");
const TIME = "/usr/bin/time";
const hasTime = fs.existsSync(TIME);

function option(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Row {
    id: string;
    label: string;
    args: string[];
    runs: number;
}

function plan(args: string[], env: Record<string, string> = {}): { ms: number; stdout: string; peakMb?: number } {
    const command = [process.execPath, "-r", tsNode, path.join(projectDir, "bin", "plan.ts"), ...args, "--json"];
    const started = process.hrtime.bigint();
    const run = spawnSync(hasTime ? TIME : command[0], hasTime ? ["-f", "%M", ...command] : command.slice(1), {
        cwd: projectDir,
        encoding: "utf8",
        env: { ...process.env, ...env },
        maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) throw new Error(`plan ${args.join(" ")} failed:\n${run.stderr}`);
    // GNU time prints the max RSS (KB) of the process and its waited-for children as the last line.
    const peakKb = hasTime ? Number(run.stderr.trim().split("\n").pop()) : NaN;
    return { ms, stdout: run.stdout, ...(Number.isFinite(peakKb) ? { peakMb: peakKb / 1024 } : {}) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function main(): void {
    const runs = Number(option("runs", "3"));
    const only = option("only", "app,10,100,1000").split(",");
    const routes = (n: number): Row => ({
        id: String(n),
        label: `BusinessApi, ${n.toLocaleString("en")} routes on one handler`,
        args: ["--project", path.join(projectDir, "bench", "routes"), "--stack", "bench", "--config", `routes:routes=${n}`],
        runs: n >= 1000 ? 1 : runs,
    });
    const rows: Row[] = [{ id: "app", label: "the typical app (prod, AWS)", args: ["--stack", "prod"], runs }, routes(10), routes(100), routes(1000)]
        .filter((row) => only.includes(row.id));
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-plan-"));
    console.log(`| app | resources | npm run plan | SDK floor, same launcher | ratio | peak memory (plan / floor) |`);
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const row of rows) {
        const ours = Array.from({ length: row.runs }, () => plan(row.args));
        const file = path.join(scratch, `${row.id}.json`);
        fs.writeFileSync(file, ours[ours.length - 1].stdout);
        const floor = Array.from({ length: row.runs }, () =>
            plan(["--stack", "bench", "--project", path.join(projectDir, "bench", "floor")], { SB_FLOOR_PLAN: file }));
        const count = JSON.parse(ours[0].stdout).resources.length;
        const oursMs = median(ours.map((r) => r.ms));
        const floorMs = median(floor.map((r) => r.ms));
        const memory = ours[0].peakMb === undefined ? "n/a" : `${Math.max(...ours.map((r) => r.peakMb!)).toFixed(0)} / ${Math.max(...floor.map((r) => r.peakMb!)).toFixed(0)} MB`;
        console.log(`| ${row.label} | ${count.toLocaleString("en")} | ${seconds(oursMs)} | ${seconds(floorMs)} | ${(oursMs / floorMs).toFixed(2)}x | ${memory} |`);
    }
    console.log(`\nMedians of ${runs} runs (1 for 1,000 routes); Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}).`);
}

main();
