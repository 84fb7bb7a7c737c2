// A plan diff as Markdown for a pull request comment: grouped by component (the parent chain),
// creates, updates and deletes with the properties that changed, and the changes that replace a
// resource flagged, since those are the ones a reviewer must not miss (a new table is an empty one).
import type { Plan, PlanDiff, PlannedResource } from "./plan";
import { forcesReplacement } from "./replacement";

/** GitHub refuses comments over 65,536 characters; leave room for the header and the cut note. */
const MAX_COMMENT = 60_000;
const MAX_VALUE = 120;

type Change = { key: string; before: unknown; after: unknown };
type Entry = { order: number; line: string; details: string[] };

const ACTIONS = { replace: 0, delete: 1, create: 2, update: 3 } as const;

export function formatDiffMarkdown(diff: PlanDiff, before: Plan, after: Plan): string {
    const title = `### Plan diff: stack \`${after.stack}\` (${after.cloud})`;
    if (!diff.added.length && !diff.removed.length && !diff.changed.length) return `${title}\n\nno changes\n`;

    const groups = new Map<string, Entry[]>();
    const add = (plan: Plan, r: PlannedResource, entry: Entry) => {
        const group = componentChain(plan, r);
        groups.set(group, [...(groups.get(group) ?? []), entry]);
    };
    let replaced = 0;
    for (const c of diff.changed) {
        const forcing = c.inputs.filter((i) => forcesReplacement(c.resource.type, i.key));
        if (forcing.length) replaced++;
        const action = forcing.length ? "replace" : "update";
        const why = forcing.length ? ` — **replaced**: changing ${forcing.map((i) => code(i.key)).join(", ")} forces a new resource` : "";
        add(after, c.resource, {
            order: ACTIONS[action],
            line: `${action === "replace" ? "🔁 **replace**" : "✏️ update"} ${resourceName(c.resource)}${why}`,
            details: c.inputs.map(changeLine),
        });
    }
    for (const r of diff.added) add(after, r, { order: ACTIONS.create, line: `➕ create ${resourceName(r)}`, details: [] });
    for (const r of diff.removed) {
        add(before, r, { order: ACTIONS.delete, line: `➖ **delete** ${resourceName(r)}${r.protect ? " — **protected**: `pulumi up` will refuse until protection is lifted" : ""}`, details: [] });
    }

    const lines = [
        title,
        "",
        `**${diff.added.length} to create, ${diff.changed.length - replaced} to update, ${replaced} to replace, ${diff.removed.length} to delete**`,
        "",
    ];
    for (const group of [...groups.keys()].sort()) {
        lines.push(`#### ${group}`, "");
        const entries = groups.get(group)!.sort((a, b) => a.order - b.order || (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
        for (const e of entries) lines.push(`- ${e.line}`, ...e.details.map((d) => `  - ${d}`));
        lines.push("");
    }
    let text = lines.join("\n");
    if (text.length > MAX_COMMENT) {
        text = `${text.slice(0, text.lastIndexOf("\n", MAX_COMMENT))}\n\n… cut at ${MAX_COMMENT} characters: run \`npm run plan -- --stack ${after.stack} --diff\` for the whole diff\n`;
    }
    return text;
}

/** "BusinessApi `shop` › Function `shop-post-orders`": the components around a resource, outermost first. */
function componentChain(plan: Plan, r: PlannedResource): string {
    const byUrn = new Map(plan.resources.map((x) => [x.urn, x]));
    const chain: string[] = [];
    for (let at = parentOf(r, byUrn); at; at = parentOf(at, byUrn)) chain.unshift(`${at.type.split(":").pop()} ${code(at.name)}`);
    return chain.length ? chain.join(" › ") : "Stack";
}

function parentOf(r: PlannedResource, byUrn: Map<string, PlannedResource>): PlannedResource | undefined {
    if (r.parent === null) return undefined;
    const [stack, project, typeChain = ""] = r.urn.split("::");
    return byUrn.get([stack, project, typeChain.split("$").slice(0, -1).join("$"), r.parent].join("::"));
}

function resourceName(r: PlannedResource): string {
    return `${code(r.type)} **${code(r.name)}**`;
}

function changeLine(i: Change): string {
    return `${code(i.key)}: ${value(i.before)} → ${value(i.after)}`;
}

function value(v: unknown): string {
    if (v === undefined) return "(none)";
    const text = JSON.stringify(v) ?? String(v);
    return code(text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);
}

/** Inline code that survives backticks in the text: a longer fence than any run inside. */
function code(text: string): string {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = "`".repeat(longest + 1);
    return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}
