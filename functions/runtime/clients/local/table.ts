// Tables on the local target: one SQLite file per Table (better-sqlite3), whose path the Table's
// link gives (`SB_TABLE_<NAME>_FILE`, under the runtime's data directory). Function instances are
// worker threads of one process, and a script beside `npm start` is another process: each opens
// the file itself, WAL lets readers and one writer work at once, and a busy writer is waited for.
import * as fs from "node:fs";
import * as path from "node:path";
import type Database from "better-sqlite3";
import { linkedValue } from "../target";
import { clearedOutbox, keyValues, liveItem, merged, pageOf, pageStatement, pendingStatement, PURGE_INTERVAL_MS, quoted, ROW_COLUMNS, rowValues, type ItemRow } from "../sql-table";
import type { Item, StoredKey, TableBackend, TableSettings } from "../table";

export interface LocalTableOptions {
    /** The SQLite file of a table; by default the link's `SB_TABLE_<NAME>_FILE`. */
    file?: (table: TableSettings) => string;
    /** How long a write waits for another writer, ms. Default 5000. */
    busyTimeoutMs?: number;
}

/** A backend that can also close the files it opened (tests; a script's shutdown). */
export interface LocalTableBackend extends TableBackend {
    close(): void;
}

interface OpenTable {
    db: Database.Database;
    name: string;
    purgedAt: number;
}

export function createLocalTable(options: LocalTableOptions = {}): LocalTableBackend {
    const fileOf = options.file ?? ((t: TableSettings) => linkedValue("table", t.name, "file"));
    const open = new Map<string, OpenTable>();

    const tableOf = (settings: TableSettings): OpenTable => {
        const file = fileOf(settings);
        const id = `${file}\0${settings.tableName}`;
        let t = open.get(id);
        if (!t) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const db = new (sqlite())(file, { timeout: options.busyTimeoutMs ?? 5_000 });
            db.pragma("journal_mode = WAL");
            db.pragma("synchronous = NORMAL");
            const name = quoted(settings.tableName);
            // The schema is made on first use, so a fresh data directory needs no setup step.
            db.exec(`CREATE TABLE IF NOT EXISTS ${name} (
                pk BLOB NOT NULL,
                sk BLOB NOT NULL,
                item TEXT NOT NULL,
                expires_at REAL,
                outbox_at REAL,
                PRIMARY KEY (pk, sk)
            ) WITHOUT ROWID`);
            // A file made before the outbox gets its column (NULL: nothing pending).
            const columns = (db.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name);
            if (!columns.includes("outbox_at")) db.exec(`ALTER TABLE ${name} ADD COLUMN outbox_at REAL`);
            db.exec(`CREATE INDEX IF NOT EXISTS ${quoted(`${settings.tableName}_expires`)} ON ${name} (expires_at) WHERE expires_at IS NOT NULL`);
            db.exec(`CREATE INDEX IF NOT EXISTS ${quoted(`${settings.tableName}_outbox`)} ON ${name} (outbox_at) WHERE outbox_at IS NOT NULL`);
            t = { db, name, purgedAt: 0 };
            open.set(id, t);
        }
        return t;
    };

    const read = (t: OpenTable, key: StoredKey) =>
        t.db.prepare<Pick<ItemRow, "item">>(`SELECT item FROM ${t.name} WHERE pk = ? AND sk = ?`).get(...keyValues(key));

    const write = (t: OpenTable, settings: TableSettings, key: StoredKey, item: Item) =>
        t.db.prepare(`INSERT OR REPLACE INTO ${t.name} (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?)`).run(...rowValues(settings, key, item));

    /** Expired rows are only skipped by reads; writes clear them out now and then. */
    const purge = (t: OpenTable, now: number) => {
        if (Date.now() - t.purgedAt < PURGE_INTERVAL_MS) return;
        t.purgedAt = Date.now();
        t.db.prepare(`DELETE FROM ${t.name} WHERE expires_at <= ?`).run(now);
    };

    return {
        async get(settings, key, now) {
            return liveItem(settings, read(tableOf(settings), key), now);
        },
        async put(settings, key, item, ifNotExists, now) {
            const t = tableOf(settings);
            purge(t, now);
            // IMMEDIATE: the check and the write hold the write lock together.
            return t.db.transaction(() => {
                if (ifNotExists && liveItem(settings, read(t, key), now)) return false;
                write(t, settings, key, item);
                return true;
            }).immediate();
        },
        async update(settings, key, set, remove, now) {
            const t = tableOf(settings);
            purge(t, now);
            return t.db.transaction(() => {
                const current = liveItem(settings, read(t, key), now);
                if (!current) return undefined;
                const next = merged(current, set, remove);
                write(t, settings, key, next);
                return next;
            }).immediate();
        },
        async delete(settings, key) {
            const t = tableOf(settings);
            t.db.prepare(`DELETE FROM ${t.name} WHERE pk = ? AND sk = ?`).run(...keyValues(key));
        },
        async query(settings, query, now) {
            const t = tableOf(settings);
            const { sql, params } = pageStatement(t.name, query, now);
            return pageOf(settings, query, t.db.prepare<ItemRow>(sql).all(...params));
        },
        async pendingOutbox(settings, before, limit) {
            const t = tableOf(settings);
            const { sql, params } = pendingStatement(t.name, before, limit);
            return t.db.prepare<Pick<ItemRow, "item">>(sql).all(...params).map((row) => JSON.parse(row.item) as Item);
        },
        async clearOutbox(settings, key, firstId) {
            const t = tableOf(settings);
            return t.db.transaction(() => {
                const row = read(t, key);
                const cleared = row && clearedOutbox(JSON.parse(row.item) as Item, firstId);
                if (!cleared) return false;
                write(t, settings, key, cleared);
                return true;
            }).immediate();
        },
        close() {
            for (const t of open.values()) t.db.close();
            open.clear();
        },
    };
}

/**
 * better-sqlite3 is a native addon, which a bundle cannot carry: it is loaded at run time from the
 * project's node_modules (the local runtime runs in the project). `module.require` is left alone
 * by the bundler, where `require("better-sqlite3")` would be inlined.
 */
function sqlite(): typeof Database {
    return module.require("better-sqlite3") as typeof Database;
}

/** The backend `table(name)` uses locally. */
export const localTable: LocalTableBackend = createLocalTable();
