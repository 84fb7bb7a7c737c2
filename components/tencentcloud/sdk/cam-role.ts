// tencentcloud_cam_role: a CAM role that a service (here, SCF) assumes.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a CamRole. */
export interface CamRoleArgs {
    /** Whether the CAM role can log in to the console. */
    consoleLogin?: pulumi.Input<boolean>;
    /** Description of the CAM role. */
    description?: pulumi.Input<string>;
    /** Trust policy document (JSON) naming who may assume the role. */
    document: pulumi.Input<string>;
    /** Name of the CAM role. Auto-named from the resource name when omitted. */
    name?: pulumi.Input<string>;
    /** Maximum validity, in seconds, of the temporary keys issued for the role. */
    sessionDuration?: pulumi.Input<number>;
    /** Tags of the role. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** A CAM role (`tencentcloud_cam_role`). */
export class CamRole extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camRole:CamRole";

    /** Reads an existing CAM role by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CamRole {
        return new CamRole(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CamRole, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CamRole {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CamRole.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly consoleLogin: pulumi.Output<boolean | undefined>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly document: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly sessionDuration: pulumi.Output<number>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** The role's ARN. */
    declare public readonly roleArn: pulumi.Output<string>;
    /** Last update time. */
    declare public readonly updateTime: pulumi.Output<string>;

    constructor(name: string, args: CamRoleArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing CAM role: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CamRoleArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(CamRole.__pulumiType, name, resourceInputs(camRoleBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** CamRole's registered property names, checked against the provider schema by the unit test. */
export const camRoleBinding: BindingSchema<CamRoleArgs> = {
    token: CamRole.__pulumiType,
    inputs: { consoleLogin: true, description: true, document: true, name: true, sessionDuration: true, tags: true },
    required: { document: true },
    outputs: ["createTime", "roleArn", "updateTime"],
};
