// Transforms as the Pulumi engine runs them (pkg/resource/deploy/source_eval.go): for each
// registration, the resource's own `transforms`, then each ancestor's, then the stack's, each
// called back in the program through its Callbacks service with the properties and options so
// far; what the last one returns is what registers. This is how `transforms` on a component
// reaches every child.
import * as grpc from "@grpc/grpc-js";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";

const { CallbacksClient } = require("@pulumi/pulumi/proto/callback_grpc_pb");
const callbackproto = require("@pulumi/pulumi/proto/callback_pb");

interface Callback {
    getTarget(): string;
    getToken(): string;
}

export interface Transformed {
    properties: any;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    aliases: unknown[];
}

export class TransformRunner {
    private readonly stackTransforms: Callback[] = [];
    private readonly ownTransforms = new Map<string, Callback[]>();
    private readonly clients = new Map<string, any>();

    addStackTransform(callback: Callback): void {
        this.stackTransforms.push(callback);
    }

    /** Runs the transforms that apply to the registration `req` of `urn`. */
    async apply(urn: string, req: any, parentOf: (urn: string) => string): Promise<Transformed> {
        const own: Callback[] = req.getTransformsList();
        this.ownTransforms.set(urn, own);
        const chain = [...own];
        for (let parent = req.getParent(); parent; parent = parentOf(parent)) chain.push(...(this.ownTransforms.get(parent) ?? []));
        chain.push(...this.stackTransforms);

        let properties = req.getObject();
        let options = optionsOf(req);
        for (const callback of chain) {
            const request = new resproto.TransformRequest();
            request.setType(req.getType());
            request.setName(req.getName());
            request.setCustom(req.getCustom());
            request.setParent(req.getParent());
            if (properties) request.setProperties(properties);
            request.setOptions(options);
            const response = resproto.TransformResponse.deserializeBinary(await this.invoke(callback, request.serializeBinary()));
            properties = response.getProperties() ?? properties;
            options = response.getOptions() ?? options;
        }
        return {
            properties,
            protect: options.getProtect(),
            retainOnDelete: options.getRetainOnDelete(),
            dependsOn: options.getDependsOnList().filter((dep: string) => !req.getDependenciesList().includes(dep)),
            aliases: options.getAliasesList().map((alias: any) => (alias.hasUrn() ? alias.getUrn() : alias.getSpec()?.toObject())),
        };
    }

    close(): void {
        for (const client of this.clients.values()) client.close();
        this.clients.clear();
    }

    private invoke(callback: Callback, request: Uint8Array): Promise<Uint8Array> {
        const target = callback.getTarget();
        let client = this.clients.get(target);
        if (!client) this.clients.set(target, (client = new CallbacksClient(target, grpc.credentials.createInsecure())));
        const invoke = new callbackproto.CallbackInvokeRequest();
        invoke.setToken(callback.getToken());
        invoke.setRequest(request);
        return new Promise((resolve, reject) =>
            client.invoke(invoke, (err: Error | null, res: any) => (err ? reject(new Error(`transform failed: ${err.message}`)) : resolve(res.getResponse_asU8()))),
        );
    }
}

/** The registration's options in the form transforms receive and return them. */
function optionsOf(req: any): any {
    const options = new resproto.TransformResourceOptions();
    options.setProtect(req.getProtect());
    options.setRetainOnDelete(req.getRetainondelete());
    options.setDependsOnList(req.getDependenciesList());
    options.setIgnoreChangesList(req.getIgnorechangesList());
    options.setReplaceOnChangesList(req.getReplaceonchangesList());
    options.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
    options.setAliasesList(req.getAliasesList());
    options.setDeleteBeforeReplace(req.getDeletebeforereplace());
    options.setDeletedWith(req.getDeletedwith());
    options.setProvider(req.getProvider());
    options.setVersion(req.getVersion());
    options.setPluginDownloadUrl(req.getPlugindownloadurl());
    for (const [key, value] of req.getProvidersMap().entries()) options.getProvidersMap().set(key, value);
    return options;
}
