// tencentcloud_security_group: a stateful firewall bound to instances (here, a Table's cluster).
// Its rules are a separate resource; a group without rules refuses all traffic.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a SecurityGroup. */
export interface SecurityGroupArgs {
    /** Description of the security group. */
    description?: pulumi.Input<string>;
    /** Name of the security group. Auto-named from the resource name when omitted. */
    name?: pulumi.Input<string>;
    /** Project ID. Replaces the group. */
    projectId?: pulumi.Input<number>;
    /** Tags of the security group. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** A security group (`tencentcloud_security_group`). */
export class SecurityGroup extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/securityGroup:SecurityGroup";

    /** Reads an existing security group by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SecurityGroup {
        return new SecurityGroup(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a SecurityGroup, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is SecurityGroup {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === SecurityGroup.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly projectId: pulumi.Output<number>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;

    constructor(name: string, args?: SecurityGroupArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing security group: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: SecurityGroupArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(SecurityGroup.__pulumiType, name, resourceInputs(securityGroupBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** SecurityGroup's registered property names, checked against the provider schema by the unit test. */
export const securityGroupBinding: BindingSchema<SecurityGroupArgs> = {
    token: SecurityGroup.__pulumiType,
    inputs: { description: true, name: true, projectId: true, tags: true },
    required: {},
    outputs: [],
};
