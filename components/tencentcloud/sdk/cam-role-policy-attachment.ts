// tencentcloud_cam_role_policy_attachment: attaches a CAM policy to a CAM role.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a CamRolePolicyAttachment. */
export interface CamRolePolicyAttachmentArgs {
    /** ID of the policy to attach (a CamPolicy's `id`, or a preset policy's ID). */
    policyId: pulumi.Input<string>;
    /** ID of the CAM role (a CamRole's `id`). */
    roleId: pulumi.Input<string>;
}

/** A policy attached to a role (`tencentcloud_cam_role_policy_attachment`). */
export class CamRolePolicyAttachment extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment";

    /** Reads an existing attachment by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CamRolePolicyAttachment {
        return new CamRolePolicyAttachment(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CamRolePolicyAttachment, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CamRolePolicyAttachment {
        return (
            pulumi.CustomResource.isInstance(obj) &&
            (obj as { __pulumiType?: string }).__pulumiType === CamRolePolicyAttachment.__pulumiType
        );
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly policyId: pulumi.Output<string>;
    declare public readonly roleId: pulumi.Output<string>;
    /** How the attachment was created. */
    declare public readonly createMode: pulumi.Output<number>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** Name of the attached policy. */
    declare public readonly policyName: pulumi.Output<string>;
    /** `User` for a custom policy, `QCS` for a preset one. */
    declare public readonly policyType: pulumi.Output<string>;

    constructor(name: string, args: CamRolePolicyAttachmentArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing attachment: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CamRolePolicyAttachmentArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(
            CamRolePolicyAttachment.__pulumiType,
            name,
            resourceInputs(camRolePolicyAttachmentBinding, args, opts),
            withPackageDefaults(opts),
            false,
            getPackage(),
        );
    }
}

/** CamRolePolicyAttachment's registered property names, checked against the provider schema by the unit test. */
export const camRolePolicyAttachmentBinding: BindingSchema<CamRolePolicyAttachmentArgs> = {
    token: CamRolePolicyAttachment.__pulumiType,
    inputs: { policyId: true, roleId: true },
    required: { policyId: true, roleId: true },
    outputs: ["createMode", "createTime", "policyName", "policyType"],
};
