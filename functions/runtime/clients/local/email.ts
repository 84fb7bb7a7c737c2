// Email on the local target: one JSON file per message in the Mailer's outbox directory,
// written atomically (temp file, then a hard link to the final name) so a reader never sees half
// a message. A message with an id (`messageId`, e.g. the event id that caused it) is written at
// most once: the link fails when that id's file exists, so a redelivered event sends nothing new.
// A temp file a kill -9 left behind is removed when the runtime starts (local/outbox.ts).
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { headerSafe, type EmailTransport } from "../email";

/** The suffix of a message being written; nothing else in an outbox ends with it. */
export const OUTBOX_TEMP_SUFFIX = ".tmp";

export const localEmail: EmailTransport = {
    async send(sender, unchecked) {
        // Checked here too: a transport called directly must not put user text into headers raw.
        const message = headerSafe(sender, unchecked);
        const outbox = sender.setting("outbox");
        if (!outbox) throw new Error("local mailer has no outbox directory: link the Mailer to this function");
        const id = message.messageId === undefined ? `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}` : fileNameFor(message.messageId);
        fs.mkdirSync(outbox, { recursive: true });
        const file = path.join(outbox, `${id}.json`);
        // Unique per attempt: two deliveries of one event at once never share (and unlink) a temp file.
        const temp = `${file}.${randomUUID()}${OUTBOX_TEMP_SUFFIX}`;
        fs.writeFileSync(temp, JSON.stringify({ id, from: sender.from, ...message }, null, 2));
        try {
            fs.linkSync(temp, file);
        } catch (err) {
            // Already in the outbox: this id was sent before (a redelivery); the first copy stands.
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        } finally {
            fs.rmSync(temp, { force: true });
        }
        return id;
    },
};

/** A message id as a file name: kept when it is already a safe one (an event's UUID), else hashed. */
function fileNameFor(messageId: string): string {
    return /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(messageId) ? messageId : `sha256-${createHash("sha256").update(messageId).digest("hex")}`;
}
