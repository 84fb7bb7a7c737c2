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
