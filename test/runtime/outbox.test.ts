// The Table's transactional outbox against each target's real storage, as the contract suite
// runs the Table client: DynamoDB's API (dynalite, with the sparse GSI components/aws/table.ts
// makes), MySQL (MariaDB) and SQLite. The hub is a fake that can fail: the events must be
// published once the item is written, whatever fails after the write, and never without it.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { CreateTableCommand, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import Database from "better-sqlite3";
import { createDynamoTable, documentClient } from "../../functions/runtime/clients/aws/table";
import type { OutgoingEvent } from "../../functions/runtime/clients/hub";
import { ConditionFailedError, OUTBOX_EVENT_ID, tableClient, type TableBackend, type TableSettings } from "../../functions/runtime/clients/table";
import { LOG_SINK, newLogContext, withInvocationLog } from "../../functions/runtime/log";
import { OUTBOX_ATTRIBUTE, OUTBOX_INDEX, OUTBOX_SINCE_ATTRIBUTE, relayPending, type OutboxPublisher } from "../../functions/runtime/clients/table-outbox";
import { outboxIndex } from "../../components/aws/table";
import { startDynalite } from "../support/dynalite";
import { mysqlBackend, sqliteBackend } from "../support/table-backends";

const ORDERS: TableSettings = { name: "orders", tableName: "orders", partitionKey: "userId", sortKey: "orderId", ttlAttribute: "expiresAt", outboxHub: "events" };
const PLAIN: TableSettings = { name: "plain", tableName: "plain", partitionKey: "id" };

interface Storage {
    backend: TableBackend;
    /** SQL only: makes table `name` as the client made tables before the outbox (no outbox_at column). */
    legacyTable?(name: string): Promise<void>;
    stop(): Promise<void>;
}

/** The SQL table of the client before the outbox, in both dialects. */
const LEGACY_COLUMNS = "pk VARBINARY(2048) NOT NULL, sk VARBINARY(1024) NOT NULL, item LONGTEXT NOT NULL, expires_at DOUBLE NULL, PRIMARY KEY (pk, sk)";

const TARGETS: { name: string; start(): Promise<Storage> }[] = [
    {
        name: "aws: DynamoDB API (dynalite)",
        async start() {
            const dynalite = await startDynalite();
            // As components/aws/table.ts declares the table with an outbox: keys plus the sparse index.
            const index = outboxIndex();
            const input: CreateTableCommandInput = {
                TableName: ORDERS.tableName,
                BillingMode: "PAY_PER_REQUEST",
                AttributeDefinitions: [
                    { AttributeName: "userId", AttributeType: "S" },
                    { AttributeName: "orderId", AttributeType: "S" },
                    { AttributeName: OUTBOX_SINCE_ATTRIBUTE, AttributeType: "N" },
                ],
                KeySchema: [{ AttributeName: "userId", KeyType: "HASH" }, { AttributeName: "orderId", KeyType: "RANGE" }],
                GlobalSecondaryIndexes: [{
                    IndexName: index.name,
                    KeySchema: [{ AttributeName: index.hashKey, KeyType: "HASH" }],
                    Projection: { ProjectionType: index.projectionType, NonKeyAttributes: index.nonKeyAttributes },
                }],
            };
            await dynalite.client().send(new CreateTableCommand(input));
            await new Promise((resolve) => setTimeout(resolve, 50));
            await dynalite.createTable(PLAIN.tableName, PLAIN.partitionKey);
            const client = documentClient(dynalite.client());
            return { backend: createDynamoTable({ client: () => client }), stop: () => dynalite.stop() };
        },
    },
    {
        name: "tencentcloud: MySQL (MariaDB)",
        async start() {
            const { backend, pool, database, stop } = await mysqlBackend();
            return {
                backend,
                async legacyTable(name) {
                    await pool.query(`CREATE TABLE \`${database}\`.\`${name}\` (${LEGACY_COLUMNS}) ENGINE=InnoDB`);
                },
                stop,
            };
        },
    },
    {
        name: "local: SQLite",
        async start() {
            const { backend, dir, stop } = sqliteBackend("sb-outbox-");
            return {
                backend,
                async legacyTable(name) {
                    const db = new Database(path.join(dir, `${name}.sqlite`));
                    db.exec(`CREATE TABLE \`${name}\` (pk BLOB NOT NULL, sk BLOB NOT NULL, item TEXT NOT NULL, expires_at REAL, PRIMARY KEY (pk, sk)) WITHOUT ROWID`);
                    db.close();
                },
                stop,
            };
        },
    },
];

/** A hub that records what it accepted and refuses while `down`. */
function fakeHub() {
    const accepted: { hub: string; event: Required<OutgoingEvent>; correlationId?: string }[] = [];
    const state = { down: false, attempts: 0 };
    const publish: OutboxPublisher = async (hub, events, correlationId) => {
        state.attempts++;
        if (state.down) throw new Error("hub unreachable");
        for (const event of events) accepted.push({ hub, event, correlationId });
        return events.map((_, i) => `hub-id-${accepted.length + i}`);
    };
    return { accepted, state, publish, ids: () => accepted.map((a) => (a.event.detail as Record<string, string>)[OUTBOX_EVENT_ID]) };
}

for (const target of TARGETS) {
    describe(`Table outbox on ${target.name}`, function () {
        this.timeout(120_000);
        let storage: Storage;
        let clock = Date.parse("2026-11-29T10:00:00Z");
        const later = (ms: number) => (clock += ms);

        // What the writer says when its own publish fails (the relay's cue), kept out of the report.
        const logged: string[] = [];
        const consoleError = console.error;
        before(async () => {
            storage = await target.start();
            console.error = (...args: unknown[]) => void logged.push(args.join(" "));
        });
        after(async () => {
            console.error = consoleError;
            await storage?.stop();
        });

        const orders = (hub: ReturnType<typeof fakeHub>) => tableClient(ORDERS, storage.backend, () => clock, hub.publish);
        const relay = (hub: ReturnType<typeof fakeHub>) => relayPending(ORDERS, storage.backend, { now: clock, publish: hub.publish });

        it("loses nothing when the publish fails after the write: the relay publishes the event once, with the id fixed at the write", async () => {
            const hub = fakeHub();
            hub.state.down = true;
            const order = { userId: "u1", orderId: "o1", total: 12 };
            // The write succeeds although its publish failed: the event is safe in the item.
            await orders(hub).put(order, { ifNotExists: true, publish: [{ type: "OrderPlaced", detail: { orderId: "o1", total: 12 } }] });
            assert.equal(hub.state.attempts, 1, "the writer tried to publish at once");
            assert.match(logged[logged.length - 1], /table 'orders': 1 event\(s\) written with the item are not published yet; the table's outbox relay will publish them: hub unreachable/);
            assert.equal(hub.accepted.length, 0);
            assert.deepEqual(await orders(hub).get({ userId: "u1", orderId: "o1" }), order, "reads never show the outbox");

            // Still down: the relay's attempt fails, reports it, and keeps the event.
            later(10_000);
            const failed = await relay(hub);
            assert.equal(failed.failures.length, 1);
            assert.match(failed.failures[0], /hub unreachable/);

            hub.state.down = false;
            const report = await relay(hub);
            assert.deepEqual({ relayed: report.relayed, events: report.events, failures: report.failures }, { relayed: 1, events: 1, failures: [] });
            assert.equal(hub.accepted.length, 1);
            const [{ hub: hubName, event }] = hub.accepted;
            assert.equal(hubName, "events");
            assert.equal(event.type, "OrderPlaced");
            assert.equal(event.time, "2026-11-29T10:00:00.000Z", "the time of the write");
            assert.deepEqual({ ...(event.detail as object), [OUTBOX_EVENT_ID]: "x" }, { orderId: "o1", total: 12, [OUTBOX_EVENT_ID]: "x" });
            assert.match(hub.ids()[0], /^[0-9a-f-]{36}$/);

            const again = await relay(hub);
            assert.equal(again.events, 0, "published once: cleared after the relay");
            assert.equal(hub.accepted.length, 1);
            assert.deepEqual(await storage.backend.pendingOutbox(ORDERS, clock, 10), []);
        });

        it("relays an event with the correlation id of the request that wrote it, not the relay's", async () => {
            const hub = fakeHub();
            hub.state.down = true;
            const globals = globalThis as Record<symbol, unknown>;
            const previousSink = globals[LOG_SINK];
            globals[LOG_SINK] = () => undefined; // the invocation's own log lines are not under test here
            try {
                await withInvocationLog(newLogContext("req-1", "corr-from-the-browser", "POST /orders"), () =>
                    orders(hub).put({ userId: "u9", orderId: "o1" }, { publish: [{ type: "OrderPlaced", detail: { orderId: "o1" } }] }));
            } finally {
                globals[LOG_SINK] = previousSink;
            }
            hub.state.down = false;
            later(10_000);
            await relay(hub);
            assert.deepEqual(hub.accepted.map((a) => [a.event.type, a.correlationId]), [["OrderPlaced", "corr-from-the-browser"]]);
        });

        it("publishes at once when the hub is up, and leaves the relay nothing", async () => {
            const hub = fakeHub();
            await orders(hub).put({ userId: "u2", orderId: "o1" }, { publish: [{ type: "A", detail: { n: 1 } }, { type: "B", detail: { n: 2 } }] });
            assert.deepEqual(hub.accepted.map((a) => a.event.type), ["A", "B"]);
            assert.notEqual(hub.ids()[0], hub.ids()[1], "each event its own id");
            later(60_000);
            assert.equal((await relay(hub)).events, 0);
            assert.equal(hub.accepted.length, 2);
        });

        it("publishes again with the same ids when the publish went through but the clear did not", async () => {
            const hub = fakeHub();
            const failingClear: TableBackend = { ...storage.backend, clearOutbox: async () => { throw new Error("connection lost"); } };
            await tableClient(ORDERS, failingClear, () => clock, hub.publish).put({ userId: "u3", orderId: "o1" }, { publish: [{ type: "A", detail: {} }] });
            assert.equal(hub.accepted.length, 1);
            later(10_000);
            await relay(hub);
            assert.equal(hub.accepted.length, 2, "at least once");
            assert.equal(hub.ids()[0], hub.ids()[1], "a consumer dedupes the second by its id");
        });

        it("writes no event when a conditional put fails", async () => {
            const hub = fakeHub();
            await orders(hub).put({ userId: "u4", orderId: "o1" }, { publish: [{ type: "First", detail: {} }] });
            await assert.rejects(orders(hub).put({ userId: "u4", orderId: "o1" }, { ifNotExists: true, publish: [{ type: "Second", detail: {} }] }), ConditionFailedError);
            later(10_000);
            await relay(hub);
            assert.deepEqual(hub.accepted.map((a) => a.event.type), ["First"]);
        });

        it("leaves young events to their writer, keeps them through updates, and clears only the same events", async () => {
            const hub = fakeHub();
            hub.state.down = true;
            const key = { userId: "u5", orderId: "o1" };
            await orders(hub).put({ ...key, status: "placed" }, { publish: [{ type: "Old", detail: {} }] });
            assert.equal((await relay(hub)).events, 0, "within the grace period the writer's publish may still be under way");
            const [pendingOld] = await storage.backend.pendingOutbox(ORDERS, clock, 10);
            const oldId = (pendingOld[OUTBOX_ATTRIBUTE] as { id: string }[])[0].id;

            const updated = await orders(hub).update(key, { status: "confirmed" });
            assert.deepEqual(updated, { ...key, status: "confirmed" }, "update returns no outbox");
            const page = await orders(hub).query({ partition: "u5" });
            assert.deepEqual(page.items, [{ ...key, status: "confirmed" }]);

            // A newer write's events replace the old ones: a clear of the old ones leaves them.
            later(1);
            await orders(hub).put({ ...key, status: "placed again" }, { publish: [{ type: "New", detail: {} }] });
            assert.equal(await storage.backend.clearOutbox(ORDERS, { partition: "u5", sort: "o1" }, oldId), false);

            hub.state.down = false;
            later(10_000);
            await relay(hub);
            assert.deepEqual(hub.accepted.map((a) => a.event.type), ["New"]);
            assert.deepEqual(await orders(hub).get(key), { ...key, status: "placed again" });
        });

        it("relays items whose TTL has passed: their events were committed", async () => {
            const hub = fakeHub();
            hub.state.down = true;
            await orders(hub).put({ userId: "u6", orderId: "o1", expiresAt: Math.floor(clock / 1000) + 1 }, { publish: [{ type: "Expiring", detail: {} }] });
            later(60_000);
            assert.equal(await orders(hub).get({ userId: "u6", orderId: "o1" }), undefined, "expired for reads");
            hub.state.down = false;
            await relay(hub);
            assert.deepEqual(hub.accepted.map((a) => a.event.type), ["Expiring"]);
        });

        it("refuses what the outbox cannot carry, before writing", async () => {
            const hub = fakeHub();
            const key = { userId: "u7", orderId: "o1" };
            await assert.rejects(orders(hub).put({ ...key, [OUTBOX_ATTRIBUTE]: [] }), /attribute '_sbOutbox' is reserved/);
            await assert.rejects(orders(hub).put(key, { publish: [{ type: "X", detail: [1] as never }] }), /detail must be a JSON object/);
            await assert.rejects(orders(hub).put(key, { publish: [{ type: "X", detail: { [OUTBOX_EVENT_ID]: "mine" } }] }), /outboxEventId is reserved/);
            await assert.rejects(orders(hub).put(key, { publish: [{ type: "no spaces", detail: {} }] }), /type 'no spaces'/);
            await assert.rejects(tableClient(PLAIN, storage.backend, () => clock, hub.publish).put({ id: "1" }, { publish: [{ type: "X", detail: {} }] }), /needs the table's outbox: give the Table 'outbox: hub.link' \(SB_TABLE_PLAIN_OUTBOX is not set\)/);
            assert.equal(await orders(hub).get(key), undefined, "nothing was written");
            assert.equal(hub.state.attempts, 0);
        });

        it("gives a table made before the outbox its marker column on first use (SQL)", async function () {
            if (!storage.legacyTable) this.skip(); // DynamoDB: the index is the component's (a table update)
            await storage.legacyTable("legacy");
            const legacy: TableSettings = { ...ORDERS, name: "legacy", tableName: "legacy" };
            const hub = fakeHub();
            hub.state.down = true;
            await tableClient(legacy, storage.backend, () => clock, hub.publish).put({ userId: "u9", orderId: "o1" }, { publish: [{ type: "Old", detail: {} }] });
            hub.state.down = false;
            later(10_000);
            await relayPending(legacy, storage.backend, { now: clock, publish: hub.publish });
            assert.deepEqual(hub.accepted.map((a) => a.event.type), ["Old"]);
        });

        it("pages through many pending items in one relay run", async () => {
            const hub = fakeHub();
            hub.state.down = true;
            for (let i = 0; i < 7; i++) await orders(hub).put({ userId: "u8", orderId: `o${i}` }, { publish: [{ type: "Many", detail: { i } }] });
            hub.state.down = false;
            later(10_000);
            const report = await relayPending(ORDERS, storage.backend, { now: clock, publish: hub.publish, pageSize: 3 });
            assert.equal(report.events, 7);
            assert.deepEqual(hub.accepted.map((a) => (a.event.detail as { i: number }).i).sort(), [0, 1, 2, 3, 4, 5, 6]);
        });
    });
}

describe("the outbox's index on DynamoDB", () => {
    it("is the index the client scans", () => {
        assert.equal(outboxIndex().name, OUTBOX_INDEX);
        assert.equal(outboxIndex().hashKey, OUTBOX_SINCE_ATTRIBUTE);
    });
});
