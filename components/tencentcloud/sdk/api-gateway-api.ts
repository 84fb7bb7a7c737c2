// tencentcloud_api_gateway_api: one API (method + path) of an API Gateway service and its backend.
// Bound: the frontend, SCF backends (with a WEBSOCKET frontend's register, transport and cleanup
// functions) and limits this project uses; the provider's TSF, COS, HTTP, mock, OAuth and EIAM
// inputs are left out (add them from resources.json when needed).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** A frontend request parameter. */
export interface ApiGatewayApiRequestParameter {
    /** Default value. */
    defaultValue?: pulumi.Input<string>;
    /** Description. */
    desc?: pulumi.Input<string>;
    /** Name; for `PATH`, the `{name}` in the request path. */
    name: pulumi.Input<string>;
    /** `PATH`, `QUERY` or `HEADER`. */
    position: pulumi.Input<string>;
    /** Whether the parameter is required. Default false. */
    required?: pulumi.Input<boolean>;
    /** Type, e.g. `string`, `int`. */
    type: pulumi.Input<string>;
}

/** The arguments for constructing an ApiGatewayApi. */
export interface ApiGatewayApiArgs {
    /** Description. */
    apiDesc?: pulumi.Input<string>;
    /** Name of the API. Not auto-named. */
    apiName: pulumi.Input<string>;
    /** `NORMAL` (default) or `TSF`. */
    apiType?: pulumi.Input<string>;
    /** `NONE` (default), `SECRET`, `OAUTH` or `APP`. */
    authType?: pulumi.Input<string>;
    /** Whether the gateway answers CORS itself. The provider's default is true. */
    enableCors?: pulumi.Input<boolean>;
    /** Whether request bodies reach an SCF backend Base64-encoded. */
    isBase64Encoded?: pulumi.Input<boolean>;
    /** QPS limit of this API in `prepub`. */
    preLimit?: pulumi.Input<number>;
    /** `HTTP` (default) or `WEBSOCKET`. Replaces the API. */
    protocol?: pulumi.Input<string>;
    /** QPS limit of this API in `release`. */
    releaseLimit?: pulumi.Input<number>;
    /** `GET` (default), `POST`, `PUT`, `DELETE`, `HEAD` or `ANY`. */
    requestConfigMethod?: pulumi.Input<string>;
    /** Frontend path, e.g. `/users/{id}`. */
    requestConfigPath: pulumi.Input<string>;
    /** Frontend parameters; every `{param}` of the path is declared here with position `PATH`. */
    requestParameters?: pulumi.Input<pulumi.Input<ApiGatewayApiRequestParameter>[]>;
    /** Sample failure response (documentation). */
    responseFailExample?: pulumi.Input<string>;
    /** Sample success response (documentation). */
    responseSuccessExample?: pulumi.Input<string>;
    /** `HTML` (default), `JSON`, `TEXT`, `BINARY` or `XML`. */
    responseType?: pulumi.Input<string>;
    /** SCF backend: the function's name. */
    serviceConfigScfFunctionName?: pulumi.Input<string>;
    /** SCF backend: the function's namespace. */
    serviceConfigScfFunctionNamespace?: pulumi.Input<string>;
    /** SCF backend: the version or alias invoked, e.g. `$LATEST`. */
    serviceConfigScfFunctionQualifier?: pulumi.Input<string>;
    /** SCF backend: `EVENT` (event function) or `HTTP` (web function). */
    serviceConfigScfFunctionType?: pulumi.Input<string>;
    /** SCF backend: whether the function returns an integrated response (status, headers, body). */
    serviceConfigScfIsIntegratedResponse?: pulumi.Input<boolean>;
    /** Backend timeout, seconds. Default 5. */
    serviceConfigTimeout?: pulumi.Input<number>;
    /** Backend type: `HTTP` (default), `MOCK`, `TSF`, `SCF`, `WEBSOCKET`, `COS`. */
    serviceConfigType?: pulumi.Input<string>;
    /** WEBSOCKET frontend, SCF backend: the function called when a connection closes. */
    serviceConfigWebsocketCleanupFunctionName?: pulumi.Input<string>;
    /** The cleanup function's namespace. */
    serviceConfigWebsocketCleanupFunctionNamespace?: pulumi.Input<string>;
    /** The cleanup function's version or alias. */
    serviceConfigWebsocketCleanupFunctionQualifier?: pulumi.Input<string>;
    /** WEBSOCKET frontend, SCF backend: the function that accepts or refuses a connection. */
    serviceConfigWebsocketRegisterFunctionName?: pulumi.Input<string>;
    /** The register function's namespace. */
    serviceConfigWebsocketRegisterFunctionNamespace?: pulumi.Input<string>;
    /** The register function's version or alias. */
    serviceConfigWebsocketRegisterFunctionQualifier?: pulumi.Input<string>;
    /** WEBSOCKET frontend, SCF backend: the function called with every message. */
    serviceConfigWebsocketTransportFunctionName?: pulumi.Input<string>;
    /** The transport function's namespace. */
    serviceConfigWebsocketTransportFunctionNamespace?: pulumi.Input<string>;
    /** The transport function's version or alias. */
    serviceConfigWebsocketTransportFunctionQualifier?: pulumi.Input<string>;
    /** The service the API belongs to. Replaces the API. */
    serviceId: pulumi.Input<string>;
    /** QPS limit of this API in `test`. */
    testLimit?: pulumi.Input<number>;
}

/** An API of an API Gateway service (`tencentcloud_api_gateway_api`); its `id` is the API id, `api-xxxxxxxx`. */
export class ApiGatewayApi extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/apiGatewayApi:ApiGatewayApi";

    /** Reads an existing API by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ApiGatewayApi {
        return new ApiGatewayApi(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an ApiGatewayApi, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is ApiGatewayApi {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === ApiGatewayApi.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly apiDesc: pulumi.Output<string | undefined>;
    declare public readonly apiName: pulumi.Output<string>;
    declare public readonly apiType: pulumi.Output<string | undefined>;
    declare public readonly authType: pulumi.Output<string | undefined>;
    declare public readonly enableCors: pulumi.Output<boolean | undefined>;
    declare public readonly isBase64Encoded: pulumi.Output<boolean>;
    declare public readonly preLimit: pulumi.Output<number>;
    declare public readonly protocol: pulumi.Output<string | undefined>;
    declare public readonly releaseLimit: pulumi.Output<number>;
    declare public readonly requestConfigMethod: pulumi.Output<string | undefined>;
    declare public readonly requestConfigPath: pulumi.Output<string>;
    declare public readonly requestParameters: pulumi.Output<pulumi.Unwrap<ApiGatewayApiRequestParameter>[] | undefined>;
    declare public readonly responseFailExample: pulumi.Output<string>;
    declare public readonly responseSuccessExample: pulumi.Output<string>;
    declare public readonly responseType: pulumi.Output<string>;
    declare public readonly serviceConfigScfFunctionName: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigScfFunctionNamespace: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigScfFunctionQualifier: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigScfFunctionType: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigScfIsIntegratedResponse: pulumi.Output<boolean | undefined>;
    declare public readonly serviceConfigTimeout: pulumi.Output<number | undefined>;
    declare public readonly serviceConfigType: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketCleanupFunctionName: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketCleanupFunctionNamespace: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketCleanupFunctionQualifier: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketRegisterFunctionName: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketRegisterFunctionNamespace: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketRegisterFunctionQualifier: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketTransportFunctionName: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketTransportFunctionNamespace: pulumi.Output<string | undefined>;
    declare public readonly serviceConfigWebsocketTransportFunctionQualifier: pulumi.Output<string | undefined>;
    declare public readonly serviceId: pulumi.Output<string>;
    declare public readonly testLimit: pulumi.Output<number>;
    /** Creation time, ISO 8601 UTC. */
    declare public readonly createTime: pulumi.Output<string>;
    /** Last modification time, ISO 8601 UTC. */
    declare public readonly updateTime: pulumi.Output<string>;

    constructor(name: string, args: ApiGatewayApiArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing API: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: ApiGatewayApiArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(ApiGatewayApi.__pulumiType, name, resourceInputs(apiGatewayApiBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** ApiGatewayApi's registered property names, checked against the provider schema by the unit test. */
export const apiGatewayApiBinding: BindingSchema<ApiGatewayApiArgs> = {
    token: ApiGatewayApi.__pulumiType,
    inputs: {
        apiDesc: true,
        apiName: true,
        apiType: true,
        authType: true,
        enableCors: true,
        isBase64Encoded: true,
        preLimit: true,
        protocol: true,
        releaseLimit: true,
        requestConfigMethod: true,
        requestConfigPath: true,
        requestParameters: { defaultValue: true, desc: true, name: true, position: true, required: true, type: true },
        responseFailExample: true,
        responseSuccessExample: true,
        responseType: true,
        serviceConfigScfFunctionName: true,
        serviceConfigScfFunctionNamespace: true,
        serviceConfigScfFunctionQualifier: true,
        serviceConfigScfFunctionType: true,
        serviceConfigScfIsIntegratedResponse: true,
        serviceConfigTimeout: true,
        serviceConfigType: true,
        serviceConfigWebsocketCleanupFunctionName: true,
        serviceConfigWebsocketCleanupFunctionNamespace: true,
        serviceConfigWebsocketCleanupFunctionQualifier: true,
        serviceConfigWebsocketRegisterFunctionName: true,
        serviceConfigWebsocketRegisterFunctionNamespace: true,
        serviceConfigWebsocketRegisterFunctionQualifier: true,
        serviceConfigWebsocketTransportFunctionName: true,
        serviceConfigWebsocketTransportFunctionNamespace: true,
        serviceConfigWebsocketTransportFunctionQualifier: true,
        serviceId: true,
        testLimit: true,
    },
    required: { apiName: true, requestConfigPath: true, serviceId: true },
    outputs: ["createTime", "updateTime"],
};
