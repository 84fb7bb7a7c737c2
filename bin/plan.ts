// npm run plan -- --stack dev|prod [--json] [--outputs] [--diff OTHER.json [--markdown]] [--plan SAVED.json] [--project DIR] [--config k=v]
// Prints what `pulumi preview` would show for a stack: the program runs through the SDK's own
// launcher against the in-process engine (no CLI, no cloud). `--outputs` shows what `pulumi up`
// would register instead, with realistic ids and ARNs where the preview has unknowns. `--markdown`
// formats a diff for a pull request comment (.github/workflows/plan-diff.yml posts it); `--plan`
// takes a saved `--json` plan instead of running the program, to diff two saved plans.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { diffPlans, formatDiff, formatDiffMarkdown, formatPlan, Plan, toPlan } from "../engine/plan";
import { evaluateStack } from "../engine/program";
import { SHOP_DIR } from "./shop";

const USAGE = "usage: npm run plan -- --stack <name> [--json] [--outputs] [--diff EARLIER_PLAN.json [--markdown]] [--plan SAVED_PLAN.json] [--project DIR] [--config key=value ...]";

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            json: { type: "boolean" },
            outputs: { type: "boolean" },
            diff: { type: "string" },
            markdown: { type: "boolean" },
            plan: { type: "string" },
            project: { type: "string" },
            config: { type: "string", multiple: true, short: "c" },
            help: { type: "boolean" },
        },
    });
    if (values.help) return void console.log(USAGE);
    if (!values.stack) throw new Error(`--stack is required\n${USAGE}`);
    if (values.markdown && !values.diff) throw new Error(`--markdown formats a diff: give the earlier plan with --diff EARLIER_PLAN.json\n${USAGE}`);
    if (values.markdown && values.json) throw new Error(`--markdown and --json: choose one format\n${USAGE}`);
    // Read first: a wrong path fails now, not after the program has run.
    const earlier = values.diff ? readPlan(values.diff, "--diff") : undefined;
    if (values.plan) {
        const saved = readPlan(values.plan, "--plan");
        if (saved.stack !== values.stack) throw new Error(`--plan ${values.plan} is a plan of stack '${saved.stack}', not '${values.stack}'`);
        if (values.outputs || values.project || values.config?.length) throw new Error(`--plan reads a saved plan: --outputs, --project and --config do not apply\n${USAGE}`);
        return print(saved, earlier, values);
    }
    const projectDir = path.resolve(values.project ?? SHOP_DIR);
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
    print(toPlan(evaluation), earlier, values);
}

function print(plan: Plan, earlier: Plan | undefined, format: { json?: boolean; markdown?: boolean }): void {
    if (earlier) {
        const diff = diffPlans(earlier, plan);
        console.log(format.json ? JSON.stringify(diff, null, 2) : format.markdown ? formatDiffMarkdown(diff, earlier, plan) : formatDiff(diff));
    } else {
        console.log(format.json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
    }
}

/** An earlier `npm run plan -- --json`; a clear error for anything else. */
function readPlan(file: string, flag: string): Plan {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let plan: Plan;
    try {
        plan = JSON.parse(text);
    } catch {
        throw new Error(`${flag} ${file}: not JSON; expected the output of \`npm run plan -- --stack <name> --json\``);
    }
    if (!plan || !Array.isArray(plan.resources)) throw new Error(`${flag} ${file}: no "resources" list; expected the output of \`npm run plan -- --stack <name> --json\``);
    return plan;
}

main().catch((err) => {
    console.error(`plan failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
