// The SDK floor: registers the resources of a recorded plan (SB_FLOOR_PLAN, a `npm run plan
// -- --json` file) with the same types, names, parents and inputs, and does nothing else: no
// bundling, no validation. TypeScript run the way the app runs (ts-node, type-checked, so
// Pulumi's per-resource stack traces go through ts-node's source maps too): what a plan costs
// beyond this is ours.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";

interface Planned {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    inputs: Record<string, unknown>;
}

/** Any provider's resource, registered by its type token as its SDK class would. */
class Replayed extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, inputs, opts);
    }
}

const plan = JSON.parse(fs.readFileSync(process.env.SB_FLOOR_PLAN!, "utf8")) as { resources: Planned[] };
const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
const registered = new Map<string, pulumi.Resource>();

/** A resource's parent is the one whose URN its type chain and parent name give. */
function parentOf(r: Planned): Planned | undefined {
    if (r.parent === null) return undefined;
    const [stack, project, chain] = r.urn.split("::");
    return byUrn.get([stack, project, chain.split("$").slice(0, -1).join("$"), r.parent].join("::"));
}

function register(r: Planned): pulumi.Resource {
    const known = registered.get(r.urn);
    if (known) return known;
    const parentPlan = parentOf(r);
    const parent = parentPlan ? register(parentPlan) : undefined;
    const custom = r.type.split(":")[0] !== "serverless-blocks";
    const resource = custom
        ? new Replayed(r.type, r.name, r.inputs, { parent })
        : new pulumi.ComponentResource(r.type, r.name, {}, { parent });
    registered.set(r.urn, resource);
    return resource;
}

plan.resources.forEach(register);
