// mailer(name).send(message): email through a linked Mailer, on any target.
import { currentTarget, linkedValue } from "./target";

export interface EmailMessage {
    to: string[];
    subject: string;
    text: string;
    html?: string;
    /**
     * Tencent Cloud SES sends only approved templates: the template's name (mapped to its id by
     * the Mailer's `templateIds`) and its variables. Other targets send `subject`/`text`/`html`.
     */
    template?: { name: string; data: Record<string, string> };
}

export interface Sender {
    from: string;
    /** The linked Mailer's variables (e.g. the outbox locally, template ids on Tencent Cloud). */
    setting(key: string): string | undefined;
}

/** How one cloud sends; resolves to the provider's message id. */
export interface EmailTransport {
    send(sender: Sender, message: EmailMessage): Promise<string>;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function transport(): EmailTransport {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and SDK) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/email").awsEmail;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/email").tencentEmail;
    if (process.env.SB_TARGET === "local") return require("./local/email").localEmail;
    throw new Error(`unknown target ${currentTarget()}`);
}

/** The mailer linked under `name` (`link: [mail.link]` makes `mailer("mail")` work). */
export function mailer(name: string) {
    return {
        async send(message: EmailMessage): Promise<string> {
            const bad = message.to.filter((a) => !ADDRESS.test(a));
            if (message.to.length === 0 || bad.length) throw new TypeError(`email to: expected 1 or more addresses, got ${bad.length ? bad.join(", ") : "none"}`);
            if (!message.subject?.trim()) throw new TypeError("email subject is required");
            const sender: Sender = {
                from: linkedValue("mailer", name, "from"),
                setting: (key) => process.env[["SB", "mailer", name, key].join("_").toUpperCase().replace(/[^A-Z0-9_]/g, "_")],
            };
            return transport().send(sender, message);
        },
    };
}
