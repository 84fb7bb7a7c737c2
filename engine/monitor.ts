// The in-process stand-in for the Pulumi engine: a gRPC server offering the ResourceMonitor and
// Engine services a program (or a component provider) talks to under `pulumi preview` / `up`.
// It records every registration, answers with what the CLI would send back (preview: the inputs,
// with ids and computed outputs unknown; update: realistic outputs), runs transforms through the
// program's callbacks service in the engine's order, and collects the program's log.
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as providerproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { answerInvoke, realise } from "./outputs";
import { revealWireValue } from "./render";
import { EnginePackage, outputsOf, packageOf, Registration, STACK_TYPE, urnOf } from "./registrations";
import { TransformRunner } from "./transforms";

const sdk = (module: string) => require(require.resolve(module, { paths: [require.resolve("@pulumi/pulumi")] }));
const { ResourceMonitorService } = require("@pulumi/pulumi/proto/resource_grpc_pb");
const { EngineService } = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engineproto = require("@pulumi/pulumi/proto/engine_pb");
const emptyproto = sdk("google-protobuf/google/protobuf/empty_pb");
const { Struct } = sdk("google-protobuf/google/protobuf/struct_pb");

export type EngineMode = "preview" | "update";

export interface EngineLog {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn?: string;
}

export interface MonitorOptions {
    mode: EngineMode;
    /** The stack's region (aws:region / tencentcloud:region), for realistic ARNs and ids. */
    region: string;
    onRegister?: (resource: { type: string; name: string; custom: boolean }) => void;
}

/** Features the CLI's engine reports; hooks are the ones this engine does not run. */
const FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "replaceWith", "aliasSpecs", "transforms", "invokeTransforms", "parameterization"]);
const SEVERITIES: EngineLog["severity"][] = ["debug", "info", "warning", "error"];
const MAX_MESSAGE = 1 << 30;

type Call = { request: any };
type Reply = (err: grpc.ServiceError | null, response?: unknown) => void;

export class EngineServer {
    readonly registrations = new Map<string, Registration>();
    readonly packages: EnginePackage[] = [];
    readonly logs: EngineLog[] = [];
    rootUrn = "";
    private readonly transforms = new TransformRunner();
    private readonly server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE, "grpc.max_send_message_length": MAX_MESSAGE });
    private port = 0;

    private constructor(readonly options: MonitorOptions) {}

    static async start(options: MonitorOptions): Promise<EngineServer> {
        const engine = new EngineServer(options);
        await engine.listen();
        return engine;
    }

    /** Where the program finds the monitor (`--monitor`) and the engine (`--engine`): one server offers both. */
    get address(): string {
        return `127.0.0.1:${this.port}`;
    }

    /** The outputs the program exported from its stack. */
    get stackOutputs(): Record<string, unknown> {
        return this.registrations.get(this.rootUrn)?.outputs ?? [...this.registrations.values()].find((r) => r.type === STACK_TYPE)?.outputs ?? {};
    }

    async close(): Promise<void> {
        this.transforms.close();
        await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    }

    private async listen(): Promise<void> {
        const handle = (fn: (req: any) => Promise<unknown> | unknown) => async (call: Call, reply: Reply) => {
            try {
                reply(null, await fn.call(this, call.request));
            } catch (err) {
                reply({ code: grpc.status.UNKNOWN, details: err instanceof Error ? err.message : String(err) } as grpc.ServiceError);
            }
        };
        this.server.addService(ResourceMonitorService, {
            supportsFeature: handle((req) => reply(new resproto.SupportsFeatureResponse(), (r) => r.setHassupport(FEATURES.has(req.getId())))),
            registerResource: handle(this.registerResource),
            registerResourceOutputs: handle(this.registerResourceOutputs),
            registerPackage: handle(this.registerPackage),
            registerStackTransform: handle((req) => (this.transforms.addStackTransform(req), new emptyproto.Empty())),
            registerStackInvokeTransform: handle(() => new emptyproto.Empty()),
            invoke: handle(this.invoke),
            readResource: handle(this.readResource),
            call: handle((req) => {
                throw new Error(`method calls on resources (${req.getTok()}) need the provider's plugin, which the in-process engine does not run`);
            }),
            signalAndWaitForShutdown: handle(() => new emptyproto.Empty()),
        });
        this.server.addService(EngineService, {
            log: handle((req) => {
                this.logs.push({ severity: SEVERITIES[req.getSeverity()] ?? "info", message: req.getMessage(), ...(req.getUrn() ? { urn: req.getUrn() } : {}) });
                return new emptyproto.Empty();
            }),
            getRootResource: handle(() => reply(new engineproto.GetRootResourceResponse(), (r) => r.setUrn(this.rootUrn))),
            setRootResource: handle((req) => {
                this.rootUrn = req.getUrn();
                return new engineproto.SetRootResourceResponse();
            }),
            requirePulumiVersion: handle(() => new engineproto.RequirePulumiVersionResponse()),
        });
        this.port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
        );
    }

    private async registerResource(req: any): Promise<unknown> {
        const type: string = req.getType();
        const name: string = req.getName();
        const parentUrn: string = req.getParent();
        const custom: boolean = req.getCustom();
        if (req.getRemote()) throw new Error(`${type} '${name}' is a component of another package (remote); the in-process engine cannot run its provider`);
        const urn = urnOf(this.identity, parentUrn, type, name);
        if (this.registrations.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);

        // Transforms first (the resource's own, its parents', the stack's), as the engine does.
        const transformed = await this.transforms.apply(urn, req, (u) => this.registrations.get(u)?.parentUrn ?? "");
        const wire = (transformed.properties ?? new Struct()).toJavaScript() as Record<string, unknown>;
        const inputs = revealWireValue(pulumi.runtime.deserializeProperties(transformed.properties ?? new Struct())) as Record<string, any>;

        let id = "";
        let object = transformed.properties ?? new Struct();
        let state: Record<string, any> = {};
        if (custom && this.options.mode === "update") {
            const result = realise({ type, name, urn, inputs, region: this.options.region });
            id = result.id ?? "";
            state = { id, ...result.state };
            // Inputs come back as sent (secrets stay secret); what the provider computes is added.
            const computed = Object.fromEntries(Object.entries(result.state).filter(([k]) => !(k in wire)));
            object = Struct.fromJavaScript({ ...wire, ...(await pulumi.runtime.serializeProperties("", computed)) });
        } else if (custom) {
            state = { ...inputs };
        }
        this.registrations.set(urn, {
            urn, type, name, custom, parentUrn,
            wire, state, outputs: {},
            protect: transformed.protect,
            retainOnDelete: transformed.retainOnDelete,
            packageRef: req.getPackageref() || undefined,
            dependsOn: [...req.getDependenciesList(), ...transformed.dependsOn],
            aliases: transformed.aliases,
        });
        this.options.onRegister?.({ type, name, custom });
        return reply(new resproto.RegisterResourceResponse(), (r) => {
            r.setUrn(urn);
            r.setId(id);
            r.setObject(object);
        });
    }

    private registerResourceOutputs(req: any): unknown {
        const registration = this.registrations.get(req.getUrn());
        const outputs = outputsOf(req);
        if (registration && outputs) registration.outputs = outputs;
        return new emptyproto.Empty();
    }

    private registerPackage(req: any): unknown {
        const pkg = packageOf(req);
        const key = JSON.stringify(pkg);
        let index = this.packages.findIndex((known) => JSON.stringify(known) === key);
        if (index < 0) index = this.packages.push(pkg) - 1;
        return reply(new resproto.RegisterPackageResponse(), (r) => r.setRef(`package-${index}`));
    }

    private async invoke(req: any): Promise<unknown> {
        const token: string = req.getTok();
        const args = pulumi.runtime.deserializeProperties(req.getArgs());
        let result: Record<string, unknown>;
        if (token === "pulumi:pulumi:getResource") {
            const found = this.registrations.get(args.urn);
            if (!found) throw new Error(`unknown resource ${args.urn}`);
            result = { urn: found.urn, id: found.state.id, state: found.state };
        } else {
            result = answerInvoke(token, this.options.region);
        }
        return reply(new providerproto.InvokeResponse(), async (r) => r.setReturn(Struct.fromJavaScript(await pulumi.runtime.serializeProperties("", result))));
    }

    private async readResource(req: any): Promise<unknown> {
        const type: string = req.getType();
        const name: string = req.getName();
        const urn = urnOf(this.identity, req.getParent(), type, name);
        const props = pulumi.runtime.deserializeProperties(req.getProperties());
        const result = realise({ type, name, urn, inputs: { ...props, id: req.getId() }, region: this.options.region });
        return reply(new resproto.ReadResourceResponse(), async (r) => {
            r.setUrn(urn);
            r.setProperties(Struct.fromJavaScript(await pulumi.runtime.serializeProperties("", result.state)));
        });
    }

    /** The project and stack the program runs as (URNs carry them). */
    identity = { project: "project", stack: "stack" };
}

/** Builds a response with a setter callback (sync or async). */
function reply<T>(response: T, set: (r: T) => unknown): T | Promise<T> {
    const done = set(response);
    return done instanceof Promise ? done.then(() => response) : response;
}
