// A dynamic resource's Diff from a declaration of its inputs: which replace it, which ModifyXxx
// updates in place. The engine hands Diff the old OUTPUTS (inputs and what the cloud computed) and
// the new inputs, including `__provider`: that is the serialized provider, whose text changes with
// any change to the code it captured, and is never a reason to touch the cloud resource. During a
// preview a new input may be unknown (Pulumi's unknown sentinel); it compares as changed, so an
// unknown replacing input plans a replacement, as a real provider's Diff would.
import type * as pulumi from "@pulumi/pulumi";

export interface InputRules<Inputs extends object> {
    /** Every input the resource takes, so a removed optional input is a change too. */
    inputs: readonly (keyof Inputs & string)[];
    /** The inputs whose change needs a new cloud resource. */
    replace: readonly (keyof Inputs & string)[];
}

/** `olds` are the old outputs, a superset of the old inputs. */
export function diffInputs<Inputs extends object>(olds: Inputs, news: Inputs, rules: InputRules<Inputs>): pulumi.dynamic.DiffResult {
    const changed = rules.inputs.filter((key) => canonical(olds[key]) !== canonical(news[key]));
    const replaces = changed.filter((key) => rules.replace.includes(key));
    // No `stables`: the Node.js dynamic-provider plugin does not pass them on (cmd/dynamic-provider, diff).
    return { changes: changed.length > 0, replaces };
}

/** JSON with sorted keys: state and new inputs need not list a map's keys in the same order. */
function canonical(value: unknown): string {
    return JSON.stringify(value, (_key, v) =>
        v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
    ) ?? "undefined";
}
