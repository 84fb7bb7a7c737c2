// How a binding turns its args into the inputs it registers, as the generated SDK does:
// every input and output property is present (outputs as undefined, so the runtime creates
// their Output fields), and required inputs are checked before anything is registered.
//
// The shapes below are checked by the compiler against each args interface in both directions,
// so the runtime name lists cannot drift from the types, and the unit test can compare them
// with the provider schema (resources.json), nested blocks included.
import * as pulumi from "@pulumi/pulumi";

/**
 * Every property of an args interface, nested blocks included: `true` marks a leaf (a scalar,
 * a list of scalars or a map), an object marks a block (one object, or a list of objects).
 */
export type InputShape<Args> = {
    [K in keyof Args]-?: ShapeOf<pulumi.Unwrap<NonNullable<Args[K]>>>;
};

type ShapeOf<T> = T extends readonly (infer Item)[]
    ? ShapeOf<Item>
    : T extends object
      ? string extends keyof T
          ? true // a map
          : InputShape<T>
      : true;

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** Exactly the non-optional properties of an args interface. */
export type RequiredInputs<Args> = Record<RequiredKeys<Args>, true>;

/** What a binding registers: its token, its input and required-input names, its output-only names. */
export interface BindingSchema<Args> {
    readonly token: string;
    readonly inputs: InputShape<Args>;
    readonly required: RequiredInputs<Args>;
    readonly outputs: readonly string[];
}

/** Options that name an existing resource to read instead of creating one. */
export type ExistingResourceOptions = pulumi.CustomResourceOptions & { id: pulumi.Input<pulumi.ID> };

/**
 * The inputs to register for `args`. When the resource is read (`opts.id`) or rehydrated
 * (`opts.urn`), no input is sent and nothing is required, as in the generated SDK.
 */
export function resourceInputs<Args extends object>(
    binding: BindingSchema<Args>,
    args: Args | undefined,
    opts: pulumi.CustomResourceOptions | undefined,
): pulumi.Inputs {
    const existing = opts?.id !== undefined || opts?.urn !== undefined;
    const given: Partial<Record<string, unknown>> = existing || args === undefined ? {} : { ...args };
    if (!existing) {
        for (const name of Object.keys(binding.required)) {
            if (given[name] === undefined) {
                throw new Error(`${binding.token}: missing required property '${name}'`);
            }
        }
    }
    const inputs: pulumi.Inputs = {};
    for (const name of Object.keys(binding.inputs)) {
        inputs[name] = given[name];
    }
    for (const name of binding.outputs) {
        inputs[name] = undefined;
    }
    return inputs;
}
