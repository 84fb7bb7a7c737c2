// A FileUpload on AWS at run time: S3 notifications read into ObjectCreated hub events (the
// fixtures follow the S3 User Guide's "Event message structure"), and the S3 upload store: the
// presigned POST's signed policy (decoded; fake static credentials, no network), and HeadObject,
// GetObject and DeleteObject answered by aws-sdk-client-mock.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { decodeS3Key, isS3Notification, readS3Notification, s3EventId, S3_EVENT_SOURCE } from "../../functions/runtime/adapters/s3-events";
import { createAwsUploads } from "../../functions/runtime/clients/aws/uploads";
import { uploadsClient, type UploadSettings } from "../../functions/runtime/clients/uploads";
import { onUpload, uploadKey, type UploadedObject } from "../../functions/runtime/uploads";
import type { HubEvent } from "../../functions/runtime/events";

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "events", name), "utf8"));
const BUCKET = "attachments-bucket-5d1f0a3";

describe("S3 notifications as hub events", () => {
    it("reads the PUT fixture: the key decoded once (spaces, Unicode, a literal %7C), size, ETag, time", () => {
        const event = fixture("aws-s3-put.json");
        assert.equal(isS3Notification(event), true);
        const [read, ...more] = readS3Notification(event);
        assert.deepEqual(more, []);
        assert.equal(read.source, S3_EVENT_SOURCE);
        assert.equal(read.type, "ObjectCreated");
        assert.equal(read.time, "2024-03-13T10:16:02.517Z");
        assert.deepEqual(read.detail, {
            bucket: BUCKET,
            // The stored key holds the signer's percent-encoded user (`user|1` is `user%7C1`); S3 encoded that `%` again.
            key: "uploads/user%7C1/3b241101-e2bb-4255-8caf-4136c566a962/My résumé.pdf",
            size: 48213,
            etag: "d41d8cd98f00b204e9800998ecf8427e",
        });
    });

    it("reads the browser form upload (ObjectCreated:Post) the same way", () => {
        const [read] = readS3Notification(fixture("aws-s3-post.json"));
        assert.equal(read.type, "ObjectCreated");
        assert.equal(read.detail.key, "uploads/auth0%7C65f1/9f8e7d6c-5b4a-4392-8170-6a5b4c3d2e1f/季度 report (final).png");
        assert.equal(read.detail.size, 1024);
    });

    it("hands onUpload the object with the user and file name the signer put in the key", async () => {
        const seen: { object: UploadedObject; event: HubEvent<UploadedObject> }[] = [];
        const handler = onUpload((object, event) => void seen.push({ object, event }), () => ({
            head: async () => ({ size: 48213, contentType: "application/pdf" }),
            delete: async () => assert.fail("a file that keeps the rules is not deleted"),
            rules: () => ({ maxBytes: 10 * 1024 * 1024, allowedTypes: ["application/pdf"] }),
        }));
        const [event] = readS3Notification(fixture("aws-s3-put.json"));
        await handler(event);
        assert.equal(seen.length, 1);
        assert.equal(seen[0].object.userId, "user|1");
        assert.equal(seen[0].object.name, "My résumé.pdf");
        assert.equal(seen[0].object.contentType, "application/pdf");
        assert.equal(seen[0].event.id, event.id);
    });

    it("gives a redelivery the same id, and another write of the same key a new one", () => {
        const first = readS3Notification(fixture("aws-s3-put.json"))[0];
        const again = readS3Notification(fixture("aws-s3-put.json"))[0];
        assert.equal(again.id, first.id);
        assert.match(first.id, /^s3-[0-9a-f]{32}$/);
        const rewritten = fixture("aws-s3-put.json");
        rewritten.Records[0].s3.object.sequencer = "0065F17C42793E1E5C";
        assert.notEqual(readS3Notification(rewritten)[0].id, first.id);
        const elsewhere = fixture("aws-s3-put.json");
        elsewhere.Records[0].s3.bucket.name = "other-bucket";
        assert.notEqual(readS3Notification(elsewhere)[0].id, first.id);
        // From the decoded key: the same object however S3 chose to encode it.
        assert.equal(s3EventId(BUCKET, "a b", "01"), s3EventId(BUCKET, decodeS3Key("a+b"), "01"));
        assert.equal(decodeS3Key("a%20b"), decodeS3Key("a+b"));
        assert.equal(decodeS3Key("1%2B1"), "1+1", "an encoded + is a plus sign, not a space");
    });

    it("reads every record of a notification", () => {
        const two = fixture("aws-s3-put.json");
        two.Records.push(fixture("aws-s3-post.json").Records[0]);
        assert.deepEqual(readS3Notification(two).map((e) => e.detail.size), [48213, 1024]);
    });

    it("refuses other sources and other S3 events, naming what came", () => {
        const sqs = { Records: [{ messageId: "1", eventSource: "aws:sqs", body: "{}" }] };
        assert.equal(isS3Notification(sqs), false);
        assert.throws(() => readS3Notification(sqs), /Records\[0\]: expected eventSource 'aws:s3', got 'aws:sqs'/);
        const eventBridge = fixture("aws-eventbridge.json");
        assert.equal(isS3Notification(eventBridge), false);
        assert.throws(() => readS3Notification(eventBridge), /expected \{ Records: \[\.\.\.\] \}/);
        assert.equal(isS3Notification({ Records: [] }), false);

        const removed = fixture("aws-s3-put.json");
        removed.Records[0].eventName = "ObjectRemoved:Delete";
        assert.equal(isS3Notification(removed), true, "an S3 notification, just not one a FileUpload asks for");
        assert.throws(() => readS3Notification(removed), /expected an ObjectCreated:\* event .*, got 'ObjectRemoved:Delete'/);
        // S3's test message when a notification is configured has no Records at all.
        assert.throws(() => readS3Notification({ Service: "Amazon S3", Event: "s3:TestEvent", Time: "2024-03-13T10:15:30.000Z", Bucket: BUCKET }), /expected \{ Records/);

        const badKey = fixture("aws-s3-put.json");
        badKey.Records[0].s3.object.key = "uploads/%E0%A4%A";
        assert.throws(() => readS3Notification(badKey), /s3\.object\.key 'uploads\/%E0%A4%A' is not URL-encoded/);
        const noSequencer = fixture("aws-s3-put.json");
        delete noSequencer.Records[0].s3.object.sequencer;
        assert.throws(() => readS3Notification(noSequencer), /expected s3\.object\.sequencer/);
    });
});

describe("uploads on AWS (S3)", () => {
    const SETTINGS: UploadSettings = {
        name: "attachments",
        bucket: BUCKET,
        region: "us-east-1",
        maxBytes: 10 * 1024 * 1024,
        allowedTypes: ["application/pdf", "image/*"],
        expiresSeconds: 300,
    };
    const KEY = uploadKey("user|1", "My résumé.pdf", "3b241101-e2bb-4255-8caf-4136c566a962");

    describe("presign (a signed POST policy; no network)", () => {
        const regions: string[] = [];
        const store = createAwsUploads({
            client: (region) => {
                regions.push(region);
                return new S3Client({ region, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } });
            },
        });

        it("pins the bucket, the exact key, the Content-Type and the exact declared size, until the expiry", async () => {
            const before = Date.now();
            const signed = await store.presign(SETTINGS, { key: KEY, contentType: "application/pdf", size: 48213 });
            assert.deepEqual(regions, ["us-east-1"]);
            assert.equal(signed.method, "POST");
            assert.equal(signed.key, KEY);
            assert.equal(new URL(signed.url).protocol, "https:");
            assert.match(new URL(signed.url).host, new RegExp(`^${BUCKET}\\.s3\\.(us-east-1\\.)?amazonaws\\.com$`));
            const fields = signed.fields!;
            assert.equal(fields.key, KEY);
            assert.equal(fields["Content-Type"], "application/pdf");
            assert.equal(fields["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
            assert.match(fields["X-Amz-Credential"], /^AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request$/);
            assert.match(fields["X-Amz-Signature"], /^[0-9a-f]{64}$/);

            const policy = JSON.parse(Buffer.from(fields.Policy, "base64").toString("utf8"));
            const conditions: unknown[] = policy.conditions;
            assert.deepEqual(conditions.filter((c) => Array.isArray(c) && c[0] === "content-length-range"), [["content-length-range", 48213, 48213]]);
            assert.ok(has(conditions, { "Content-Type": "application/pdf" }), JSON.stringify(conditions));
            assert.ok(has(conditions, { bucket: BUCKET }));
            assert.ok(has(conditions, ["eq", "$key", KEY]));
            assert.ok(has(conditions, { key: KEY }), "the library pins the key exactly as well");
            assert.ok(!conditions.some((c) => Array.isArray(c) && c[0] === "starts-with"), "no condition leaves a field open");
            // Every form field is covered by the policy (S3 refuses a field the policy does not name).
            for (const [name, value] of Object.entries(fields)) {
                if (["Policy", "X-Amz-Signature", "key"].includes(name)) continue;
                assert.ok(has(conditions, { [name]: value }), `field ${name}`);
            }

            const expiration = Date.parse(policy.expiration);
            assert.ok(expiration <= Date.now() + SETTINGS.expiresSeconds * 1000, `expires within ${SETTINGS.expiresSeconds} s: ${policy.expiration}`);
            assert.ok(expiration >= before - 1000 + SETTINGS.expiresSeconds * 1000, policy.expiration);
            assert.ok(Date.parse(signed.expiresAt) <= expiration, "the client is never told a later expiry than S3 enforces");
            assert.ok(Date.parse(signed.expiresAt) > expiration - 2000);
        });

        it("signs only what the rules allow, under the user's own prefix (through the portable client)", async () => {
            const client = uploadsClient(SETTINGS, store);
            const signed = await client.presign("user|1", { name: "../../etc/Photo 1.PNG", contentType: "Image/PNG", size: 2048 });
            assert.match(signed.key, /^uploads\/user%7C1\/[0-9a-f-]{36}\/Photo 1\.PNG$/);
            const conditions = JSON.parse(Buffer.from(signed.fields!.Policy, "base64").toString("utf8")).conditions;
            assert.ok(has(conditions, { "Content-Type": "image/png" }));
            assert.ok(has(conditions, ["content-length-range", 2048, 2048]));
            await assert.rejects(client.presign("user|1", { name: "a.exe", contentType: "application/x-msdownload", size: 10 }), /not allowed/);
            await assert.rejects(client.presign("user|1", { name: "big.png", contentType: "image/png", size: SETTINGS.maxBytes + 1 }), /over the limit/);
        });
    });

    describe("head, get, delete", () => {
        const s3 = mockClient(S3Client);
        const store = createAwsUploads({ client: () => new S3Client({ region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" } }) });
        beforeEach(() => s3.reset());
        after(() => s3.restore());

        it("heads an object: its stored size and type; a missing one is undefined", async () => {
            s3.on(HeadObjectCommand, { Bucket: BUCKET, Key: KEY }).resolves({ ContentLength: 48213, ContentType: "application/pdf" });
            assert.deepEqual(await store.head(SETTINGS, KEY), { size: 48213, contentType: "application/pdf" });
            s3.on(HeadObjectCommand, { Key: "uploads/gone" }).rejects(s3Error("NotFound", 404));
            assert.equal(await store.head(SETTINGS, "uploads/gone"), undefined);
        });

        it("explains S3's 403 for a key it may not know to be missing (no s3:ListBucket)", async () => {
            s3.on(HeadObjectCommand).rejects(s3Error("Forbidden", 403));
            await assert.rejects(store.head(SETTINGS, KEY), (error: Error) => {
                assert.match(error.message, /either the object does not exist, which S3 reports as 403 to a role that may not list the bucket, or the role lacks s3:GetObject/);
                return true;
            });
        });

        it("gets the bytes, and undefined for NoSuchKey", async () => {
            // The SDK's stream mixin, as far as the store uses it.
            const body = { transformToByteArray: async () => new Uint8Array(Buffer.from("%PDF-1.7\n")) };
            s3.on(GetObjectCommand, { Bucket: BUCKET, Key: KEY }).resolves({ Body: body as never });
            assert.equal((await store.get(SETTINGS, KEY))!.toString("utf8"), "%PDF-1.7\n");
            s3.on(GetObjectCommand, { Key: "uploads/gone" }).rejects(s3Error("NoSuchKey", 404));
            assert.equal(await store.get(SETTINGS, "uploads/gone"), undefined);
        });

        it("deletes exactly the key", async () => {
            s3.on(DeleteObjectCommand).resolves({});
            await store.delete(SETTINGS, KEY);
            assert.deepEqual(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input), [{ Bucket: BUCKET, Key: KEY }]);
        });
    });
});

/** Whether the policy's conditions hold exactly this one. */
function has(conditions: unknown[], condition: unknown): boolean {
    return conditions.some((c) => JSON.stringify(c) === JSON.stringify(condition));
}

function s3Error(name: string, status: number): S3ServiceException {
    return new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message: name === "Forbidden" ? "Forbidden" : "" });
}
