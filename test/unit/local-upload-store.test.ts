// The local FileUpload store's parts on their own: where a key lives on disk (and that none can
// live outside its bucket), the signer's secret and what its signature covers, and the store's
// housekeeping (keys listed back, partial uploads cleared, expiry).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { encodeSegment, objectSegments } from "../../functions/runtime/clients/local/upload-paths";
import { UploadRuleError } from "../../functions/runtime/uploads";
import { LocalObjectStore } from "../../local/uploads/object-store";
import { BodyInterruptedError, BodySizeError } from "../../local/uploads/receive";
import { SECRET_FILE, UploadSigner, type SignedUpload } from "../../local/uploads/signing";

describe("the local upload store", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-upload-store-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("keys on disk", () => {
        it("are one encoded name per part: `%`, separators, reserved characters and a leading dot encoded", () => {
            assert.deepEqual(objectSegments("uploads/a%2Fb/id/ünïcode name.png"), ["uploads", "a%252Fb", "id", "ünïcode name.png"]);
            assert.equal(encodeSegment(".hidden"), "%2Ehidden");
            assert.equal(encodeSegment('a\\b:c*d?e"f<g>h|i'), "a%5Cb%3Ac%2Ad%3Fe%22f%3Cg%3Eh%7Ci");
            assert.equal(decodeURIComponent(encodeSegment(".x%y")), ".x%y", "decodes back");
        });

        it("refuse empty, '.' and '..' parts, control characters and names too long to store", () => {
            for (const key of ["", "uploads//x", "uploads/./x", "uploads/../x", "..", "uploads/x/..", "uploads/a\u0000b", "uploads/a\nb", `uploads/${"é".repeat(128)}`]) {
                assert.throws(() => objectSegments(key), (error: unknown) => error instanceof UploadRuleError && error.code === "bad_key", JSON.stringify(key));
            }
        });

        it("never name a path outside the bucket's folder", () => {
            const store = new LocalObjectStore(dir, "..");
            assert.equal(store.root, path.join(dir, "%2E."));
            for (const key of ["uploads/../../x", "uploads/%2e%2e/x"]) {
                const file = (() => {
                    try {
                        return store.pathOf(key);
                    } catch {
                        return undefined;
                    }
                })();
                assert.ok(file === undefined || file.startsWith(store.root + path.sep), `${key}: ${file}`);
            }
        });
    });

    describe("the signer", () => {
        const grant: SignedUpload = { method: "PUT", bucket: "files", key: "uploads/alice/id/a.png", expires: 2_000_000_000, contentType: "image/png", size: 10 };

        it("keeps its secret in the uploads folder, mode 0600, the same across opens", () => {
            const root = path.join(dir, "signing");
            const signature = UploadSigner.open(root).sign(grant);
            assert.equal(fs.statSync(path.join(root, SECRET_FILE)).mode & 0o777, 0o600);
            assert.equal(UploadSigner.open(root).sign(grant), signature, "URLs signed before a restart still verify");
            assert.notEqual(UploadSigner.open(path.join(dir, "other")).sign(grant), signature, "another runtime's secret");
        });

        it("covers every field of the grant", () => {
            const signer = UploadSigner.open(path.join(dir, "signing"));
            const signature = signer.sign(grant);
            assert.ok(signer.verify(grant, signature));
            const changes: Partial<SignedUpload>[] = [{ bucket: "other" }, { key: "uploads/bob/id/a.png" }, { expires: grant.expires + 1 }, { contentType: "image/jpeg" }, { size: 11 }];
            for (const change of changes) assert.equal(signer.verify({ ...grant, ...change }, signature), false, JSON.stringify(change));
            for (const bad of ["", signature.toUpperCase(), `${signature}00`, signature.slice(0, 62), "zz".repeat(32)]) assert.equal(signer.verify(grant, bad), false, bad);
        });

        it("refuses a secret file that is not one", () => {
            const root = path.join(dir, "corrupt");
            fs.mkdirSync(root);
            fs.writeFileSync(path.join(root, SECRET_FILE), "not a secret");
            assert.throws(() => UploadSigner.open(root), /is not an upload signing secret \(64 hex digits\); delete it to make a new one/);
        });
    });

    describe("objects", () => {
        const store = new LocalObjectStore(path.join(dir, "objects"), "files");
        const key = "uploads/alice/00000000-0000-4000-8000-000000000001/.profile.png";

        it("are kept whole, with their type and MD5 etag, and listed back by key", async () => {
            const stored = await store.put(key, Readable.from([Buffer.from("abc"), Buffer.from("def")]), { size: 6, contentType: "image/png" });
            assert.equal(stored.etag, "e80b5017098950fc58aad83c8c14978e");
            assert.deepEqual(store.keys(), [key]);
            assert.equal(store.get(key)!.toString(), "abcdef");
            assert.deepEqual({ ...store.head(key)!, lastModified: undefined }, { key, size: 6, contentType: "image/png", etag: stored.etag, lastModified: undefined });
        });

        it("are not written at all when the body is over, under or cut short", async () => {
            const other = "uploads/alice/00000000-0000-4000-8000-000000000002/x.png";
            await assert.rejects(store.put(other, Readable.from([Buffer.alloc(7)]), { size: 6, contentType: "image/png" }), (e: unknown) => e instanceof BodySizeError && e.over);
            await assert.rejects(store.put(other, Readable.from([Buffer.alloc(5)]), { size: 6, contentType: "image/png" }), (e: unknown) => e instanceof BodySizeError && !e.over);
            // The connection dropped part-way, and before the store even looked at it.
            for (const delayMs of [30, 0]) {
                const broken = new Readable({ read() {} });
                broken.push(Buffer.alloc(3));
                setTimeout(() => broken.destroy(), delayMs);
                await assert.rejects(store.put(other, broken, { size: 6, contentType: "image/png" }), BodyInterruptedError);
            }
            assert.equal(store.head(other), undefined);
            assert.deepEqual(fs.readdirSync(path.join(store.root, ".partial")), [], "no partial file left");
        });

        it("clears partial uploads a crash left, and expires objects older than the cut-off", () => {
            fs.writeFileSync(path.join(store.root, ".partial", "left-by-a-crash"), "x");
            store.clearPartials();
            assert.ok(!fs.existsSync(path.join(store.root, ".partial")));
            const old = new Date(Date.now() - 3 * 86_400_000);
            fs.utimesSync(store.pathOf(key), old, old);
            assert.deepEqual(store.expire(new Date(Date.now() - 86_400_000)), [key]);
            assert.deepEqual(store.keys(), []);
            assert.deepEqual(fs.readdirSync(store.root).sort(), [".meta"], "its folders went with it");
            assert.deepEqual(fs.readdirSync(path.join(store.root, ".meta")), [], "and its metadata");
        });
    });
});
