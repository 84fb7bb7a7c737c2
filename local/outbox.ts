// The Mailers' outboxes under the runtime's data directory (components/local/mailer.ts puts each
// at <dataDir>/outbox/<mailer>). A kill -9 between writing a message's temp file and linking it
// leaves the temp file behind; the message itself is sent again by the redelivery, so at start
// (the data directory locked: no writer is running) the leftovers are only removed.
import * as fs from "node:fs";
import * as path from "node:path";
import { OUTBOX_TEMP_SUFFIX } from "../functions/runtime/clients/local/email";

/** Removes the temp files of messages a crashed run was writing; the paths removed. */
export function removeUnfinishedMail(dataDir: string): string[] {
    const root = path.join(dataDir, "outbox");
    if (!fs.existsSync(root)) return [];
    const removed: string[] = [];
    for (const mailer of fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        const outbox = path.join(root, mailer.name);
        for (const name of fs.readdirSync(outbox).filter((n) => n.endsWith(OUTBOX_TEMP_SUFFIX))) {
            fs.rmSync(path.join(outbox, name), { force: true });
            removed.push(path.join(outbox, name));
        }
    }
    return removed;
}
