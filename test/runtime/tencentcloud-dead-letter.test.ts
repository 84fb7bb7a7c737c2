// Dead letters on Tencent Cloud: the SCF adapter dead-letters an event handler's failure on the
// attempt it judges the last (and not before), the sender puts it on the CMQ queue through
// tencentcloud-sdk-nodejs, the CMQ data-flow client signs its receives and deletes, and redrive
// re-invokes the task with the original event, deleting a letter only once SCF took it.
import * as assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Client as TdmqClient } from "tencentcloud-sdk-nodejs/tencentcloud/services/tdmq/v20200217/tdmq_client";
import type { InvokeRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/scf/v20180416/scf_models";
import { toScf } from "../../functions/runtime/adapters/tencentcloud";
import { AttemptLedger, judgeAttempt } from "../../functions/runtime/clients/tencentcloud/attempts";
import { cmqDataClient, type CmqMessage, type CmqQueueClient } from "../../functions/runtime/clients/tencentcloud/cmq";
import { environmentCredential } from "../../functions/runtime/clients/tencentcloud/credentials";
import { cmqDeadLetterSender, tdmqClient, type DeadLetterBody, type DeadLetterSender } from "../../functions/runtime/clients/tencentcloud/dead-letter";
import { tc3Authorization } from "../../functions/runtime/clients/tencentcloud/api3";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import { onEvent, type HubEvent } from "../../functions/runtime";
import { list, redrive, type ScfInvokeClient } from "../../functions/runtime/redrive/tencentcloud";

type Json = Record<string, any>;

const cloudEvent = (): Json => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "events", "tencent-eb-cloudevent.json"), "utf8"));
/** The fixture, published `ageSeconds` ago. */
const eventAged = (ageSeconds: number, now: number): Json => ({ ...cloudEvent(), time: String(now - ageSeconds * 1000) });
const timerEvent = (): Json => ({ Type: "Timer", TriggerName: "report-schedule", Time: "2026-03-01T08:00:00Z", Message: "" });

const TASK_ENV = { SB_DEAD_LETTER_QUEUE: "ship-dlq", SB_DEAD_LETTER_REGION: "ap-guangzhou", SB_RETRIES: "2", SB_MAX_EVENT_AGE: "3600" };

function withEnv(vars: Record<string, string | undefined>) {
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
        for (const [k, v] of Object.entries(vars)) {
            saved[k] = process.env[k];
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });
    afterEach(() => {
        for (const k of Object.keys(vars)) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });
}

/** Runs `fn` with console.error captured, so expected logs neither print nor go unchecked. */
async function quietly<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; logged: string[] }> {
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    try {
        return { result: await fn(), logged };
    } catch (error) {
        return { error, logged };
    } finally {
        console.error = original;
    }
}

/** An in-memory CMQ queue: receive hides a message (until `reappear`), delete needs the latest handle. */
class FakeQueue implements CmqQueueClient {
    readonly messages: (CmqMessage & { hidden: boolean })[] = [];
    readonly deleted: string[] = [];
    private next = 0;

    put(body: string): string {
        const msgId = `msg-${++this.next}`;
        this.messages.push({ msgId, receiptHandle: "", msgBody: body, hidden: false, dequeueCount: 0 });
        return msgId;
    }

    readonly sender: DeadLetterSender = async (body) => this.put(JSON.stringify(body));

    async receive(queue: string, max: number): Promise<CmqMessage[]> {
        assert.equal(queue, "ship-dlq");
        const visible = this.messages.filter((m) => !m.hidden).slice(0, max);
        for (const m of visible) {
            m.hidden = true;
            m.receiptHandle = `handle-${++this.next}`;
            m.dequeueCount = (m.dequeueCount ?? 0) + 1;
        }
        return visible.map(({ hidden: _hidden, ...m }) => ({ ...m }));
    }

    async delete(queue: string, receiptHandle: string): Promise<void> {
        assert.equal(queue, "ship-dlq");
        const i = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
        assert.ok(i >= 0, `no message with handle ${receiptHandle}`);
        this.deleted.push(this.messages[i].msgId);
        this.messages.splice(i, 1);
    }

    /** The visibility timeout passed. */
    reappear(): void {
        for (const m of this.messages) m.hidden = false;
    }

    bodies(): DeadLetterBody[] {
        return this.messages.map((m) => JSON.parse(m.msgBody));
    }
}

/** An event handler that fails `failures(event)` times per event id, recording what it saw. */
function flakyHandler(failures: (event: HubEvent) => number) {
    const seen: HubEvent[] = [];
    const counts = new Map<string, number>();
    const handler = onEvent(async (event) => {
        seen.push(event);
        const n = (counts.get(event.id) ?? 0) + 1;
        counts.set(event.id, n);
        if (n <= failures(event)) throw new Error(`downstream unavailable (attempt ${n})`);
    });
    return { handler, seen };
}

describe("SCF adapter: dead letters", () => {
    withEnv(TASK_ENV);
    const NOW = Date.parse("2026-03-01T08:00:30Z");
    let queue: FakeQueue;
    let ledger: AttemptLedger;
    beforeEach(() => {
        queue = new FakeQueue();
        ledger = new AttemptLedger();
    });
    const adapt = (handler: ReturnType<typeof flakyHandler>["handler"], send: DeadLetterSender = queue.sender) =>
        toScf(handler, { deadLetter: send, ledger, now: () => NOW });

    it("does not dead-letter earlier attempts, dead-letters the last with the event, the error and the attempts, and rethrows", async () => {
        const { handler } = flakyHandler(() => Infinity);
        const scf = adapt(handler);
        const event = eventAged(60, NOW);
        for (const attempt of [1, 2]) {
            await assert.rejects(scf(structuredClone(event)), new RegExp(`downstream unavailable \\(attempt ${attempt}\\)`));
            assert.equal(queue.messages.length, 0, `nothing dead-lettered after attempt ${attempt}`);
        }
        const { error, logged } = await quietly(() => scf(structuredClone(event)));
        assert.match(String(error), /downstream unavailable \(attempt 3\)/, "SCF still sees the failure");
        assert.deepEqual(queue.bodies(), [{ event, error: "downstream unavailable (attempt 3)", attempts: 3, time: new Date(NOW).toISOString() }]);
        assert.match(logged.join("\n"), /event 13a3f42d-7258-4ada-da6d-023a333b4662 dead-lettered \(attempt 3 of 3\)/);
    });

    it("dead-letters the first failure when the task has no retries", async () => {
        process.env.SB_RETRIES = "0";
        const { error } = await quietly(() => adapt(flakyHandler(() => Infinity).handler)(eventAged(5, NOW)));
        assert.ok(error);
        assert.equal(queue.bodies()[0].attempts, 1);
    });

    it("sends nothing when a retry succeeds, and counts afresh after a success", async () => {
        const { handler, seen } = flakyHandler(() => 2);
        const scf = adapt(handler);
        const event = eventAged(60, NOW);
        await assert.rejects(scf(structuredClone(event)));
        await assert.rejects(scf(structuredClone(event)));
        await scf(structuredClone(event));
        assert.equal(seen.length, 3);
        assert.equal(queue.messages.length, 0);
        assert.equal(ledger.count(event.id), 1, "the ledger forgot the event once it succeeded");
    });

    it("dead-letters a failure SCF will not retry because the event is older than its message age", async () => {
        const { error } = await quietly(() => adapt(flakyHandler(() => Infinity).handler)(eventAged(3590, NOW)));
        assert.ok(error);
        assert.deepEqual(queue.bodies().map((b) => b.attempts), [1]);
    });

    it("counts a redriven event's age from the redrive, not from its publication", async () => {
        const redriven = { ...eventAged(86_400, NOW), sbredrivetime: NOW - 10_000 };
        await assert.rejects(adapt(flakyHandler(() => Infinity).handler)(redriven));
        assert.equal(queue.messages.length, 0, "a young redrive is retried before it is dead-lettered again");
    });

    it("does not send the same event twice from one instance", async () => {
        process.env.SB_RETRIES = "0";
        const scf = adapt(flakyHandler(() => Infinity).handler);
        const event = eventAged(60, NOW);
        await quietly(() => scf(structuredClone(event)));
        await assert.rejects(scf(structuredClone(event)));
        assert.equal(queue.messages.length, 1);
    });

    it("surfaces a dead-letter send failure: the handler's error is rethrown with the send error attached", async () => {
        const refused = new Error("CMQ queue ship-dlq did not take the dead letter");
        const scf = adapt(flakyHandler(() => Infinity).handler, async () => { throw refused; });
        process.env.SB_RETRIES = "0";
        const { error, logged } = await quietly(() => scf(eventAged(5, NOW)));
        assert.ok(error instanceof Error);
        assert.equal(error.message, "downstream unavailable (attempt 1)");
        assert.equal((error as Error & { deadLetterError?: unknown }).deadLetterError, refused);
        assert.match(logged.join("\n"), /could not be dead-lettered/);
    });

    it("runs a timer firing as a Scheduled Event and dead-letters the original timer event", async () => {
        process.env.SB_RETRIES = "0";
        const { handler, seen } = flakyHandler(() => Infinity);
        await quietly(() => adapt(handler)(timerEvent()));
        assert.deepEqual(seen, [{ id: "timer:report-schedule:2026-03-01T08:00:00Z", source: "tencentcloud.scf.timer", type: "Scheduled Event", time: "2026-03-01T08:00:00.000Z", detail: {} }]);
        assert.deepEqual(queue.bodies()[0].event, timerEvent());
    });

    it("dead-letters an event it cannot read, as it arrived, on the last attempt", async () => {
        const { handler, seen } = flakyHandler(() => 0);
        const scf = adapt(handler);
        const odd = { hello: "world" };
        for (let i = 0; i < 2; i++) await assert.rejects(scf(odd, { request_id: "req-1" }), /toScf: expected an EventBridge \(EB\) CloudEvent/);
        const { error } = await quietly(() => scf(odd, { request_id: "req-1" }));
        assert.match(String(error), /toScf: expected an EventBridge/);
        assert.equal(seen.length, 0);
        assert.deepEqual(queue.bodies().map((b) => [b.event, b.attempts]), [[odd, 3]]);
    });

    it("dead-letters nothing for a function that is not an AsyncTask", async () => {
        delete process.env.SB_DEAD_LETTER_QUEUE;
        process.env.SB_RETRIES = "0";
        await assert.rejects(adapt(flakyHandler(() => Infinity).handler)(eventAged(5, NOW)), /downstream unavailable/);
        assert.equal(queue.messages.length, 0);
    });

    it("names the variables when the dead-letter link's settings are missing", async () => {
        delete process.env.SB_RETRIES;
        await assert.rejects(adapt(flakyHandler(() => 0).handler)(eventAged(5, NOW)), /SB_RETRIES '' and SB_MAX_EVENT_AGE '3600' must be set by the task's dead-letter link/);
    });

    it("judges by count and by age", () => {
        const settings = { retries: 2, maxEventAgeSeconds: 3600 };
        assert.equal(judgeAttempt({ attempt: 2, settings, nowMs: NOW }).last, false);
        assert.equal(judgeAttempt({ attempt: 3, settings, nowMs: NOW }).last, true);
        assert.equal(judgeAttempt({ attempt: 1, settings, eventTimeMs: NOW - 3539_000, nowMs: NOW }).last, false, "a minute's margin for delivery");
        assert.equal(judgeAttempt({ attempt: 1, settings, eventTimeMs: NOW - 3541_000, nowMs: NOW }).last, true);
    });
});

/** A local stand-in for a Tencent Cloud API endpoint, recording requests and answering `answer()`. */
function localApi() {
    const api = {
        server: undefined as unknown as http.Server,
        seen: [] as { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[],
        answer: (): object => ({}),
        get address() {
            return `127.0.0.1:${(api.server.address() as AddressInfo).port}`;
        },
    };
    before(async () => {
        api.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => {
                api.seen.push({ method: req.method, url: req.url, headers: req.headers, body });
                res.setHeader("content-type", "application/json");
                res.end(JSON.stringify(api.answer()));
            });
        });
        await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
    });
    after(() => new Promise<void>((resolve) => api.server.close(() => resolve())));
    beforeEach(() => (api.seen = []));
    return api;
}

describe("CMQ dead-letter sender", () => {
    withEnv({ TENCENTCLOUD_SECRETID: "AKIDtest", TENCENTCLOUD_SECRETKEY: "secret", TENCENTCLOUD_SESSIONTOKEN: "session-token" });
    const api = localApi();
    const body: DeadLetterBody = { event: cloudEvent(), error: "boom", attempts: 3, time: "2026-03-01T08:00:30.000Z" };
    const sent = () => {
        const request = JSON.parse(api.seen[0].body);
        return { ...request, MsgContent: JSON.parse(request.MsgContent) };
    };

    it("calls TDMQ SendCmqMsg 2020-02-17 with the role's session token, the queue and the letter as JSON", async () => {
        api.answer = () => ({ Response: { Result: true, MsgId: "09A51113003621B8D17C0DF3DC2403DC", RequestId: "req-1" } });
        const id = await cmqDeadLetterSender("ship-dlq", "ap-guangzhou", tdmqClient("ap-guangzhou", `http://${api.address}/`))(body);
        assert.equal(id, "09A51113003621B8D17C0DF3DC2403DC");
        const { headers } = api.seen[0];
        assert.equal(headers["x-tc-action"], "SendCmqMsg");
        assert.equal(headers["x-tc-version"], "2020-02-17");
        assert.equal(headers["x-tc-region"], "ap-guangzhou");
        assert.equal(headers["x-tc-token"], "session-token");
        assert.equal(headers["content-type"], "application/json; charset=utf-8");
        assert.deepEqual(sent(), { QueueName: "ship-dlq", MsgContent: body, DelaySeconds: 0 });
    });

    it("signs exactly as tencentcloud-sdk-nodejs signs (TC3-HMAC-SHA256)", async () => {
        api.answer = () => ({ Response: { Result: true, MsgId: "m", RequestId: "req-1" } });
        await cmqDeadLetterSender("ship-dlq", "ap-guangzhou", tdmqClient("ap-guangzhou", `http://${api.address}/`))(body);
        const { headers, body: raw } = api.seen[0];
        const timestamp = Number(headers["x-tc-timestamp"]);
        const bySdk = Sign.sign3({
            method: "POST", url: `https://${api.address.split(":")[0]}/`, payload: JSON.parse(raw), timestamp, service: "tdmq",
            secretId: "AKIDtest", secretKey: "secret", multipart: false, boundary: "", headers: { "Content-Type": "application/json; charset=utf-8" },
        });
        assert.equal(headers.authorization, bySdk);
        // And a second input, so that the comparison is not about one lucky string.
        const other = { host: "tdmq.tencentcloudapi.com", service: "tdmq", body: '{"QueueName":"q","MsgContent":"ünï","DelaySeconds":0}', timestamp: 1_551_113_065, credential: { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" } };
        assert.equal(tc3Authorization(other), Sign.sign3({
            method: "POST", url: "https://tdmq.tencentcloudapi.com/", payload: JSON.parse(other.body), timestamp: other.timestamp, service: "tdmq",
            secretId: other.credential.secretId, secretKey: other.credential.secretKey, multipart: false, boundary: "", headers: { "Content-Type": "application/json; charset=utf-8" },
        }));
    });

    it("fails when the queue does not take the letter or the API refuses, naming the code", async () => {
        const refusing = { SendCmqMsg: async () => ({ Result: false, RequestId: "req-2" }) };
        await assert.rejects(cmqDeadLetterSender("ship-dlq", "ap-guangzhou", refusing)(body), /CMQ queue ship-dlq did not take the dead letter \(Result false, request req-2\)/);
        api.answer = () => ({ Response: { Error: { Code: "ResourceNotFound", Message: "queue not found" }, RequestId: "req-3" } });
        await assert.rejects(cmqDeadLetterSender("ship-dlq", "ap-guangzhou", tdmqClient("ap-guangzhou", `http://${api.address}/`))(body), (error: Error & { code?: string; requestId?: string }) => {
            assert.equal(error.message, "queue not found");
            assert.equal(error.code, "ResourceNotFound");
            assert.equal(error.requestId, "req-3");
            return true;
        });
    });

    it("takes the SDK's own TDMQ client just as well", async () => {
        api.answer = () => ({ Response: { Result: true, MsgId: "m-sdk", RequestId: "req-4" } });
        const sdkClient = new TdmqClient({ credential: environmentCredential, region: "ap-guangzhou", profile: { httpProfile: { endpoint: api.address, protocol: "http://" } } });
        assert.equal(await cmqDeadLetterSender("ship-dlq", "ap-guangzhou", sdkClient)(body), "m-sdk");
        assert.deepEqual(sent(), { QueueName: "ship-dlq", MsgContent: body, DelaySeconds: 0 });
    });
});

describe("CMQ data-flow client (receive, delete)", () => {
    const api = localApi();
    const credential = { secretId: "AKIDtest", secretKey: "secret", token: "session-token" };
    const client = () => cmqDataClient({ endpoint: `http://${api.address}`, region: "ap-guangzhou", credential, now: () => 1_700_000_000 });

    /** The documented signature, computed here independently of the client. */
    function expectedSignature(form: URLSearchParams): string {
        const params = [...form.entries()].filter(([k]) => k !== "Signature").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const text = `POST${api.address}/v2/index.php?${params.map(([k, v]) => `${k}=${v}`).join("&")}`;
        return createHmac("sha256", credential.secretKey).update(text).digest("base64");
    }

    it("receives a batch with a signed POST to /v2/index.php", async () => {
        const msgInfoList = [{ msgId: "m1", receiptHandle: "h1", msgBody: "{}", enqueueTime: 1, dequeueCount: 1 }];
        api.answer = () => ({ code: 0, message: "", requestId: "r1", msgInfoList });
        assert.deepEqual(await client().receive("ship-dlq", 50), msgInfoList);
        const [request] = api.seen;
        assert.equal(request.method, "POST");
        assert.equal(request.url, "/v2/index.php");
        const form = new URLSearchParams(request.body);
        assert.deepEqual(
            Object.fromEntries([...form.entries()].filter(([k]) => !["Nonce", "Signature"].includes(k))),
            { queueName: "ship-dlq", numOfMsg: "16", pollingWaitSeconds: "0", Action: "BatchReceiveMessage", Region: "ap-guangzhou", Timestamp: "1700000000", SecretId: "AKIDtest", SignatureMethod: "HmacSHA256", Token: "session-token" },
        );
        assert.match(form.get("Nonce")!, /^\d+$/);
        assert.equal(form.get("Signature"), expectedSignature(form));
    });

    it("reads CMQ's 'no message' as an empty queue and other codes as errors", async () => {
        api.answer = () => ({ code: 7000, message: "(10200)no message", requestId: "r2" });
        assert.deepEqual(await client().receive("ship-dlq", 16), []);
        api.answer = () => ({ code: 4100, message: "(4100)queue does not exist", requestId: "r3" });
        await assert.rejects(client().receive("ship-dlq", 16), /CMQ BatchReceiveMessage on ship-dlq: code 4100: \(4100\)queue does not exist \(request r3\)/);
    });

    it("deletes by receipt handle", async () => {
        api.answer = () => ({ code: 0, message: "", requestId: "r4" });
        await client().delete("ship-dlq", "h1");
        const form = new URLSearchParams(api.seen[0].body);
        assert.equal(form.get("Action"), "DeleteMessage");
        assert.equal(form.get("receiptHandle"), "h1");
        assert.equal(form.get("Signature"), expectedSignature(form));
    });
});

/** A fake SCF: records invocations; `refuse(request)` makes one reject. */
function fakeScf(refuse: (request: InvokeRequest) => boolean = () => false) {
    const invoked: InvokeRequest[] = [];
    const scf: ScfInvokeClient = {
        async Invoke(request) {
            if (refuse(request)) throw Object.assign(new Error("function is being updated"), { code: "FailedOperation.FunctionStatusError" });
            invoked.push(request);
            return { RequestId: `req-${invoked.length}` };
        },
    };
    return { scf, invoked };
}

describe("Redrive on Tencent Cloud", () => {
    const letter = (event: unknown, error = "boom"): DeadLetterBody => ({ event, error, attempts: 3, time: "2026-03-01T08:00:30.000Z" });
    const options = (queue: FakeQueue, scf: ScfInvokeClient, extra: object = {}) =>
        ({ deadLetterQueue: "ship-dlq", functionName: "ship-1a2b3c4", region: "ap-guangzhou", clients: { queue, scf }, ...extra });

    it("lists dead letters without taking them off the queue", async () => {
        const queue = new FakeQueue();
        queue.put(JSON.stringify(letter(cloudEvent())));
        queue.put("not json");
        const letters = await list({ deadLetterQueue: "ship-dlq", region: "ap-guangzhou", clients: { queue } });
        assert.deepEqual(letters, [
            { id: "msg-1", event: cloudEvent(), error: "boom", attempts: 3, time: "2026-03-01T08:00:30.000Z" },
            { id: "msg-2", event: "not json", error: "unreadable dead letter: not the JSON the task's adapter sends ({ event, error, attempts, time })" },
        ]);
        assert.equal(queue.messages.length, 2);
    });

    it("re-invokes the task asynchronously with each original event, then deletes the letter", async () => {
        const queue = new FakeQueue();
        const first = cloudEvent();
        const second = { ...cloudEvent(), id: "e-2" };
        queue.put(JSON.stringify(letter(first)));
        queue.put(JSON.stringify(letter(second)));
        const { scf, invoked } = fakeScf();
        const before = Date.now();
        assert.deepEqual(await redrive(options(queue, scf)), { redriven: 2, failed: 0, duplicates: 0 });
        assert.deepEqual(invoked.map((r) => [r.FunctionName, r.Namespace, r.InvocationType]), [["ship-1a2b3c4", "default", "Event"], ["ship-1a2b3c4", "default", "Event"]]);
        const sent = invoked.map((r) => JSON.parse(r.ClientContext!));
        assert.deepEqual(sent.map(({ sbredrivetime: _t, ...event }) => event), [first, second]);
        assert.ok(sent.every((e) => e.sbredrivetime >= before));
        assert.deepEqual(queue.deleted, ["msg-1", "msg-2"]);
        assert.equal(queue.messages.length, 0);
    });

    it("keeps a letter SCF refused, and one it cannot read, for the next redrive", async () => {
        const queue = new FakeQueue();
        queue.put(JSON.stringify(letter({ ...cloudEvent(), id: "refused" })));
        queue.put("not json");
        queue.put(JSON.stringify(letter(cloudEvent())));
        const { scf, invoked } = fakeScf((r) => JSON.parse(r.ClientContext!).id === "refused");
        const { result, logged } = await quietly(() => redrive(options(queue, scf)));
        assert.deepEqual(result, { redriven: 1, failed: 2, duplicates: 0 });
        assert.equal(invoked.length, 1);
        assert.deepEqual(queue.messages.map((m) => m.msgId), ["msg-1", "msg-2"]);
        assert.match(logged.join("\n"), /SCF did not accept dead letter msg-1 for ship-1a2b3c4; it stays in ship-dlq/);
    });

    it("invokes once per event id and deletes its other copies", async () => {
        const queue = new FakeQueue();
        for (let i = 0; i < 3; i++) queue.put(JSON.stringify(letter(cloudEvent())));
        const { scf, invoked } = fakeScf();
        assert.deepEqual(await redrive(options(queue, scf)), { redriven: 1, failed: 0, duplicates: 2 });
        assert.equal(invoked.length, 1);
        assert.equal(queue.messages.length, 0);
    });

    it("goes on when a redriven letter cannot be deleted, and says it will come back", async () => {
        const queue = new FakeQueue();
        queue.put(JSON.stringify(letter(cloudEvent())));
        queue.put(JSON.stringify(letter({ ...cloudEvent(), id: "e-2" })));
        queue.delete = async () => { throw new Error("(4430)invalid receipt handle"); };
        const { scf, invoked } = fakeScf();
        const { result, logged } = await quietly(() => redrive(options(queue, scf)));
        assert.deepEqual(result, { redriven: 2, failed: 0, duplicates: 0 });
        assert.equal(invoked.length, 2);
        assert.match(logged.join("\n"), /dead letter msg-1 was redriven but not deleted from ship-dlq; it will show again/);
    });

    it("stops at max and rewinds first when asked", async () => {
        const queue = new FakeQueue();
        for (let i = 0; i < 40; i++) queue.put(JSON.stringify(letter({ ...cloudEvent(), id: `e-${i}` })));
        const rewound: unknown[] = [];
        const rewind = { RewindCmqQueue: async (r: unknown) => (rewound.push(r), { RequestId: "req" }) };
        const { scf, invoked } = fakeScf();
        const result = await redrive({ ...options(queue, scf), max: 20, rewindFrom: new Date("2026-02-20T00:00:00Z"), clients: { queue, scf, rewind } });
        assert.deepEqual(result, { redriven: 20, failed: 0, duplicates: 0 });
        assert.equal(invoked.length, 20);
        assert.equal(queue.messages.length, 20);
        assert.deepEqual(rewound, [{ QueueName: "ship-dlq", StartConsumeTime: 1771545600 }]);
    });

    it("names where to find the CMQ endpoint when none is given", async () => {
        const saved = process.env.TENCENTCLOUD_CMQ_ENDPOINT;
        delete process.env.TENCENTCLOUD_CMQ_ENDPOINT;
        try {
            await assert.rejects(list({ deadLetterQueue: "ship-dlq", region: "ap-guangzhou" }), /set TENCENTCLOUD_CMQ_ENDPOINT to the queue service's API address \(TDMQ CMQ console/);
        } finally {
            if (saved !== undefined) process.env.TENCENTCLOUD_CMQ_ENDPOINT = saved;
        }
    });

    describe("end to end through the adapter", () => {
        withEnv(TASK_ENV);

        it("dead-letters an event that failed every attempt, and processes it once redriven after the fix", async () => {
            const queue = new FakeQueue();
            const ledger = new AttemptLedger();
            let fixed = false;
            const processed: HubEvent[] = [];
            const scfFunction = toScf(onEvent(async (event) => {
                if (!fixed) throw new Error("bug");
                processed.push(event);
            }), { deadLetter: queue.sender, ledger });
            const event: Json = { ...cloudEvent(), time: String(Date.now()) };
            for (let attempt = 1; attempt <= 3; attempt++) await quietly(() => scfFunction(structuredClone(event)));
            assert.equal(queue.messages.length, 1);

            fixed = true;
            // SCF, invoked asynchronously by redrive, runs the function with the ClientContext as its event.
            const scf: ScfInvokeClient = { Invoke: async (r) => (await scfFunction(JSON.parse(r.ClientContext!)), { RequestId: "req" }) };
            assert.deepEqual(await redrive({ deadLetterQueue: "ship-dlq", functionName: "ship", region: "ap-guangzhou", clients: { queue, scf } }), { redriven: 1, failed: 0, duplicates: 0 });
            assert.equal(processed.length, 1);
            assert.equal(processed[0].id, event.id);
            assert.deepEqual(processed[0].detail, event.data);
            assert.equal(queue.messages.length, 0);
        });
    });
});
