// mailer(name).send(message): email through a linked Mailer, on any target.
import { currentTarget, linkedValue, linkVariableName } from "./target";

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
    /**
     * A stable id for this message, e.g. the id of the event that caused it: the local outbox
     * writes at most one message per id, so a redelivered event mails once. SES (AWS and Tencent)
     * takes no such key and sends each call (README, "Exactly once, locally and in the cloud").
     */
    messageId?: string;
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

// No whitespace, no angle brackets, no control characters (C0, DEL, C1): an address is one header token.
const ADDRESS = /^[^\s@<>\x00-\x1f\x7f-\x9f]+@[^\s@<>\x00-\x1f\x7f-\x9f]+\.[^\s@<>\x00-\x1f\x7f-\x9f]+$/;
/** Control characters and line separators: in a header they would end it and start another. */
const HEADER_BREAKS = /[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g;

/**
 * The message as it may go into mail headers: user text ends up in them (a name in the
 * subject), so the subject's control characters are replaced by a space, and an address
 * (to, from) that is not one plain address is refused. Every transport sends only this.
 */
export function headerSafe(sender: Sender, message: EmailMessage): EmailMessage {
    if (typeof sender.from !== "string" || !ADDRESS.test(sender.from)) throw new TypeError(`email from: expected one address, got ${printable(sender.from)}`);
    return safeRecipientsAndSubject(message);
}

function safeRecipientsAndSubject(message: EmailMessage): EmailMessage {
    const to = Array.isArray(message.to) ? message.to : [];
    const bad = to.filter((a) => typeof a !== "string" || !ADDRESS.test(a));
    if (to.length === 0 || bad.length) throw new TypeError(`email to: expected 1 or more addresses, got ${bad.length ? bad.map(printable).join(", ") : "none"}`);
    const subject = String(message.subject ?? "").replace(HEADER_BREAKS, " ").trim();
    if (!subject) throw new TypeError("email subject is required");
    if (message.messageId !== undefined && (typeof message.messageId !== "string" || !message.messageId)) {
        throw new TypeError(`email messageId: expected a non-empty string, got ${printable(message.messageId)}`);
    }
    return { ...message, subject };
}

/** Shows control characters in an error message instead of letting them break the log line. */
function printable(text: unknown): string {
    return JSON.stringify(String(text));
}

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
            // The message's own mistakes first: they are the caller's, whatever the linking.
            const checked = safeRecipientsAndSubject(message);
            const sender: Sender = {
                from: linkedValue("mailer", name, "from"),
                setting: (key) => process.env[linkVariableName("mailer", name, key)],
            };
            return transport().send(sender, headerSafe(sender, checked));
        },
    };
}
