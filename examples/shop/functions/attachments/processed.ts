// After a file lands in the attachments bucket (and passed onUpload's size and type check):
// record its size, type and SHA-256 for its owner, and push "processed" to the owner's open pages.
// Retried, then dead-lettered, like any AsyncTask; the key is unique per upload, so a redelivery
// writes the same record again and pushes the same news once more, harmlessly.
import { createHash } from "node:crypto";
import { realtime } from "serverless-blocks/functions/runtime/clients/realtime";
import { table } from "serverless-blocks/functions/runtime/clients/table";
import { uploads } from "serverless-blocks/functions/runtime/clients/uploads";
import { onUpload } from "serverless-blocks/functions/runtime/uploads";

/** What the files table keeps per upload, and what the page is told. */
export interface StoredFile {
    userId: string;
    key: string;
    name: string;
    size: number;
    contentType: string;
    sha256: string;
    processedAt: string;
}

export const handler = onUpload(async (file) => {
    const bytes = await uploads("attachments").get(file.key);
    // Deleted between the check and now: nothing left to record.
    if (!bytes) return;
    const stored: StoredFile = {
        userId: file.userId,
        key: file.key,
        name: file.name,
        size: bytes.length,
        contentType: file.contentType ?? "application/octet-stream",
        sha256: createHash("sha256").update(bytes).digest("hex"),
        processedAt: new Date().toISOString(),
    };
    await table<StoredFile>("files").put(stored);
    await realtime("live").send({ userId: file.userId }, { type: "upload", file: stored });
});
