// table(name): get, put, update, delete and query documents in a linked Table, on any target.
//
// The contract, the same on DynamoDB (AWS), MySQL (TDSQL-C on Tencent Cloud) and SQLite (local):
// - An item is a JSON object. Its key attributes (the table's partition key, and its sort key if it
//   has one) are non-empty strings: at most 2048 UTF-8 bytes for the partition key, 1024 for the
//   sort key (DynamoDB's limits). The whole item is at most 400 KB as JSON, nested at most 32 deep.
//   Values follow JSON: `undefined` object properties are left out, a `toJSON` (a Date) is used;
//   what JSON would silently change (NaN, Infinity, `undefined` in an array, a function) is refused.
// - Sort keys order by their UTF-8 bytes (DynamoDB's string order; "B" < "a", "10" < "9").
// - Reads are strongly consistent: a read sees every write that completed before it.
// - With a TTL attribute, an item whose TTL value is a number of epoch seconds not after now is
//   expired: reads skip it and `put(..., { ifNotExists })` may replace it, as if it were gone
//   (the backend deletes it later: DynamoDB within days, the SQL backends as they write).
// - `put(item, { ifNotExists: true })` rejects with ConditionFailedError when the key exists.
// - `update(key, changes)` sets each attribute in `changes` (an `undefined` value removes it),
//   resolves to the whole updated item, and rejects with ItemNotFoundError when there is no item.
// - `query` reads one partition in sort-key order, a page at a time: at most `limit` items, and
//   a `cursor` when more may follow. Pass the cursor back to continue; no cursor means done. A
//   page may hold fewer than `limit` items (DynamoDB stops at 1 MB) and still carry a cursor.
//   Cursors are opaque; on every target they are the same: the partition and the last sort key.
// - `put(item, { publish: [{ type, detail }] })` writes events with the item, in the same single-item
//   write, to the Table's `outbox` hub (./table-outbox.ts): published right after, or by the
//   table's relay if that fails. Attributes starting with `_sbOutbox` are the outbox's own: reads
//   never return them, and items and changes may not hold them.
import { currentTarget, linkedSetting, linkedValue } from "./target";
import { linkedHubPublisher, OUTBOX_PREFIX, prepareOutbox, publishWritten, relayPending, withoutOutbox, type OutboxEvent, type OutboxPublisher, type RelayOptions, type RelayReport } from "./table-outbox";

export { OUTBOX_EVENT_ID, type OutboxEvent, type OutboxPublisher, type RelayReport } from "./table-outbox";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A stored document. */
export type Item = { [attribute: string]: JsonValue };
/** The key attributes of an item: the partition key, and the sort key if the table has one. */
export type ItemKey = { [attribute: string]: string };

export interface PutOptions {
    /** Write only if no (unexpired) item has this key; otherwise reject with ConditionFailedError. */
    ifNotExists?: boolean;
    /**
     * Events to publish on the Table's `outbox` hub because of this write. They are stored with
     * the item in the same write, so they are published (at least once, with ids fixed now) if
     * and only if the item was written. Needs `outbox: hub.link` on the Table.
     *
     * @example publish: [{ type: "OrderPlaced", detail: { orderId } }]
     */
    publish?: OutboxEvent[];
}

export interface QueryOptions {
    /** The partition key value. */
    partition: string;
    /** Only sort keys starting with this. Not with `sortFrom`/`sortTo`. */
    sortPrefix?: string;
    /** Only sort keys >= this. */
    sortFrom?: string;
    /** Only sort keys <= this. */
    sortTo?: string;
    /** Items per page, 1-1000. Default 100. */
    limit?: number;
    /** From the previous page, to continue after it. */
    cursor?: string;
    /** Highest sort key first. */
    descending?: boolean;
}

export interface QueryPage<T> {
    items: T[];
    /** Present when more items may follow: pass it as `cursor` for the next page. */
    cursor?: string;
}

/** `put(..., { ifNotExists: true })` found an item with that key. */
export class ConditionFailedError extends Error {
    constructor(readonly table: string, readonly key: ItemKey) {
        super(`table '${table}': an item with key ${JSON.stringify(key)} already exists`);
        this.name = "ConditionFailedError";
    }
}

/** `update` found no item with that key. */
export class ItemNotFoundError extends Error {
    constructor(readonly table: string, readonly key: ItemKey) {
        super(`table '${table}': no item with key ${JSON.stringify(key)}`);
        this.name = "ItemNotFoundError";
    }
}

/** Where a table is and how it is keyed: what a Table's link tells its functions. */
export interface TableSettings {
    /** The linked component's name (errors name it). */
    name: string;
    /** The physical table: DynamoDB table name, MySQL table name, or the local table's name. */
    tableName: string;
    partitionKey: string;
    sortKey?: string;
    ttlAttribute?: string;
    /** True when linked through the table's `readLink`: put, update and delete are refused. */
    readOnly?: boolean;
    /** The hub (its link name) the table's outbox publishes to: the Table's `outbox`. */
    outboxHub?: string;
}

/** A write through a read link: refused before it reaches the backend, on every target. */
export class ReadOnlyLinkError extends Error {
    constructor(readonly table: string, readonly operation: string) {
        super(`table '${table}' is linked read-only: ${operation} needs the table's link, not its readLink`);
        this.name = "ReadOnlyLinkError";
    }
}

/** A key as the backends take it: the table's sort key, if any, as `sort`. */
export interface StoredKey {
    partition: string;
    /** Undefined when the table has no sort key. */
    sort?: string;
}

/** A checked query, with its cursor decoded. */
export interface StoredQuery {
    partition: string;
    /** The sort-key range, inclusive; a prefix is given as `prefix`. */
    from?: string;
    to?: string;
    prefix?: string;
    /** Continue after this sort key (exclusive). */
    after?: string;
    limit: number;
    descending: boolean;
}

/** What a backend returns for a query: up to `limit` unexpired items, and where to continue if more may follow. */
export interface StoredPage {
    items: Item[];
    /** The sort key to continue after. */
    lastSort?: string;
}

/**
 * How one target stores items. Everything it receives is checked; `now` is epoch seconds, for
 * TTL. Each operation is atomic on its item.
 */
export interface TableBackend {
    get(table: TableSettings, key: StoredKey, now: number): Promise<Item | undefined>;
    /** Resolves false when `ifNotExists` and an unexpired item has the key. */
    put(table: TableSettings, key: StoredKey, item: Item, ifNotExists: boolean, now: number): Promise<boolean>;
    /** Sets and removes attributes; resolves to the new item, or undefined when there is none. */
    update(table: TableSettings, key: StoredKey, set: Item, remove: string[], now: number): Promise<Item | undefined>;
    delete(table: TableSettings, key: StoredKey): Promise<void>;
    query(table: TableSettings, query: StoredQuery, now: number): Promise<StoredPage>;
    /**
     * Up to `limit` items (expired or not) holding events pending since `before` (epoch ms) or
     * earlier, oldest first where the backend can tell; each with its key attributes and outbox.
     */
    pendingOutbox(table: TableSettings, before: number, limit: number): Promise<Item[]>;
    /** Removes the item's pending events if its outbox still starts with event `firstId`; false if not. */
    clearOutbox(table: TableSettings, key: StoredKey, firstId: string): Promise<boolean>;
}

export const LIMITS = {
    partitionKeyBytes: 2048,
    sortKeyBytes: 1024,
    itemBytes: 400 * 1024,
    depth: 32,
    defaultPageSize: 100,
    maxPageSize: 1000,
} as const;

/** A typed view: `T` describes the items (e.g. an interface); they are checked as JSON at run time. */
export interface TableClient<T extends object = Item> {
    get(key: ItemKey): Promise<T | undefined>;
    put(item: T, options?: PutOptions): Promise<void>;
    /** `changes` holds the attributes to set; an attribute given as `undefined` is removed. */
    update(key: ItemKey, changes: Partial<T>): Promise<T>;
    delete(key: ItemKey): Promise<void>;
    query(options: QueryOptions): Promise<QueryPage<T>>;
}

/** The client for `settings` over `backend`: what `table(name)` returns, and what tests build directly. */
export function tableClient<T extends object = Item>(settings: TableSettings, backend: TableBackend, clock: () => number = Date.now, publish: OutboxPublisher = linkedHubPublisher): TableClient<T> {
    const now = () => Math.floor(clock() / 1000);
    const where = `table '${settings.name}'`;
    const writable = (operation: string) => {
        if (settings.readOnly) throw new ReadOnlyLinkError(settings.name, operation);
    };
    return {
        async get(key) {
            const item = await backend.get(settings, storedKey(settings, key, where), now());
            return (item && withoutOutbox(item)) as unknown as T | undefined;
        },
        async put(item, options = {}) {
            writable("put");
            const document = checkItem(settings, item, where);
            const key = storedKey(settings, keyOf(settings, document), where);
            const outbox = prepareOutbox(settings, options.publish, clock(), where);
            const stored = outbox ? withinItemLimit({ ...document, ...outbox.attributes }, where) : document;
            const written = await backend.put(settings, key, stored, options.ifNotExists === true, now());
            if (!written) throw new ConditionFailedError(settings.name, keyOf(settings, document));
            // The events are safe with the item now; publishing them at once only makes them quick.
            if (outbox) await publishWritten(settings, backend, key, outbox.events, publish);
        },
        async update(key, changes) {
            writable("update");
            const stored = storedKey(settings, key, where);
            const { set, remove } = checkChanges(settings, changes, where);
            const updated = await backend.update(settings, stored, set, remove, now());
            if (!updated) throw new ItemNotFoundError(settings.name, key);
            return withoutOutbox(updated) as unknown as T;
        },
        async delete(key) {
            writable("delete");
            await backend.delete(settings, storedKey(settings, key, where));
        },
        async query(options) {
            const query = checkQuery(settings, options, where);
            const page = await backend.query(settings, query, now());
            const cursor = page.lastSort === undefined ? undefined : encodeCursor(query.partition, page.lastSort);
            return { items: page.items.map(withoutOutbox) as unknown as T[], ...(cursor ? { cursor } : {}) };
        },
    };
}

function backendFor(): TableBackend {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and driver) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/table").awsTable;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/table").tencentTable;
    if (process.env.SB_TARGET === "local") return require("./local/table").localTable;
    throw new Error(`unknown target ${currentTarget()}`);
}

/** The table linked under `name` (`link: [users.link]` makes `table("users")` work). */
export function table<T extends object = Item>(name: string): TableClient<T> {
    // Read on each call, so that a client made at module load still finds its link's variables.
    const client = () => tableClient<T>(linkedSettings(name), backendFor());
    return {
        get: async (key) => client().get(key),
        put: async (item, options) => client().put(item, options),
        update: async (key, changes) => client().update(key, changes),
        delete: async (key) => client().delete(key),
        query: async (options) => client().query(options),
    };
}

/** The settings the link of the table `name` gives (SB_TABLE_<NAME>_*). */
function linkedSettings(name: string): TableSettings {
    return {
        name,
        tableName: linkedValue("table", name, "name"),
        partitionKey: linkedValue("table", name, "partition_key"),
        sortKey: linkSetting(name, "sort_key"),
        ttlAttribute: linkSetting(name, "ttl_attribute"),
        readOnly: linkSetting(name, "access") === "read",
        outboxHub: linkSetting(name, "outbox"),
    };
}

/** One run of the outbox relay of the table linked under `name`: what functions/outbox/relay.ts does. */
export async function relayOutbox(name: string, options?: RelayOptions): Promise<RelayReport> {
    return relayPending(linkedSettings(name), backendFor(), options);
}

/** An optional variable of the table linked under `name`: SB_TABLE_<NAME>_<KEY>. */
export function linkSetting(name: string, key: string): string | undefined {
    return linkedSetting("table", name, key);
}

// ---- checks shared by every backend ----

/** The key attributes of a checked item. */
function keyOf(settings: TableSettings, item: Item): ItemKey {
    const key: ItemKey = { [settings.partitionKey]: item[settings.partitionKey] as string };
    if (settings.sortKey) key[settings.sortKey] = item[settings.sortKey] as string;
    return key;
}

/** The outbox's attributes belong to the client: an item or a change may not set them. */
function checkNotReserved(attributes: string[], where: string): void {
    const reserved = attributes.find((a) => a.startsWith(OUTBOX_PREFIX));
    if (reserved) throw new TypeError(`${where}: attribute '${reserved}' is reserved: names starting with '${OUTBOX_PREFIX}' hold the table's outbox`);
}

/** Checks that `key` names exactly the table's key attributes, as strings within the limits. */
export function storedKey(settings: TableSettings, key: ItemKey, where: string): StoredKey {
    if (typeof key !== "object" || key === null || Array.isArray(key)) throw new TypeError(`${where}: a key is an object of the key attributes, got ${describe(key)}`);
    const expected = settings.sortKey ? [settings.partitionKey, settings.sortKey] : [settings.partitionKey];
    const extra = Object.keys(key).filter((k) => !expected.includes(k));
    if (extra.length > 0) throw new TypeError(`${where}: a key has only ${expected.join(" and ")}; got also ${extra.join(", ")}`);
    const partition = keyValue(key[settings.partitionKey], settings.partitionKey, LIMITS.partitionKeyBytes, where);
    const sort = settings.sortKey ? keyValue(key[settings.sortKey], settings.sortKey, LIMITS.sortKeyBytes, where) : undefined;
    return { partition, sort };
}

function keyValue(value: unknown, attribute: string, maxBytes: number, where: string): string {
    if (typeof value !== "string" || value.length === 0) {
        throw new TypeError(`${where}: key attribute '${attribute}' must be a non-empty string, got ${describe(value)}`);
    }
    if (Buffer.from(value, "utf8").toString("utf8") !== value) throw new TypeError(`${where}: key attribute '${attribute}' has an unpaired surrogate; it has no UTF-8 form`);
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > maxBytes) throw new RangeError(`${where}: key attribute '${attribute}' is ${bytes} bytes of UTF-8, at most ${maxBytes}`);
    return value;
}

/** A JSON copy of `item`, checked against the contract. */
export function checkItem(settings: TableSettings, item: unknown, where: string): Item {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw new TypeError(`${where}: an item is a JSON object, got ${describe(item)}`);
    const document = jsonCopy(item, where, "item", 0) as Item;
    checkNotReserved(Object.keys(document), where);
    storedKey(settings, keyOf(settings, document), where);
    if (settings.ttlAttribute) checkTtlValue(settings.ttlAttribute, document[settings.ttlAttribute], where);
    const bytes = Buffer.byteLength(JSON.stringify(document), "utf8");
    if (bytes > LIMITS.itemBytes) throw new RangeError(`${where}: the item is ${bytes} bytes as JSON, at most ${LIMITS.itemBytes}`);
    return document;
}

/** An item with its pending events is still one item: DynamoDB's 400 KB holds for the whole. */
function withinItemLimit(item: Item, where: string): Item {
    const bytes = Buffer.byteLength(JSON.stringify(item), "utf8");
    if (bytes > LIMITS.itemBytes) throw new RangeError(`${where}: the item with its events is ${bytes} bytes as JSON, at most ${LIMITS.itemBytes}`);
    return item;
}

function checkTtlValue(attribute: string, value: JsonValue | undefined, where: string): void {
    if (value !== undefined && (typeof value !== "number" || value < 0)) {
        throw new TypeError(`${where}: TTL attribute '${attribute}' is a time in epoch seconds, got ${describe(value)}`);
    }
}

/** Splits `changes` into attributes to set and to remove; key attributes cannot change. */
function checkChanges(settings: TableSettings, changes: unknown, where: string): { set: Item; remove: string[] } {
    if (typeof changes !== "object" || changes === null || Array.isArray(changes)) throw new TypeError(`${where}: changes are an object of attributes, got ${describe(changes)}`);
    const set: Item = {};
    const remove: string[] = [];
    checkNotReserved(Object.keys(changes), where);
    for (const [attribute, value] of Object.entries(changes)) {
        if (attribute === settings.partitionKey || attribute === settings.sortKey) {
            throw new TypeError(`${where}: key attribute '${attribute}' cannot be updated; put a new item and delete the old one`);
        }
        if (attribute.length === 0) throw new TypeError(`${where}: attribute names are non-empty`);
        if (value === undefined) remove.push(attribute);
        else set[attribute] = jsonCopy(value, where, attribute, 1);
    }
    if (settings.ttlAttribute) checkTtlValue(settings.ttlAttribute, set[settings.ttlAttribute], where);
    const bytes = Buffer.byteLength(JSON.stringify(set), "utf8");
    if (bytes > LIMITS.itemBytes) throw new RangeError(`${where}: the changes are ${bytes} bytes as JSON, at most ${LIMITS.itemBytes}`);
    return { set, remove };
}

/**
 * The value as JSON would carry it, refusing what JSON would silently change. Numbers must be
 * finite and within what DynamoDB stores (magnitude below 1e126, and not below 1e-130 unless 0).
 */
function jsonCopy(value: unknown, where: string, path: string, depth: number): JsonValue {
    if (depth > LIMITS.depth) throw new RangeError(`${where}: ${path} is nested more than ${LIMITS.depth} levels deep`);
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
        return jsonCopy((value as { toJSON(): unknown }).toJSON(), where, path, depth);
    }
    switch (typeof value) {
        case "string":
        case "boolean":
            return value;
        case "number": {
            const magnitude = Math.abs(value);
            if (!Number.isFinite(value) || magnitude >= 1e126 || (magnitude !== 0 && magnitude < 1e-130)) {
                throw new RangeError(`${where}: ${path} is ${value}; numbers are finite, of magnitude below 1e126 and not below 1e-130 (except 0)`);
            }
            return value;
        }
        case "object": {
            if (value === null) return null;
            if (Array.isArray(value)) {
                return value.map((v, i) => {
                    if (v === undefined) throw new TypeError(`${where}: ${path}[${i}] is undefined; JSON would make it null: say null`);
                    return jsonCopy(v, where, `${path}[${i}]`, depth + 1);
                });
            }
            const proto = Object.getPrototypeOf(value);
            if (proto !== Object.prototype && proto !== null) throw new TypeError(`${where}: ${path} is a ${proto?.constructor?.name ?? "non-plain object"}; items hold JSON values only`);
            const copy: { [key: string]: JsonValue } = {};
            for (const [k, v] of Object.entries(value)) {
                if (k.length === 0) throw new TypeError(`${where}: ${path} has an empty attribute name`);
                if (v !== undefined) copy[k] = jsonCopy(v, where, `${path}.${k}`, depth + 1);
            }
            return copy;
        }
        default:
            throw new TypeError(`${where}: ${path} is ${describe(value)}; items hold JSON values only`);
    }
}

function checkQuery(settings: TableSettings, options: QueryOptions, where: string): StoredQuery {
    if (typeof options !== "object" || options === null) throw new TypeError(`${where}: query takes { partition, ... }`);
    const partition = keyValue(options.partition, settings.partitionKey, LIMITS.partitionKeyBytes, `${where} query partition`);
    const sortBound = (value: string | undefined, option: string) => {
        if (value === undefined) return undefined;
        if (!settings.sortKey) throw new TypeError(`${where}: '${option}' needs a sort key, and this table has none`);
        return keyValue(value, settings.sortKey, LIMITS.sortKeyBytes, `${where} query ${option}`);
    };
    const prefix = sortBound(options.sortPrefix, "sortPrefix");
    const from = sortBound(options.sortFrom, "sortFrom");
    const to = sortBound(options.sortTo, "sortTo");
    if (prefix !== undefined && (from !== undefined || to !== undefined)) throw new TypeError(`${where}: give sortPrefix or sortFrom/sortTo, not both`);
    if (from !== undefined && to !== undefined && compareSortKeys(from, to) > 0) {
        throw new RangeError(`${where}: sortFrom '${from}' comes after sortTo '${to}' (sort keys order by UTF-8 bytes)`);
    }
    const limit = options.limit ?? LIMITS.defaultPageSize;
    if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.maxPageSize) throw new RangeError(`${where}: limit is a whole number from 1 to ${LIMITS.maxPageSize}, got ${limit}`);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, partition, where);
    return { partition, prefix, from, to, after, limit, descending: options.descending === true };
}

/** Sort keys order by UTF-8 bytes on every backend. */
export function compareSortKeys(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The smallest byte string greater than every string starting with `prefix` (UTF-8 has no 0xFF byte). */
export function prefixEnd(prefix: string): Buffer {
    const bytes = Buffer.from(prefix, "utf8");
    const end = Buffer.from(bytes);
    end[end.length - 1] += 1;
    return end;
}

/** Whether `item` has expired under the table's TTL attribute at `now` (epoch seconds). */
export function isExpired(settings: TableSettings, item: Item, now: number): boolean {
    const ttl = settings.ttlAttribute ? item[settings.ttlAttribute] : undefined;
    return typeof ttl === "number" && ttl <= now;
}

/** The TTL value stored beside the item by the SQL backends, or null. */
export function expiresAt(settings: TableSettings, item: Item): number | null {
    const ttl = settings.ttlAttribute ? item[settings.ttlAttribute] : undefined;
    return typeof ttl === "number" ? ttl : null;
}

const CURSOR_VERSION = 1;

export function encodeCursor(partition: string, lastSort: string): string {
    return Buffer.from(JSON.stringify([CURSOR_VERSION, partition, lastSort]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string, partition: string, where: string): string {
    let decoded: unknown;
    try {
        decoded = typeof cursor === "string" ? JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) : undefined;
    } catch {
        decoded = undefined;
    }
    if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== CURSOR_VERSION || typeof decoded[2] !== "string") {
        throw new TypeError(`${where}: '${String(cursor).slice(0, 40)}' is not a cursor from this table's query`);
    }
    if (decoded[1] !== partition) throw new TypeError(`${where}: the cursor continues a query of another partition`);
    return decoded[2];
}

function describe(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
    if (typeof value === "object") return "an object";
    return `${typeof value} ${String(value)}`;
}
