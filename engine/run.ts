// The in-process engine: evaluates a Pulumi program without the Pulumi CLI or a cloud.
// Pulumi's own runtime runs the program against an in-process resource monitor, the SDK's mock
// monitor extended to record every registration (type, parent, options, inputs as sent on the
// wire) and to give each resource realistic outputs. This is the one place in the project that
// calls `pulumi.runtime.setMocks`: plan, start and the tests all go through it.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
// Not in the SDK's typings, but exported: the runtime's per-deployment state.
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<Promise<unknown>> } };
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { answerInvoke, realise } from "./outputs";
import { renderWireValue, revealWireValue } from "./render";

// google-protobuf comes with @pulumi/pulumi; resolve it through the SDK so versions match.
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require.resolve("@pulumi/pulumi")],
}));

export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    /** The parent's logical name, or null for resources at the top of the stack. */
    parent: string | null;
    custom: boolean;
    /** Inputs as a reviewer reads them: secrets "[secret]", unknowns "[unknown]", archives by path. */
    inputs: Record<string, unknown>;
    /** Inputs with secrets revealed plus the realistic outputs, for wiring checks in tests. */
    state: Record<string, any>;
    protect: boolean;
    retainOnDelete: boolean;
    /** Set for resources of a parameterized package (the Tencent bindings). */
    packageRef?: string;
    dependsOn: string[];
}

export interface EngineRun {
    project: string;
    stack: string;
    /** Pulumi config, `namespace:key` to value. */
    config: Record<string, string>;
    /** Config keys whose values are secrets. */
    secretKeys?: string[];
    /** Called as each resource registers (also when the program later fails). */
    onRegister?: (resource: { type: string; name: string; custom: boolean }) => void;
}

/** A package registered by a resource binding (the Tencent bindings' parameterized provider). */
export interface EnginePackage {
    name: string;
    version: string;
    parameterization?: { name: string; version: string; value: string };
}

export interface EngineResult {
    project: string;
    stack: string;
    resources: EngineResource[];
    packages: EnginePackage[];
    outputs: Record<string, unknown>;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

interface Registration {
    urn: string; type: string; name: string; parentUrn: string; custom: boolean;
    wire: Record<string, unknown>; state: Record<string, any>;
    protect: boolean; retainOnDelete: boolean; packageRef?: string; dependsOn: string[];
}

class EngineMonitor extends MockMonitor {
    readonly registrations = new Map<string, Registration>();
    readonly packages: EnginePackage[] = [];

    constructor(private readonly region: string, private readonly onRegister?: EngineRun["onRegister"]) {
        super({ call: (args) => answerInvoke(args.token, region), newResource: () => ({ id: undefined, state: {} }) });
    }

    /** URNs as the Pulumi engine makes them: the parent's whole type chain, without the root stack. */
    urnOf(parentUrn: string, type: string, name: string): string {
        const parentChain = parentUrn ? parentUrn.split("::")[2] : "";
        const qualified = parentChain && parentChain !== STACK_TYPE ? `${parentChain}$${type}` : type;
        return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    }

    registerPackage(req: any, callback: (err: any, res: any) => void): void {
        const p = req.getParameterization();
        this.packages.push({
            name: req.getName(),
            version: req.getVersion(),
            ...(p ? { parameterization: { name: p.getName(), version: p.getVersion(), value: Buffer.from(p.getValue_asU8()).toString("utf8") } } : {}),
        });
        super.registerPackage(req, callback);
    }

    /** Outputs of a resource from an abandoned (failed) earlier run arrive late: ignore them. */
    registerResourceOutputs(req: any, callback: (err: any, res: any) => void): void {
        if (!this.resources.has(req.getUrn())) return callback(null, {});
        super.registerResourceOutputs(req, callback);
    }

    async registerResource(req: any, callback: (err: any, res: any) => void): Promise<void> {
        try {
            const type: string = req.getType();
            const name: string = req.getName();
            const urn = this.urnOf(req.getParent(), type, name);
            const custom: boolean = req.getCustom();
            const inputs = revealWireValue(pulumi.runtime.deserializeProperties(req.getObject())) as Record<string, any>;
            const result = custom ? realise({ type, name, urn, inputs, region: this.region }) : { id: undefined, state: {} };
            const serialized = await pulumi.runtime.serializeProperties("", result.state);
            this.resources.set(urn, { urn, id: result.id ?? null, state: serialized });
            this.registrations.set(urn, {
                urn, type, name, custom,
                parentUrn: req.getParent(),
                wire: req.getObject()?.toJavaScript() ?? {},
                state: { id: result.id, ...result.state },
                protect: Boolean(req.getProtect()),
                retainOnDelete: Boolean(req.getRetainondelete()),
                packageRef: req.getPackageref() || undefined,
                dependsOn: req.getDependenciesList(),
            });
            this.onRegister?.({ type, name, custom });
            const response = new resproto.RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(result.id ?? "");
            response.setObject(Struct.fromJavaScript(serialized));
            callback(null, response);
        } catch (err) {
            callback(err, undefined);
        }
    }
}

/** Runs `program` as the body of a Pulumi stack and returns every resource it registered. */
export async function runProgram(program: () => unknown, run: EngineRun): Promise<EngineResult> {
    const region = run.config["aws:region"] ?? run.config["tencentcloud:region"] ?? "local";
    // setMocks sets the runtime's feature flags; then our monitor takes the mock's place.
    await pulumi.runtime.setMocks({ call: () => ({}), newResource: () => ({ id: undefined, state: {} }) }, run.project, run.stack, false);
    const monitor = new EngineMonitor(region, run.onRegister);
    settings.setMockOptions(monitor, run.project, run.stack, false);
    pulumi.runtime.setAllConfig(run.config, run.secretKeys ?? []);

    const outputs = await failFast(async () => {
        const stackOutputs = await pulumi.runtime.runInPulumiStack(async () => program());
        await pulumi.runtime.disconnect();
        return stackOutputs;
    });
    return { project: run.project, stack: run.stack, resources: finish(monitor.registrations), packages: monitor.packages, outputs: outputs ?? {} };
}

const abandonedErrors = new WeakSet<object>();

/**
 * A failure inside an `apply` (a refused policy, a bundle that does not build) surfaces as an
 * unhandled rejection while the stack waits forever for the resource; the Pulumi CLI's language
 * host ends the program on it, and so does the engine: the run fails with that error.
 */
async function failFast<T>(body: () => Promise<T>): Promise<T> {
    let failure: { error: unknown } | undefined;
    let fail!: (err: unknown) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const onError = (error: unknown) => {
        // An abandoned run re-raises its error from promises still pending: not this run's.
        if (typeof error === "object" && error !== null && abandonedErrors.has(error)) return;
        failure ??= { error };
        fail(error);
    };
    process.on("unhandledRejection", onError);
    process.on("uncaughtException", onError);
    try {
        const result = await Promise.race([body(), failed]);
        // A rejection is reported once the microtasks drain: give a late one its turn.
        await new Promise((resolve) => setImmediate(resolve));
        if (failure) throw failure.error;
        return result;
    } catch (err) {
        // The failed run's pending registrations are abandoned on purpose, not leaked.
        getStore().leakCandidates = new Set();
        if (typeof err === "object" && err !== null) abandonedErrors.add(err);
        throw err;
    } finally {
        process.off("unhandledRejection", onError);
        process.off("uncaughtException", onError);
    }
}

/** Renders wire inputs, names parents, and drops the implicit Stack resource. */
function finish(registrations: Map<string, Registration>): EngineResource[] {
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
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
                packageRef: r.packageRef,
                dependsOn: r.dependsOn.map(nameOfUrn),
            };
        });
}
