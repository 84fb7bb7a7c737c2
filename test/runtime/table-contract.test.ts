// The Table runtime client's contract, run unchanged against each target's real storage:
// DynamoDB's API (dynalite), MySQL (a MariaDB server started for the suite) and SQLite (a file).
// Then `table(name)` itself, configured only by a link's environment variables, on each target.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createDynamoTable, documentClient } from "../../functions/runtime/clients/aws/table";
import { localTable } from "../../functions/runtime/clients/local/table";
import { closeLinkedPools } from "../../functions/runtime/clients/tencentcloud/table";
import {
    ConditionFailedError,
    encodeCursor,
    ItemNotFoundError,
    table,
    tableClient,
    type Item,
    type TableBackend,
    type TableClient,
    type TableSettings,
} from "../../functions/runtime/clients/table";
import { Function, Table } from "../../components";
import { unzipFiles } from "../../components/build/zip";
import { evaluate } from "../harness";
import { startDynalite, type Dynalite } from "../support/dynalite";
import { startMariaDb, type MariaDb } from "../support/mariadb";
import { mysqlBackend, sqliteBackend } from "../support/table-backends";

const ORDERS: TableSettings = { name: "orders", tableName: "orders", partitionKey: "customerId", sortKey: "orderId", ttlAttribute: "expiresAt" };
const PROFILES: TableSettings = { name: "profiles", tableName: "profiles", partitionKey: "userId" };
const TABLES = [ORDERS, PROFILES];

/** One target's storage, started for the suite. */
interface Storage {
    backend: TableBackend;
    stop(): Promise<void>;
}

interface Target {
    name: string;
    start(): Promise<Storage>;
}

const TARGETS: Target[] = [
    {
        name: "aws: DynamoDB API (dynalite)",
        async start() {
            const dynalite = await startDynalite();
            for (const t of TABLES) await dynalite.createTable(t.tableName, t.partitionKey, t.sortKey);
            const client = documentClient(dynalite.client());
            return { backend: createDynamoTable({ client: () => client }), stop: () => dynalite.stop() };
        },
    },
    {
        name: "tencentcloud: MySQL (MariaDB)",
        start: mysqlBackend,
    },
    {
        name: "local: SQLite",
        start: async () => sqliteBackend("sb-table-"),
    },
];

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Every page of a query, and the cursors between them. */
async function allPages(client: TableClient, query: Parameters<TableClient["query"]>[0]) {
    const pages: Item[][] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
        const page = await client.query({ ...query, cursor });
        assert.ok(page.items.length <= (query.limit ?? 100), "a page holds at most `limit` items");
        pages.push(page.items);
        cursor = page.cursor;
        if (cursor) cursors.push(cursor);
    } while (cursor);
    return { pages, cursors, items: pages.flat() };
}

const orderIds = (items: Item[]) => items.map((i) => i.orderId);

for (const target of TARGETS) {
    describe(`Table contract on ${target.name}`, function () {
        this.timeout(60_000);
        let storage: Storage;
        let orders: TableClient;
        let profiles: TableClient;
        // Each test writes under its own partition, so the tests share one table safely.
        let n = 0;
        const customer = () => `customer-${++n}`;

        before(async () => {
            storage = await target.start();
            orders = tableClient(ORDERS, storage.backend);
            profiles = tableClient(PROFILES, storage.backend);
        });
        after(async () => storage?.stop());

        describe("get and put", () => {
            it("gives back what was put, as JSON, and nothing for a key never put", async () => {
                const c = customer();
                const item = {
                    customerId: c,
                    orderId: "o-1",
                    total: 12.5,
                    count: 3,
                    negative: -0.001,
                    big: 9007199254740991,
                    paid: false,
                    note: "",
                    coupon: null,
                    lines: [{ sku: "tea", qty: 2, tags: ["green", "loose"] }, { sku: "cup", qty: 1, tags: [] }],
                    address: { city: "Zürich", street: "Bahnhofstrasse 1", geo: { lat: 47.37, lon: 8.54 } },
                    emoji: "🍵 日本茶",
                };
                await orders.put(item);
                assert.deepEqual(await orders.get({ customerId: c, orderId: "o-1" }), item);
                assert.equal(await orders.get({ customerId: c, orderId: "o-2" }), undefined);
                assert.equal(await orders.get({ customerId: customer(), orderId: "o-1" }), undefined);
            });

            it("stores values as JSON does: a Date as its ISO text, an undefined property left out", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1", at: new Date("2026-01-02T03:04:05.000Z"), gone: undefined } as unknown as Item);
                assert.deepEqual(await orders.get({ customerId: c, orderId: "o-1" }), { customerId: c, orderId: "o-1", at: "2026-01-02T03:04:05.000Z" });
            });

            it("replaces the whole item on a plain put", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1", status: "new", total: 10 });
                await orders.put({ customerId: c, orderId: "o-1", status: "paid" });
                assert.deepEqual(await orders.get({ customerId: c, orderId: "o-1" }), { customerId: c, orderId: "o-1", status: "paid" });
            });

            it("keeps keys apart that only look alike: case, unicode forms, SQL and LIKE characters", async () => {
                const c = customer();
                const ids = ["a", "A", "é", "e\u0301", "%", "_", "a%", "'; DROP TABLE orders; --", "a/b#c", "🍵"];
                for (const [i, orderId] of ids.entries()) await orders.put({ customerId: c, orderId, i });
                for (const [i, orderId] of ids.entries()) assert.deepEqual(await orders.get({ customerId: c, orderId }), { customerId: c, orderId, i });
            });

            it("round-trips an item of 300 KB", async () => {
                const c = customer();
                const item = { customerId: c, orderId: "big", blob: "x".repeat(300 * 1024) };
                await orders.put(item);
                assert.deepEqual(await orders.get({ customerId: c, orderId: "big" }), item);
            });
        });

        describe("put if not exists", () => {
            it("writes a new key and refuses an existing one with ConditionFailedError, leaving it as it was", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1", v: 1 }, { ifNotExists: true });
                const refused = await orders.put({ customerId: c, orderId: "o-1", v: 2 }, { ifNotExists: true }).then(() => undefined, (e: unknown) => e);
                assert.ok(refused instanceof ConditionFailedError, `expected ConditionFailedError, got ${String(refused)}`);
                assert.deepEqual(refused.key, { customerId: c, orderId: "o-1" });
                assert.equal(refused.name, "ConditionFailedError");
                assert.deepEqual(await orders.get({ customerId: c, orderId: "o-1" }), { customerId: c, orderId: "o-1", v: 1 });
            });

            it("lets exactly one of 10 racing writers create the item", async () => {
                const c = customer();
                const results = await Promise.allSettled(
                    Array.from({ length: 10 }, (_, v) => orders.put({ customerId: c, orderId: "race", v }, { ifNotExists: true })),
                );
                const won = results.flatMap((r, v) => (r.status === "fulfilled" ? [v] : []));
                assert.equal(won.length, 1, `winners: ${won.join(", ")}`);
                for (const r of results) if (r.status === "rejected") assert.ok(r.reason instanceof ConditionFailedError, String(r.reason));
                assert.deepEqual(await orders.get({ customerId: c, orderId: "race" }), { customerId: c, orderId: "race", v: won[0] });
            });
        });

        describe("update", () => {
            it("sets and removes attributes, answers the whole new item and keeps it", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1", status: "new", total: 10, note: "leave at door" });
                const updated = await orders.update({ customerId: c, orderId: "o-1" }, { status: "paid", paidAt: "2026-01-01", note: undefined, lines: [{ sku: "tea" }] });
                const expected = { customerId: c, orderId: "o-1", status: "paid", total: 10, paidAt: "2026-01-01", lines: [{ sku: "tea" }] };
                assert.deepEqual(updated, expected);
                assert.deepEqual(await orders.get({ customerId: c, orderId: "o-1" }), expected);
            });

            it("rejects with ItemNotFoundError when there is no item, and creates none", async () => {
                const c = customer();
                const missing = await orders.update({ customerId: c, orderId: "nope" }, { status: "paid" }).then(() => undefined, (e: unknown) => e);
                assert.ok(missing instanceof ItemNotFoundError, `expected ItemNotFoundError, got ${String(missing)}`);
                assert.deepEqual(missing.key, { customerId: c, orderId: "nope" });
                assert.equal(await orders.get({ customerId: c, orderId: "nope" }), undefined);
                await assert.rejects(orders.update({ customerId: c, orderId: "nope" }, {}), ItemNotFoundError);
            });

            it("with no changes answers the item as it is", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1", v: 1 });
                assert.deepEqual(await orders.update({ customerId: c, orderId: "o-1" }, {}), { customerId: c, orderId: "o-1", v: 1 });
            });

            it("refuses to change a key attribute", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1" });
                await assert.rejects(orders.update({ customerId: c, orderId: "o-1" }, { orderId: "o-2" }), /key attribute 'orderId' cannot be updated/);
            });
        });

        describe("delete", () => {
            it("removes the item; deleting a missing key is fine", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1" });
                await orders.put({ customerId: c, orderId: "o-2" });
                await orders.delete({ customerId: c, orderId: "o-1" });
                await orders.delete({ customerId: c, orderId: "o-1" });
                assert.equal(await orders.get({ customerId: c, orderId: "o-1" }), undefined);
                assert.ok(await orders.get({ customerId: c, orderId: "o-2" }));
            });
        });

        describe("query", () => {
            /** Sort keys whose UTF-8 byte order differs from other orders (locale, case-insensitive, numeric). */
            const SORT_KEYS = ["9", "10", "B", "a", "b", "é", "z", "ab", "a b", "~", "日", "🍵"];
            const BYTE_ORDER = ["10", "9", "B", "a", "a b", "ab", "b", "z", "~", "é", "日", "🍵"];
            let c: string;

            before(async () => {
                c = customer();
                for (const orderId of SORT_KEYS) await orders.put({ customerId: c, orderId });
                await orders.put({ customerId: customer(), orderId: "a" }); // another partition
            });

            it("reads one partition in UTF-8 byte order of the sort key, either way", async () => {
                assert.deepEqual(orderIds((await orders.query({ partition: c })).items), BYTE_ORDER);
                assert.deepEqual(orderIds((await orders.query({ partition: c, descending: true })).items), [...BYTE_ORDER].reverse());
                const last = await orders.query({ partition: c });
                assert.equal(last.cursor, undefined, "a page holding the rest says it is the last");
            });

            it("finds sort keys by prefix, LIKE wildcards included literally", async () => {
                const p = customer();
                for (const orderId of ["2026-01-05", "2026-01-31", "2026-02-01", "2025-12-31", "a%b", "a_b", "axb"]) await orders.put({ customerId: p, orderId });
                assert.deepEqual(orderIds((await orders.query({ partition: p, sortPrefix: "2026-01" })).items), ["2026-01-05", "2026-01-31"]);
                assert.deepEqual(orderIds((await orders.query({ partition: p, sortPrefix: "2026-01", descending: true })).items), ["2026-01-31", "2026-01-05"]);
                assert.deepEqual(orderIds((await orders.query({ partition: p, sortPrefix: "a%" })).items), ["a%b"]);
                assert.deepEqual(orderIds((await orders.query({ partition: p, sortPrefix: "a_" })).items), ["a_b"]);
                assert.deepEqual(orderIds((await orders.query({ partition: p, sortPrefix: "2027" })).items), []);
            });

            it("finds sort keys in an inclusive range, or above or below a bound", async () => {
                assert.deepEqual(orderIds((await orders.query({ partition: c, sortFrom: "a", sortTo: "b" })).items), ["a", "a b", "ab", "b"]);
                assert.deepEqual(orderIds((await orders.query({ partition: c, sortFrom: "z" })).items), ["z", "~", "é", "日", "🍵"]);
                assert.deepEqual(orderIds((await orders.query({ partition: c, sortTo: "9", descending: true })).items), ["9", "10"]);
                await assert.rejects(orders.query({ partition: c, sortFrom: "b", sortTo: "a" }), RangeError);
                await assert.rejects(orders.query({ partition: c, sortPrefix: "a", sortFrom: "a" }), /sortPrefix or sortFrom\/sortTo/);
            });

            it("pages with a cursor until none is left, the same cursors on every target", async () => {
                const p = customer();
                const ids = Array.from({ length: 25 }, (_, i) => `o-${String(i).padStart(3, "0")}`);
                for (const orderId of ids) await orders.put({ customerId: p, orderId, i: ids.indexOf(orderId) });
                const up = await allPages(orders, { partition: p, limit: 10 });
                assert.deepEqual(up.pages.map((page) => page.length), [10, 10, 5]);
                assert.deepEqual(orderIds(up.items), ids);
                // Opaque, but not random: the partition and the last sort key of the page.
                assert.deepEqual(up.cursors, [encodeCursor(p, "o-009"), encodeCursor(p, "o-019")]);

                const down = await allPages(orders, { partition: p, limit: 7, descending: true });
                assert.deepEqual(down.pages.map((page) => page.length), [7, 7, 7, 4]);
                assert.deepEqual(orderIds(down.items), [...ids].reverse());

                const ranged = await allPages(orders, { partition: p, limit: 4, sortFrom: "o-005", sortTo: "o-014" });
                assert.deepEqual(orderIds(ranged.items), ids.slice(5, 15));
                const prefixed = await allPages(orders, { partition: p, limit: 3, sortPrefix: "o-01" });
                assert.deepEqual(orderIds(prefixed.items), ids.slice(10, 20));
            });

            it("continues from a cursor in a new client, and refuses a cursor of another partition or a made-up one", async () => {
                const first = await orders.query({ partition: c, limit: 5 });
                assert.ok(first.cursor);
                const rest = await tableClient(ORDERS, storage.backend).query({ partition: c, cursor: first.cursor });
                assert.deepEqual(orderIds([...first.items, ...rest.items]), BYTE_ORDER);
                await assert.rejects(orders.query({ partition: customer(), cursor: first.cursor }), /cursor continues a query of another partition/);
                await assert.rejects(orders.query({ partition: c, cursor: "not-a-cursor" }), /is not a cursor from this table's query/);
            });

            it("refuses a limit outside 1-1000", async () => {
                await assert.rejects(orders.query({ partition: c, limit: 0 }), RangeError);
                await assert.rejects(orders.query({ partition: c, limit: 1001 }), RangeError);
                await assert.rejects(orders.query({ partition: c, limit: 2.5 }), RangeError);
            });
        });

        describe("time to live", () => {
            it("hides expired items from get and query, keeps unexpired ones", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "old", expiresAt: nowSeconds() - 60 });
                await orders.put({ customerId: c, orderId: "new", expiresAt: nowSeconds() + 3600 });
                await orders.put({ customerId: c, orderId: "kept" });
                assert.equal(await orders.get({ customerId: c, orderId: "old" }), undefined);
                assert.ok(await orders.get({ customerId: c, orderId: "new" }));
                assert.deepEqual(orderIds((await allPages(orders, { partition: c, limit: 1 })).items), ["kept", "new"]);
            });

            it("treats an expired item as gone for a conditional put and for update", async () => {
                const c = customer();
                await orders.put({ customerId: c, orderId: "o-1", v: 1, expiresAt: nowSeconds() - 1 });
                await assert.rejects(orders.update({ customerId: c, orderId: "o-1" }, { v: 2 }), ItemNotFoundError);
                await orders.put({ customerId: c, orderId: "o-1", v: 3 }, { ifNotExists: true });
                assert.deepEqual(await orders.get({ customerId: c, orderId: "o-1" }), { customerId: c, orderId: "o-1", v: 3 });
                const renewed = await orders.update({ customerId: c, orderId: "o-1" }, { expiresAt: nowSeconds() + 60 });
                assert.equal(renewed.v, 3);
            });

            it("refuses a TTL value that is not epoch seconds", async () => {
                await assert.rejects(orders.put({ customerId: customer(), orderId: "o-1", expiresAt: "tomorrow" }), /TTL attribute 'expiresAt' is a time in epoch seconds/);
            });
        });

        describe("a table without a sort key", () => {
            it("keys items by the partition key alone; a query answers at most that item", async () => {
                const u = customer();
                await profiles.put({ userId: u, name: "Ada" });
                await profiles.put({ userId: u, name: "Ada L." }, { ifNotExists: true }).then(() => assert.fail("expected ConditionFailedError"), (e) => assert.ok(e instanceof ConditionFailedError));
                assert.deepEqual(await profiles.update({ userId: u }, { plan: "pro" }), { userId: u, name: "Ada", plan: "pro" });
                assert.deepEqual(await profiles.query({ partition: u }), { items: [{ userId: u, name: "Ada", plan: "pro" }] });
                assert.deepEqual(await profiles.query({ partition: customer() }), { items: [] });
                await assert.rejects(profiles.query({ partition: u, sortPrefix: "x" }), /needs a sort key, and this table has none/);
                await assert.rejects(profiles.get({ userId: u, orderId: "x" }), /a key has only userId; got also orderId/);
                await profiles.delete({ userId: u });
                assert.equal(await profiles.get({ userId: u }), undefined);
            });
        });

        describe("refused before any request", () => {
            it("names what is wrong with a key", async () => {
                await assert.rejects(orders.get({ customerId: "c" }), /key attribute 'orderId' must be a non-empty string, got undefined/);
                await assert.rejects(orders.get({ customerId: "", orderId: "o" }), /key attribute 'customerId' must be a non-empty string/);
                await assert.rejects(orders.put({ customerId: "c", orderId: 7 } as unknown as Item), /key attribute 'orderId' must be a non-empty string, got number 7/);
                await assert.rejects(orders.get({ customerId: "c".repeat(2049), orderId: "o" }), /'customerId' is 2049 bytes of UTF-8, at most 2048/);
                await assert.rejects(orders.get({ customerId: "c", orderId: "é".repeat(513) }), /'orderId' is 1026 bytes of UTF-8, at most 1024/);
                await assert.rejects(orders.get({ customerId: "c", orderId: "\ud800" }), /unpaired surrogate/);
            });

            it("names what JSON would lose or DynamoDB could not hold", async () => {
                const base = { customerId: "c", orderId: "o" };
                await assert.rejects(orders.put({ ...base, n: Number.NaN }), /item.n is NaN; numbers are finite/);
                await assert.rejects(orders.put({ ...base, list: [1, undefined] } as unknown as Item), /item.list\[1\] is undefined/);
                await assert.rejects(orders.put({ ...base, f: () => 1 } as unknown as Item), /item.f is function/);
                await assert.rejects(orders.put({ ...base, m: new Map() } as unknown as Item), /item.m is a Map/);
                await assert.rejects(orders.put({ ...base, blob: "x".repeat(400 * 1024) }), /bytes as JSON, at most 409600/);
                let deep: Item = { leaf: true };
                for (let i = 0; i < 33; i++) deep = { d: deep };
                await assert.rejects(orders.put({ ...base, deep }), /nested more than 32 levels deep/);
                await assert.rejects(orders.put([base] as unknown as Item), /an item is a JSON object, got an array/);
            });
        });
    });
}

describe("table(name) configured by its link's variables", function () {
    this.timeout(60_000);
    const saved = { ...process.env };
    afterEach(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });

    /** The variables a Table's link sets for `orders`, plus the target's. */
    const link = (target: string, own: Record<string, string>) =>
        Object.assign(process.env, { SB_TARGET: target, SB_TABLE_ORDERS_PARTITION_KEY: "customerId", SB_TABLE_ORDERS_SORT_KEY: "orderId", ...own });

    async function roundTrip(): Promise<void> {
        const orders = table("orders");
        await orders.put({ customerId: "c-1", orderId: "o-1", total: 3 });
        await orders.put({ customerId: "c-1", orderId: "o-2", total: 4 });
        assert.deepEqual(await orders.update({ customerId: "c-1", orderId: "o-1" }, { total: 5 }), { customerId: "c-1", orderId: "o-1", total: 5 });
        assert.deepEqual((await orders.query({ partition: "c-1", descending: true })).items.map((i) => i.orderId), ["o-2", "o-1"]);
    }

    it("aws: the table name from the link, DynamoDB found as the SDK finds it (here AWS_ENDPOINT_URL_DYNAMODB)", async () => {
        let dynalite: Dynalite | undefined;
        try {
            dynalite = await startDynalite();
            await dynalite.createTable("orders-4f2a91c", "customerId", "orderId");
            link("aws", {
                SB_TABLE_ORDERS_NAME: "orders-4f2a91c",
                AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
                AWS_REGION: "us-east-1",
                AWS_ACCESS_KEY_ID: "test",
                AWS_SECRET_ACCESS_KEY: "test",
            });
            await roundTrip();
        } finally {
            await dynalite?.stop();
        }
    });

    it("tencentcloud: address, database, user and password from the link; the database and table made on first use", async () => {
        let server: MariaDb | undefined;
        try {
            server = await startMariaDb();
            link("tencentcloud", {
                SB_TABLE_ORDERS_NAME: "orders",
                SB_TABLE_ORDERS_HOST: server.host,
                SB_TABLE_ORDERS_PORT: String(server.port),
                SB_TABLE_ORDERS_DATABASE: "serverless_blocks",
                SB_TABLE_ORDERS_USER: server.user,
                SB_TABLE_ORDERS_PASSWORD: server.password,
            });
            await roundTrip();
            const { createConnection } = await import("mysql2/promise");
            const admin = await createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
            const [rows] = await admin.query("SHOW TABLES FROM serverless_blocks");
            await admin.end();
            assert.deepEqual(rows, [{ Tables_in_serverless_blocks: "orders" }]);
        } finally {
            await closeLinkedPools();
            await server?.stop();
        }
    });

    it("local: the SQLite file from the link, made with its directory on first use", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-table-link-"));
        try {
            const file = path.join(dir, "data", "tables", "orders.sqlite");
            link("local", { SB_TABLE_ORDERS_NAME: "orders", SB_TABLE_ORDERS_FILE: file });
            await roundTrip();
            assert.ok(fs.existsSync(file));
        } finally {
            localTable.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("names the missing variable when the table is not linked", async () => {
        process.env.SB_TARGET = "local";
        await assert.rejects(table("ghosts").get({ id: "x" }), /SB_TABLE_GHOSTS_NAME is not set: link the table 'ghosts' to this function/);
    });
});

describe("table(name) inside each target's bundled function", function () {
    this.timeout(120_000);
    const projectDir = path.resolve(__dirname, "..", "..");
    const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(projectDir, "test", "fixtures", "events", `${name}.json`), "utf8"));
    const saved = { ...process.env };
    const dirs: string[] = [];
    afterEach(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });
    after(() => {
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(path.join(projectDir, ".build", "test-bundles"), { recursive: true, force: true });
    });

    const program = () => {
        const notes = new Table("notes", { partitionKey: "owner", sortKey: "id" });
        new Function("notes-api", { handler: "test/fixtures/functions/table-notes.handler", link: [notes.link] });
    };
    const note = (id: string) => JSON.stringify({ owner: "ada", id, text: `note ${id}` });

    /** Extracts a zip into `parent` and requires its entry, as the cloud's runtime does. */
    function load(zipPath: string, parent: string): (event: unknown, context?: unknown) => Promise<{ statusCode: number; body: string }> {
        fs.mkdirSync(parent, { recursive: true });
        const dir = fs.mkdtempSync(path.join(parent, "sb-table-bundle-"));
        dirs.push(dir);
        for (const [name, data] of Object.entries(unzipFiles(fs.readFileSync(path.resolve(projectDir, zipPath))))) fs.writeFileSync(path.join(dir, name), data);
        return require(path.join(dir, "index.js")).handler;
    }

    it("aws: the Lambda bundle writes and reads DynamoDB (dynalite) through the API Gateway adapter", async () => {
        const stack = await evaluate("aws", program);
        const lambda = stack.one("aws:lambda/function:Function", "notes-api");
        const env = lambda.state.environment.variables as Record<string, string>;
        const dynalite = await startDynalite();
        try {
            await dynalite.createTable(env.SB_TABLE_NOTES_NAME, "owner", "id");
            // Lambda's runtime provides the AWS SDK the bundle leaves out: extracted beside node_modules here.
            const handler = load((lambda.inputs.code as { archive: string }).archive, path.join(projectDir, ".build", "test-bundles"));
            Object.assign(process.env, env, { AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
            const first = await handler({ ...fixture("aws-http-api-v2"), body: note("n-1") }, {});
            const second = await handler({ ...fixture("aws-http-api-v2"), body: note("n-2") }, {});
            const again = await handler({ ...fixture("aws-http-api-v2"), body: note("n-1") }, {});
            assert.equal(first.statusCode, 201, first.body);
            assert.deepEqual(JSON.parse(second.body), { notes: ["n-2", "n-1"] });
            assert.equal(again.statusCode, 409, again.body);
        } finally {
            await dynalite.stop();
        }
    });

    it("tencentcloud: the SCF bundle, with mysql2 inside, writes and reads MySQL (MariaDB) through the API Gateway adapter", async () => {
        const stack = await evaluate("tencentcloud", program);
        const scf = stack.one("tencentcloud:index/scfFunction:ScfFunction", "notes-api");
        const env = scf.state.environment as Record<string, string>;
        const server = await startMariaDb();
        try {
            // Self-contained: extracted away from the project's node_modules.
            const handler = load(String(scf.inputs.zipFile), os.tmpdir());
            // The plan's address and password are placeholders: the test server's stand in for them.
            // This server has no TLS (test/runtime/tencent-table-accounts.test.ts covers the TLS link).
            const { SB_TABLE_NOTES_TLS: tls, ...plain } = env;
            assert.equal(tls, "required", "the link asks for TLS");
            Object.assign(process.env, plain, {
                SB_TABLE_NOTES_HOST: server.host,
                SB_TABLE_NOTES_PORT: String(server.port),
                SB_TABLE_NOTES_USER: server.user,
                SB_TABLE_NOTES_PASSWORD: server.password,
            });
            const event = (body: string) => ({ ...fixture("tencent-apigw"), body });
            const first = await handler(event(note("n-1")), {});
            const second = await handler(event(note("n-2")), {});
            const again = await handler(event(note("n-1")), {});
            assert.equal(first.statusCode, 201, first.body);
            assert.deepEqual(JSON.parse(second.body), { notes: ["n-2", "n-1"] });
            assert.equal(again.statusCode, 409, again.body);
            assert.equal(env.SB_TABLE_NOTES_DATABASE, "serverless_blocks");
        } finally {
            // The bundle's own pools: ended with the process on SCF; here the server goes first.
            await server.stop();
        }
    });

    it("local: a worker-thread function writes and reads the table's SQLite file under the data directory", async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-table-local-"));
        dirs.push(dataDir);
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        const stack = await evaluate("local", program);
        const request = (body: string) => ({ kind: "http", request: { method: "POST", path: "/notes", headers: { "content-type": "application/json" }, query: {}, params: {}, requestId: "t", body } });
        try {
            const fn = stack.runtime.function("notes-api");
            const first = (await fn.invoke(request(note("n-1")))) as { status: number; body: string };
            const second = (await fn.invoke(request(note("n-2")))) as { status: number; body: string };
            const again = (await fn.invoke(request(note("n-1")))) as { status: number; body: string };
            assert.equal(first.status, 201, first.body);
            assert.deepEqual(JSON.parse(second.body), { notes: ["n-2", "n-1"] });
            assert.equal(again.status, 409, again.body);
            assert.ok(fs.existsSync(path.join(dataDir, "tables", "notes.sqlite")));
        } finally {
            await stack.runtime.close();
        }
    });
});
