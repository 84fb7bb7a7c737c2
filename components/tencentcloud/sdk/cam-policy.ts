// tencentcloud_cam_policy: a custom CAM policy (least privilege for one function's links).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a CamPolicy. */
export interface CamPolicyArgs {
    /** Description of the CAM policy. */
    description?: pulumi.Input<string>;
    /** Policy document (JSON): `version`, and `statement` entries of effect, action and resource. */
    document: pulumi.Input<string>;
    /** Name of the CAM policy. Auto-named from the resource name when omitted. */
    name?: pulumi.Input<string>;
    /** Tags of the policy. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** A custom CAM policy (`tencentcloud_cam_policy`). */
export class CamPolicy extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camPolicy:CamPolicy";

    /** Reads an existing CAM policy by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CamPolicy {
        return new CamPolicy(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CamPolicy, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CamPolicy {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CamPolicy.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly document: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** Policy kind: `1` custom, `2` preset. */
    declare public readonly type: pulumi.Output<number>;
    /** Last update time. */
    declare public readonly updateTime: pulumi.Output<string>;

    constructor(name: string, args: CamPolicyArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing CAM policy: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CamPolicyArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(CamPolicy.__pulumiType, name, resourceInputs(camPolicyBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** CamPolicy's registered property names, checked against the provider schema by the unit test. */
export const camPolicyBinding: BindingSchema<CamPolicyArgs> = {
    token: CamPolicy.__pulumiType,
    inputs: { description: true, document: true, name: true, tags: true },
    required: { document: true },
    outputs: ["createTime", "type", "updateTime"],
};
