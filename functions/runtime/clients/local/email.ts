// Email on the local target: one JSON file per message in the Mailer's outbox directory,
// written atomically (temp file, then rename) so a reader never sees half a message.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { headerSafe, type EmailTransport } from "../email";

export const localEmail: EmailTransport = {
    async send(sender, unchecked) {
        // Checked here too: a transport called directly must not put user text into headers raw.
        const message = headerSafe(sender, unchecked);
        const outbox = sender.setting("outbox");
        if (!outbox) throw new Error("local mailer has no outbox directory: link the Mailer to this function");
        const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}`;
        fs.mkdirSync(outbox, { recursive: true });
        const file = path.join(outbox, `${id}.json`);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify({ id, from: sender.from, ...message }, null, 2));
        fs.renameSync(`${file}.tmp`, file);
        return id;
    },
};
