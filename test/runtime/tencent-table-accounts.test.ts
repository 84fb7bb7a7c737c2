// A Tencent Table's two MySQL accounts against a real server (MariaDB): created with exactly the
// privileges components/tencentcloud/table-accounts.ts grants, their credentials served by a local
// SSM GetSecretValue (API 3.0 answers) and read by the runtime client at cold start. The server
// itself refuses the read account's writes, even with the client's own check bypassed. A link
// requiring TLS connects over TLS (to a MariaDB given a throwaway certificate) or not at all.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createConnection, type Connection, type Pool, type RowDataPacket } from "mysql2/promise";
import { TABLE_ACCOUNTS, TABLE_DATABASE } from "../../components/tencentcloud/table-accounts";
import { table, ReadOnlyLinkError, type TableSettings } from "../../functions/runtime/clients/table";
import { closeLinkedPools, createMysqlTable, mysqlPool, type MysqlTls } from "../../functions/runtime/clients/tencentcloud/table";
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

/** The environment a function linked to the orders table gets on SCF, pointed at the test servers. */
function linkedEnvironment(server: MariaDb, ssmEndpoint: string, secretName: string, extra: Record<string, string>): Record<string, string> {
    return {
        SB_TARGET: "tencentcloud",
        SB_TABLE_ORDERS_NAME: "orders",
        SB_TABLE_ORDERS_PARTITION_KEY: "customerId",
        SB_TABLE_ORDERS_SORT_KEY: "orderId",
        SB_TABLE_ORDERS_HOST: server.host,
        SB_TABLE_ORDERS_PORT: String(server.port),
        SB_TABLE_ORDERS_DATABASE: TABLE_DATABASE,
        SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME: secretName,
        [SSM_ENDPOINT_VARIABLE]: ssmEndpoint,
        TENCENTCLOUD_REGION: "ap-guangzhou",
        TENCENTCLOUD_SECRETID: "AKIDtest",
        TENCENTCLOUD_SECRETKEY: "test-key",
        ...extra,
    };
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

    const linked = (access: "write" | "read") => Object.assign(process.env, linkedEnvironment(server, ssm.endpoint, SECRETS[access].name, {
        ...(access === "read" ? { SB_TABLE_ORDERS_ACCESS: "read" } : {}),
        TENCENTCLOUD_SESSIONTOKEN: "test-token",
    }));

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

/** A throwaway CA and a server certificate it signed for 127.0.0.1, and an unrelated CA (openssl). */
function makeCertificates(dir: string): { caPem: string; strangerPem: string; serverCert: string; serverKey: string } {
    const run = (...args: string[]) => {
        const done = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
        if (done.error || done.status !== 0) throw new Error(`openssl ${args[0]} failed (install openssl): ${done.error?.message ?? done.stderr}`);
    };
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=sb test CA");
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key", "-out", "stranger.pem", "-days", "1", "-subj", "/CN=sb stranger CA");
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext");
    const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
    return { caPem: read("ca.pem"), strangerPem: read("stranger.pem"), serverCert: path.join(dir, "server.pem"), serverKey: path.join(dir, "server.key") };
}

/** The TLS version of a fresh connection of `pool`, as the server sees it ("" for plaintext). */
async function sessionTls(pool: Pool): Promise<string> {
    const [rows] = await pool.query<RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Ssl_version'");
    return String(rows[0]?.Value ?? "");
}

describe("Tencent Table links requiring TLS (SB_TABLE_<NAME>_TLS=required)", function () {
    this.timeout(120_000);
    const saved = { ...process.env };
    const user = TABLE_ACCOUNTS.write.user;
    const password = SECRETS.write.password;
    let dir: string;
    let certificates: ReturnType<typeof makeCertificates>;
    let tlsServer: MariaDb;
    let plainServer: MariaDb;
    let ssm: Awaited<ReturnType<typeof startSsm>>;
    const pools: Pool[] = [];
    const pool = (server: MariaDb, tls?: MysqlTls) => {
        const made = mysqlPool({ host: server.host, port: server.port, user, password, connectionLimit: 1, tls });
        pools.push(made);
        return made;
    };

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-tls-"));
        certificates = makeCertificates(dir);
        [tlsServer, plainServer, ssm] = await Promise.all([
            startMariaDb("sb_test", [`--ssl-cert=${certificates.serverCert}`, `--ssl-key=${certificates.serverKey}`]),
            startMariaDb(),
            startSsm(),
        ]);
        // The write account on both; on the TLS server it may log in over TLS only.
        for (const [server, require] of [[tlsServer, " REQUIRE SSL"], [plainServer, ""]] as const) {
            const admin = await createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
            await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'${require}`);
            await admin.query(`GRANT ${TABLE_ACCOUNTS.write.privileges.join(", ")} ON ${TABLE_DATABASE}.* TO '${user}'@'%'`);
            await admin.end();
        }
    });
    after(async () => {
        await closeLinkedPools();
        await Promise.all(pools.map((p) => p.end()));
        await ssm?.close();
        await Promise.all([tlsServer?.stop(), plainServer?.stop()]);
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });
    afterEach(() => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });

    const linked = (server: MariaDb, tls: string | undefined) => Object.assign(process.env, linkedEnvironment(server, ssm.endpoint, SECRETS.write.name,
        tls === undefined ? {} : { SB_TABLE_ORDERS_TLS: tls }));

    it("the server refuses the account in plaintext, so a login proves TLS", async () => {
        await assert.rejects(pool(tlsServer).query("SELECT 1"), /Access denied for user 'sb_write'/);
    });

    it("a linked table requiring TLS writes and reads over TLS 1.2 or later", async () => {
        linked(tlsServer, "required");
        const orders = table("orders");
        await orders.put({ customerId: "c-1", orderId: "o-1", total: 3 });
        assert.deepEqual(await orders.get({ customerId: "c-1", orderId: "o-1" }), { customerId: "c-1", orderId: "o-1", total: 3 });
        assert.match(await sessionTls(pool(tlsServer, {})), /^TLSv1\.[23]$/);
    });

    it("never falls back to plaintext: a server without TLS is refused", async () => {
        linked(plainServer, "required");
        await assert.rejects(table("orders").put({ customerId: "c-1", orderId: "o-1" }), /Server does not support secure connection/);
        const [rows] = await pool(plainServer).query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [TABLE_DATABASE]);
        assert.equal(Number(rows[0].n), 0, "nothing was made in plaintext");
    });

    it("a link without the variable (made before TLS) connects as before; another value is an error naming it", async () => {
        linked(plainServer, undefined);
        await table("orders").put({ customerId: "c-1", orderId: "o-1" });
        linked(plainServer, "preferred");
        await assert.rejects(table("orders").get({ customerId: "c-1", orderId: "o-1" }), /SB_TABLE_ORDERS_TLS is 'preferred': expected 'required' or unset/);
    });

    it("with a CA, accepts a server certificate it signed and refuses one it did not", async () => {
        assert.match(await sessionTls(pool(tlsServer, { ca: certificates.caPem })), /^TLSv1\.[23]$/);
        await assert.rejects(pool(tlsServer, { ca: certificates.strangerPem }).query("SELECT 1"), /self[- ]signed|unable to (get local issuer|verify)/i);
    });
});
