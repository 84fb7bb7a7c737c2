// tencentcloud_vpc: a virtual private cloud (the network a Table's cluster and its functions share).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a Vpc. */
export interface VpcArgs {
    /** Assistant CIDRs (only `NORMAL` ones). */
    assistantCidrs?: pulumi.Input<pulumi.Input<string>[]>;
    /** The VPC's address block: within 10.0.0.0/16, 172.16.0.0/12 or 192.168.0.0/16. Replaces the VPC. */
    cidrBlock: pulumi.Input<string>;
    /** DNS servers, 0 to 5. */
    dnsServers?: pulumi.Input<pulumi.Input<string>[]>;
    /** Publish the VPC's routes to CCN. */
    enableRouteVpcPublish?: pulumi.Input<boolean>;
    /** Publish the VPC's IPv6 routes to CCN. */
    enableRouteVpcPublishIpv6?: pulumi.Input<boolean>;
    /** Whether multicast is enabled. */
    isMulticast?: pulumi.Input<boolean>;
    /** Name of the VPC. Auto-named from the resource name when omitted. */
    name?: pulumi.Input<string>;
    /** Tags of the VPC. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** A VPC (`tencentcloud_vpc`). */
export class Vpc extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/vpc:Vpc";

    /** Reads an existing VPC by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Vpc {
        return new Vpc(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a Vpc, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is Vpc {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === Vpc.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly assistantCidrs: pulumi.Output<string[]>;
    declare public readonly cidrBlock: pulumi.Output<string>;
    declare public readonly dnsServers: pulumi.Output<string[]>;
    declare public readonly enableRouteVpcPublish: pulumi.Output<boolean>;
    declare public readonly enableRouteVpcPublishIpv6: pulumi.Output<boolean>;
    declare public readonly isMulticast: pulumi.Output<boolean>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** The route table created with the VPC. */
    declare public readonly defaultRouteTableId: pulumi.Output<string>;
    /** Docker assistant CIDRs. */
    declare public readonly dockerAssistantCidrs: pulumi.Output<string[]>;
    /** Whether this is the region's default VPC. */
    declare public readonly isDefault: pulumi.Output<boolean>;

    constructor(name: string, args: VpcArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing VPC: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: VpcArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(Vpc.__pulumiType, name, resourceInputs(vpcBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** Vpc's registered property names, checked against the provider schema by the unit test. */
export const vpcBinding: BindingSchema<VpcArgs> = {
    token: Vpc.__pulumiType,
    inputs: {
        assistantCidrs: true,
        cidrBlock: true,
        dnsServers: true,
        enableRouteVpcPublish: true,
        enableRouteVpcPublishIpv6: true,
        isMulticast: true,
        name: true,
        tags: true,
    },
    required: { cidrBlock: true },
    outputs: ["createTime", "defaultRouteTableId", "dockerAssistantCidrs", "isDefault"],
};
