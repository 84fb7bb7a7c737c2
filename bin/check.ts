// npm run check -- --stack dev|prod [--config k=v ...] [--project DIR]
// Runs the policy pack's rules (policy/policies.ts, the same objects `pulumi preview --policy-pack
// policy` runs) against what the stack would deploy: the program runs through the SDK's launcher
// against the in-process engine, as `npm run plan -- --outputs` does, so ids and ARNs are known.
// Prints the violations by rule with their fixes; exits 1 on any mandatory violation.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { evaluateStack } from "../engine/program";
import { evaluatePolicies, Violation } from "../policy/evaluate";
import { policies } from "../policy/policies";
import { SHOP_DIR } from "./shop";

const USAGE = "usage: npm run check -- --stack <name> [--project DIR] [--config key=value ...]";

function parseOverrides(pairs: string[]): Record<string, string> {
    const overrides: Record<string, string> = {};
    for (const pair of pairs) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new Error(`--config '${pair}': expected key=value\n${USAGE}`);
        overrides[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return overrides;
}

function parseCommandLine() {
    try {
        return parseArgs({
            options: {
                stack: { type: "string" },
                project: { type: "string" },
                config: { type: "string", multiple: true, short: "c" },
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    }
}

/** Violations grouped by rule, mandatory rules first; each message ends with its fix. */
export function formatViolations(violations: Violation[]): string {
    const byPolicy = new Map<string, Violation[]>();
    for (const v of violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    const groups = [...byPolicy.values()].sort((a, b) => Number(b[0].enforcementLevel === "mandatory") - Number(a[0].enforcementLevel === "mandatory"));
    const lines: string[] = [];
    for (const group of groups) {
        const { policy, enforcementLevel, description } = group[0];
        lines.push(`${policy} (${enforcementLevel}): ${group.length} violation${group.length === 1 ? "" : "s"}`, `  ${description}`);
        for (const v of group) {
            const [what, fix] = v.message.split(/\. Fix: /);
            lines.push(`  - ${what}`);
            if (fix) lines.push(`      fix: ${fix}`);
        }
        lines.push("");
    }
    return lines.join("\n");
}

async function main(): Promise<number> {
    const { values } = parseCommandLine();
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack) throw new Error(`--stack is required\n${USAGE}`);
    const projectDir = path.resolve(values.project ?? SHOP_DIR);
    const overrides = parseOverrides(values.config ?? []);
    const evaluation = await evaluateStack(projectDir, values.stack, { mode: "update", overrides });
    for (const log of evaluation.logs) if (log.severity === "warning") console.error(`warning: ${log.message.trim()}`);

    const violations = await evaluatePolicies(evaluation.resources, policies);
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = violations.length - mandatory;
    if (violations.length > 0) console.log(formatViolations(violations));
    console.log(`stack ${values.stack}: ${evaluation.resources.length} resources, ${policies.length} rules: ${mandatory} mandatory and ${advisory} advisory violations`);
    return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then((code) => process.exit(code), (err) => {
        console.error(`check failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(2);
    });
}
