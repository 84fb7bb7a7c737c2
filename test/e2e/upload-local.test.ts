// FileUpload on the local runtime, for real: the fixture app (test/fixtures/upload-app.ts)
// evaluated for the local target and served as `npm start` serves it, users signing uploads with
// real tokens (a real key pair, its JWKS on a real port), real HTTP PUTs of the bytes to the
// signed URLs, the processor (an onUpload handler in its worker) run from the task's durable
// queue; every bad upload refused with nothing written and no event; and a kill -9 of the runtime
// while the processor holds a file, after which a restart processes it once.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import Database from "better-sqlite3";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import type { NormalizedResponse } from "../../functions/runtime/http";
import type { DeliveryReport } from "../../local/events/dispatcher";
import { serveLocally, type ServedLocally } from "../support/serve-locally";
import { answerUploadCall } from "../../local/uploads/calls";
import { localUploads, uploadPath } from "../../local/uploads/service";
import { SECRET_FILE, UploadSigner } from "../../local/uploads/signing";
import { evaluate, type Evaluated } from "../harness";
import { withToken } from "../support/local-token";
import { UPLOAD_AUDIENCE, UPLOAD_ISSUER, UPLOAD_MAX_BYTES, UPLOAD_ORIGIN, uploadApp, type UploadAppFiles } from "../fixtures/upload-app";

const projectDir = path.resolve(__dirname, "..", "..");
const TASK = "files-processor";

/** A JWKS endpoint on a real port, and access tokens signed with its key. */
async function issuer() {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "ES256", use: "sig" };
    const server = http.createServer((req, res) => {
        res.writeHead(req.url === "/jwks.json" ? 200 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify(req.url === "/jwks.json" ? { keys: [jwk] } : {}));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
        token: (sub: string) => new SignJWT({ sub }).setProtectedHeader({ alg: "ES256", kid: "key-1" }).setIssuer(UPLOAD_ISSUER).setAudience(UPLOAD_AUDIENCE).setIssuedAt().setExpirationTime("5m").sign(privateKey),
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

type Tokens = Awaited<ReturnType<typeof issuer>>;

function testFiles(dir: string, jwksUrl: string): UploadAppFiles {
    return { jwksUrl, startedFile: path.join(dir, "started.jsonl"), recordFile: path.join(dir, "records.jsonl"), releaseFile: path.join(dir, "release") };
}

function jsonLines(file: string): any[] {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line)) : [];
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST <api>/uploads as `user`: the signing route's status and JSON answer. */
async function signAs(tokens: Tokens, base: string, user: string, request: Record<string, unknown>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${base}/api/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await tokens.token(user)}` },
        body: JSON.stringify(request),
    });
    return { status: res.status, body: await res.json() };
}

/**
 * A PUT through node:http, to control the framing (a declared length or a chunked body, sent a
 * chunk every `gapMs` from the headers on) and the request target itself (a URL parser would
 * resolve `..` before sending). `sentBytes`: how much of the body was sent when the answer came.
 */
function rawPut(url: string, headers: http.OutgoingHttpHeaders, chunks: Buffer[], options: { rawTarget?: string; gapMs?: number } = {}): Promise<{ status: number; body: any; sentBytes: number }> {
    const { hostname, port, pathname, search } = new URL(url);
    let sentBytes = 0;
    let answered = false;
    return new Promise((resolve, reject) => {
        const req = http.request({ hostname, port, path: options.rawTarget ?? `${pathname}${search}`, method: "PUT", headers }, (res) => {
            answered = true;
            const at = sentBytes;
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text), sentBytes: at }));
        });
        // The server answers before the body ends and then closes the connection: a late error is expected.
        req.on("error", (error) => (answered ? undefined : reject(error)));
        req.flushHeaders();
        (async () => {
            for (const chunk of chunks) {
                await sleep(options.gapMs ?? 5);
                if (answered || req.destroyed) return;
                req.write(chunk);
                sentBytes += chunk.length;
            }
            req.end();
        })().catch(() => undefined);
    });
}

describe("FileUpload on the local runtime (real HTTP uploads)", function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-upload-"));
    const dataDir = path.join(dir, "data");
    const deliveries: DeliveryReport[] = [];
    let tokens: Tokens;
    let files: UploadAppFiles;
    let stack: Evaluated;
    let served: ServedLocally;
    let base: string;
    let localToken: string;

    const bucketDir = () => path.join(dataDir, "uploads", "files");
    const records = () => jsonLines(files.recordFile);
    const sign = (user: string, request: Record<string, unknown>) => signAs(tokens, base, user, request);
    const statusOf = async () => (await (await fetch(`${base}/_local/status`, withToken(localToken))).json()) as any;

    /** Every file under the bucket's folder (objects, metadata, partial uploads), relative. */
    function storeFiles(): string[] {
        const found: string[] = [];
        const walk = (at: string) => {
            for (const entry of fs.existsSync(at) ? fs.readdirSync(at, { withFileTypes: true }) : []) {
                const full = path.join(at, entry.name);
                if (entry.isDirectory()) walk(full);
                else found.push(path.relative(bucketDir(), full));
            }
        };
        walk(bucketDir());
        return found.sort();
    }

    const idle = () => until("the processor's queue empty", () => {
        const counts = stack.runtime.events.store.counts(TASK);
        return counts.queued + counts.inFlight === 0;
    });

    /** Runs `refused` and checks that it left no file in the store and queued no event. */
    async function leavesNothing(refused: () => Promise<void>): Promise<void> {
        await idle(); // what earlier tests uploaded is processed: from here on, nothing may arrive
        const before = storeFiles();
        const delivered = deliveries.length;
        await refused();
        await sleep(150); // a delivery would start at once (the queue is woken by the enqueue)
        assert.deepEqual(storeFiles(), before, "nothing written");
        assert.equal(deliveries.length, delivered, "no event delivered");
        assert.deepEqual(stack.runtime.events.store.counts(TASK), { queued: 0, inFlight: 0, deadLetters: 0 }, "no event queued");
    }

    /** A signed PNG upload of `size` bytes for `user`. */
    async function signedPng(user = "alice", size = 100) {
        const signed = await sign(user, { name: "picture.png", contentType: "image/png", size });
        assert.equal(signed.status, 201, JSON.stringify(signed.body));
        return signed.body as { method: string; url: string; headers: Record<string, string>; key: string; expiresAt: string };
    }

    async function refusal(res: Response | { status: number; body: any }, status: number, code: string): Promise<string> {
        const body = res instanceof Response ? await res.json() : res.body;
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(body.error.code, code);
        return body.error.message;
    }

    before(async () => {
        tokens = await issuer();
        files = testFiles(dir, tokens.jwksUrl);
        const previous = process.env.SB_LOCAL_DATA_DIR;
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        try {
            stack = await evaluate("local", () => uploadApp(files));
        } finally {
            if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
            else process.env.SB_LOCAL_DATA_DIR = previous;
        }
        served = await serveLocally(stack, { dataDir, pollIntervalMs: 50, retryBaseDelayMs: 50, log: () => {} });
        base = served.url;
        localToken = served.token;
        stack.runtime.events.onDelivery((report) => deliveries.push(report));
    });

    after(async () => {
        await served.stop();
        await tokens.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("is realised as the runtime's object store: bucket, origin, processor task and its dead letters", () => {
        assert.deepEqual(stack.outputs, {
            url: "http://127.0.0.1:3000/api",
            bucketName: "files",
            uploadOrigin: "http://127.0.0.1:3000",
            resourceId: "local:uploads:files",
            deadLetterQueue: `local:dlq:${TASK}`,
            processorName: TASK,
        });
        assert.ok(stack.runtime.tasks.has(TASK), "the processor is an AsyncTask");
        assert.equal(stack.runtime.tasks.get(TASK)!.subscription, undefined, "fed by the store, not a hub");
    });

    it("uploads a binary file byte for byte and processes it exactly once", async () => {
        const bytes = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(40_000)]);
        const signed = await sign("alice", { name: "Holiday photo.png", contentType: "image/png", size: bytes.length });
        assert.equal(signed.status, 201);
        const { method, url, headers, key, expiresAt } = signed.body;
        assert.equal(method, "PUT");
        assert.deepEqual(headers, { "content-type": "image/png" });
        assert.match(key, /^uploads\/alice\/[0-9a-f-]{36}\/Holiday photo\.png$/);
        assert.ok(url.startsWith(`${base}/_local/uploads/files/uploads/alice/`), url);
        assert.match(url, /\?expires=\d+&type=image%2Fpng&size=40264&signature=[0-9a-f]{64}$/);
        const seconds = (Date.parse(expiresAt) - Date.now()) / 1000;
        assert.ok(seconds > 50 && seconds <= 60, `valid for the FileUpload's 60 s (${seconds})`);

        const put = await fetch(url, { method, headers, body: bytes });
        const answer = (await put.json()) as any;
        assert.equal(put.status, 200, JSON.stringify(answer));
        const md5 = createHash("md5").update(bytes).digest("hex");
        assert.deepEqual({ key: answer.key, size: answer.size, etag: answer.etag }, { key, size: bytes.length, etag: md5 });
        assert.equal(put.headers.get("etag"), `"${md5}"`);

        await until("the processor's record", () => records().some((r) => r.key === key));
        await sleep(300);
        const mine = records().filter((r) => r.key === key);
        assert.equal(mine.length, 1, "processed once");
        assert.deepEqual(mine[0], {
            eventId: answer.eventId,
            attempt: 1,
            source: "local.uploads",
            key,
            userId: "alice",
            name: "Holiday photo.png",
            size: bytes.length,
            contentType: "image/png",
            etag: md5,
            sha256: createHash("sha256").update(bytes).digest("hex"),
        });
        assert.deepEqual(deliveries.filter((d) => d.eventId === answer.eventId).map((d) => d.outcome), ["processed"]);
        // On disk, where the store keeps it: the key's parts as folders, the bytes as they were sent.
        assert.ok(fs.readFileSync(path.join(bucketDir(), ...key.split("/"))).equals(bytes));
        assert.equal(fs.statSync(path.join(dataDir, "uploads", SECRET_FILE)).mode & 0o777, 0o600, "the signing secret is the runtime's alone");
    });

    it("takes the same signed URL again as S3 would (an overwrite), and the same bytes are the same event", async () => {
        const signed = await signedPng("alice", 5);
        const first = (await (await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "abcde" })).json()) as any;
        await until("processed", () => records().some((r) => r.key === signed.key));
        const again = (await (await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "abcde" })).json()) as any;
        assert.equal(again.eventId, first.eventId, "the id comes from bucket, key and etag");
        const changed = (await (await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "vwxyz" })).json()) as any;
        assert.notEqual(changed.eventId, first.eventId);
        await until("the new bytes processed", () => records().some((r) => r.eventId === changed.eventId));
    });

    describe("signing (POST /api/uploads)", () => {
        it("needs a signed-in user", async () => {
            const res = await fetch(`${base}/api/uploads`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "a.png", contentType: "image/png", size: 1 }) });
            assert.equal(res.status, 401);
        });

        it("refuses traversal, control and invisible characters, other types and oversize files with 400, signing nothing", async () => {
            await leavesNothing(async () => {
                for (const name of ["..", ".", "a/..", "bad\u0000name.png", "line\nbreak.png", "gnp.\u202Eexe.png", "zero\u200Bwidth.png"]) {
                    const refused = await sign("alice", { name, contentType: "image/png", size: 10 });
                    assert.equal(refused.status, 400, `${JSON.stringify(name)}: ${JSON.stringify(refused.body)}`);
                    assert.equal(refused.body.error.code, "bad_name");
                }
                const type = await sign("alice", { name: "tool.exe", contentType: "application/x-msdownload", size: 10 });
                assert.equal(type.status, 400);
                assert.equal(type.body.error.code, "bad_type");
                const large = await sign("alice", { name: "big.png", contentType: "image/png", size: UPLOAD_MAX_BYTES + 1 });
                assert.equal(large.status, 400);
                assert.equal(large.body.error.code, "too_large");
            });
        });

        it("keeps a path in the name from leaving the user's own prefix: only the base name is kept", async () => {
            const signed = await signedPng("alice");
            assert.match(signed.key, /^uploads\/alice\/[0-9a-f-]{36}\/picture\.png$/);
            const traversal = await sign("alice", { name: "../../bob/../../etc/passwd.txt", contentType: "text/plain", size: 3 });
            assert.equal(traversal.status, 201);
            assert.match(traversal.body.key, /^uploads\/alice\/[0-9a-f-]{36}\/passwd\.txt$/);
            const odd = await sign("mallory/../bob", { name: "x.txt", contentType: "text/plain", size: 3 });
            assert.match(odd.body.key, /^uploads\/mallory%2F\.\.%2Fbob\/[0-9a-f-]{36}\/x\.txt$/, "the user id is one encoded part");
        });
    });

    describe("bad uploads: each refused with a clear error, nothing written, no event", () => {
        it("an expired URL: 410", async () => {
            const signed = await signedPng("alice", 4);
            // Signed with the runtime's own secret, as it would have been 2 minutes ago.
            const signer = UploadSigner.open(path.join(dataDir, "uploads"));
            const expires = Math.floor(Date.now() / 1000) - 60;
            const signature = signer.sign({ method: "PUT", bucket: "files", key: signed.key, expires, contentType: "image/png", size: 4 });
            const url = `${base}${uploadPath("files", signed.key)}?${new URLSearchParams({ expires: String(expires), type: "image/png", size: "4", signature })}`;
            await leavesNothing(async () => {
                const message = await refusal(await fetch(url, { method: "PUT", headers: signed.headers, body: "abcd" }), 410, "expired");
                assert.match(message, /the upload URL expired at .*: ask the signing route for a new one/);
            });
        });

        it("a wrong or missing content type: 400", async () => {
            const signed = await signedPng("alice", 4);
            await leavesNothing(async () => {
                const message = await refusal(await fetch(signed.url, { method: "PUT", headers: { "content-type": "image/jpeg" }, body: "abcd" }), 400, "wrong_content_type");
                assert.equal(message, "Content-Type must be exactly 'image/png' (as signed), got 'image/jpeg'");
                await refusal(await fetch(signed.url, { method: "PUT", headers: { "content-type": "image/png; charset=utf-8" }, body: "abcd" }), 400, "wrong_content_type");
                await refusal(await fetch(signed.url, { method: "PUT", body: new Uint8Array([1, 2, 3, 4]) }), 400, "wrong_content_type");
            });
        });

        it("an oversize body: declared (refused before reading) and chunked (cut off): 413", async () => {
            const signed = await signedPng("alice", 1000);
            await leavesNothing(async () => {
                // The body waits 300 ms behind the headers: the answer comes first.
                const declared = await rawPut(signed.url, { "content-type": "image/png", "content-length": 1001 }, [randomBytes(1001)], { gapMs: 300 });
                assert.match(await refusal(declared, 413, "too_large"), /Content-Length 1001 is over the signed size of 1000 bytes/);
                assert.equal(declared.sentBytes, 0, "refused before any of the body was sent");
                // 400 bytes every 50 ms: the third chunk crosses the limit, and the answer comes before the rest.
                const chunked = await rawPut(signed.url, { "content-type": "image/png", "transfer-encoding": "chunked" }, Array.from({ length: 10 }, () => randomBytes(400)), { gapMs: 50 });
                assert.match(await refusal(chunked, 413, "too_large"), /the body is over the signed size of 1000 bytes/);
                assert.ok(chunked.sentBytes < 4000, `cut off at the limit, not read to the end (answered after ${chunked.sentBytes} of 4000 bytes)`);
                // Through fetch too: a stream body goes chunked.
                const streamed = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: Readable.toWeb(Readable.from([randomBytes(600), randomBytes(600)])) as any, duplex: "half" } as RequestInit);
                await refusal(streamed, 413, "too_large");
            });
        });

        it("a body shorter than signed: 400 (a URL uploads one exact file)", async () => {
            const signed = await signedPng("alice", 10);
            await leavesNothing(async () => {
                await refusal(await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "short" }), 400, "size_mismatch");
                const chunked = await rawPut(signed.url, { "content-type": "image/png", "transfer-encoding": "chunked" }, [Buffer.from("short")]);
                assert.equal(await refusal(chunked, 400, "size_mismatch"), "the body ended after 5 of the signed 10 bytes");
            });
        });

        it("a tampered URL: key (another user's prefix), type, size, expiry or signature: 403", async () => {
            const signed = await signedPng("alice", 4);
            const url = new URL(signed.url);
            const tampered = (change: (u: URL) => void) => {
                const copy = new URL(url);
                change(copy);
                return copy.toString();
            };
            const put = (target: string, type = "image/png") => fetch(target, { method: "PUT", headers: { "content-type": type }, body: "abcd" });
            await leavesNothing(async () => {
                const bob = await put(tampered((u) => (u.pathname = u.pathname.replace("/uploads/alice/", "/uploads/bob/"))));
                assert.match(await refusal(bob, 403, "bad_signature"), /the signature does not match this bucket, key, type, size and expiry/);
                await refusal(await put(tampered((u) => u.searchParams.set("type", "text/plain")), "text/plain"), 403, "bad_signature");
                await refusal(await put(tampered((u) => u.searchParams.set("size", "5"))), 403, "bad_signature");
                await refusal(await put(tampered((u) => u.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 3600)))), 403, "bad_signature");
                const signature = url.searchParams.get("signature")!;
                const flipped = `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`;
                await refusal(await put(tampered((u) => u.searchParams.set("signature", flipped))), 403, "bad_signature");
                await refusal(await put(tampered((u) => u.searchParams.set("signature", `${signature}00`))), 403, "bad_signature");
                await refusal(await put(tampered((u) => u.searchParams.delete("signature"))), 400, "bad_request");
            });
        });

        it("a key outside uploads/ or with '..' parts: 400, whatever the encoding", async () => {
            const signed = await signedPng("alice", 4);
            const query = new URL(signed.url).search;
            await leavesNothing(async () => {
                for (const target of [
                    `/_local/uploads/files/uploads/alice/../bob/x.png${query}`,
                    `/_local/uploads/files/uploads/alice/%2e%2e/%2E%2E/x.png${query}`,
                    `/_local/uploads/files/elsewhere/x.png${query}`,
                    `/_local/uploads/files/uploads//x.png${query}`,
                ]) {
                    const res = await rawPut(base, { "content-type": "image/png", "content-length": 4 }, [Buffer.from("abcd")], { rawTarget: target });
                    await refusal(res, 400, "bad_key");
                }
                await refusal(await fetch(`${base}/_local/uploads/nobody/uploads/x.png${query}`, { method: "PUT", body: "abcd" }), 404, "no_such_upload");
            });
        });

        it("an upload the client abandons part-way: its partial file deleted", async () => {
            const signed = await signedPng("alice", 1000);
            const { hostname, port, pathname, search } = new URL(signed.url);
            await leavesNothing(async () => {
                const req = http.request({ hostname, port, path: `${pathname}${search}`, method: "PUT", headers: { "content-type": "image/png", "content-length": 1000 } });
                req.on("error", () => undefined);
                req.write(randomBytes(500));
                await until("the partial upload on disk", () => storeFiles().some((f) => f.startsWith(".partial")));
                req.destroy();
                await until("the partial upload deleted", () => !storeFiles().some((f) => f.startsWith(".partial")));
            });
        });

        it("reading an object over HTTP: 405, objects are private", async () => {
            const signed = await signedPng("alice", 4);
            const res = await fetch(signed.url);
            assert.match(await refusal(res, 405, "method_not_allowed"), /objects are private/);
            assert.equal(res.headers.get("allow"), "PUT, OPTIONS");
        });
    });

    it("deletes what breaks the rules once stored (a type or size the signer would refuse) before the handler runs", async () => {
        // As a store that enforces less at signing time would let through: put straight into the store.
        const uploads = localUploads(stack.runtime);
        const definition = uploads.find("files")!;
        const keys = ["uploads/alice/00000000-0000-4000-8000-000000000001/tool.exe", "uploads/alice/00000000-0000-4000-8000-000000000002/huge.png"];
        const stored = [
            await uploads.store(definition).put(keys[0], Readable.from([Buffer.from("MZ")]), { size: 2, contentType: "application/x-msdownload" }),
            await uploads.store(definition).put(keys[1], Readable.from([randomBytes(UPLOAD_MAX_BYTES + 1)]), { size: UPLOAD_MAX_BYTES + 1, contentType: "image/png" }),
        ];
        const ids = stored.map((object) => uploads.notify(definition, object));
        await until("both delivered", () => ids.every((id) => deliveries.some((d) => d.eventId === id && d.outcome === "processed")));
        for (const key of keys) {
            assert.equal(uploads.store(definition).head(key), undefined, `${key} deleted`);
            assert.ok(!records().some((r) => r.key === key), `${key} never reached the handler`);
        }
        assert.ok(!storeFiles().some((f) => f.includes("00000000-0000-4000-8000")), "no folder or metadata left behind");
    });

    it("answers the FileUpload's store to its links only: signing for the signer, reading and deleting for the processor", async () => {
        const raw = async (method: string, args: unknown) => {
            const request = { method: "POST", path: "/", headers: { "content-type": "application/json" }, query: {}, params: {}, requestId: "test", body: JSON.stringify({ method, args }) };
            const response = (await stack.runtime.function("stranger").invoke({ kind: "http", request })) as NormalizedResponse;
            return JSON.parse(response.body);
        };
        const key = "uploads/alice/00000000-0000-4000-8000-000000000003/a.png";
        assert.equal((await raw("uploads.presign", { bucket: "files", key, contentType: "image/png", size: 1 })).error,
            "function 'stranger' may not sign uploads to FileUpload 'files': only its signing route holds the signer link");
        assert.match((await raw("uploads.get", { bucket: "files", key })).error, /function 'stranger' may not read or delete objects of FileUpload 'files'/);
        // The signing route holds the signer link: it may sign, and nothing more.
        const signer = [...stack.runtime.functions.values()].map((f) => f.definition).find((d) => d.environment.SB_UPLOADS_SIGNER === "files")!;
        const uploads = localUploads(stack.runtime);
        assert.throws(() => answerUploadCall(uploads, signer, "uploads.delete", { bucket: "files", key }), /may not read or delete objects of FileUpload 'files': only its processor \(onUploaded, 'files-processor'\)/);
        assert.throws(() => answerUploadCall(uploads, signer, "uploads.presign", { bucket: "files", key: "other/x.png", contentType: "image/png", size: 1 }), /key "other\/x.png" is not under uploads\//);
        assert.throws(() => answerUploadCall(uploads, signer, "uploads.presign", { bucket: "files", key, contentType: "image/png", size: UPLOAD_MAX_BYTES + 1 }), /is not 1 to 65536 bytes/);
        const processor = stack.runtime.function(TASK).definition;
        assert.throws(() => answerUploadCall(uploads, processor, "uploads.presign", { bucket: "files", key, contentType: "image/png", size: 1 }), /only its signing route holds the signer link/);
    });

    it("answers CORS for the FileUpload's origins: preflight, and headers on every answer", async () => {
        const signed = await signedPng("alice", 4);
        const preflight = await fetch(signed.url, { method: "OPTIONS", headers: { origin: UPLOAD_ORIGIN, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" } });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get("access-control-allow-origin"), UPLOAD_ORIGIN);
        assert.equal(preflight.headers.get("access-control-allow-methods"), "PUT");
        assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type");
        const stranger = await fetch(signed.url, { method: "OPTIONS", headers: { origin: "https://evil.example.test", "access-control-request-method": "PUT" } });
        await refusal(stranger, 403, "origin_not_allowed");
        assert.equal(stranger.headers.get("access-control-allow-origin"), null);
        const refused = await fetch(signed.url, { method: "PUT", headers: { origin: UPLOAD_ORIGIN, "content-type": "image/gif" }, body: "abcd" });
        assert.equal(refused.status, 400);
        assert.equal(refused.headers.get("access-control-allow-origin"), UPLOAD_ORIGIN, "a page can read why");
        const put = await fetch(signed.url, { method: "PUT", headers: { origin: UPLOAD_ORIGIN, ...signed.headers }, body: "abcd" });
        assert.equal(put.status, 200);
        assert.equal(put.headers.get("access-control-allow-origin"), UPLOAD_ORIGIN);
        assert.equal(put.headers.get("access-control-expose-headers"), "etag");
    });

    // Mocha runs a suite's own tests before its child suites: a suite of its own, so it comes last.
    describe("status", () => {
        it("lists the FileUpload with its object count at /_local/status", async () => {
            await idle();
            const { uploads, tasks } = await statusOf();
            const objects = storeFiles().filter((f) => !f.startsWith(".")).length;
            assert.deepEqual(uploads, [{ name: "files", bucket: "files", objects, task: TASK }]);
            assert.ok(objects >= 3, `the uploads above are there (${objects})`);
            assert.equal(tasks.find((t: any) => t.name === TASK).deadLetters, 0);
        });
    });
});

describe("FileUpload on a local runtime killed with SIGKILL while processing", function () {
    this.timeout(30_000);

    it("processes the file once after a restart on the same data directory", async () => {
        const tokens = await issuer();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-upload-crash-"));
        const files = testFiles(dir, tokens.jwksUrl);
        const env = { ...process.env, DATA_DIR: path.join(dir, "data"), JWKS_URL: files.jwksUrl, STARTED_FILE: files.startedFile, RECORD_FILE: files.recordFile, RELEASE_FILE: files.releaseFile, TOKEN: "upload-crash-test-token" };
        const first = await startChild(env);
        let key: string;
        try {
            assert.match(first.line, /recovered=0$/);
            const bytes = randomBytes(3000);
            const signed = await signAs(tokens, first.url, "alice", { name: "hold-report.pdf", contentType: "application/pdf", size: bytes.length });
            assert.equal(signed.status, 201, JSON.stringify(signed.body));
            key = signed.body.key;
            const put = await fetch(signed.body.url, { method: "PUT", headers: signed.body.headers, body: bytes });
            assert.equal(put.status, 200);
            await until("the processor holding the file", () => jsonLines(files.startedFile).some((s) => s.key === key));
        } finally {
            first.child.kill("SIGKILL");
        }
        await first.exited;
        const db = new Database(path.join(env.DATA_DIR, "events.sqlite"), { readonly: true });
        const left = db.prepare<{ state: string; attempts: number }>("SELECT state, attempts FROM messages WHERE task = ?").all(TASK);
        db.close();
        assert.deepEqual(left, [{ state: "inflight", attempts: 1 }], "killed mid-processing");
        assert.deepEqual(jsonLines(files.recordFile), []);

        const second = await startChild(env);
        try {
            assert.match(second.line, /recovered=1$/);
            await until("the second attempt", () => jsonLines(files.startedFile).length === 2);
            fs.writeFileSync(files.releaseFile, "");
            await until("the record", () => jsonLines(files.recordFile).length > 0);
            await sleep(300);
            const done = jsonLines(files.recordFile);
            assert.equal(done.length, 1, "one record");
            assert.equal(done[0].key, key);
            assert.equal(done[0].attempt, 2);
            assert.deepEqual(jsonLines(files.startedFile).map((s) => s.attempt), [1, 2]);
            const status = (await (await fetch(`${second.url}/_local/status`, withToken(env.TOKEN))).json()) as any;
            assert.deepEqual(status.uploads, [{ name: "files", bucket: "files", objects: 1, task: TASK }]);
            const task = status.tasks.find((t: any) => t.name === TASK);
            assert.deepEqual([task.queued, task.inFlight, task.deadLetters], [0, 0, 0]);
        } finally {
            second.child.kill("SIGKILL");
            await second.exited;
            await tokens.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

/** The child runtime (test/fixtures/upload-runtime-child.ts), once it says where it listens. */
function startChild(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; line: string; exited: Promise<void> }> {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "test/fixtures/upload-runtime-child.ts"], { cwd: projectDir, env });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let output = "";
    return new Promise((resolve, reject) => {
        child.stdout!.on("data", (chunk) => {
            output += chunk;
            const match = /^listening (http:\/\/\S+) recovered=\d+$/m.exec(output);
            if (match) resolve({ child, url: match[1], line: match[0], exited });
        });
        child.stderr!.on("data", (chunk) => (output += chunk));
        child.once("exit", (code) => reject(new Error(`the child runtime exited with ${code}:\n${output}`)));
    });
}
