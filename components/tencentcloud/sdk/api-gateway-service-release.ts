// tencentcloud_api_gateway_service_release: publishes a service's APIs to an environment. Every
// input replaces it, and deleting it takes the environment offline (UnReleaseService).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing an ApiGatewayServiceRelease. */
export interface ApiGatewayServiceReleaseArgs {
    /** `test`, `prepub` or `release`. Replaces the release. */
    environmentName: pulumi.Input<string>;
    /** Description of this release. Replaces the release, which publishes again. */
    releaseDesc: pulumi.Input<string>;
    /** The release version; the provider fills it in. */
    releaseVersion?: pulumi.Input<string>;
    /** The service released. Replaces the release. */
    serviceId: pulumi.Input<string>;
}

/** A service release (`tencentcloud_api_gateway_service_release`); its `id` is `<serviceId>#<environment>#<version>`. */
export class ApiGatewayServiceRelease extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/apiGatewayServiceRelease:ApiGatewayServiceRelease";

    /** Reads an existing release by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ApiGatewayServiceRelease {
        return new ApiGatewayServiceRelease(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an ApiGatewayServiceRelease, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is ApiGatewayServiceRelease {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === ApiGatewayServiceRelease.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly environmentName: pulumi.Output<string>;
    declare public readonly releaseDesc: pulumi.Output<string>;
    declare public readonly releaseVersion: pulumi.Output<string>;
    declare public readonly serviceId: pulumi.Output<string>;

    constructor(name: string, args: ApiGatewayServiceReleaseArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing release: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: ApiGatewayServiceReleaseArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(ApiGatewayServiceRelease.__pulumiType, name, resourceInputs(apiGatewayServiceReleaseBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** ApiGatewayServiceRelease's registered property names, checked against the provider schema by the unit test. */
export const apiGatewayServiceReleaseBinding: BindingSchema<ApiGatewayServiceReleaseArgs> = {
    token: ApiGatewayServiceRelease.__pulumiType,
    inputs: { environmentName: true, releaseDesc: true, releaseVersion: true, serviceId: true },
    required: { environmentName: true, releaseDesc: true, serviceId: true },
    outputs: [],
};
