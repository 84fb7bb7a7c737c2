// The architecture as Graphviz DOT: each component a dashed box (nested as the components nest)
// around its resources, each flow a labelled edge. Everything is emitted in sorted order, so the
// same stack gives the same text, and every id and label is quoted and escaped.
import { isSupporting } from "./labels";
import type { Architecture, ArchitectureComponent, ArchitectureResource, FlowKind } from "./model";

/** Colour and line of each kind of flow, so a reader tells events from routes at a glance. */
const FLOW_STYLE: Record<FlowKind, string> = {
    subscribe: 'color="#1f6fb2", fontcolor="#1f6fb2"',
    trigger: 'color="#1f6fb2", fontcolor="#1f6fb2"',
    "dead-letter": 'color="#b22222", fontcolor="#b22222", style=dashed',
    route: 'color="#2e7d32", fontcolor="#2e7d32"',
    upload: 'color="#c06000", fontcolor="#c06000"',
    workflow: 'color="#6a1b9a", fontcolor="#6a1b9a"',
    link: 'color="#555555", fontcolor="#555555", style=dotted',
    permission: 'color="#999999", fontcolor="#777777", style=dotted, arrowhead=empty',
};

/** A DOT quoted string: backslashes and quotes escaped, line breaks as DOT's `\n`. */
export function quote(text: string): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** The node standing for an empty component: flows to it end there. */
const emptyNodeOf = (componentId: string) => `empty ${componentId}`;

export interface DotOptions {
    /** The graph's title, drawn at the top (e.g. "prod (aws)"). */
    title?: string;
    /**
     * "main" (default): supporting resources (roles, policies, log groups, permissions, bucket
     * settings...) that no flow touches are counted in their component's label, not drawn.
     * "all": every resource.
     */
    detail?: "main" | "all";
}

export function toDot(architecture: Architecture, options: DotOptions = {}): string {
    const children = new Map<string | null, ArchitectureComponent[]>();
    for (const c of architecture.components) children.set(c.parent, [...(children.get(c.parent) ?? []), c]);
    const components = new Map(architecture.components.map((c) => [c.id, c]));
    const endpoints = new Set(architecture.flows.flatMap((f) => [f.from, f.to]));
    const drawn = (r: ArchitectureResource) => options.detail === "all" || endpoints.has(r.id) || !isSupporting(r.type);
    /** A component's drawn resources; all of them where hiding the supporting ones would leave its box empty. */
    const shownIn = (c: ArchitectureComponent) => {
        const shown = c.resources.filter(drawn);
        return shown.length || children.has(c.id) ? shown : c.resources;
    };
    const lines = [
        "digraph architecture {",
        `    graph [rankdir=LR, compound=true, newrank=true, fontname="Helvetica", fontsize=12, nodesep=0.2, ranksep=0.7${options.title ? `, label=${quote(options.title)}, labelloc=t` : ""}];`,
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#777777", fontname="Helvetica", fontsize=10];',
        '    edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
    ];
    const resourceNode = (r: ArchitectureResource, pad: string) => {
        lines.push(`${pad}${quote(r.id)} [label=${quote(twoLines(r))}];`);
    };
    const cluster = (c: ArchitectureComponent, depth: number) => {
        const pad = "    ".repeat(depth);
        const shown = shownIn(c);
        const hidden = c.resources.length - shown.length;
        lines.push(`${pad}subgraph ${quote(`cluster ${c.id}`)} {`);
        lines.push(`${pad}    label=${quote(`${c.kind} ${c.name}${hidden ? ` (+${hidden} supporting)` : ""}`)}; style="dashed,rounded"; color="#4a6785"; fontcolor="#1d3557";`);
        const nested = children.get(c.id) ?? [];
        if (shown.length === 0 && nested.length === 0) lines.push(`${pad}    ${quote(emptyNodeOf(c.id))} [label="(no resources)", shape=plaintext, style="", fontcolor="#777777"];`);
        for (const r of shown) resourceNode(r, `${pad}    `);
        for (const child of nested) cluster(child, depth + 1);
        lines.push(`${pad}}`);
    };
    for (const c of children.get(null) ?? []) cluster(c, 1);
    for (const r of architecture.resources.filter(drawn)) resourceNode(r, "    ");
    /**
     * A flow to or from a component is drawn to its main resource (the one named as the component,
     * else its first), clipped at the component's box, so the resource keeps its place in the layout.
     */
    const standIn = (id: string): string => {
        const c = components.get(id);
        if (!c) return id;
        const shown = shownIn(c);
        const main = shown.find((r) => r.name === c.name) ?? shown[0];
        if (main) return main.id;
        const nested = children.get(c.id) ?? [];
        return nested.length ? standIn(nested[0].id) : emptyNodeOf(c.id);
    };
    for (const f of architecture.flows) {
        const attrs = [`label=${quote(f.label)}`, FLOW_STYLE[f.kind]];
        const from = standIn(f.from);
        const to = standIn(f.to);
        if (components.has(f.from)) attrs.push(`ltail=${quote(`cluster ${f.from}`)}`);
        if (components.has(f.to)) attrs.push(`lhead=${quote(`cluster ${f.to}`)}`);
        lines.push(`    ${quote(from)} -> ${quote(to)} [${attrs.join(", ")}];`);
    }
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

/** "lambda Function" over "shop-post-orders": the type's words, then the name on a line of its own. */
function twoLines(r: ArchitectureResource): string {
    return r.label.endsWith(` ${r.name}`) ? `${r.label.slice(0, -r.name.length - 1)}\n${r.name}` : r.label;
}
