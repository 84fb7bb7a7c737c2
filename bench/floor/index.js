// The SDK floor: registers the resources of a recorded plan (SB_FLOOR_PLAN, a `npm run plan
// -- --json` file) with the same types, names, parents and inputs, and does nothing else: no
// bundling, no validation, no TypeScript. What a plan costs beyond this is ours.
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");

const plan = JSON.parse(fs.readFileSync(process.env.SB_FLOOR_PLAN, "utf8"));
const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
const registered = new Map();

/** A resource's parent is the one whose URN its type chain and parent name give. */
function parentOf(r) {
    if (r.parent === null) return undefined;
    const [stack, project, chain] = r.urn.split("::");
    return byUrn.get([stack, project, chain.split("$").slice(0, -1).join("$"), r.parent].join("::"));
}

function register(r) {
    if (registered.has(r.urn)) return registered.get(r.urn);
    const parentPlan = parentOf(r);
    const parent = parentPlan ? register(parentPlan) : undefined;
    const custom = r.type.split(":")[0] !== "serverless-blocks";
    const resource = custom
        ? new pulumi.CustomResource(r.type, r.name, r.inputs, { parent })
        : new pulumi.ComponentResource(r.type, r.name, {}, { parent });
    registered.set(r.urn, resource);
    return resource;
}

plan.resources.forEach(register);
