// tencentcloud_cos_bucket_policy: a COS bucket's access policy (who may do what on its objects).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a CosBucketPolicy. */
export interface CosBucketPolicyArgs {
    /** The bucket, `<name>-<appid>`, e.g. `mycos-1258798060`. Replaces the policy. */
    bucket: pulumi.Input<string>;
    /** The policy document (JSON, CAM policy syntax 2.0 with `principal`). */
    policy: pulumi.Input<string>;
}

/** A COS bucket policy (`tencentcloud_cos_bucket_policy`). */
export class CosBucketPolicy extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/cosBucketPolicy:CosBucketPolicy";

    /** Reads an existing bucket policy by ID (the bucket name). */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CosBucketPolicy {
        return new CosBucketPolicy(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CosBucketPolicy, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CosBucketPolicy {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CosBucketPolicy.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly bucket: pulumi.Output<string>;
    declare public readonly policy: pulumi.Output<string>;

    constructor(name: string, args: CosBucketPolicyArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing bucket policy: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CosBucketPolicyArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(CosBucketPolicy.__pulumiType, name, resourceInputs(cosBucketPolicyBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** CosBucketPolicy's registered property names, checked against the provider schema by the unit test. */
export const cosBucketPolicyBinding: BindingSchema<CosBucketPolicyArgs> = {
    token: CosBucketPolicy.__pulumiType,
    inputs: { bucket: true, policy: true },
    required: { bucket: true, policy: true },
    outputs: [],
};
