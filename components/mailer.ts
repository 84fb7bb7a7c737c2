// Mailer: sends email from one verified sender. Functions link it (`mailer.link`) and call
// `mailer("<name>").send(...)`; locally the mail lands in an outbox directory to read.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, provider } from "./cloud";
import type { Link } from "./link";

export interface MailerArgs {
    /**
     * The sender address. On AWS its domain becomes an SES identity (publish the DKIM records it
     * outputs); on Tencent Cloud the domain must be verified in the SES console first.
     *
     * @example from: "hello@shop.example.com"
     */
    from: string;
    /**
     * Tencent Cloud SES sends approved templates only: template names (as functions use them) to
     * the ids SES gave them. Ignored on other targets, which send the message's own text.
     *
     * @example templateIds: { welcome: 31415 }
     */
    templateIds?: { [name: string]: number };
}

/** A deliberately plain check: one @, a dotted domain, no spaces or angle brackets. */
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * An email sender.
 *
 * @example
 * const mail = new Mailer("mail", { from: "hello@shop.example.com" });
 * new AsyncTask("welcome", { handler: "functions/users/welcome-email.handler", link: [mail.link], ... });
 */
export class Mailer extends pulumi.ComponentResource {
    /** The sender address. */
    public readonly from!: pulumi.Output<string>;
    /** Give it to a Function's `link` to send email. */
    public readonly link!: pulumi.Output<Link>;

    constructor(name: string, args: MailerArgs, opts?: pulumi.ComponentResourceOptions) {
        if (typeof args.from !== "string" || !ADDRESS.test(args.from)) {
            throw new ConfigError(`Mailer '${name}' from`, args.from, "expected an email address such as hello@example.com");
        }
        for (const [template, id] of Object.entries(args.templateIds ?? {})) {
            if (!Number.isInteger(id) || id <= 0) throw new ConfigError(`Mailer '${name}' templateIds.${template}`, id, "expected the positive template id SES shows");
        }
        super("serverless-blocks:index:Mailer", name, {}, opts);
        const realised = provider().mailer(this, { name, from: args.from, templateIds: args.templateIds ?? {} });
        Object.assign(this, { from: pulumi.output(args.from), link: pulumi.output(realised.link) });
        this.registerOutputs({ from: this.from, link: this.link });
    }
}
