// A WEBSOCKET API of an API Gateway service with an SCF backend: register, transport and cleanup
// functions, as a Pulumi dynamic resource over API Gateway's API 3.0 (apigateway 2018-08-08:
// CreateApi, DescribeApi, ModifyApi, DeleteApi).
//
// Why not tencentcloud_api_gateway_api: terraform-provider-tencentcloud v1.83.25
// (resource_tc_api_gateway_api.go: create L932-951, update L1745-1764) sends the
// `service_config_websocket_{register,transport,cleanup}_function_*` inputs to CreateApi/ModifyApi
// only in its `case TSF:`; for `SCF` it sends the `service_config_scf_function_*` inputs alone,
// so an API declared through it has no register (token check) and no cleanup function.
//
// The request is what API 3.0 documents for this pair (the ServiceWebsocket* fields "take effect
// when the frontend type is WEBSOCKET and the backend type is SCF": Protocol WEBSOCKET, ServiceType
// SCF; tencentcloud-sdk-nodejs apigateway_models.d.ts, CreateApiRequest), and what Serverless
// Framework's Tencent toolkit sends for a WebSocket API over SCF (serverless-tencent/
// tencent-component-toolkit src/modules/apigw: the nine ServiceWebsocket* fields, no
// ServiceScfFunction*). For a WEBSOCKET API the backend timeout is the idle timeout.
//
// Outputs: `apiId` (also the resource id) and `internalDomain`, the push address ("WEBSOCKET 回推
// 地址") DescribeApi reports, read right after CreateApi and on refresh.
import * as pulumi from "@pulumi/pulumi";
import { isApiError } from "./client";
import { diffInputs } from "./diff";
import { resourceInitError, tencentDynamicProvider, type TencentContext, type TencentProviderOptions, type TencentResourceKind } from "./provider";

/** The dynamic resource's type token: the `pulumi-nodejs` plugin runs it; the rest names it in plans. */
export const WEBSOCKET_API_TYPE = "pulumi-nodejs:dynamic/tencentcloud:ApiGatewayWebSocketApi";

/** An SCF function version the gateway calls. */
export interface ScfFunctionRef {
    name: string;
    namespace: string;
    /** A version or alias, e.g. `$LATEST`. */
    qualifier: string;
}

export interface WebSocketApiInputs {
    region: string;
    serviceId: string;
    /** Letters, digits and `_`, a letter first (the console's rule). */
    apiName: string;
    apiDesc: string;
    /** Clients connect to `wss://<service domain>/<environment><path>`. */
    path: string;
    /** Backend timeout, seconds: the gateway closes a connection idle this long. */
    timeout: number;
    /** Called on connect; its answer accepts or refuses the connection. */
    register: ScfFunctionRef;
    /** Called with every message. */
    transport: ScfFunctionRef;
    /** Called on disconnect. */
    cleanup: ScfFunctionRef;
}

export interface WebSocketApiOutputs extends WebSocketApiInputs {
    apiId: string;
    /** The push address functions POST frames to; empty if the gateway has not reported one yet. */
    internalDomain: string;
}

const INPUTS = ["region", "serviceId", "apiName", "apiDesc", "path", "timeout", "register", "transport", "cleanup"] as const;
/** An API belongs to one service in one region; everything else ModifyApi changes in place. */
const REPLACING = ["region", "serviceId"] as const;
/** DeleteApi / DescribeApi on an API or service that no longer exists (the Terraform provider's not-found codes). */
const GONE = ["ResourceNotFound.InvalidApi", "ResourceNotFound.InvalidService"];

/** The body of CreateApi, and of ModifyApi with the API's id. */
export function apiRequest(inputs: WebSocketApiInputs): Record<string, unknown> {
    const fn = (role: "Register" | "Transport" | "Cleanup", ref: ScfFunctionRef) => ({
        [`ServiceWebsocket${role}FunctionName`]: ref.name,
        [`ServiceWebsocket${role}FunctionNamespace`]: ref.namespace,
        [`ServiceWebsocket${role}FunctionQualifier`]: ref.qualifier,
    });
    return {
        ServiceId: inputs.serviceId,
        ApiName: inputs.apiName,
        ApiDesc: inputs.apiDesc,
        Protocol: "WEBSOCKET",
        ServiceType: "SCF",
        ServiceTimeout: inputs.timeout,
        RequestConfig: { Path: inputs.path, Method: "GET" },
        // The register function checks tokens: the gateway's own auth cannot check a rotating JWKS.
        AuthType: "NONE",
        // A WebSocket has no CORS preflight; the gateway's CORS answer is for HTTP APIs.
        EnableCORS: false,
        ...fn("Register", inputs.register),
        ...fn("Transport", inputs.transport),
        ...fn("Cleanup", inputs.cleanup),
    };
}

/** DescribeApi's Result, as far as it is read here. */
interface ApiInfo {
    ServiceId?: string | null;
    ApiName?: string | null;
    ApiDesc?: string | null;
    ServiceTimeout?: number | null;
    RequestConfig?: { Path?: string | null } | null;
    InternalDomain?: string | null;
    [field: string]: unknown;
}

async function describeApi(api: TencentContext, serviceId: string, apiId: string): Promise<ApiInfo | undefined> {
    try {
        const answer = await api.call("DescribeApi", { ServiceId: serviceId, ApiId: apiId });
        return (answer.Result ?? undefined) as ApiInfo | undefined;
    } catch (error) {
        if (isApiError(error, ...GONE)) return undefined;
        throw error;
    }
}

/** The outputs: the API as DescribeApi reports it, the known inputs where it reports null. */
function outputsOf(known: WebSocketApiInputs, apiId: string, info: ApiInfo): WebSocketApiOutputs {
    const ref = (role: string, old: ScfFunctionRef): ScfFunctionRef => ({
        name: (info[`ServiceWebsocket${role}FunctionName`] as string | null | undefined) ?? old.name,
        namespace: (info[`ServiceWebsocket${role}FunctionNamespace`] as string | null | undefined) ?? old.namespace,
        qualifier: (info[`ServiceWebsocket${role}FunctionQualifier`] as string | null | undefined) ?? old.qualifier,
    });
    return {
        region: known.region,
        serviceId: info.ServiceId ?? known.serviceId,
        apiName: info.ApiName ?? known.apiName,
        apiDesc: info.ApiDesc ?? known.apiDesc,
        path: info.RequestConfig?.Path ?? known.path,
        timeout: info.ServiceTimeout ?? known.timeout,
        register: ref("Register", known.register),
        transport: ref("Transport", known.transport),
        cleanup: ref("Cleanup", known.cleanup),
        apiId,
        internalDomain: info.InternalDomain ?? "",
    };
}

const inputsOf = (props: WebSocketApiInputs): WebSocketApiInputs =>
    Object.fromEntries(INPUTS.map((key) => [key, props[key]])) as unknown as WebSocketApiInputs;

export const websocketApiKind: TencentResourceKind<WebSocketApiInputs, WebSocketApiOutputs> = {
    kind: "API Gateway WebSocket API",
    product: { service: "apigateway", version: "2018-08-08" },
    region: (props) => props.region,
    diff: (_id, olds, news) => diffInputs(olds, news, { inputs: INPUTS, replace: REPLACING }),
    async create(api, inputs) {
        const created = await api.call("CreateApi", apiRequest(inputs));
        const apiId = (created.Result as { ApiId?: string } | null | undefined)?.ApiId;
        if (!apiId) throw new Error(`apigateway CreateApi (${api.region}) answered without an ApiId (RequestId ${String(created.RequestId)})`);
        const known = { ...inputsOf(inputs), apiId, internalDomain: "" };
        try {
            const info = await describeApi(api, inputs.serviceId, apiId);
            if (!info) throw new Error(`DescribeApi does not find API ${apiId} just created in service ${inputs.serviceId}`);
            return { id: apiId, outs: outputsOf(inputs, apiId, info) };
        } catch (error) {
            throw resourceInitError(apiId, known, error);
        }
    },
    async read(api, id, props) {
        const info = await describeApi(api, props.serviceId, id);
        return info ? outputsOf(props, id, info) : undefined;
    },
    async update(api, id, _olds, news) {
        await api.call("ModifyApi", { ...apiRequest(news), ApiId: id });
        const info = await describeApi(api, news.serviceId, id);
        if (!info) throw new Error(`DescribeApi does not find API ${id} of service ${news.serviceId} after ModifyApi`);
        return outputsOf(news, id, info);
    },
    async delete(api, id, props) {
        try {
            const answer = await api.call("DeleteApi", { ServiceId: props.serviceId, ApiId: id });
            if (answer.Result === false) throw new Error(`apigateway DeleteApi (${api.region}) answered Result false for API ${id} (RequestId ${String(answer.RequestId)})`);
        } catch (error) {
            // Already gone (deleted by hand, or with its service): what delete wants.
            if (!isApiError(error, ...GONE)) throw error;
        }
    },
};

/** The provider; `endpoint` points it at a fake API (tests). */
export function websocketApiProvider(options: TencentProviderOptions = {}) {
    return tencentDynamicProvider(websocketApiKind, options);
}

/** One provider object for every such resource: the SDK serializes a provider object once. */
const provider = websocketApiProvider();

/** A function reference as an input: each field may be another resource's output. */
export interface ScfFunctionRefArgs {
    name: pulumi.Input<string>;
    namespace: pulumi.Input<string>;
    qualifier: pulumi.Input<string>;
}

/** WebSocketApiInputs as resource inputs (see there). */
export interface ApiGatewayWebSocketApiArgs {
    region: pulumi.Input<string>;
    serviceId: pulumi.Input<string>;
    apiName: pulumi.Input<string>;
    apiDesc: pulumi.Input<string>;
    path: pulumi.Input<string>;
    timeout: pulumi.Input<number>;
    register: pulumi.Input<ScfFunctionRefArgs>;
    transport: pulumi.Input<ScfFunctionRefArgs>;
    cleanup: pulumi.Input<ScfFunctionRefArgs>;
}

/** The WebSocket API as a resource; outputs as WebSocketApiOutputs names them. */
export class ApiGatewayWebSocketApi extends pulumi.dynamic.Resource {
    declare readonly apiId: pulumi.Output<string>;
    declare readonly internalDomain: pulumi.Output<string>;
    declare readonly serviceId: pulumi.Output<string>;
    declare readonly apiName: pulumi.Output<string>;
    declare readonly register: pulumi.Output<ScfFunctionRef>;
    declare readonly transport: pulumi.Output<ScfFunctionRef>;
    declare readonly cleanup: pulumi.Output<ScfFunctionRef>;

    constructor(name: string, args: ApiGatewayWebSocketApiArgs, opts?: pulumi.CustomResourceOptions) {
        // Outputs the provider computes are registered as undefined inputs, so the SDK reads them back.
        super(provider, name, { ...args, apiId: undefined, internalDomain: undefined }, opts, "tencentcloud", "ApiGatewayWebSocketApi");
    }
}
