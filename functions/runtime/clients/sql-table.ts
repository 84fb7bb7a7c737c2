// The storage shape the SQL backends share (MySQL on Tencent Cloud, SQLite locally), so that both
// order, page and expire exactly alike: one row per item, the key as UTF-8 bytes (binary columns
// compare bytewise, which is DynamoDB's string order), the item as JSON text, and the TTL value
// beside it for filtering. A table without a sort key stores the empty byte string as `sk`.
// The outbox's marker (./table-outbox.ts) is copied to the indexed `outbox_at` column, NULL when
// nothing is pending, so the relay finds pending items without reading the others.
import { OUTBOX_ATTRIBUTE, OUTBOX_SINCE_ATTRIBUTE, type PendingEvent } from "./table-outbox";
import { expiresAt, isExpired, prefixEnd, type Item, type StoredKey, type StoredPage, type StoredQuery, type TableSettings } from "./table";

/** A stored row as both drivers return it. */
export interface ItemRow {
    sk: Uint8Array;
    item: string;
    expires_at: number | null;
}

/** Identifiers come from component names (letters, digits and `_`); quoting keeps them literal in both dialects. */
export function quoted(identifier: string): string {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(identifier)) throw new Error(`'${identifier}' is not a table identifier (letters, digits and _, at most 64)`);
    return `\`${identifier}\``;
}

/** The key columns' values. */
export function keyValues(key: StoredKey): [Buffer, Buffer] {
    return [Buffer.from(key.partition, "utf8"), Buffer.from(key.sort ?? "", "utf8")];
}

/** The columns rowValues fills, in order. */
export const ROW_COLUMNS = "pk, sk, item, expires_at, outbox_at";

/** The values of a row for `item` under `key`: pk, sk, item, expires_at, outbox_at. */
export function rowValues(settings: TableSettings, key: StoredKey, item: Item): [Buffer, Buffer, string, number | null, number | null] {
    const since = item[OUTBOX_SINCE_ATTRIBUTE];
    return [...keyValues(key), JSON.stringify(item), expiresAt(settings, item), typeof since === "number" ? since : null];
}

/** The statement reading up to `limit` items pending since `before` or earlier, oldest first (expired ones too: their events were committed). */
export function pendingStatement(table: string, before: number, limit: number): { sql: string; params: unknown[] } {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit is a whole number above 0, got ${limit}`);
    return { sql: `SELECT item FROM ${table} WHERE outbox_at IS NOT NULL AND outbox_at <= ? ORDER BY outbox_at LIMIT ${limit}`, params: [before] };
}

/** `item` without its pending events if they still start with event `firstId`; undefined if they do not. */
export function clearedOutbox(item: Item, firstId: string): Item | undefined {
    const events = item[OUTBOX_ATTRIBUTE] as unknown as PendingEvent[] | undefined;
    if (!Array.isArray(events) || events[0]?.id !== firstId) return undefined;
    return merged(item, {}, [OUTBOX_ATTRIBUTE, OUTBOX_SINCE_ATTRIBUTE]);
}

/** The item of a row, unless it has expired. */
export function liveItem(settings: TableSettings, row: Pick<ItemRow, "item"> | undefined, now: number): Item | undefined {
    if (!row) return undefined;
    const item = JSON.parse(row.item) as Item;
    return isExpired(settings, item, now) ? undefined : item;
}

/** `item` with `set` applied and `remove` taken out. */
export function merged(item: Item, set: Item, remove: string[]): Item {
    const next: Item = { ...item, ...set };
    for (const attribute of remove) delete next[attribute];
    return next;
}

/**
 * The statement reading one page: the partition, the sort-key range, after the cursor, without
 * expired rows, in order, one row more than the page to know whether more follow. `table` is
 * already quoted (and may be qualified by a database).
 */
export function pageStatement(table: string, query: StoredQuery, now: number): { sql: string; params: unknown[] } {
    const conditions = ["pk = ?"];
    const params: unknown[] = [Buffer.from(query.partition, "utf8")];
    const bound = (condition: string, value: Buffer) => {
        conditions.push(condition);
        params.push(value);
    };
    if (query.prefix !== undefined) {
        bound("sk >= ?", Buffer.from(query.prefix, "utf8"));
        bound("sk < ?", prefixEnd(query.prefix));
    }
    if (query.from !== undefined) bound("sk >= ?", Buffer.from(query.from, "utf8"));
    if (query.to !== undefined) bound("sk <= ?", Buffer.from(query.to, "utf8"));
    if (query.after !== undefined) bound(query.descending ? "sk < ?" : "sk > ?", Buffer.from(query.after, "utf8"));
    conditions.push("(expires_at IS NULL OR expires_at > ?)");
    params.push(now);
    // The limit is a checked whole number: inlined, since MySQL's prepared LIMIT refuses a double.
    const sql = `SELECT sk, item, expires_at FROM ${table} WHERE ${conditions.join(" AND ")} ORDER BY sk ${query.descending ? "DESC" : "ASC"} LIMIT ${query.limit + 1}`;
    return { sql, params };
}

/** The page the rows make: at most `limit` items, and the last one's sort key when another row followed. */
export function pageOf(settings: TableSettings, query: StoredQuery, rows: ItemRow[]): StoredPage {
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const items = page.map((row) => JSON.parse(row.item) as Item);
    const last = page[page.length - 1];
    return more && settings.sortKey && last ? { items, lastSort: Buffer.from(last.sk).toString("utf8") } : { items };
}

/** How often a backend deletes expired rows as it writes (reads already skip them). */
export const PURGE_INTERVAL_MS = 60_000;
