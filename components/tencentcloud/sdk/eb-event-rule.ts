// tencentcloud_eb_event_rule: an event pattern on a bus, which targets then receive.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing an EbEventRule. */
export interface EbEventRuleArgs {
    /** Description, up to 200 characters. */
    description?: pulumi.Input<string>;
    /** Whether the rule is enabled. */
    enable?: pulumi.Input<boolean>;
    /** ID of the bus the rule watches. */
    eventBusId: pulumi.Input<string>;
    /** Event pattern (JSON), see https://cloud.tencent.com/document/product/1359/56084. */
    eventPattern: pulumi.Input<string>;
    /** Rule name: a letter first, then letters, digits, `_` and `-`. Not auto-named. */
    ruleName: pulumi.Input<string>;
    /** Tags of the rule. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** An EventBridge rule (`tencentcloud_eb_event_rule`). */
export class EbEventRule extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/ebEventRule:EbEventRule";

    /** Reads an existing rule by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): EbEventRule {
        return new EbEventRule(name, undefined, { ...opts, id });
    }

    /** True if `obj` is an EbEventRule, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is EbEventRule {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === EbEventRule.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly enable: pulumi.Output<boolean | undefined>;
    declare public readonly eventBusId: pulumi.Output<string>;
    declare public readonly eventPattern: pulumi.Output<string>;
    declare public readonly ruleName: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    /** The rule's ID, which targets reference as `ruleId`. */
    declare public readonly ruleId: pulumi.Output<string>;

    constructor(name: string, args: EbEventRuleArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing rule: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: EbEventRuleArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(EbEventRule.__pulumiType, name, resourceInputs(ebEventRuleBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** EbEventRule's registered property names, checked against the provider schema by the unit test. */
export const ebEventRuleBinding: BindingSchema<EbEventRuleArgs> = {
    token: EbEventRule.__pulumiType,
    inputs: { description: true, enable: true, eventBusId: true, eventPattern: true, ruleName: true, tags: true },
    required: { eventBusId: true, eventPattern: true, ruleName: true },
    outputs: ["ruleId"],
};
