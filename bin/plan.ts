// npm run plan -- --stack dev|prod [--json] [--outputs] [--diff OTHER.json] [--project DIR] [--config k=v]
// Prints what `pulumi preview` would show for a stack: the program runs through the SDK's own
// launcher against the in-process engine (no CLI, no cloud). `--outputs` shows what `pulumi up`
// would register instead, with realistic ids and ARNs where the preview has unknowns.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { diffPlans, formatDiff, formatPlan, Plan, toPlan } from "../engine/plan";
import { evaluateStack } from "../engine/program";

const USAGE = "usage: npm run plan -- --stack <name> [--json] [--outputs] [--diff EARLIER_PLAN.json] [--project DIR] [--config key=value ...]";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            json: { type: "boolean" },
            outputs: { type: "boolean" },
            diff: { type: "string" },
            project: { type: "string" },
            config: { type: "string", multiple: true, short: "c" },
            help: { type: "boolean" },
        },
    });
    if (values.help) return void console.log(USAGE);
    if (!values.stack) throw new Error(`--stack is required\n${USAGE}`);
    const projectDir = path.resolve(values.project ?? path.join(__dirname, ".."));
    // As `pulumi preview --config key=value`: set on top of the stack's config for this run.
    const overrides: Record<string, string> = {};
    for (const pair of values.config ?? []) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new Error(`--config '${pair}': expected key=value\n${USAGE}`);
        overrides[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const evaluation = await evaluateStack(projectDir, values.stack, { mode: values.outputs ? "update" : "preview", overrides });
    for (const log of evaluation.logs) if (log.severity === "warning") console.error(`warning: ${log.message.trim()}`);
    if (evaluation.resources.length === 0) {
        console.error(`warning: the program registered no resources; a CommonJS program's \`export default\` is never called by Pulumi's launcher: use \`export =\` or top-level code`);
    }
    const plan = toPlan(evaluation);
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
