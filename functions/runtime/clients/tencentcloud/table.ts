// Tables on Tencent Cloud: TDSQL-C for MySQL (Serverless), reached with mysql2 from functions in the
// cluster's VPC. The Table's link gives the address and database (SB_TABLE_<NAME>_HOST/_PORT/
// _DATABASE) and the SSM secret holding the MySQL account of the link's access level
// (SB_TABLE_<NAME>_ACCOUNT_SECRET_NAME), read once per instance (./table-credentials.ts). The
// database and the table are made on first use by the write account; a read link's account
// (SELECT only) makes nothing, and reads a table not made yet as empty.
//
// A Serverless cluster pauses once no connection has been open for its auto-pause delay, and
// resumes when one arrives. Pooled connections of a frozen SCF instance would keep it awake, so
// each connection asks the server to close it after SESSION_IDLE_SECONDS idle (wait_timeout); a
// statement on a connection closed that way is retried once on a fresh one. (Should a connection
// drop after a conditional put committed but before its answer came, the retry reports
// ConditionFailedError for the put that in fact succeeded.)
import { createPool, type Pool, type PoolConnection, type RowDataPacket } from "mysql2/promise";
import { linkedSetting, linkedValue, linkVariableName } from "../target";
import { linkedCredentials } from "./table-credentials";
import { clearedOutbox, keyValues, liveItem, merged, pageOf, pageStatement, pendingStatement, PURGE_INTERVAL_MS, quoted, ROW_COLUMNS, rowValues, type ItemRow } from "../sql-table";
import type { Item, StoredKey, TableBackend, TableSettings } from "../table";

/** A pool and the database the table lives in. */
export interface MysqlTarget {
    pool: Pool;
    database: string;
}

export interface MysqlTableOptions {
    /** The pool and database of a table; by default a pool per address and account, from the link's variables. */
    connect?: (table: TableSettings) => MysqlTarget | Promise<MysqlTarget>;
}

/** The server closes a connection idle this long, so that a paused-worthy cluster can pause. */
export const SESSION_IDLE_SECONDS = 120;
/** A paused cluster resumes "in seconds"; a connection waits this long for it. */
export const CONNECT_TIMEOUT_MS = 30_000;

/** A read account's table (or database) that no write has made yet (ER_NO_SUCH_TABLE 1146, ER_BAD_DB_ERROR 1049). */
const NOT_MADE_YET = new Set(["ER_NO_SUCH_TABLE", "ER_BAD_DB_ERROR"]);
/** MySQL's error for a duplicate primary key (ER_DUP_ENTRY, 1062). */
const DUPLICATE_KEY = "ER_DUP_ENTRY";
/** A pooled connection the server (or the network) closed while the instance was idle. */
const CONNECTION_GONE = new Set(["PROTOCOL_CONNECTION_LOST", "ECONNRESET", "EPIPE"]);

export function createMysqlTable(options: MysqlTableOptions = {}): TableBackend {
    const connect = options.connect ?? linkedPool;
    const ready = new Map<string, Promise<string>>();
    const purgedAt = new Map<string, number>();

    /** The quoted, database-qualified table, made if missing (once per pool and table). */
    const tableIn = (target: MysqlTarget, settings: TableSettings): Promise<string> => {
        const name = `${quoted(target.database)}.${quoted(settings.tableName)}`;
        const id = `${poolId(target.pool)}\0${name}`;
        // A read link's account may not create (SELECT only): its reads find the table or nothing.
        if (settings.readOnly) return Promise.resolve(name);
        let made = ready.get(id);
        if (!made) {
            made = (async () => {
                await target.pool.query(`CREATE DATABASE IF NOT EXISTS ${quoted(target.database)} CHARACTER SET utf8mb4`);
                await target.pool.query(`CREATE TABLE IF NOT EXISTS ${name} (
                    pk VARBINARY(2048) NOT NULL,
                    sk VARBINARY(1024) NOT NULL,
                    item LONGTEXT NOT NULL,
                    expires_at DOUBLE NULL,
                    outbox_at DOUBLE NULL,
                    PRIMARY KEY (pk, sk),
                    KEY expires_at (expires_at),
                    KEY outbox_at (outbox_at)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
                // A table made before the outbox gets its column and index (NULL: nothing pending).
                const [columns] = await target.pool.query<RowDataPacket[]>(
                    "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = 'outbox_at'",
                    [target.database, settings.tableName],
                );
                if (Number(columns[0].n) === 0) await target.pool.query(`ALTER TABLE ${name} ADD COLUMN outbox_at DOUBLE NULL, ADD KEY outbox_at (outbox_at)`);
                return name;
            })();
            made.catch(() => ready.delete(id)); // a failed attempt is tried again by the next call
            ready.set(id, made);
        }
        return made;
    };

    /**
     * Runs `work` with the table; once more on a fresh connection if the pooled one was gone.
     * `notMade` answers a read of a table not made yet (read links only: others make it first).
     */
    const withTable = async <R>(settings: TableSettings, work: (pool: Pool, table: string) => Promise<R>, notMade?: () => R): Promise<R> => {
        const target = await connect(settings);
        const table = await retried(() => tableIn(target, settings));
        try {
            return await retried(() => work(target.pool, table));
        } catch (err) {
            if (notMade && NOT_MADE_YET.has((err as { code?: string }).code ?? "")) return notMade();
            throw err;
        }
    };

    const purge = async (pool: Pool, table: string, now: number) => {
        const last = purgedAt.get(table) ?? 0;
        if (Date.now() - last < PURGE_INTERVAL_MS) return;
        purgedAt.set(table, Date.now());
        await pool.execute(`DELETE FROM ${table} WHERE expires_at <= ? LIMIT 1000`, [now]);
    };

    return {
        get(settings, key, now) {
            return withTable(settings, async (pool, table) => {
                const [rows] = await pool.execute<RowDataPacket[]>(`SELECT item FROM ${table} WHERE pk = ? AND sk = ?`, keyValues(key));
                return liveItem(settings, rows[0] as ItemRow | undefined, now);
            }, () => undefined);
        },
        put(settings, key, item, ifNotExists, now) {
            return withTable(settings, async (pool, table) => {
                await purge(pool, table, now);
                const values = rowValues(settings, key, item);
                if (!ifNotExists) {
                    await pool.execute(`REPLACE INTO ${table} (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?)`, values);
                    return true;
                }
                // An expired item counts as gone: clear it, then insert; the primary key decides races.
                await pool.execute(`DELETE FROM ${table} WHERE pk = ? AND sk = ? AND expires_at <= ?`, [...keyValues(key), now]);
                try {
                    await pool.execute(`INSERT INTO ${table} (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?)`, values);
                    return true;
                } catch (err) {
                    if ((err as { code?: string }).code === DUPLICATE_KEY) return false;
                    throw err;
                }
            });
        },
        update(settings, key, set, remove, now) {
            return withTable(settings, async (pool, table) => {
                await purge(pool, table, now);
                return inTransaction(pool, async (connection) => {
                    const [rows] = await connection.execute<RowDataPacket[]>(`SELECT item FROM ${table} WHERE pk = ? AND sk = ? FOR UPDATE`, keyValues(key));
                    const current = liveItem(settings, rows[0] as ItemRow | undefined, now);
                    if (!current) return undefined;
                    const next: Item = merged(current, set, remove);
                    await rewrite(connection, table, rowValues(settings, key, next));
                    return next;
                });
            });
        },
        pendingOutbox(settings, before, limit) {
            return withTable(settings, async (pool, table) => {
                const { sql, params } = pendingStatement(table, before, limit);
                const [rows] = await pool.execute<RowDataPacket[]>(sql, params as number[]);
                return rows.map((row) => JSON.parse((row as ItemRow).item) as Item);
            });
        },
        clearOutbox(settings, key, firstId) {
            return withTable(settings, (pool, table) => inTransaction(pool, async (connection) => {
                const [rows] = await connection.execute<RowDataPacket[]>(`SELECT item FROM ${table} WHERE pk = ? AND sk = ? FOR UPDATE`, keyValues(key));
                const row = rows[0] as ItemRow | undefined;
                const cleared = row && clearedOutbox(JSON.parse(row.item) as Item, firstId);
                if (!cleared) return false;
                await rewrite(connection, table, rowValues(settings, key, cleared));
                return true;
            }));
        },
        delete(settings, key) {
            return withTable(settings, async (pool, table) => {
                await pool.execute(`DELETE FROM ${table} WHERE pk = ? AND sk = ?`, keyValues(key));
            });
        },
        query(settings, query, now) {
            return withTable(settings, async (pool, table) => {
                const { sql, params } = pageStatement(table, query, now);
                const [rows] = await pool.execute<RowDataPacket[]>(sql, params as (Buffer | number)[]);
                return pageOf(settings, query, rows as unknown as ItemRow[]);
            }, () => pageOf(settings, query, []));
        },
    };
}

/** Writes a row's item and the columns derived from it (the row is locked by the caller). */
async function rewrite(connection: PoolConnection, table: string, [pk, sk, item, expiresAt, outboxAt]: ReturnType<typeof rowValues>): Promise<void> {
    await connection.execute(`UPDATE ${table} SET item = ?, expires_at = ?, outbox_at = ? WHERE pk = ? AND sk = ?`, [item, expiresAt, outboxAt, pk, sk]);
}

async function inTransaction<R>(pool: Pool, work: (connection: PoolConnection) => Promise<R>): Promise<R> {
    const connection = await pool.getConnection();
    try {
        await connection.beginTransaction();
        const result = await work(connection);
        await connection.commit();
        return result;
    } catch (err) {
        await connection.rollback().catch(() => undefined);
        throw err;
    } finally {
        connection.release();
    }
}

async function retried<R>(work: () => Promise<R>): Promise<R> {
    try {
        return await work();
    } catch (err) {
        if (!CONNECTION_GONE.has((err as { code?: string }).code ?? "")) throw err;
        return work();
    }
}

const poolIds = new WeakMap<Pool, number>();
let nextPoolId = 0;
function poolId(pool: Pool): number {
    let id = poolIds.get(pool);
    if (id === undefined) poolIds.set(pool, (id = nextPoolId++));
    return id;
}

/** Pools by address and account: one per container, kept warm across invocations. */
const pools = new Map<string, Pool>();

/**
 * TLS 1.2+ to the server. With `ca` (PEM) its certificate must chain to that CA (not its name: the
 * link gives an IP address); without one the connection is encrypted but the server unverified: TDSQL-C's CA is only a zip to download (see
 * components/tencentcloud/table.ts), so a linked table has none. That still defeats passive
 * sniffing inside the VPC, not an active man in the middle there.
 */
export interface MysqlTls {
    ca?: string;
}

/** SB_TABLE_<NAME>_TLS's one value (components/tencentcloud/table.ts TABLE_TLS_REQUIRED). */
const TLS_REQUIRED = "required";

/** Makes a pool for MySQL at `settings`, with this backend's connection rules. */
export function mysqlPool(settings: { host: string; port: number; user: string; password: string; connectionLimit?: number; tls?: MysqlTls }): Pool {
    const pool = createPool({
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password: settings.password,
        charset: "utf8mb4",
        // Idle connections are closed by the server (wait_timeout, below), not by a pool timer that
        // would hold a script's process open.
        connectionLimit: settings.connectionLimit ?? 4,
        connectTimeout: CONNECT_TIMEOUT_MS,
        enableKeepAlive: true,
        // With `ssl` set mysql2 refuses a server that does not offer TLS ("Server does not support
        // secure connection"): never a silent fall back to plaintext.
        ...(settings.tls ? { ssl: tlsOptions(settings.tls) } : {}),
    });
    // The promise pool hands out the driver's callback connection here; a failure shows on first use.
    pool.on("connection", (connection) => {
        (connection as unknown as { query(sql: string, done: (err: unknown) => void): void }).query(`SET SESSION wait_timeout = ${SESSION_IDLE_SECONDS}`, () => undefined);
    });
    return pool;
}

function tlsOptions(tls: MysqlTls) {
    return tls.ca === undefined
        ? { minVersion: "TLSv1.2", rejectUnauthorized: false }
        : { minVersion: "TLSv1.2", ca: tls.ca, rejectUnauthorized: true };
}

/** The link's TLS rule: unset (a link from before TLS) is plaintext; anything but "required" is an error. */
function linkedTls(name: string): MysqlTls | undefined {
    const value = linkedSetting("table", name, "tls");
    if (value === undefined) return undefined;
    if (value !== TLS_REQUIRED) throw new Error(`${linkVariableName("table", name, "tls")} is '${value}': expected '${TLS_REQUIRED}' or unset`);
    return {};
}

/** The table's pool and database from its link's variables, as the account its link names. */
async function linkedPool(settings: TableSettings): Promise<MysqlTarget> {
    const setting = (key: string) => linkedValue("table", settings.name, key);
    const host = setting("host");
    const port = Number(setting("port"));
    const tls = linkedTls(settings.name);
    const { user, password } = await linkedCredentials(settings.name);
    const id = `${user}@${host}:${port}${tls ? " tls" : ""}`;
    let pool = pools.get(id);
    if (!pool) pools.set(id, (pool = mysqlPool({ host, port, user, password, tls })));
    return { pool, database: setting("database") };
}

/** Ends the pools `table(name)` opened (a script's shutdown; tests). */
export async function closeLinkedPools(): Promise<void> {
    const open = [...pools.values()];
    pools.clear();
    await Promise.all(open.map((pool) => pool.end()));
}

/** The backend `table(name)` uses on Tencent Cloud. */
export const tencentTable: TableBackend = createMysqlTable();
