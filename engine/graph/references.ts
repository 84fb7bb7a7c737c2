// How one resource refers to another: by the identifiers the cloud gave it (ARN, id, name), found
// as a whole token in the other's inputs (an ARN inside an integration URI, a function name inside
// a `qcs::` resource string).
import type { GraphResource } from "./model";

/** The fields a cloud identifies a resource by, as other resources refer to it. */
const IDENTIFYING_FIELDS = ["id", "arn", "name", "url", "bucket", "queueName", "eventBusName", "functionName", "busName", "ruleId"];

export type Values = Record<string, any>;

/** What is known of a resource's values: state after an update, a local descriptor's outputs, else its inputs. */
export function valuesOf(r: GraphResource): Values {
    if (r.type.startsWith("serverless-blocks:local:")) return (r.outputs ?? {}) as Values;
    return (r.state && Object.keys(r.state).length ? r.state : r.inputs) as Values;
}

function identifiersOf(r: GraphResource): string[] {
    const values = valuesOf(r);
    return IDENTIFYING_FIELDS.map((f) => values[f]).filter((v): v is string => typeof v === "string" && v.length >= 3 && !/^\[(unknown|secret)\]$/.test(v));
}

/** `id` appears in `text` as a whole token: not inside a longer name (checkout vs checkout-record). */
function containsToken(text: string, id: string): boolean {
    const edge = /[A-Za-z0-9_-]/;
    for (let at = text.indexOf(id); at !== -1; at = text.indexOf(id, at + 1)) {
        const before = at === 0 ? "" : text[at - 1];
        const after = text[at + id.length] ?? "";
        if (!edge.test(before) && !edge.test(after)) return true;
    }
    return false;
}

/** Finds the resource of given types a value refers to. */
export class References {
    private readonly byType = new Map<string, { resource: GraphResource; ids: string[] }[]>();

    constructor(resources: readonly GraphResource[]) {
        for (const r of resources) this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), { resource: r, ids: identifiersOf(r) }]);
    }

    /** The resource whose longest identifier occurs in `ref` (an ARN, a URL, a `qcs::` string, a name). */
    find(ref: unknown, types: readonly string[]): GraphResource | undefined {
        if (typeof ref !== "string" || ref.length === 0) return undefined;
        let best: { resource: GraphResource; length: number } | undefined;
        for (const type of types) {
            for (const { resource, ids } of this.byType.get(type) ?? []) {
                for (const id of ids) if ((!best || id.length > best.length) && containsToken(ref, id)) best = { resource, length: id.length };
            }
        }
        return best?.resource;
    }

    /** Like `find`, over every resource but those of `except`. */
    findAny(ref: unknown, except: ReadonlySet<string>): GraphResource | undefined {
        return this.find(ref, [...this.byType.keys()].filter((t) => !except.has(t)));
    }

    ofTypes(types: readonly string[]): GraphResource[] {
        return types.flatMap((t) => (this.byType.get(t) ?? []).map((e) => e.resource));
    }
}

/** JSON text parsed (an object passes through); undefined when it is not JSON. */
export function parseJson(text: unknown): any {
    if (typeof text !== "string") return typeof text === "object" ? text : undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}
