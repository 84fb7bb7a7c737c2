// The base of a Pulumi dynamic provider over one Tencent Cloud product's API 3.0: a resource kind
// supplies create / read / update / delete against a signed API client and a diff; the base finds
// the keys and region when an operation needs the cloud (./credentials.ts), strips `__provider`
// from what the handlers see, and reports a resource that was created but could not be finished
// as such, so the engine records its id instead of losing it.
//
// How it runs: `new pulumi.dynamic.Resource(provider, ...)` serializes the provider object with
// Pulumi's closure serialization into the `__provider` input; on `pulumi up` the CLI's
// `pulumi-nodejs` plugin (@pulumi/pulumi/cmd/dynamic-provider) evaluates that text, calls
// `configure` once with the stack's config, then the operations. Rules for what it captures, each
// learnt from a broken text here:
// - no program state (an Output, a Config, a key) and nothing from node_modules: local code and
//   Node built-ins only, so the text runs wherever the plugin starts (a `require` in it resolves
//   from the plugin's working directory);
// - no free variable named like a global of the serializing process: the serializer takes it for
//   that global and leaves it out (under mocha, helpers named `describe` and `context` vanished);
// - no computed key in a destructuring pattern (`{ [KEY]: _, ...rest }`): its variable is missed;
// - no subclass of Error: the serialized constructor calls `Error` as a function for
//   `super(message)`, which sets nothing, so the message is lost. Throw plain Errors with fields.
// test/runtime/tencent-dynamic.test.ts runs the serialized text in the SDK's dynamic-provider
// program from an empty folder to keep it so.
//
// From another language (this package as a component provider: PulumiPlugin.yaml, `pulumi package
// add`, run-plugin): the resource registers like any other, but `pulumi up` fails to start the
// `pulumi-nodejs` plugin. The CLI's plugin is a shell script (sdk/nodejs/dist/pulumi-resource-pulumi-nodejs)
// running `node -e "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')"` in the consuming
// program's folder; a Python, Go, .NET or YAML project has no node_modules there: "Cannot find
// module '@pulumi/pulumi/cmd/dynamic-provider'", pulumi/pulumi#5455, open since 2020 (pulumi-eks
// moved its dynamic resources into its provider plugin instead, pulumi/pulumi-eks#451). Until it
// is fixed such a consumer must make @pulumi/pulumi resolvable from its project folder
// (`npm install @pulumi/pulumi` there, or NODE_PATH naming a node_modules that has it); the
// serialized provider needs nothing more. The lasting fix is what pulumi-eks did: custom resources
// served by a provider plugin of this package instead of dynamic ones.
import type * as pulumi from "@pulumi/pulumi";
import { api3Client, type Api3Call, type Api3Product } from "./client";
import { resolveCredential, resolveRegion, type ConfigReader } from "./credentials";

/** What an operation gets: the product's API in the resource's region. */
export interface TencentContext {
    call: Api3Call;
    region: string;
}

/** Props as the plugin hands them to a provider: inputs or outputs, plus `__provider`. */
type Props = Record<string, any>;

export interface TencentResourceKind<Inputs extends Props, Outputs extends Props> {
    /** Names the resource in errors, e.g. `API Gateway WebSocket API`. */
    kind: string;
    product: Api3Product;
    /** The region the resource lives in, from its inputs or outputs; else the provider's config or TENCENTCLOUD_REGION. */
    region?(props: Inputs | Outputs): string | undefined;
    diff(id: string, olds: Outputs, news: Inputs): pulumi.dynamic.DiffResult;
    create(api: TencentContext, inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
    /** The resource as the cloud has it, or undefined when it is gone. */
    read(api: TencentContext, id: string, props: Outputs): Promise<Outputs | undefined>;
    update(api: TencentContext, id: string, olds: Outputs, news: Inputs): Promise<Outputs>;
    delete(api: TencentContext, id: string, props: Outputs): Promise<void>;
}

export interface TencentProviderOptions {
    /** Send every call here instead of `https://<service>.tencentcloudapi.com/` (tests). */
    endpoint?: string;
}

const PROVIDER_KEY = "__provider";

/** The `name` of the error for a resource created but not finished (see resourceInitError). */
export const RESOURCE_INIT_FAILED = "ResourceInitError";

/** What the `pulumi-nodejs` plugin reads off such an error. */
export type ResourceInitError = Error & { id: string; properties: Props; reasons: string[] };

/**
 * A created resource that could not be finished (e.g. the read-back failed): the `pulumi-nodejs`
 * plugin reports an error carrying `id` and `properties` as "initialization failed", and the engine
 * keeps the resource in state, so the next update or destroy finds it. A plain Error with those
 * fields: a serialized subclass of Error loses its message (./client.ts).
 */
export function resourceInitError(id: string, properties: Props, cause: unknown): ResourceInitError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return Object.assign(new Error(`created ${id} but could not finish it: ${reason}`), { name: RESOURCE_INIT_FAILED, id, properties, reasons: [reason] });
}

export function tencentDynamicProvider<Inputs extends Props, Outputs extends Props>(
    kind: TencentResourceKind<Inputs, Outputs>,
    options: TencentProviderOptions = {},
): pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
    // A holder object, not a `let`: the serialized functions share captured objects, not variables.
    const state: { config?: ConfigReader } = {};
    const contextOf = (props: Props): TencentContext => {
        const region = resolveRegion(kind.kind, kind.region?.(props as Inputs), state.config);
        const credential = resolveCredential(kind.kind, state.config);
        return { region, call: api3Client(kind.product, { credential, region, endpoint: options.endpoint }) };
    };
    const own = <T extends Props>(props: T): T => {
        // Not `const { [PROVIDER_KEY]: _, ...rest }`: the serializer misses a computed key's variable.
        const rest: Props = { ...props };
        delete rest[PROVIDER_KEY];
        return rest as T;
    };
    return {
        async configure(req) {
            state.config = req.config;
        },
        async diff(id, olds, news) {
            return kind.diff(id, own(olds), own(news));
        },
        async create(inputs) {
            try {
                return await kind.create(contextOf(inputs), own(inputs));
            } catch (error) {
                // Without `__provider` in its state the engine could not load this provider to delete it later.
                if (error instanceof Error && error.name === RESOURCE_INIT_FAILED) (error as ResourceInitError).properties[PROVIDER_KEY] = inputs[PROVIDER_KEY];
                throw error;
            }
        },
        async read(id, props) {
            const found = await kind.read(contextOf(props ?? {}), id, own((props ?? {}) as Outputs));
            // An empty id tells the engine the resource is gone (a refresh drops it from state).
            return found ? { id, props: found } : { id: "", props: {} as Outputs };
        },
        async update(id, olds, news) {
            return { outs: await kind.update(contextOf(news), id, own(olds), own(news)) };
        },
        async delete(id, props) {
            await kind.delete(contextOf(props), id, own(props));
        },
    };
}
