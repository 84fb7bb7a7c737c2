// tencentcloud_subnet: a subnet of a VPC, in one availability zone.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a Subnet. */
export interface SubnetArgs {
    /** The availability zone, e.g. `ap-guangzhou-3`. Replaces the subnet. */
    availabilityZone: pulumi.Input<string>;
    /** ID of a CDC instance. Replaces the subnet. */
    cdcId?: pulumi.Input<string>;
    /** The subnet's address block, within the VPC's. Replaces the subnet. */
    cidrBlock: pulumi.Input<string>;
    /** Whether multicast is enabled. */
    isMulticast?: pulumi.Input<boolean>;
    /** Name of the subnet. Auto-named from the resource name when omitted. */
    name?: pulumi.Input<string>;
    /** Route table to associate; the VPC's default when omitted. */
    routeTableId?: pulumi.Input<string>;
    /** Tags of the subnet. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** The VPC. Replaces the subnet. */
    vpcId: pulumi.Input<string>;
}

/** A VPC subnet (`tencentcloud_subnet`). */
export class Subnet extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/subnet:Subnet";

    /** Reads an existing subnet by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Subnet {
        return new Subnet(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a Subnet, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is Subnet {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === Subnet.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly availabilityZone: pulumi.Output<string>;
    declare public readonly cdcId: pulumi.Output<string | undefined>;
    declare public readonly cidrBlock: pulumi.Output<string>;
    declare public readonly isMulticast: pulumi.Output<boolean>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly routeTableId: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly vpcId: pulumi.Output<string>;
    /** Number of free IP addresses. */
    declare public readonly availableIpCount: pulumi.Output<number>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** Whether this is the zone's default subnet. */
    declare public readonly isDefault: pulumi.Output<boolean>;

    constructor(name: string, args: SubnetArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing subnet: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: SubnetArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(Subnet.__pulumiType, name, resourceInputs(subnetBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** Subnet's registered property names, checked against the provider schema by the unit test. */
export const subnetBinding: BindingSchema<SubnetArgs> = {
    token: Subnet.__pulumiType,
    inputs: {
        availabilityZone: true,
        cdcId: true,
        cidrBlock: true,
        isMulticast: true,
        name: true,
        routeTableId: true,
        tags: true,
        vpcId: true,
    },
    required: { availabilityZone: true, cidrBlock: true, vpcId: true },
    outputs: ["availableIpCount", "createTime", "isDefault"],
};
