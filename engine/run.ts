// The in-process engine: evaluates a Pulumi program without the Pulumi CLI or a cloud.
// Pulumi's own runtime runs the program against an in-process resource monitor, the SDK's mock
// monitor extended to record every registration (type, parent, options, inputs as sent on the
// wire) and to give each resource realistic outputs. This is the one place in the project that
// calls `pulumi.runtime.setMocks`: plan, start and the tests all go through it.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
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

export interface EngineResult {
    project: string;
    stack: string;
    resources: EngineResource[];
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

    constructor(private readonly region: string, private readonly onRegister?: EngineRun["onRegister"]) {
        super({ call: (args) => answerInvoke(args.token, region), newResource: () => ({ id: undefined, state: {} }) });
    }

    /** URNs as the Pulumi engine makes them: the parent's whole type chain, without the root stack. */
    urnOf(parentUrn: string, type: string, name: string): string {
        const parentChain = parentUrn ? parentUrn.split("::")[2] : "";
        const qualified = parentChain && parentChain !== STACK_TYPE ? `${parentChain}$${type}` : type;
        return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
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

    const outputs = await pulumi.runtime.runInPulumiStack(async () => program());
    await pulumi.runtime.disconnect();
    return { project: run.project, stack: run.stack, resources: finish(monitor.registrations), outputs: outputs ?? {} };
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
