// A Tencent Table's two MySQL accounts against a real server (MariaDB): created with exactly the
// privileges components/tencentcloud/table-accounts.ts grants, their credentials served by a local
// SSM GetSecretValue (API 3.0 answers) and read by the runtime client at cold start. The server
// itself refuses the read account's writes, even with the client's own check bypassed.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createConnection, type Connection } from "mysql2/promise";
import { TABLE_ACCOUNTS, TABLE_DATABASE } from "../../components/tencentcloud/table-accounts";
import { table, ReadOnlyLinkError, type TableSettings } from "../../functions/runtime/clients/table";
import { closeLinkedPools, createMysqlTable } from "../../functions/runtime/clients/tencentcloud/table";
import { CREDENTIALS_VERSION, createTableCredentials, SSM_ENDPOINT_VARIABLE } from "../../functions/runtime/clients/tencentcloud/table-credentials";
import { startMariaDb, type MariaDb } from "../support/mariadb";

const SECRETS = {
    write: { name: "app-dev-orders-table-write", user: TABLE_ACCOUNTS.write.user, password: "Write-pass_0123456789abcdef" },
    read: { name: "app-dev-orders-table-read", user: TABLE_ACCOUNTS.read.user, password: "Read-pass_0123456789abcdef" },
};

/** A local SSM: GetSecretValue for SECRETS, answered as API 3.0 does (errors with HTTP 200). */
async function startSsm(): Promise<{ endpoint: string; requests: { action: string; body: Record<string, unknown>; authorization: string }[]; close(): Promise<void> }> {
    const requests: { action: string; body: Record<string, unknown>; authorization: string }[] = [];
    const server = http.createServer((req, res) => {
        let text = "";
        req.on("data", (chunk) => (text += chunk));
        req.on("end", () => {
            const body = JSON.parse(text) as { SecretName?: string; VersionId?: string };
            const action = String(req.headers["x-tc-action"]);
            requests.push({ action, body, authorization: String(req.headers.authorization) });
            const secret = Object.values(SECRETS).find((s) => s.name === body.SecretName);
            const answer = action === "GetSecretValue" && secret && body.VersionId === CREDENTIALS_VERSION
                ? { SecretName: secret.name, VersionId: body.VersionId, SecretString: JSON.stringify({ user: secret.user, password: secret.password }), RequestId: "r-1" }
                : { Error: { Code: "ResourceNotFound", Message: `no secret ${body.SecretName} version ${body.VersionId}` }, RequestId: "r-2" };
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: answer }));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("Tencent Table accounts against MySQL (MariaDB) and a local SSM", function () {
    this.timeout(120_000);
    const saved = { ...process.env };
    let server: MariaDb;
    let admin: Connection;
    let ssm: Awaited<ReturnType<typeof startSsm>>;

    before(async () => {
        server = await startMariaDb();
        ssm = await startSsm();
        admin = await createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
        // As the deploy creates them: host '%', privileges on the Table's database only.
        for (const access of ["write", "read"] as const) {
            const { user, password } = SECRETS[access];
            await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
            await admin.query(`GRANT ${TABLE_ACCOUNTS[access].privileges.join(", ")} ON ${TABLE_DATABASE}.* TO '${user}'@'%'`);
        }
    });
    after(async () => {
        await closeLinkedPools();
        await admin?.end();
        await ssm?.close();
        await server?.stop();
    });
    afterEach(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });

    /** The environment a linked function gets on SCF, pointed at the test servers. */
    const linked = (access: "write" | "read") => Object.assign(process.env, {
        SB_TARGET: "tencentcloud",
        SB_TABLE_ORDERS_NAME: "orders",
        SB_TABLE_ORDERS_PARTITION_KEY: "customerId",
        SB_TABLE_ORDERS_SORT_KEY: "orderId",
        SB_TABLE_ORDERS_HOST: server.host,
        SB_TABLE_ORDERS_PORT: String(server.port),
        SB_TABLE_ORDERS_DATABASE: TABLE_DATABASE,
        SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME: SECRETS[access].name,
        ...(access === "read" ? { SB_TABLE_ORDERS_ACCESS: "read" } : {}),
        [SSM_ENDPOINT_VARIABLE]: ssm.endpoint,
        TENCENTCLOUD_REGION: "ap-guangzhou",
        TENCENTCLOUD_SECRETID: "AKIDtest",
        TENCENTCLOUD_SECRETKEY: "test-key",
        TENCENTCLOUD_SESSIONTOKEN: "test-token",
    });

    it("reads an account's secret once per instance with GetSecretValue, signed, and caches it", async () => {
        process.env.TENCENTCLOUD_REGION = "ap-guangzhou";
        Object.assign(process.env, { TENCENTCLOUD_SECRETID: "AKIDtest", TENCENTCLOUD_SECRETKEY: "test-key" });
        const before = ssm.requests.length;
        const read = createTableCredentials({ endpoint: ssm.endpoint });
        const [first, second] = await Promise.all([read(SECRETS.read.name), read(SECRETS.read.name)]);
        assert.deepEqual(first, { user: "sb_read", password: SECRETS.read.password });
        assert.deepEqual(second, first);
        assert.deepEqual(await read(SECRETS.read.name), first);
        const sent = ssm.requests.slice(before);
        assert.equal(sent.length, 1, "one request per secret and instance");
        assert.equal(sent[0].action, "GetSecretValue");
        assert.deepEqual(sent[0].body, { SecretName: SECRETS.read.name, VersionId: "current" });
        assert.match(sent[0].authorization, /^TC3-HMAC-SHA256 Credential=AKIDtest\/\d{4}-\d{2}-\d{2}\/ssm\/tc3_request, /);
        await assert.rejects(read("app-dev-ghosts-table-read"), /no secret app-dev-ghosts-table-read version current/);
    });

    it("writes through the write account, which makes the database and table on first use", async () => {
        linked("write");
        const orders = table("orders");
        await orders.put({ customerId: "c-1", orderId: "o-1", total: 3 });
        assert.deepEqual(await orders.update({ customerId: "c-1", orderId: "o-1" }, { total: 4 }), { customerId: "c-1", orderId: "o-1", total: 4 });
        const [tables] = await admin.query(`SHOW TABLES FROM ${TABLE_DATABASE}`);
        assert.deepEqual(tables, [{ [`Tables_in_${TABLE_DATABASE}`]: "orders" }]);
        const [sessions] = await admin.query(`SELECT DISTINCT USER AS user FROM information_schema.PROCESSLIST WHERE USER LIKE 'sb\\_%'`);
        assert.deepEqual(sessions, [{ user: "sb_write" }], "the link's pool connects as sb_write");
    });

    it("lets the write account bring a table made before the outbox up to date, then write to it", async () => {
        // The shape the client made before the outbox column, made by the cluster's admin.
        await admin.query(`CREATE TABLE ${TABLE_DATABASE}.legacy (pk VARBINARY(2048) NOT NULL, sk VARBINARY(1024) NOT NULL, item LONGTEXT NOT NULL, expires_at DOUBLE NULL, PRIMARY KEY (pk, sk), KEY expires_at (expires_at)) ENGINE=InnoDB`);
        linked("write");
        Object.assign(process.env, { SB_TABLE_ORDERS_NAME: "legacy" });
        await table("orders").put({ customerId: "c-1", orderId: "o-1" });
        const [columns] = await admin.query(`SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'legacy' ORDER BY ORDINAL_POSITION`, [TABLE_DATABASE]);
        assert.ok((columns as { c: string }[]).some((c) => c.c === "outbox_at"), "the outbox column was added");
        const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${TABLE_DATABASE}.legacy`);
        assert.deepEqual(rows, [{ n: 1 }]);
    });

    it("reads through the read account, and the server refuses its writes even past the client's check", async () => {
        linked("read");
        const orders = table("orders");
        assert.deepEqual(await orders.get({ customerId: "c-1", orderId: "o-1" }), { customerId: "c-1", orderId: "o-1", total: 4 });
        assert.deepEqual((await orders.query({ partition: "c-1" })).items.map((i) => i.orderId), ["o-1"]);
        await assert.rejects(orders.put({ customerId: "c-1", orderId: "o-2" }), ReadOnlyLinkError);

        // The client's check bypassed: the backend's writes, called as the client would after it.
        const settings: TableSettings = { name: "orders", tableName: "orders", partitionKey: "customerId", sortKey: "orderId", readOnly: true };
        const backend = createMysqlTable();
        const key = { partition: "c-1", sort: "o-1" };
        const now = Date.now() / 1000;
        const denied = /command denied to user 'sb_read'/;
        await assert.rejects(backend.put(settings, { partition: "c-1", sort: "o-2" }, { customerId: "c-1", orderId: "o-2" }, false, now), denied);
        await assert.rejects(backend.put(settings, { partition: "c-1", sort: "o-3" }, { customerId: "c-1", orderId: "o-3" }, true, now), denied);
        await assert.rejects(backend.delete(settings, key), denied);
        await assert.rejects(backend.update(settings, key, { total: 9 }, [], now), denied);
        const [rows] = await admin.query(`SELECT pk, sk FROM ${TABLE_DATABASE}.orders`);
        assert.equal((rows as unknown[]).length, 1, "nothing written or deleted");
        assert.deepEqual(await orders.get({ customerId: "c-1", orderId: "o-1" }), { customerId: "c-1", orderId: "o-1", total: 4 }, "nothing updated");
    });

    it("reads a table no write has made yet as empty, and can neither make a table nor write a row", async () => {
        linked("read");
        Object.assign(process.env, { SB_TABLE_ORDERS_NAME: "ledger" });
        const ledger = table("orders");
        assert.equal(await ledger.get({ customerId: "c-1", orderId: "o-1" }), undefined);
        assert.deepEqual(await ledger.query({ partition: "c-1" }), { items: [] });
        const read = await createConnection({ host: server.host, port: server.port, user: SECRETS.read.user, password: SECRETS.read.password });
        try {
            await assert.rejects(read.query(`CREATE TABLE ${TABLE_DATABASE}.ledger (id INT PRIMARY KEY)`), /command denied to user 'sb_read'/);
            await assert.rejects(read.query(`INSERT INTO ${TABLE_DATABASE}.orders (pk, sk, item) VALUES ('a', 'b', '{}')`), /INSERT command denied to user 'sb_read'/);
            await assert.rejects(read.query(`UPDATE ${TABLE_DATABASE}.orders SET item = '{}'`), /UPDATE command denied to user 'sb_read'/);
        } finally {
            await read.end();
        }
    });
});
