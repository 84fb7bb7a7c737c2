// tencentcloud_security_group_lite_rule: the whole rule list of one security group, as strings
// `ACTION#SOURCE#PORT#PROTOCOL` (e.g. `ACCEPT#10.0.0.0/20#3306#TCP`).
//
// Not exported from the index: components/tencentcloud/schema/resources.json (the schema extract the sdk
// test checks every exported binding against) does not list this resource. Its schema here is
// the provider's own, tencentcloud/services/vpc/resource_tc_security_group_lite_rule.go:
// `security_group_id` (string, required, ForceNew), `ingress` and `egress` (lists of strings,
// optional; lists without MaxItems 1, so the bridge pluralizes them), no computed attributes.
// Once the extract lists it, export it from index.ts like the others.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a SecurityGroupLiteRule. */
export interface SecurityGroupLiteRuleArgs {
    /** Outbound rules, in order, as `ACTION#DESTINATION#PORT#PROTOCOL`. */
    egresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** Inbound rules, in order, as `ACTION#SOURCE#PORT#PROTOCOL`; `PORT` is `ALL` for `ICMP` and `ALL`. */
    ingresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** The security group. Replaces the rules. */
    securityGroupId: pulumi.Input<string>;
}

/** The rules of a security group (`tencentcloud_security_group_lite_rule`); one per group. */
export class SecurityGroupLiteRule extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/securityGroupLiteRule:SecurityGroupLiteRule";

    /** Reads the rules of an existing security group by its ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SecurityGroupLiteRule {
        return new SecurityGroupLiteRule(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a SecurityGroupLiteRule, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is SecurityGroupLiteRule {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === SecurityGroupLiteRule.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly egresses: pulumi.Output<string[] | undefined>;
    declare public readonly ingresses: pulumi.Output<string[] | undefined>;
    declare public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: SecurityGroupLiteRuleArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads existing rules: no args, `opts.id` names the group. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: SecurityGroupLiteRuleArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(SecurityGroupLiteRule.__pulumiType, name, resourceInputs(securityGroupLiteRuleBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** SecurityGroupLiteRule's registered property names (from the provider source; see the header). */
export const securityGroupLiteRuleBinding: BindingSchema<SecurityGroupLiteRuleArgs> = {
    token: SecurityGroupLiteRule.__pulumiType,
    inputs: { egresses: true, ingresses: true, securityGroupId: true },
    required: { securityGroupId: true },
    outputs: [],
};
