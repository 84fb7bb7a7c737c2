// A plan: what `pulumi up` would create for a stack, as JSON for machines and text for reviewers,
// and the difference between two plans for a pull request.
import type { Evaluation } from "./program";
import { stackTarget } from "./stack-target";

// The same diff as Markdown, for pull request comments (grouped by component, replacements flagged).
export { formatDiffMarkdown } from "./plan-markdown";

export interface PlannedResource {
    /** Pulumi's identity of the resource: what a diff matches on. */
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    inputs: Record<string, unknown>;
    protect?: boolean;
}

export interface Plan {
    stack: string;
    cloud: string;
    resources: PlannedResource[];
}

export function toPlan(evaluation: Evaluation): Plan {
    return {
        stack: evaluation.stack,
        cloud: stackTarget(evaluation.stack, evaluation.config).cloud,
        // Registration order depends on timing; URN order does not, so plans compare line by line.
        resources: [...evaluation.resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0)).map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            inputs: r.inputs,
            ...(r.protect ? { protect: true } : {}),
        })),
    };
}

const MAX_VALUE = 160;

function show(value: unknown): string {
    const text = typeof value === "string" ? tryCompactJson(value) : JSON.stringify(value);
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** Policies and other JSON documents arrive as strings; print them compactly. */
function tryCompactJson(text: string): string {
    try {
        const parsed = JSON.parse(text);
        if (parsed !== null && typeof parsed === "object") return JSON.stringify(parsed);
    } catch {
        // not JSON: print as is
    }
    return JSON.stringify(text);
}

/** A child's URN is its parent's type chain plus its own type; its parent is the resource so named. */
function parentUrn(r: PlannedResource, byUrn: Map<string, PlannedResource>): string | null {
    if (r.parent === null) return null;
    const [stack, project, typeChain] = r.urn.split("::");
    const parentTypes = typeChain.split("$").slice(0, -1).join("$");
    const candidate = [stack, project, parentTypes, r.parent].join("::");
    return byUrn.has(candidate) ? candidate : null;
}

/** The tree of components and resources with their key inputs, then counts by type. */
export function formatPlan(plan: Plan): string {
    const lines = [`Plan for stack '${plan.stack}' (cloud: ${plan.cloud}): ${plan.resources.length} resources to create`, ""];
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const children = new Map<string | null, PlannedResource[]>();
    for (const r of plan.resources) {
        const key = parentUrn(r, byUrn);
        children.set(key, [...(children.get(key) ?? []), r]);
    }
    const walk = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const pad = "    ".repeat(depth);
            lines.push(`${pad}+ ${r.type}  ${r.name}${r.protect ? "  (protected)" : ""}`);
            for (const [key, value] of Object.entries(r.inputs)) lines.push(`${pad}      ${key}: ${show(value)}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    lines.push("", "Resources by type:");
    for (const [type, n] of [...counts].sort()) lines.push(`  ${String(n).padStart(4)}  ${type}`);
    return lines.join("\n");
}

export interface PlanDiff {
    added: PlannedResource[];
    removed: PlannedResource[];
    changed: { resource: PlannedResource; inputs: { key: string; before: unknown; after: unknown }[] }[];
}

const identity = (r: PlannedResource) => r.urn;

export function diffPlans(before: Plan, after: Plan): PlanDiff {
    const old = new Map(before.resources.map((r) => [identity(r), r]));
    const now = new Map(after.resources.map((r) => [identity(r), r]));
    const diff: PlanDiff = { added: [], removed: [], changed: [] };
    for (const [id, r] of now) {
        const prev = old.get(id);
        if (!prev) {
            diff.added.push(r);
            continue;
        }
        const keys = [...new Set([...Object.keys(prev.inputs), ...Object.keys(r.inputs)])].sort();
        const inputs = keys
            .filter((k) => JSON.stringify(prev.inputs[k]) !== JSON.stringify(r.inputs[k]))
            .map((key) => ({ key, before: prev.inputs[key], after: r.inputs[key] }));
        if (inputs.length) diff.changed.push({ resource: r, inputs });
    }
    for (const [id, r] of old) if (!now.has(id)) diff.removed.push(r);
    return diff;
}

export function formatDiff(diff: PlanDiff): string {
    if (!diff.added.length && !diff.removed.length && !diff.changed.length) return "no changes";
    const lines: string[] = [];
    for (const r of diff.added) lines.push(`+ ${r.type}  ${r.name}`);
    for (const r of diff.removed) lines.push(`- ${r.type}  ${r.name}`);
    for (const c of diff.changed) {
        lines.push(`~ ${c.resource.type}  ${c.resource.name}`);
        for (const i of c.inputs) lines.push(`      ${i.key}: ${i.before === undefined ? "(none)" : show(i.before)} => ${i.after === undefined ? "(none)" : show(i.after)}`);
    }
    lines.push(`${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove`);
    return lines.join("\n");
}
