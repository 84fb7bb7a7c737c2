// tencentcloud_ssm_secret_version: a version of an SSM secret, holding its value. The provider
// changes `secretString` in place (UpdateSecret); a new `versionId` makes a new version.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing an SsmSecretVersion. */
export interface SsmSecretVersionArgs {
    /** The value as base64 binary, up to 4096 bytes; exactly one of this and `secretString`. */
    secretBinary?: pulumi.Input<string>;
    /** The secret's name. */
    secretName: pulumi.Input<string>;
    /** The value as text, up to 4096 bytes; exactly one of this and `secretBinary`. Pass a Pulumi secret. */
    secretString?: pulumi.Input<string>;
    /** The version: up to 64 letters, digits, `_` and `-`, a letter or digit first. */
    versionId: pulumi.Input<string>;
}

/** A version of an SSM secret (`tencentcloud_ssm_secret_version`); its `id` is `<secretName>#<versionId>`. */
export class SsmSecretVersion extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/ssmSecretVersion:SsmSecretVersion";

    /** Reads an existing version by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SsmSecretVersion {
        return new SsmSecretVersion(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an SsmSecretVersion, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is SsmSecretVersion {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === SsmSecretVersion.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly secretBinary: pulumi.Output<string | undefined>;
    declare public readonly secretName: pulumi.Output<string>;
    declare public readonly secretString: pulumi.Output<string | undefined>;
    declare public readonly versionId: pulumi.Output<string>;

    constructor(name: string, args: SsmSecretVersionArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing version: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: SsmSecretVersionArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(SsmSecretVersion.__pulumiType, name, resourceInputs(ssmSecretVersionBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** SsmSecretVersion's registered property names, checked against the provider schema by the unit test. */
export const ssmSecretVersionBinding: BindingSchema<SsmSecretVersionArgs> = {
    token: SsmSecretVersion.__pulumiType,
    inputs: { secretBinary: true, secretName: true, secretString: true, versionId: true },
    required: { secretName: true, versionId: true },
    outputs: [],
};
