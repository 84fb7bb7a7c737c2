// The architecture of a stack as plain data: the components (our ComponentResources) with the
// cloud resources inside them, and the flows between them (events, routes, uploads, workflow
// steps, links). Derived only from what a program registered, so `npm run graph` and a browser
// console draw the same picture from the same resources.
//
// Use: `architectureOf(evaluation.resources)` (engine/program.ts `evaluateStack`) or
// `architectureOf(plan.resources)` (engine/plan.ts); draw it with `toDot` (dot.ts) and
// `renderSvg` (svg.ts). Flows need the values the resources point to each other by (ARNs, ids,
// names): an `update` evaluation has them all (`npm run graph` uses one); a preview has only those
// known before deployment, and a plan lacks the components' outputs (their links), so some flows
// are missing there. The result holds URNs, types, names and short labels (route keys, event
// patterns, workflow state names, allowed actions), never variable values or secrets.
import { resourceLabel } from "./labels";
import { flowsOf } from "./flows";

/** What the model reads of a registered resource: an engine resource or a planned one. */
export interface GraphResource {
    urn: string;
    type: string;
    name: string;
    /** The parent's logical name (engine/registrations.ts), or null at the top of the stack. */
    parent: string | null;
    /** False for ComponentResources; when absent (a plan), components are told by their type. */
    custom?: boolean;
    inputs: Record<string, unknown>;
    /** Inputs plus outputs, secrets revealed (an engine resource); preferred over `inputs` when present. */
    state?: Record<string, unknown>;
    /** What a component registered with `registerOutputs` (links, local descriptors' data). */
    outputs?: Record<string, unknown>;
}

/** A cloud resource (or a local runtime descriptor) inside a component. */
export interface ArchitectureResource {
    /** The resource's URN: what flows name. */
    id: string;
    type: string;
    name: string;
    /** Short and readable: "lambda Function shop-post-orders". */
    label: string;
}

/** One of our components, e.g. BusinessApi "shop", with what it created directly. */
export interface ArchitectureComponent {
    /** The component's URN: what flows and child components name. */
    id: string;
    /** The component's class: "BusinessApi". */
    kind: string;
    type: string;
    name: string;
    /** The enclosing component's id, or null at the top. */
    parent: string | null;
    /** Its own resources (not those of nested components), sorted by label. */
    resources: ArchitectureResource[];
}

export type FlowKind =
    /** A hub's events reach a rule (or local task) by pattern. */
    | "subscribe"
    /** A rule, bucket notification or queue runs a function. */
    | "trigger"
    /** Where a function's failed events go. */
    | "dead-letter"
    /** An API route (HTTP or WebSocket) runs a function. */
    | "route"
    /** An uploaded file runs the processor. */
    | "upload"
    /** A workflow step runs a function. */
    | "workflow"
    /** A function uses a component through a link (its SB_<TYPE>_<NAME>_<KEY> variables). */
    | "link"
    /** A function's role may act on a component's resources, with no link variable for it. */
    | "permission";

export interface Flow {
    /** A resource id or a component id. */
    from: string;
    to: string;
    kind: FlowKind;
    label: string;
}

export interface Architecture {
    /** Every component, sorted by id; `parent` says how they nest. */
    components: ArchitectureComponent[];
    /** Resources outside any component (e.g. a top-level RandomPassword), sorted by label. */
    resources: ArchitectureResource[];
    /** Sorted by from, to, kind, label; no duplicates. */
    flows: Flow[];
}

const LOCAL_DESCRIPTOR = "serverless-blocks:local:";

/** Our local target's descriptors are components in Pulumi's eyes, but the runtime's resources in the picture. */
function isComponent(r: GraphResource, parentNames: Set<string>): boolean {
    if (r.type.startsWith(LOCAL_DESCRIPTOR)) return false;
    if (r.custom !== undefined) return !r.custom;
    return r.type.startsWith("serverless-blocks:") || parentNames.has(r.urn);
}

/** A child's URN is its parent's type chain plus its own type; its parent is the resource so named. */
export function parentUrnOf(r: GraphResource, urns: Set<string>): string | null {
    if (r.parent === null) return null;
    const [stack, project, typeChain] = r.urn.split("::");
    if (typeChain === undefined) return null;
    const candidate = [stack, project, typeChain.split("$").slice(0, -1).join("$"), r.parent].join("::");
    return urns.has(candidate) ? candidate : null;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byLabel = (a: ArchitectureResource, b: ArchitectureResource) => (a.label < b.label ? -1 : a.label > b.label ? 1 : byId(a, b));

/** The architecture of the resources one program registered. */
export function architectureOf(resources: readonly GraphResource[]): Architecture {
    const urns = new Set(resources.map((r) => r.urn));
    const parents = new Map(resources.map((r) => [r.urn, parentUrnOf(r, urns)]));
    const parentUrns = new Set([...parents.values()].filter((p): p is string => p !== null));
    const components = new Map<string, ArchitectureComponent>();
    for (const r of resources) {
        if (!isComponent(r, parentUrns)) continue;
        components.set(r.urn, { id: r.urn, kind: r.type.split(":").pop() ?? r.type, type: r.type, name: r.name, parent: null, resources: [] });
    }
    /** The nearest enclosing component (a resource's parent may be another resource). */
    const owner = (urn: string): string | null => {
        for (let p = parents.get(urn) ?? null; p !== null; p = parents.get(p) ?? null) if (components.has(p)) return p;
        return null;
    };
    const enclosing = (urn: string): string[] => {
        const found: string[] = [];
        for (let c = owner(urn); c !== null; c = owner(c)) found.push(c);
        return found;
    };
    const loose: ArchitectureResource[] = [];
    for (const r of resources) {
        const component = components.get(r.urn);
        if (component) {
            component.parent = owner(r.urn);
            continue;
        }
        const node = { id: r.urn, type: r.type, name: r.name, label: resourceLabel(r.type, r.name) };
        const home = owner(r.urn);
        (home ? components.get(home)!.resources : loose).push(node);
    }
    for (const c of components.values()) c.resources.sort(byLabel);
    return {
        components: [...components.values()].sort(byId),
        resources: loose.sort(byLabel),
        flows: flowsOf(resources, { isComponent: (urn) => components.has(urn), enclosing }),
    };
}
