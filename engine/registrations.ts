// What the engine keeps of each registration, and how it hands them out: URNs as the Pulumi
// engine makes them, inputs rendered for reviewers, parents by name.
import * as pulumi from "@pulumi/pulumi";
import { renderWireValue, revealWireValue } from "./render";

export const STACK_TYPE = "pulumi:pulumi:Stack";

/** What the engine keeps of a resource, however it is then handed out. */
interface Recorded {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Inputs with secrets revealed plus the outputs the engine answered with (for wiring checks). */
    state: Record<string, any>;
    /** What a component registered with `registerOutputs`, secrets revealed. */
    outputs: Record<string, any>;
    protect: boolean;
    retainOnDelete: boolean;
    /** Set for resources of a parameterized package (the Tencent bindings). */
    packageRef?: string;
    /** Earlier identities of the resource (`aliases`), as URNs or alias specs. */
    aliases?: unknown[];
}

/** A registration as the monitor received it. */
export interface Registration extends Recorded {
    parentUrn: string;
    /** Inputs in their wire form (secrets, unknowns, assets as Pulumi's signature objects). */
    wire: Record<string, unknown>;
    /** URNs. */
    dependsOn: string[];
}

/** A registered resource as plans, tests and the local runtime read it. */
export interface EngineResource extends Recorded {
    /** The parent's logical name, or null for resources at the top of the stack. */
    parent: string | null;
    /** Inputs as a reviewer reads them: secrets "[secret]", unknowns "[unknown]", archives by path. */
    inputs: Record<string, unknown>;
    /** Logical names. */
    dependsOn: string[];
}

/** A package a resource binding registered (the Tencent bindings' parameterized provider). */
export interface EnginePackage {
    name: string;
    version: string;
    parameterization?: { name: string; version: string; value: string };
}

/** The package a RegisterPackageRequest names. */
export function packageOf(req: any): EnginePackage {
    const p = req.getParameterization();
    return {
        name: req.getName(),
        version: req.getVersion(),
        ...(p ? { parameterization: { name: p.getName(), version: p.getVersion(), value: Buffer.from(p.getValue_asU8()).toString("utf8") } } : {}),
    };
}

/** The outputs a RegisterResourceOutputsRequest carries, secrets revealed. */
export function outputsOf(req: any): Record<string, any> | undefined {
    return req.getOutputs() ? (revealWireValue(pulumi.runtime.deserializeProperties(req.getOutputs())) as Record<string, any>) : undefined;
}

/** The stack's region, for realistic ARNs and ids: the provider's own config key, else "local". */
export function regionOf(config: Record<string, string>): string {
    return config["aws:region"] ?? config["tencentcloud:region"] ?? "local";
}

/** URNs as the Pulumi engine makes them: the parent's whole type chain, without the root stack. */
export function urnOf(identity: { project: string; stack: string }, parentUrn: string, type: string, name: string): string {
    const parentChain = parentUrn ? parentUrn.split("::")[2] : "";
    const qualified = parentChain && parentChain !== STACK_TYPE ? `${parentChain}$${type}` : type;
    return `urn:pulumi:${identity.stack}::${identity.project}::${qualified}::${name}`;
}

/** Renders wire inputs, names parents, and drops the implicit Stack resource. */
export function toEngineResources(registrations: Map<string, Registration>): EngineResource[] {
    const nameOfUrn = (urn: string) => registrations.get(urn)?.name ?? urn.split("::").pop() ?? urn;
    return [...registrations.values()]
        .filter((r) => r.type !== STACK_TYPE)
        .map((r) => {
            const parent = registrations.get(r.parentUrn);
            return {
                urn: r.urn,
                type: r.type,
                name: r.name,
                parent: parent && parent.type !== STACK_TYPE ? parent.name : null,
                custom: r.custom,
                inputs: renderWireValue(r.wire, nameOfUrn) as Record<string, unknown>,
                state: r.state,
                outputs: r.outputs,
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
                packageRef: r.packageRef,
                dependsOn: r.dependsOn.map(nameOfUrn),
                ...(r.aliases?.length ? { aliases: r.aliases } : {}),
            };
        });
}
