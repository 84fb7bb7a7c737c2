// The fast path, for unit tests of single components: the program runs in this process against
// the SDK's mock monitor, extended to record every registration (type, parent, options, inputs as
// sent on the wire) and to answer with realistic outputs. What claims "this is what deploys"
// (`npm run plan`, `npm start`, the stack tests) runs through the SDK's launcher instead
// (launcher.ts); a test checks that both register the same resources for the typical app.
// This is the one place in the project that calls `pulumi.runtime.setMocks`.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
// Not in the SDK's typings, but exported: the runtime's per-deployment state.
const { getStore } = require("@pulumi/pulumi/runtime/state") as {
    getStore(): { leakCandidates: Set<Promise<unknown>>; settings: { options: { rootDirectory?: string } } };
};
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { answerInvoke, realise } from "./outputs";
import { EnginePackage, EngineResource, outputsOf, packageOf, regionOf, Registration, toEngineResources, urnOf } from "./registrations";
import { revealWireValue } from "./render";

export type { EnginePackage, EngineResource } from "./registrations";

// google-protobuf comes with @pulumi/pulumi; resolve it through the SDK so versions match.
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require.resolve("@pulumi/pulumi")],
}));

export interface EngineRun {
    project: string;
    stack: string;
    /** Pulumi config, `namespace:key` to value. */
    config: Record<string, string>;
    /** Config keys whose values are secrets. */
    secretKeys?: string[];
    /** The project's root (Pulumi.yaml's folder), as the CLI tells programs; defaults to the working directory. */
    rootDirectory?: string;
    /** Called as each resource registers (also when the program later fails). */
    onRegister?: (resource: { type: string; name: string; custom: boolean }) => void;
}

export interface EngineResult {
    project: string;
    stack: string;
    resources: EngineResource[];
    packages: EnginePackage[];
    outputs: Record<string, unknown>;
}

class EngineMonitor extends MockMonitor {
    readonly registrations = new Map<string, Registration>();
    readonly packages: EnginePackage[] = [];

    constructor(private readonly region: string, private readonly onRegister?: EngineRun["onRegister"]) {
        super({ call: (args) => answerInvoke(args.token, region), newResource: () => ({ id: undefined, state: {} }) });
    }

    registerPackage(req: any, callback: (err: any, res: any) => void): void {
        this.packages.push(packageOf(req));
        super.registerPackage(req, callback);
    }

    /** Outputs of a resource from an abandoned (failed) earlier run arrive late: ignore them. */
    registerResourceOutputs(req: any, callback: (err: any, res: any) => void): void {
        if (!this.resources.has(req.getUrn())) return callback(null, {});
        const registration = this.registrations.get(req.getUrn());
        const outputs = outputsOf(req);
        if (registration && outputs) registration.outputs = outputs;
        super.registerResourceOutputs(req, callback);
    }

    async registerResource(req: any, callback: (err: any, res: any) => void): Promise<void> {
        try {
            const type: string = req.getType();
            const name: string = req.getName();
            const urn = urnOf({ project: pulumi.getProject(), stack: pulumi.getStack() }, req.getParent(), type, name);
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
                outputs: {},
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
    const region = regionOf(run.config);
    // setMocks sets the runtime's feature flags; then our monitor takes the mock's place.
    await pulumi.runtime.setMocks({ call: () => ({}), newResource: () => ({ id: undefined, state: {} }) }, run.project, run.stack, false);
    const monitor = new EngineMonitor(region, run.onRegister);
    settings.setMockOptions(monitor, run.project, run.stack, false);
    getStore().settings.options.rootDirectory = run.rootDirectory ?? process.cwd();
    pulumi.runtime.setAllConfig(run.config, run.secretKeys ?? []);

    const outputs = await failFast(async () => {
        const stackOutputs = await pulumi.runtime.runInPulumiStack(async () => program());
        await pulumi.runtime.disconnect();
        return stackOutputs;
    });
    return { project: run.project, stack: run.stack, resources: toEngineResources(monitor.registrations), packages: monitor.packages, outputs: outputs ?? {} };
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

