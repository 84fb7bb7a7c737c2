// tencentcloud_ssm_secret: a Secrets Manager (SSM) secret, without its value (see ssm-secret-version.ts).
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing an SsmSecret. */
export interface SsmSecretArgs {
    /** Additional config for specific secret types, as JSON text. */
    additionalConfig?: pulumi.Input<string>;
    /** Description, up to 2048 bytes. */
    description?: pulumi.Input<string>;
    /** Whether the secret is enabled. Default true. */
    isEnabled?: pulumi.Input<boolean>;
    /** The KMS key that encrypts the secret; SSM's own managed key when not given. */
    kmsKeyId?: pulumi.Input<string>;
    /** Days a deleted secret can be restored, 0 (deleted at once) to 30. */
    recoveryWindowInDays?: pulumi.Input<number>;
    /** Name, unique per region: up to 128 letters, digits, `_` and `-`, a letter or digit first. Not auto-named. */
    secretName: pulumi.Input<string>;
    /** 0 for a user-defined secret (the default), 4 for a Redis secret. */
    secretType?: pulumi.Input<number>;
    /** Tags of the secret. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** An SSM secret (`tencentcloud_ssm_secret`); its `id` is the secret's name. */
export class SsmSecret extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/ssmSecret:SsmSecret";

    /** Reads an existing secret by name. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): SsmSecret {
        return new SsmSecret(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an SsmSecret, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is SsmSecret {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === SsmSecret.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly additionalConfig: pulumi.Output<string | undefined>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly isEnabled: pulumi.Output<boolean | undefined>;
    declare public readonly kmsKeyId: pulumi.Output<string>;
    declare public readonly recoveryWindowInDays: pulumi.Output<number | undefined>;
    declare public readonly secretName: pulumi.Output<string>;
    declare public readonly secretType: pulumi.Output<number>;
    /** `Enabled`, `Disabled`, `PendingDelete` or `Creating`. */
    declare public readonly status: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;

    constructor(name: string, args: SsmSecretArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing secret: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: SsmSecretArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(SsmSecret.__pulumiType, name, resourceInputs(ssmSecretBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** SsmSecret's registered property names, checked against the provider schema by the unit test. */
export const ssmSecretBinding: BindingSchema<SsmSecretArgs> = {
    token: SsmSecret.__pulumiType,
    inputs: {
        additionalConfig: true,
        description: true,
        isEnabled: true,
        kmsKeyId: true,
        recoveryWindowInDays: true,
        secretName: true,
        secretType: true,
        tags: true,
    },
    required: { secretName: true },
    outputs: ["status"],
};
