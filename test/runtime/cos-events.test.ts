// Uploads on Tencent Cloud at run time: SCF's COS trigger events read as ObjectCreated hub events
// (COS's key prefix stripped, spaces and Unicode kept, encoded keys decoded only when plainly
// encoded, the stored content type, ids the same on every delivery, anything else refused), and
// the COS client: the presigned PUT's query (method, key, expiry window, signed headers) and its
// signature against cos-nodejs-sdk-v5's own, and HEAD / GET / DELETE over a fake fetch.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import COS from "cos-nodejs-sdk-v5";
import { isCosNotification, readCosNotification } from "../../functions/runtime/adapters/cos-events";
import type { UploadSettings } from "../../functions/runtime/clients/uploads";
import { uploadsClient } from "../../functions/runtime/clients/uploads";
import { cosAuthorization, createTencentUploads, presignCosPut } from "../../functions/runtime/clients/tencentcloud/uploads";
import { onUpload, type UploadedObject } from "../../functions/runtime/uploads";

type Json = Record<string, any>;

const fixture = (): Json => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "events", "tencent-cos-put.json"), "utf8"));
const BUCKET = "serverless-blocks-test-attachments-1250000000";
const KEY = "uploads/auth0%7C42/6f1c2a9e-3b7d-4e2a-9c1f-8a5b4d3e2f10/Quarterly report 季度报告.pdf";
const COS_PREFIX = "/1250000000/serverless-blocks-test-attachments/";
/** The fixture with its record's key (after COS's prefix) replaced. */
const withKey = (key: string): Json => {
    const event = fixture();
    event.Records[0].cos.cosObject.key = `${COS_PREFIX}${key}`;
    return event;
};
/** A key percent-encoded segment by segment, as an encoder of paths would. */
const encoded = (key: string) => key.split("/").map(encodeURIComponent).join("/");

describe("COS trigger events", () => {
    it("recognises the COS trigger's notification, and nothing else", () => {
        assert.equal(isCosNotification(fixture()), true);
        for (const other of [{}, { Records: [] }, { Records: [{ s3: {} }] }, { Type: "Timer", TriggerName: "t", Time: "2026-01-01T00:00:00Z" }, { specversion: "1.0", id: "1" }, null, "Records"]) {
            assert.equal(isCosNotification(other), false, JSON.stringify(other));
        }
    });

    it("reads an upload: bucket with its APPID, key without COS's prefix, spaces and Unicode kept, size, stored type, time", () => {
        const [event] = readCosNotification(fixture());
        assert.deepEqual(event, {
            id: event.id,
            source: "tencentcloud.cos",
            type: "ObjectCreated",
            time: "2026-01-01T00:00:00.000Z",
            detail: {
                bucket: BUCKET,
                key: KEY,
                size: 482113,
                contentType: "application/pdf",
            },
        });
        assert.match(event.id, /^cos-[0-9a-f]{32}$/);
    });

    it("decodes a key that is plainly percent-encoded, and only such a key", () => {
        assert.equal(readCosNotification(withKey(encoded(KEY)))[0].detail.key, KEY, "spaces and Unicode came encoded");
        const asciiName = "uploads/auth0%7C42/6f1c2a9e-3b7d-4e2a-9c1f-8a5b4d3e2f10/receipt.pdf";
        assert.equal(readCosNotification(withKey(asciiName))[0].detail.key, asciiName, "the signer's own %7C is not an encoding by COS");
        const spacedUser = "uploads/a%20b/6f1c2a9e-3b7d-4e2a-9c1f-8a5b4d3e2f10/receipt.pdf";
        assert.equal(readCosNotification(withKey(spacedUser))[0].detail.key, spacedUser, "user 'a b' as the signer writes it");
        assert.equal(readCosNotification(withKey(encoded(spacedUser)))[0].detail.key, spacedUser);
        assert.equal(readCosNotification(withKey("uploads/u1/6f1c2a9e-3b7d-4e2a-9c1f-8a5b4d3e2f10/100%.txt"))[0].detail.key, "uploads/u1/6f1c2a9e-3b7d-4e2a-9c1f-8a5b4d3e2f10/100%.txt");
    });

    it("takes a size given as a string, an ISO event time, and no content type when COS has none", () => {
        const event = fixture();
        event.Records[0].cos.cosObject.size = "1024";
        event.Records[0].cos.cosObject.meta["Content-Type"] = "";
        event.Records[0].event.eventTime = "2026-03-01T08:00:00Z";
        const [read] = readCosNotification(event);
        assert.equal(read.detail.size, 1024);
        assert.equal("contentType" in read.detail, false);
        assert.equal(read.time, "2026-03-01T08:00:00.000Z");
    });

    it("gives every delivery of one notification the same id, and another upload another id", () => {
        const first = readCosNotification(fixture())[0].id;
        assert.equal(readCosNotification(fixture())[0].id, first);
        const other = fixture();
        other.Records[0].cos.cosObject.meta["x-cos-request-id"] = "another-request";
        assert.notEqual(readCosNotification(other)[0].id, first);
        const merged = fixture();
        merged.Records.push({ ...fixture().Records[0], cos: { ...fixture().Records[0].cos, cosObject: { ...fixture().Records[0].cos.cosObject, key: `${COS_PREFIX}uploads/u2/6f1c2a9e-3b7d-4e2a-9c1f-8a5b4d3e2f11/b.png` } } });
        const ids = readCosNotification(merged).map((e) => e.id);
        assert.equal(ids.length, 2, "Records may merge several notifications");
        assert.notEqual(ids[0], ids[1]);
    });

    it("refuses other events and other COS events clearly", () => {
        assert.throws(() => readCosNotification({ specversion: "1.0", id: "x", source: "app", type: "OrderPlaced" }), /^TypeError: tencentcloud COS trigger: expected a COS notification \(\{ Records: \[\{ cos: \{ cosBucket, cosObject \}, event \}\] \}\); got an object with keys \[specversion, id, source, type\]$/);
        assert.throws(() => readCosNotification({ Records: [] }), /expected a COS notification/);
        const removed = fixture();
        removed.Records[0].event.eventName = "cos:ObjectRemove:Delete";
        assert.throws(() => readCosNotification(removed), /record 0 is 'cos:ObjectRemove:Delete'; a FileUpload's processor takes cos:ObjectCreated:\* notifications only/);
        const noSize = fixture();
        noSize.Records[0].cos.cosObject.size = "big";
        assert.throws(() => readCosNotification(noSize), /record 0: cosObject\.size "big" is not a byte count/);
        const noAppId = fixture();
        delete noAppId.Records[0].cos.cosBucket.appid;
        assert.throws(() => readCosNotification(noAppId), /record 0: cosBucket needs a name and a numeric appid/);
    });

    it("hands onUpload the object it checks, with the user and name from the key", async () => {
        const seen: UploadedObject[] = [];
        const handler = onUpload((file) => void seen.push(file), () => ({
            head: async (key) => (key === KEY ? { size: 482113, contentType: "application/pdf" } : undefined),
            delete: async () => assert.fail("nothing to delete"),
            rules: () => ({ maxBytes: 1024 * 1024, allowedTypes: ["application/pdf"] }),
        }));
        for (const event of readCosNotification(fixture())) await handler(event);
        assert.deepEqual(seen, [{ bucket: BUCKET, key: KEY, size: 482113, contentType: "application/pdf", userId: "auth0|42", name: "Quarterly report 季度报告.pdf" }]);
    });
});

const SETTINGS: UploadSettings = {
    name: "attachments",
    bucket: BUCKET,
    region: "ap-guangzhou",
    maxBytes: 5 * 1024 * 1024,
    allowedTypes: ["image/png", "application/pdf"],
    expiresSeconds: 300,
};
const CREDENTIAL = { secretId: "AKIDEXAMPLEEXAMPLEEXAMPLE", secretKey: "secretkeyEXAMPLEEXAMPLE", token: "session+token/with=chars" };
const NOW = 1767225600;
const UPLOAD = { key: KEY, contentType: "application/pdf", size: 482113 };
const HOST = `${BUCKET}.cos.ap-guangzhou.myqcloud.com`;
/** cos-nodejs-sdk-v5's own signer; its types omit KeyTime and HEAD, which it takes. */
const sdkAuthorization = COS.getAuthorization as unknown as (options: Record<string, unknown>) => string;

describe("COS presigned PUT", () => {
    const signed = presignCosPut(SETTINGS, UPLOAD, CREDENTIAL, NOW);
    const url = new URL(signed.url);
    const q = (name: string) => url.searchParams.get(name);

    it("is a PUT to the object's key on the bucket's host, with the content type to send", () => {
        assert.equal(signed.method, "PUT");
        assert.equal(url.protocol, "https:");
        assert.equal(url.host, HOST);
        assert.equal(decodeURIComponent(url.pathname), `/${KEY}`);
        assert.equal(url.pathname, `/${encoded(KEY)}`, "each segment percent-encoded, the signer's %7C included");
        assert.deepEqual(signed.headers, { "Content-Type": "application/pdf" });
        assert.equal(signed.key, KEY);
    });

    it("is valid from 30 s before signing for the FileUpload's urlExpiresIn, and says until when", () => {
        assert.equal(q("q-sign-algorithm"), "sha1");
        assert.equal(q("q-ak"), CREDENTIAL.secretId);
        assert.equal(q("q-sign-time"), `${NOW - 30};${NOW + 300}`);
        assert.equal(q("q-key-time"), `${NOW - 30};${NOW + 300}`);
        assert.equal(signed.expiresAt, new Date((NOW + 300) * 1000).toISOString());
    });

    it("signs the host, the content type and the content length, and no query parameter", () => {
        assert.equal(q("q-header-list"), "content-length;content-type;host");
        assert.equal(q("q-url-param-list"), "");
        assert.match(q("q-signature") ?? "", /^[0-9a-f]{40}$/);
        assert.equal(q("x-cos-security-token"), CREDENTIAL.token, "the session token travels with the URL");
    });

    it("matches cos-nodejs-sdk-v5's signature for the same request, method, key and headers", () => {
        const sdk = sdkAuthorization({
            SecretId: CREDENTIAL.secretId,
            SecretKey: CREDENTIAL.secretKey,
            Method: "PUT",
            Key: KEY,
            Headers: { "content-length": "482113", "content-type": "application/pdf", host: HOST },
            KeyTime: `${NOW - 30};${NOW + 300}`,
        });
        const ours = cosAuthorization({
            method: "PUT",
            key: KEY,
            headers: { "Content-Length": "482113", "Content-Type": "application/pdf", Host: HOST },
            credential: CREDENTIAL,
            start: NOW - 30,
            end: NOW + 300,
        });
        assert.equal(ours, sdk);
        assert.equal(signed.url.split("?")[1].split("&x-cos-security-token=")[0], sdk);
    });

    it("binds the size, the type, the method and the key: change one, and the signature changes", () => {
        const signature = (upload = UPLOAD, method = "PUT") =>
            cosAuthorization({ method, key: upload.key, headers: { "content-length": String(upload.size), "content-type": upload.contentType, host: HOST }, credential: CREDENTIAL, start: NOW - 30, end: NOW + 300 });
        const base = signature();
        assert.notEqual(signature({ ...UPLOAD, size: UPLOAD.size + 1 }), base);
        assert.notEqual(signature({ ...UPLOAD, contentType: "image/png" }), base);
        assert.notEqual(signature({ ...UPLOAD, key: KEY.replace("auth0%7C42", "someone-else") }), base);
        assert.notEqual(signature(UPLOAD, "GET"), base);
    });

    it("is what uploads(name).presign answers, for a key under the signed-in user's own prefix, after the rules", async () => {
        const client = uploadsClient(SETTINGS, createTencentUploads({ credential: () => CREDENTIAL, now: () => NOW * 1000 }));
        const presigned = await client.presign("auth0|42", { name: "../Quarterly report 季度报告.pdf", contentType: "application/pdf", size: 482113 });
        assert.match(presigned.key, /^uploads\/auth0%7C42\/[0-9a-f-]{36}\/Quarterly report 季度报告\.pdf$/);
        assert.equal(decodeURIComponent(new URL(presigned.url).pathname), `/${presigned.key}`);
        await assert.rejects(client.presign("auth0|42", { name: "big.pdf", contentType: "application/pdf", size: SETTINGS.maxBytes + 1 }), /too_large|over the limit/);
        await assert.rejects(client.presign("auth0|42", { name: "x.exe", contentType: "application/x-msdownload", size: 10 }), /is not allowed/);
    });
});

describe("COS object requests", () => {
    interface Sent {
        url: string;
        method: string;
        headers: Record<string, string>;
    }

    function store(answer: (sent: Sent) => Response) {
        const sent: Sent[] = [];
        const fetch = (async (url: string | URL, init?: RequestInit) => {
            const request = { url: String(url), method: String(init?.method), headers: init?.headers as Record<string, string> };
            sent.push(request);
            return answer(request);
        }) as typeof globalThis.fetch;
        return { sent, uploads: createTencentUploads({ credential: () => CREDENTIAL, now: () => NOW * 1000, fetch }) };
    }

    it("HEADs the object signed for its host, with the session token, and reads its size and type", async () => {
        const { sent, uploads } = store(() => new Response(null, { status: 200, headers: { "content-length": "482113", "content-type": "application/pdf" } }));
        assert.deepEqual(await uploads.head(SETTINGS, KEY), { size: 482113, contentType: "application/pdf" });
        assert.equal(sent[0].method, "HEAD");
        assert.equal(sent[0].url, `https://${HOST}/${encoded(KEY)}`);
        assert.match(sent[0].headers.Authorization, /^q-sign-algorithm=sha1&q-ak=AKIDEXAMPLEEXAMPLEEXAMPLE&q-sign-time=1767225570;1767225900&q-key-time=1767225570;1767225900&q-header-list=host&q-url-param-list=&q-signature=[0-9a-f]{40}$/);
        assert.equal(sent[0].headers.Authorization, sdkAuthorization({ SecretId: CREDENTIAL.secretId, SecretKey: CREDENTIAL.secretKey, Method: "HEAD", Key: KEY, Headers: { host: HOST }, KeyTime: "1767225570;1767225900" }));
        assert.equal(sent[0].headers["x-cos-security-token"], CREDENTIAL.token);
    });

    it("answers undefined for a missing object, the bytes for a present one, and deletes", async () => {
        const { uploads: missing } = store(() => new Response(null, { status: 404 }));
        assert.equal(await missing.head(SETTINGS, KEY), undefined);
        assert.equal(await missing.get(SETTINGS, KEY), undefined);
        const { sent, uploads } = store((request) => (request.method === "GET" ? new Response("%PDF-1.7") : new Response(null, { status: 204 })));
        assert.equal((await uploads.get(SETTINGS, KEY))?.toString(), "%PDF-1.7");
        await uploads.delete(SETTINGS, KEY);
        assert.deepEqual(sent.map((s) => s.method), ["GET", "DELETE"]);
    });

    it("fails with COS's error code and request id", async () => {
        const { uploads } = store(() => new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403, headers: { "x-cos-request-id": "NjZm" } }));
        await assert.rejects(uploads.get(SETTINGS, KEY), /^Error: COS GET uploads\/auth0%7C42\/.*: 403 AccessDenied \(request NjZm\)$/);
        await assert.rejects(uploads.delete(SETTINGS, KEY), /COS DELETE .*: 403 AccessDenied/);
    });
});
