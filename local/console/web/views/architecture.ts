// Architecture: the app's components as boxes (with what they created), the flows between them,
// and the drawing (engine/graph through local/console/architecture.ts). Without the model,
// the components /_local/status lists.
import { call, el, fill } from "../dom";
import type { View } from "../main";
import { section } from "./section";

interface Architecture {
    components: { id: string; kind: string; name: string; parent: string | null; resources: { label: string }[] }[];
    flows: { from: string; to: string; kind: string; label: string }[];
    svg?: string;
    problem?: string;
}

export function architectureView(status: { components: { type: string; name: string }[] }): View {
    const root = section("architecture", "Architecture", "The app's components, what each created on this machine, and how requests and events flow between them.");
    const boxes = el("div", { class: "arch", id: "components" });
    const flows = el("div", { id: "flows" });
    const drawing = el("figure", { class: "svg", id: "drawing" });
    root.append(el("h3", {}, "Components"), boxes, el("h3", {}, "Flows"), drawing, flows);
    let loaded = false;
    return {
        id: "architecture",
        title: "Architecture",
        root,
        async refresh() {
            if (loaded) return; // the app does not change while it runs
            const arch = await call<Architecture>("/_local/console/api/architecture").catch(() => undefined);
            loaded = true;
            if (!arch || arch.components.length === 0) {
                fill(boxes, ...status.components.map((c) => el("div", { class: "box", "data-component": c.name }, el("h3", {}, c.name), el("p", {}, c.type.split(":").pop()))));
                fill(flows, el("p", {}, arch?.problem ?? "The flows are not available."));
                return;
            }
            const names = new Map(arch.components.map((c) => [c.id, `${c.kind} ${c.name}`]));
            const nameOf = (id: string) => names.get(id) ?? id.split("::").pop() ?? id;
            // Top-level components as boxes; the components inside one (an API's functions) listed in its box.
            const inside = (id: string) => arch.components.filter((c) => c.parent === id);
            // Components inside components (Auth's BusinessApi and its functions): nested lists.
            const nested = (id: string): HTMLElement | false =>
                inside(id).length > 0 && el("ul", {}, ...inside(id).map((child) => el("li", { "data-component": child.name }, `${child.kind} ${child.name}`, nested(child.id))));
            const box = (c: Architecture["components"][number]): HTMLElement =>
                el("div", { class: "box", "data-component": c.name },
                    el("h3", {}, c.name),
                    el("p", {}, c.kind),
                    nested(c.id),
                    c.resources.length > 0 && el("details", {}, el("summary", {}, `${c.resources.length} resource(s) on this machine`), el("ul", {}, ...c.resources.map((r) => el("li", {}, r.label)))),
                );
            fill(boxes, ...arch.components.filter((c) => c.parent === null).map(box));
            fill(flows, arch.flows.length === 0 ? el("p", {}, "No flows.") : el("details", {}, el("summary", {}, `All ${arch.flows.length} flows as a list`),
                el("ul", {}, ...arch.flows.map((f) => el("li", { "data-flow": f.kind }, `${nameOf(f.from)} → ${nameOf(f.to)} (${f.kind}${f.label ? `: ${f.label}` : ""})`)))));
            if (arch.svg) {
                // Graphviz's SVG, made on the server from the program's resources: no script, only shapes and text.
                const svg = new DOMParser().parseFromString(arch.svg, "image/svg+xml").documentElement;
                svg.setAttribute("role", "img");
                svg.setAttribute("aria-label", "Drawing of the components and flows listed above");
                fill(drawing, el("figcaption", {}, "Components (boxes) and flows (arrows): requests, events, uploads, workflow steps and links"), document.importNode(svg, true));
            } else if (arch.problem) fill(drawing, el("figcaption", {}, arch.problem));
        },
    };
}
