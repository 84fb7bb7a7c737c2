// The SDK floor: registers the resources of a recorded plan (SB_FLOOR_PLAN, a `npm run plan
// -- --json` file) with the same types, names, parents and inputs, and does nothing else: no
// bundling, no validation. Each resource is created through its provider SDK's own class where
// one is installed (`aws:lambda/function:Function` is `new aws.lambda.Function`), as a bare
// program declaring these resources would: the class sets up every output property, each a
// promise with a stack trace, and that is the SDK's cost per resource, not ours.
// SB_FLOOR_MODE=replay registers every resource by its type token alone (inputs only), the
// cheapest registration the SDK allows, for comparison. TypeScript run the way the app runs
// (ts-node, type-checked, so Pulumi's per-resource stack traces go through ts-node's source maps
// too): what a plan costs beyond this is ours.
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

type ResourceClass = new (name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const mode = process.env.SB_FLOOR_MODE ?? "sdk";
if (mode !== "sdk" && mode !== "replay") throw new Error(`SB_FLOOR_MODE '${mode}': expected sdk (the provider SDKs' classes) or replay (type tokens only)`);

/** The installed SDK class a type token names (`aws:lambda/function:Function`: @pulumi/aws's lambda.Function). */
function sdkClass(type: string): ResourceClass | undefined {
    const [pkg, module, name] = type.split(":");
    let sdk: any;
    try {
        sdk = require(`@pulumi/${pkg}`);
    } catch (err) {
        // Not a published provider SDK here (dynamic providers, the Tencent bindings): by type token.
        if ((err as { code?: string }).code === "MODULE_NOT_FOUND") return undefined;
        throw err;
    }
    const namespace = module?.split("/")[0];
    const found = (namespace === "index" ? sdk : sdk?.[namespace])?.[name];
    return typeof found === "function" && found.prototype instanceof pulumi.CustomResource ? found : undefined;
}

const classes = new Map<string, ResourceClass | undefined>();
function classOf(type: string): ResourceClass | undefined {
    if (mode === "replay") return undefined;
    if (!classes.has(type)) classes.set(type, sdkClass(type));
    return classes.get(type);
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
    const resource = create(r, parent);
    registered.set(r.urn, resource);
    return resource;
}

/** How the floor created its resources, a stack output (so tests can see the SDK classes were used). */
const createdBy = { component: 0, sdkClass: 0, typeToken: 0 };

function create(r: Planned, parent: pulumi.Resource | undefined): pulumi.Resource {
    if (r.type.split(":")[0] === "serverless-blocks") {
        createdBy.component++;
        return new pulumi.ComponentResource(r.type, r.name, {}, { parent });
    }
    const Class = classOf(r.type);
    if (Class) createdBy.sdkClass++;
    else createdBy.typeToken++;
    return Class ? new Class(r.name, r.inputs, { parent }) : new Replayed(r.type, r.name, r.inputs, { parent });
}

plan.resources.forEach(register);

export const floor = { mode, createdBy };
