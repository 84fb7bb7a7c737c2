// The Architecture view's data: the app's components with their resources and the flows between
// them (engine/graph: the same model `npm run graph` draws), from the resources the program
// recorded when npm start evaluated it, plus the picture as SVG (Graphviz). The graph modules are
// loaded on first use: the runtime starts without Graphviz's WebAssembly, and a failure there
// costs the picture only, not the console.
import type { EngineResource } from "../../engine/run";

export interface ArchitectureView {
    components: { id: string; kind: string; name: string; parent: string | null; resources: { label: string }[] }[];
    flows: { from: string; to: string; kind: string; label: string }[];
    /** The drawing, when Graphviz could make one. */
    svg?: string;
    /** Why there is no drawing (or no model). */
    problem?: string;
}

let cached: { resources: readonly EngineResource[]; view: Promise<ArchitectureView> } | undefined;

export function architectureView(resources: readonly EngineResource[]): Promise<ArchitectureView> {
    // The resources do not change while a runtime runs: one layout per evaluation.
    if (cached?.resources !== resources) cached = { resources, view: build(resources) };
    return cached.view;
}

async function build(resources: readonly EngineResource[]): Promise<ArchitectureView> {
    let model: typeof import("../../engine/graph/model");
    try {
        model = await import("../../engine/graph/model");
    } catch (err) {
        return { components: [], flows: [], problem: `the architecture model could not be loaded: ${(err as Error).message}` };
    }
    const architecture = model.architectureOf(resources);
    const view: ArchitectureView = {
        components: architecture.components.map((c) => ({ id: c.id, kind: c.kind, name: c.name, parent: c.parent, resources: c.resources.map((r) => ({ label: r.label })) })),
        flows: architecture.flows.map((f) => ({ from: f.from, to: f.to, kind: f.kind, label: f.label })),
    };
    try {
        const [{ toDot }, { renderSvg }] = await Promise.all([import("../../engine/graph/dot"), import("../../engine/graph/svg")]);
        view.svg = await renderSvg(toDot(architecture));
    } catch (err) {
        view.problem = `no drawing: ${(err as Error).message}`;
    }
    return view;
}
