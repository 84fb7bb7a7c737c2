// A generated password, kept in the stack's state (encrypted, as a secret) rather than in code or
// config: `random_password` of Pulumi's random provider, bound here the way its generated SDK
// registers it (token, inputs, secret outputs; pulumi-random sdk/nodejs/randomPassword.ts), so no
// npm package is needed; the Pulumi CLI installs the `random` plugin of the pinned version.
import * as pulumi from "@pulumi/pulumi";

/** The pulumi-random release whose schema this binding follows. */
export const RANDOM_PROVIDER_VERSION = "4.18.2";

export interface RandomPasswordArgs {
    /** Characters, at least the sum of the minimums. */
    length: pulumi.Input<number>;
    minLower?: pulumi.Input<number>;
    minUpper?: pulumi.Input<number>;
    minNumeric?: pulumi.Input<number>;
    minSpecial?: pulumi.Input<number>;
    /** The special characters to draw from (with `special`, the default). */
    overrideSpecial?: pulumi.Input<string>;
    special?: pulumi.Input<boolean>;
    /** Values whose change makes a new password. */
    keepers?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** `random:index/randomPassword:RandomPassword`. */
export class RandomPassword extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "random:index/randomPassword:RandomPassword";

    /** The password. A secret. */
    declare public readonly result: pulumi.Output<string>;

    constructor(name: string, args: RandomPasswordArgs, opts?: pulumi.CustomResourceOptions) {
        const inputs: pulumi.Inputs = {
            keepers: args.keepers,
            length: args.length,
            lower: undefined,
            minLower: args.minLower,
            minNumeric: args.minNumeric,
            minSpecial: args.minSpecial,
            minUpper: args.minUpper,
            number: undefined,
            numeric: undefined,
            overrideSpecial: args.overrideSpecial,
            special: args.special,
            upper: undefined,
            bcryptHash: undefined,
            result: undefined,
        };
        const defaults = { version: RANDOM_PROVIDER_VERSION, additionalSecretOutputs: ["bcryptHash", "result"] };
        super(RandomPassword.__pulumiType, name, inputs, pulumi.mergeOptions(defaults, opts ?? {}));
    }
}

/**
 * A TDSQL-C password, as a secret: 32 letters, digits and two of the symbols CreateClusters and
 * CreateAccounts allow, safe in any connection string (the cluster's root and each table account).
 */
export function mysqlPassword(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const password = new RandomPassword(name, {
        length: 32,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
        minSpecial: 1,
        special: true,
        overrideSpecial: "-_",
    }, { parent });
    return pulumi.secret(password.result);
}
