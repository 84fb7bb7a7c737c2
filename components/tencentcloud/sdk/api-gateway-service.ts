// tencentcloud_api_gateway_service: an API Gateway service, the unit APIs belong to and are released in.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing an ApiGatewayService. */
export interface ApiGatewayServiceArgs {
    /** Exclusive instance the service runs on. Replaces the service. */
    instanceId?: pulumi.Input<string>;
    /** `IPv4` (default) or `IPv6`. Replaces the service. */
    ipVersion?: pulumi.Input<string>;
    /** `INNER` (private network) and/or `OUTER` (public network); at least one. */
    netTypes: pulumi.Input<pulumi.Input<string>[]>;
    /** QPS limit of the `prepub` environment. */
    preLimit?: pulumi.Input<number>;
    /** Frontend protocol: `http`, `https` or `http&https`. */
    protocol: pulumi.Input<string>;
    /** QPS limit of the `release` environment (the whole service). */
    releaseLimit?: pulumi.Input<number>;
    /** Description of the service. */
    serviceDesc?: pulumi.Input<string>;
    /** Name of the service. Not auto-named. */
    serviceName: pulumi.Input<string>;
    /** Tags of the service. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** QPS limit of the `test` environment. */
    testLimit?: pulumi.Input<number>;
    /** VPC of the service. */
    uniqVpcId?: pulumi.Input<string>;
}

/** An API of the service, as the service reports it. */
export interface ApiGatewayServiceApi {
    apiDesc: string;
    apiId: string;
    apiName: string;
    method: string;
    path: string;
}

/** A usage plan attached to the service or one of its APIs. */
export interface ApiGatewayServiceUsagePlan {
    apiId: string;
    bindType: string;
    usagePlanId: string;
    usagePlanName: string;
}

/** An API Gateway service (`tencentcloud_api_gateway_service`); its `id` is the service id, `service-xxxxxxxx`. */
export class ApiGatewayService extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/apiGatewayService:ApiGatewayService";

    /** Reads an existing service by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ApiGatewayService {
        return new ApiGatewayService(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an ApiGatewayService, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is ApiGatewayService {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === ApiGatewayService.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly instanceId: pulumi.Output<string | undefined>;
    declare public readonly ipVersion: pulumi.Output<string | undefined>;
    declare public readonly netTypes: pulumi.Output<string[]>;
    declare public readonly preLimit: pulumi.Output<number>;
    declare public readonly protocol: pulumi.Output<string>;
    declare public readonly releaseLimit: pulumi.Output<number>;
    declare public readonly serviceDesc: pulumi.Output<string | undefined>;
    declare public readonly serviceName: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly testLimit: pulumi.Output<number>;
    declare public readonly uniqVpcId: pulumi.Output<string | undefined>;
    /** The service's APIs. */
    declare public readonly apiLists: pulumi.Output<ApiGatewayServiceApi[]>;
    /** Creation time, ISO 8601 UTC. */
    declare public readonly createTime: pulumi.Output<string>;
    /** Private-network HTTP port. */
    declare public readonly innerHttpPort: pulumi.Output<number>;
    /** Private-network HTTPS port. */
    declare public readonly innerHttpsPort: pulumi.Output<number>;
    /** Private-network subdomain. */
    declare public readonly internalSubDomain: pulumi.Output<string>;
    /** Last modification time, ISO 8601 UTC. */
    declare public readonly modifyTime: pulumi.Output<string>;
    /** Public subdomain, e.g. `service-xxxxxxxx-1250000000.gz.apigw.tencentcs.com`. */
    declare public readonly outerSubDomain: pulumi.Output<string>;
    /** Usage plans attached. */
    declare public readonly usagePlanLists: pulumi.Output<ApiGatewayServiceUsagePlan[]>;

    constructor(name: string, args: ApiGatewayServiceArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing service: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: ApiGatewayServiceArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(ApiGatewayService.__pulumiType, name, resourceInputs(apiGatewayServiceBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** ApiGatewayService's registered property names, checked against the provider schema by the unit test. */
export const apiGatewayServiceBinding: BindingSchema<ApiGatewayServiceArgs> = {
    token: ApiGatewayService.__pulumiType,
    inputs: {
        instanceId: true,
        ipVersion: true,
        netTypes: true,
        preLimit: true,
        protocol: true,
        releaseLimit: true,
        serviceDesc: true,
        serviceName: true,
        tags: true,
        testLimit: true,
        uniqVpcId: true,
    },
    required: { netTypes: true, protocol: true, serviceName: true },
    outputs: ["apiLists", "createTime", "innerHttpPort", "innerHttpsPort", "internalSubDomain", "modifyTime", "outerSubDomain", "usagePlanLists"],
};
