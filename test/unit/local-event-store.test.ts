// The local durable queue's rules, on a real SQLite file with a controlled clock: leases and the
// visibility timeout, stale answers, retries at their time, maxEventAge, crash recovery, a clean
// stop's release, and redrive.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DeliveryPolicy, EventStore, StoredEvent } from "../../local/events/store";

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const policy: DeliveryPolicy = { maxAttempts: 3, maxAgeMs: 60_000, visibilityMs: 1_000 };
const event = (id: string): StoredEvent => ({ id, source: "test", type: "Work", time: new Date(T0).toISOString(), detail: { id } });

describe("local event store", () => {
    let dir: string;
    let store: EventStore;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-store-"));
        store = EventStore.open(dir);
    });

    afterEach(() => {
        store.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("delivers in order and counts each claim as an attempt", () => {
        store.enqueue("t", event("a"), T0);
        store.enqueue("t", event("b"), T0);
        store.enqueue("t", event("a"), T0); // the same event twice is queued once
        const { deliveries } = store.claim("t", 10, policy, T0);
        assert.deepEqual(deliveries.map((d) => [d.event.id, d.attempts]), [["a", 1], ["b", 1]]);
        assert.deepEqual(store.counts("t"), { queued: 0, inFlight: 2, deadLetters: 0 });
        assert.equal(store.claim("t", 10, policy, T0).deliveries.length, 0, "in flight is not claimable");
        assert.ok(store.complete(deliveries[0]));
        assert.deepEqual(store.counts("t"), { queued: 0, inFlight: 1, deadLetters: 0 });
    });

    it("takes a delivery back after the visibility timeout and ignores the late answer", () => {
        store.enqueue("t", event("a"), T0);
        const [first] = store.claim("t", 1, policy, T0).deliveries;
        assert.equal(store.claim("t", 1, policy, T0 + 999).deliveries.length, 0);
        assert.equal(store.nextAvailable("t"), T0 + 1_000, "available again when the lease ends");
        const [second] = store.claim("t", 1, policy, T0 + 1_000).deliveries;
        assert.equal(second.attempts, 2, "the lost attempt counts");
        assert.equal(store.complete(first), false, "the first lease is over");
        assert.deepEqual(store.fail(first, "late", policy, 0, T0 + 1_001), { outcome: "stale" });
        assert.ok(store.complete(second));
        assert.deepEqual(store.counts("t"), { queued: 0, inFlight: 0, deadLetters: 0 });
    });

    it("dead-letters a delivery lost on its last attempt", () => {
        store.enqueue("t", event("a"), T0);
        store.claim("t", 1, { ...policy, maxAttempts: 1 }, T0);
        const { deliveries, deadLettered } = store.claim("t", 1, { ...policy, maxAttempts: 1 }, T0 + 1_000);
        assert.equal(deliveries.length, 0);
        assert.equal(deadLettered[0].reason, "lost");
        assert.equal(deadLettered[0].error, "no answer within the visibility timeout (1s) on attempt 1");
    });

    it("retries at the time given, then dead-letters after the last attempt with the last error", () => {
        store.enqueue("t", event("a"), T0);
        let [delivery] = store.claim("t", 1, policy, T0).deliveries;
        assert.deepEqual(store.fail(delivery, "boom 1", policy, 100, T0), { outcome: "retry", at: T0 + 100 });
        assert.equal(store.claim("t", 1, policy, T0 + 99).deliveries.length, 0);
        [delivery] = store.claim("t", 1, policy, T0 + 100).deliveries;
        assert.equal(delivery.attempts, 2);
        store.fail(delivery, "boom 2", policy, 200, T0 + 100);
        [delivery] = store.claim("t", 1, policy, T0 + 300).deliveries;
        assert.equal(delivery.attempts, 3);
        const result = store.fail(delivery, "boom 3", policy, 400, T0 + 300);
        assert.equal(result.outcome, "dead");
        const letter = store.deadLetter("t", "a")!;
        assert.deepEqual({ ...letter, event: undefined }, { id: "a", task: "t", event: undefined, attempts: 3, error: "boom 3", reason: "failed", enqueuedAt: T0, failedAt: T0 + 300 });
        assert.deepEqual(letter.event, event("a"));
    });

    it("dead-letters an event older than maxEventAge instead of attempting it", () => {
        store.enqueue("t", event("a"), T0);
        let [delivery] = store.claim("t", 1, policy, T0).deliveries;
        store.fail(delivery, "boom", policy, 61_000, T0);
        const { deliveries, deadLettered } = store.claim("t", 1, policy, T0 + 61_000);
        assert.equal(deliveries.length, 0);
        assert.equal(deadLettered[0].reason, "expired");
        assert.equal(deadLettered[0].error, "older than maxEventAge (60s) after 1 attempt(s); last error: boom");
    });

    it("recovers what a crashed runtime had in flight, counting the interrupted attempt", () => {
        store.enqueue("t", event("a"), T0);
        store.enqueue("t", event("b"), T0);
        store.claim("t", 1, policy, T0);
        store.close();
        store = EventStore.open(dir); // the next process
        assert.deepEqual(store.recover(T0 + 10), [{ task: "t", eventId: "a" }]);
        const { deliveries } = store.claim("t", 2, policy, T0 + 10);
        assert.deepEqual(deliveries.map((d) => [d.event.id, d.attempts]), [["b", 1], ["a", 2]]);
    });

    it("dead-letters, as lost, a message whose last attempt a crash interrupted", () => {
        store.enqueue("t", event("a"), T0);
        store.claim("t", 1, { ...policy, maxAttempts: 1 }, T0);
        store.recover(T0 + 10);
        const { deadLettered } = store.claim("t", 1, { ...policy, maxAttempts: 1 }, T0 + 10);
        assert.equal(deadLettered[0].reason, "lost");
        assert.equal(deadLettered[0].error, "delivery interrupted: the local runtime stopped during attempt 1");
    });

    it("gives back a delivery on a clean stop without counting it", () => {
        store.enqueue("t", event("a"), T0);
        const [delivery] = store.claim("t", 1, policy, T0).deliveries;
        assert.ok(store.release(delivery, T0 + 5));
        assert.equal(store.complete(delivery), false, "its lease ended");
        assert.equal(store.claim("t", 1, policy, T0 + 5).deliveries[0].attempts, 1);
    });

    it("redrives dead letters with their original event and a fresh age, by id or all", () => {
        for (const id of ["a", "b"]) {
            store.enqueue("t", event(id), T0);
            const [d] = store.claim("t", 1, { ...policy, maxAttempts: 1 }, T0).deliveries;
            store.fail(d, `boom ${id}`, { ...policy, maxAttempts: 1 }, 0, T0);
        }
        assert.deepEqual(store.redrive("t", ["a", "zzz"], T0 + 120_000), { redriven: ["a"], missing: ["zzz"] });
        assert.deepEqual(store.counts("t"), { queued: 1, inFlight: 0, deadLetters: 1 });
        const [again] = store.claim("t", 1, policy, T0 + 120_000).deliveries;
        assert.deepEqual([again.event, again.attempts], [event("a"), 1], "not expired: its age starts at the redrive");
        assert.deepEqual(store.redrive("t", undefined, T0 + 120_000), { redriven: ["b"], missing: [] });
        assert.deepEqual(store.deadLetters("t"), []);
        assert.deepEqual(store.tasks(), ["t"]);
    });
});
