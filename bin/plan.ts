// npm run plan -- --stack dev|prod [--json] [--diff OTHER.json]
// Prints what `pulumi up` would create for a stack, evaluated in-process (no CLI, no cloud).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { diffPlans, formatDiff, formatPlan, Plan, toPlan } from "../engine/plan";
import { evaluateStack } from "../engine/program";

const USAGE = "usage: npm run plan -- --stack <name> [--json] [--diff EARLIER_PLAN.json] [--project DIR]";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            json: { type: "boolean" },
            diff: { type: "string" },
            project: { type: "string" },
            help: { type: "boolean" },
        },
    });
    if (values.help) return void console.log(USAGE);
    if (!values.stack) throw new Error(`--stack is required\n${USAGE}`);
    const projectDir = path.resolve(values.project ?? path.join(__dirname, ".."));
    const plan = toPlan(await evaluateStack(projectDir, values.stack));
    if (values.diff) {
        const earlier = JSON.parse(fs.readFileSync(values.diff, "utf8")) as Plan;
        const diff = diffPlans(earlier, plan);
        console.log(values.json ? JSON.stringify(diff, null, 2) : formatDiff(diff));
    } else {
        console.log(values.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
    }
}

main().catch((err) => {
    console.error(`plan failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
