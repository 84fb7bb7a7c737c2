// Runs the pack's policy objects against the resources the project's engine recorded (engine/:
// `evaluateStack`), with the arguments @pulumi/policy's analyzer server builds for them under the
// CLI: `type`, `props`, `urn`, `name`, `opts`, `isType`/`asType`, `getConfig`, `notApplicable` for
// resource validations; `resources` with `parent` and `dependencies` for stack validations.
//
// Differences from the CLI, where the engine records less:
// - resource validations get the inputs, stack validations the inputs plus the outputs (as after
//   `pulumi up`); evaluate the stack in "update" mode so that ids and ARNs are known;
// - secret inputs are revealed as the CLI reveals them, and their paths are also passed to the
//   rules under SECRET_PATHS (the CLI cannot say which values were secret);
// - `propertyDependencies` is empty (the engine keeps only each resource's whole dependency list);
//   dependencies arrive by name and map to every resource of that name.
import type { EnforcementLevel, Policies, PolicyResource, PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { SECRET_PATHS } from "./rules/secrets";

/** What the engine records of a resource (engine/registrations.ts EngineResource), as far as policies read it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Inputs as rendered for review: secrets "[secret]", unknowns "[unknown]". */
    inputs: Record<string, unknown>;
    /** Inputs with secrets revealed, plus the outputs. */
    state: Record<string, any>;
    protect: boolean;
    parent: string | null;
    /** Logical names. */
    dependsOn: string[];
    aliases?: unknown[];
}

export interface Violation {
    policy: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    /** The resource the violation is about, when the rule named one. */
    urn?: string;
}

export interface EvaluatePoliciesOptions {
    /** Per policy, config on top of its schema's defaults (as `pulumi preview --policy-pack-config`). */
    config?: Record<string, Record<string, unknown>>;
    /** The pack's default enforcement level. */
    enforcementLevel?: EnforcementLevel;
}

const SECRET_MARK = "[secret]";
const UNKNOWN_MARK = "[unknown]";

class NotApplicable extends Error {}

/** The JSON-encoded paths at which the rendered inputs show a secret. */
function secretPathsOf(inputs: unknown, path: string[] = [], found = new Set<string>()): Set<string> {
    if (inputs === SECRET_MARK) found.add(JSON.stringify(path));
    else if (Array.isArray(inputs)) inputs.forEach((v, i) => secretPathsOf(v, [...path, String(i)], found));
    else if (inputs && typeof inputs === "object") for (const [k, v] of Object.entries(inputs)) secretPathsOf(v, [...path, k], found);
    return found;
}

/** The inputs with their real values: those of the state, for the keys the inputs have. */
function inputProps(resource: RecordedResource): Record<string, any> {
    const props: Record<string, any> = {};
    for (const key of Object.keys(resource.inputs)) {
        const value = key in resource.state ? resource.state[key] : resource.inputs[key];
        if (value !== UNKNOWN_MARK && value !== undefined) props[key] = value;
    }
    Object.defineProperty(props, SECRET_PATHS, { value: secretPathsOf(resource.inputs), enumerable: false });
    return props;
}

/** The parent's URN: the child's type chain without its own type, and the parent's name. */
function parentUrnOf(resource: RecordedResource): string | undefined {
    if (!resource.parent) return undefined;
    const [prefix, project, chain] = resource.urn.split("::");
    const types = (chain ?? "").split("$");
    if (types.length < 2) return undefined;
    return `${prefix}::${project}::${types.slice(0, -1).join("$")}::${resource.parent}`;
}

function optionsOf(resource: RecordedResource): PolicyResourceOptions {
    const parent = parentUrnOf(resource);
    return {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: (resource.aliases ?? []).filter((a): a is string => typeof a === "string"),
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(parent ? { parent } : {}),
    };
}

/** As @pulumi/policy's server: a class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: any): boolean {
    const pulumiType = resourceClass?.__pulumiType;
    if (typeof pulumiType === "string") return pulumiType === type;
    return typeof resourceClass?.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

/** The policy's config: its schema's defaults, then what the caller set. */
function configOf(policy: ResourceValidationPolicy | StackValidationPolicy, options: EvaluatePoliciesOptions): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if ((schema as { default?: unknown }).default !== undefined) defaults[key] = (schema as { default?: unknown }).default;
    }
    return { ...defaults, ...(options.config?.[policy.name] ?? {}) };
}

const notApplicable = (reason?: string): never => { throw new NotApplicable(reason); };

/** The stack's resources as a stack validation sees them, parents and dependencies linked. */
export function toPolicyResources(recorded: RecordedResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const byName = new Map<string, PolicyResource[]>();
    const resources = recorded.map((r) => {
        const props = { ...r.state };
        Object.defineProperty(props, SECRET_PATHS, { value: secretPathsOf(r.inputs), enumerable: false });
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            asType: (cls) => (isTypeOf(r.type, cls) ? (props as any) : undefined),
        };
        byUrn.set(r.urn, resource);
        byName.set(r.name, [...(byName.get(r.name) ?? []), resource]);
        return resource;
    });
    recorded.forEach((r, i) => {
        const resource = resources[i];
        const parentUrn = resource.opts.parent;
        const parent = parentUrn ? byUrn.get(parentUrn) : undefined;
        if (parent) resource.parent = parent;
        resource.dependencies = [...new Set(r.dependsOn.flatMap((name) => byName.get(name) ?? []))].filter((d) => d !== resource);
    });
    return resources;
}

/** Runs every policy (resource validations on each resource, stack validations once); returns what they reported. */
export async function evaluatePolicies(recorded: RecordedResource[], policies: Policies, options: EvaluatePoliciesOptions = {}): Promise<Violation[]> {
    const violations: Violation[] = [];
    const stackResources = toPolicyResources(recorded);
    for (const policy of policies) {
        const config = configOf(policy, options);
        const enforcementLevel = (config.enforcementLevel as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? options.enforcementLevel ?? "advisory";
        if (enforcementLevel === "disabled") continue;
        const report = (fallbackUrn?: string) => (message: string, urn?: string) => {
            violations.push({ policy: policy.name, description: policy.description, enforcementLevel, message, urn: urn ?? fallbackUrn });
        };
        try {
            if ("validateStack" in policy) {
                await policy.validateStack({ resources: stackResources, stackTags: new Map(), getConfig: <T>() => config as T, notApplicable }, report());
                continue;
            }
            const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            for (const resource of recorded) {
                const props = inputProps(resource);
                const args: ResourceValidationArgs = {
                    type: resource.type,
                    props,
                    urn: resource.urn,
                    name: resource.name,
                    opts: optionsOf(resource),
                    stackTags: new Map(),
                    isType: (cls) => isTypeOf(resource.type, cls),
                    asType: (cls) => (isTypeOf(resource.type, cls) ? (props as any) : undefined),
                    getConfig: <T>() => config as T,
                    notApplicable,
                };
                for (const validate of validations) {
                    try {
                        await validate(args, report(resource.urn));
                    } catch (error) {
                        if (!(error instanceof NotApplicable)) throw error;
                    }
                }
            }
        } catch (error) {
            if (error instanceof NotApplicable) continue;
            throw new Error(`policy ${policy.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    return violations;
}
