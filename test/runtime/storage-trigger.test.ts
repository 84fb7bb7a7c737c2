// A bucket's notification reaching a FileUpload processor through the clouds' adapters: the S3
// notification through toLambda, the COS trigger's event through toScf, each record one call of
// the onUpload handler with the key decoded and the owner read from it.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { toLambda } from "../../functions/runtime/adapters/aws";
import { toScf } from "../../functions/runtime/adapters/tencentcloud";
import { onUpload, type ObjectInspector, type UploadedObject } from "../../functions/runtime/uploads";

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "events", name), "utf8"));

/** An object store of one object per key, with the rules of the typical app. */
function inspector(sizes: Record<string, number>, type: string): () => ObjectInspector {
    return () => ({
        head: async (key) => (key in sizes ? { size: sizes[key], contentType: type } : undefined),
        delete: async () => undefined,
        rules: () => ({ maxBytes: 5 * 1024 * 1024, allowedTypes: ["application/pdf", "text/plain", "image/*"] }),
    });
}

function keysOf(event: unknown, pick: (record: any) => string): string[] {
    return ((event as { Records: unknown[] }).Records).map(pick);
}

describe("storage notifications through the adapters", () => {
    it("runs an onUpload handler once per S3 record, with the key decoded (toLambda)", async () => {
        const event = fixture("aws-s3-put.json");
        const seen: UploadedObject[] = [];
        const encodedKeys = keysOf(event, (r) => r.s3.object.key);
        const decoded = encodedKeys.map((k) => decodeURIComponent(k.replace(/\+/g, " ")));
        const handler = toLambda(onUpload(async (file) => void seen.push(file), inspector(Object.fromEntries(decoded.map((k) => [k, 42])), "application/pdf")));
        await handler(event);
        assert.deepEqual(seen.map((f) => f.key), decoded);
        assert.ok(seen.every((f) => f.size === 42 && f.contentType === "application/pdf" && f.userId !== ""));
    });

    it("runs an onUpload handler for a COS trigger event, the /<appid>/<bucket>/ prefix stripped (toScf)", async () => {
        const event = fixture("tencent-cos-put.json");
        const seen: UploadedObject[] = [];
        const stored = keysOf(event, (r) => r.cos.cosObject.key as string).map((k) => k.split("/").slice(3).join("/"));
        const handler = toScf(onUpload(async (file) => void seen.push(file), inspector(Object.fromEntries(stored.map((k) => [k, 7])), "text/plain")));
        await handler(event);
        assert.equal(seen.length, stored.length);
        assert.ok(seen.every((f) => f.key.startsWith("uploads/") && f.size === 7));
    });

    it("fails the invocation when the handler fails, so the platform retries and dead-letters", async () => {
        const event = fixture("aws-s3-put.json");
        const decoded = keysOf(event, (r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")));
        const handler = toLambda(onUpload(async () => { throw new Error("scanner down"); }, inspector(Object.fromEntries(decoded.map((k) => [k, 1])), "application/pdf")));
        await assert.rejects(handler(event), /scanner down/);
    });
});
