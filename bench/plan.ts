// npm run bench:plan [-- --runs N --stacks prod,dev] — what `npm run plan` costs against the SDK floor.
// For each stack: `npm run plan -- --stack S --json` (the program through the SDK's launcher,
// type-checked as the CLI does) against bench/floor, a bare JavaScript program registering the
// same resources through the same launcher and the same command. Medians of N runs (default 3),
// each in a fresh process, measured in the same run; the ratio is what our code adds.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const projectDir = path.resolve(__dirname, "..");
const tsNode = require.resolve("ts-node/register/transpile-only");

function option(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
}

function plan(args: string[], env: Record<string, string> = {}): { ms: number; stdout: string } {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-r", tsNode, path.join(projectDir, "bin", "plan.ts"), ...args], {
        cwd: projectDir,
        encoding: "utf8",
        env: { ...process.env, ...env },
        maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) throw new Error(`plan ${args.join(" ")} failed:\n${run.stderr}`);
    return { ms, stdout: run.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
    const runs = Number(option("runs", "3"));
    const stacks = option("stacks", "prod,dev").split(",");
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-plan-"));
    console.log(`| stack | resources | npm run plan (median of ${runs}) | SDK floor, same launcher | ratio |`);
    console.log("| --- | --- | --- | --- | --- |");
    for (const stack of stacks) {
        const ours: number[] = [];
        let recorded = "";
        for (let i = 0; i < runs; i++) {
            const run = plan(["--stack", stack, "--json"]);
            ours.push(run.ms);
            recorded = run.stdout;
        }
        const file = path.join(scratch, `${stack}.json`);
        fs.writeFileSync(file, recorded);
        const floor: number[] = [];
        for (let i = 0; i < runs; i++) floor.push(plan(["--stack", "bench", "--project", path.join(projectDir, "bench", "floor"), "--json"], { SB_FLOOR_PLAN: file }).ms);
        const count = JSON.parse(recorded).resources.length;
        console.log(`| ${stack} | ${count} | ${(median(ours) / 1000).toFixed(2)} s | ${(median(floor) / 1000).toFixed(2)} s | ${(median(ours) / median(floor)).toFixed(2)}x |`);
    }
    console.log(`\nNode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}).`);
}

main();
