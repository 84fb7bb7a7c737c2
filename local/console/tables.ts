// The app's tables for the console, read-only: found through the links its functions hold
// (SB_TABLE_<NAME>_NAME and _FILE, components/table.ts), each opened read-only as SQLite.
import * as fs from "node:fs";
import Database from "better-sqlite3";
import type { LocalRuntime } from "../runtime";
import { ConsoleRequestError } from "./request-error";

export interface AppTable {
    /** The link's name part (upper case, as in the variable). */
    name: string;
    tableName: string;
    partitionKey?: string;
    sortKey?: string;
    file: string;
}

export function appTables(runtime: LocalRuntime): AppTable[] {
    const found = new Map<string, AppTable>();
    for (const host of runtime.functions.values()) {
        const env = host.definition.environment;
        for (const [key, file] of Object.entries(env)) {
            const match = /^SB_TABLE_(.+)_FILE$/.exec(key);
            const tableName = match && env[`SB_TABLE_${match[1]}_NAME`];
            if (!match || !tableName || found.has(`${file}\0${tableName}`)) continue;
            found.set(`${file}\0${tableName}`, { name: match[1].toLowerCase(), tableName, partitionKey: env[`SB_TABLE_${match[1]}_PARTITION_KEY`], sortKey: env[`SB_TABLE_${match[1]}_SORT_KEY`], file });
        }
    }
    return [...found.values()];
}

/** A page of items in key order; `filter` keeps those whose JSON contains it (case-insensitive). */
export function readItems(table: AppTable, page: { limit: number; offset: number; filter?: string }): { table: string; items: unknown[]; total: number } {
    if (!fs.existsSync(table.file)) return { table: table.name, items: [], total: 0 }; // nothing written yet
    const db = new Database(table.file, { readonly: true, fileMustExist: true });
    try {
        const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table.tableName);
        if (!exists) return { table: table.name, items: [], total: 0 };
        const name = `"${table.tableName.replace(/"/g, '""')}"`;
        const now = Date.now() / 1000;
        const live = `(expires_at IS NULL OR expires_at > ?)`;
        const filter = page.filter ? ` AND instr(lower(item), lower(?)) > 0` : "";
        const args = page.filter ? [now, page.filter] : [now];
        const total = (db.prepare(`SELECT count(*) AS n FROM ${name} WHERE ${live}${filter}`).get(...args) as { n: number }).n;
        const rows = db.prepare(`SELECT item FROM ${name} WHERE ${live}${filter} ORDER BY pk, sk LIMIT ? OFFSET ?`).all(...args, page.limit, page.offset) as { item: string }[];
        return { table: table.name, items: rows.map((r) => JSON.parse(r.item)), total };
    } catch (err) {
        throw new ConsoleRequestError(500, `reading table '${table.name}' (${table.file}): ${(err as Error).message}`);
    } finally {
        db.close();
    }
}
