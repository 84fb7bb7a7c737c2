// A Realtime's connection store: who is connected, as whom, to which topics, in the Realtime's
// own Table (DynamoDB, TDSQL-C or SQLite: the same code on every target, through the table
// client). Three kinds of item, all expiring with the connection (the table's TTL):
//   c#<connectionId> / -            the connection: user, claims, topics, message budget
//   u#<userId>       / <connection> find a user's connections (send({ userId }))
//   t#<topic>        / <connection> find a topic's subscribers (broadcast)
import { SOCKET_LIMITS, TOPIC } from "../socket-limits";
import type { JsonValue, TableClient } from "./table";

/** The Table a Realtime makes for its connections is keyed like this (components/realtime.ts). */
export const CONNECTION_TABLE_KEYS = { partitionKey: "pk", sortKey: "sk", ttlAttribute: "expiresAt" } as const;

export interface ConnectionRecord {
    connectionId: string;
    userId: string;
    claims: Record<string, JsonValue>;
    topics: string[];
    /** Epoch seconds. */
    connectedAt: number;
    /** Message budget (a token bucket): tokens left at `budgetAt` (epoch milliseconds). */
    tokens: number;
    budgetAt: number;
}

type StoredItem = { pk: string; sk: string; expiresAt: number; [attribute: string]: JsonValue };

/** Topics a connection may hold at once (each is an item to write and to clean up). */
export const MAX_TOPICS_PER_CONNECTION = 50;
const PAGE = 1000;

export class ConnectionStore {
    constructor(private readonly items: TableClient<StoredItem>, private readonly clock: () => number = Date.now) {}

    private expiry(connectedAt: number): number {
        // A minute past the platform's limit: a record never expires under a live connection.
        return connectedAt + SOCKET_LIMITS.maxConnectionSeconds + 60;
    }

    /** Records a new connection (after its token was verified and its connect handler accepted). */
    async add(connectionId: string, userId: string, claims: Record<string, unknown>, burst: number): Promise<ConnectionRecord> {
        const connectedAt = Math.floor(this.clock() / 1000);
        const expiresAt = this.expiry(connectedAt);
        const record: ConnectionRecord = { connectionId, userId, claims: jsonClaims(claims), topics: [], connectedAt, tokens: burst, budgetAt: this.clock() };
        // The user's index first: a connection is never findable by id but missing for its user.
        await this.items.put({ pk: `u#${userId}`, sk: connectionId, expiresAt });
        await this.items.put({ pk: `c#${connectionId}`, sk: "-", expiresAt, ...toItem(record) });
        return record;
    }

    async get(connectionId: string): Promise<ConnectionRecord | undefined> {
        const item = await this.items.get({ pk: `c#${connectionId}`, sk: "-" });
        return item && fromItem(item);
    }

    /** Forgets a connection and every index entry of it; a connection already gone is no error. */
    async remove(connectionId: string): Promise<void> {
        const record = await this.get(connectionId);
        if (!record) return;
        await Promise.all([
            this.items.delete({ pk: `u#${record.userId}`, sk: connectionId }),
            ...record.topics.map((topic) => this.items.delete({ pk: `t#${topic}`, sk: connectionId })),
        ]);
        await this.items.delete({ pk: `c#${connectionId}`, sk: "-" });
    }

    /** Adds `topic` to the connection's subscriptions; throws RangeError over MAX_TOPICS_PER_CONNECTION. */
    async subscribe(record: ConnectionRecord, topic: string): Promise<void> {
        checkTopic(topic);
        if (record.topics.includes(topic)) return;
        if (record.topics.length >= MAX_TOPICS_PER_CONNECTION) throw new RangeError(`a connection subscribes to at most ${MAX_TOPICS_PER_CONNECTION} topics`);
        const expiresAt = this.expiry(record.connectedAt);
        await this.items.put({ pk: `t#${topic}`, sk: record.connectionId, expiresAt });
        record.topics = [...record.topics, topic];
        await this.items.update({ pk: `c#${record.connectionId}`, sk: "-" }, { topics: record.topics });
    }

    async unsubscribe(record: ConnectionRecord, topic: string): Promise<void> {
        checkTopic(topic);
        if (!record.topics.includes(topic)) return;
        record.topics = record.topics.filter((t) => t !== topic);
        await this.items.update({ pk: `c#${record.connectionId}`, sk: "-" }, { topics: record.topics });
        await this.items.delete({ pk: `t#${topic}`, sk: record.connectionId });
    }

    /** The connections of a user. */
    byUser(userId: string): Promise<string[]> {
        return this.connectionsIn(`u#${userId}`);
    }

    /** The connections subscribed to a topic. */
    byTopic(topic: string): Promise<string[]> {
        checkTopic(topic);
        return this.connectionsIn(`t#${topic}`);
    }

    /**
     * Spends one message of the connection's budget: `perSecond` refill, at most `burst` saved.
     * False when the budget is empty (the message is refused). Concurrent messages may both spend
     * the last token: the limit is approximate by at most the messages in flight.
     */
    async spend(record: ConnectionRecord, perSecond: number, burst: number): Promise<boolean> {
        const now = this.clock();
        const refilled = Math.min(burst, record.tokens + ((now - record.budgetAt) / 1000) * perSecond);
        if (refilled < 1) return false;
        record.tokens = refilled - 1;
        record.budgetAt = now;
        await this.items.update({ pk: `c#${record.connectionId}`, sk: "-" }, { tokens: record.tokens, budgetAt: now });
        return true;
    }

    private async connectionsIn(partition: string): Promise<string[]> {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
            const page = await this.items.query({ partition, limit: PAGE, cursor });
            ids.push(...page.items.map((item) => item.sk));
            cursor = page.cursor;
        } while (cursor);
        return ids;
    }
}

export function checkTopic(topic: unknown): asserts topic is string {
    if (typeof topic !== "string" || !TOPIC.test(topic)) {
        throw new TypeError(`topic ${JSON.stringify(topic)}: 1 to 128 letters, digits, '_', '.', ':' or '-'`);
    }
}

function toItem(record: ConnectionRecord): { [attribute: string]: JsonValue } {
    return { ...record };
}

function fromItem(item: StoredItem): ConnectionRecord {
    return {
        connectionId: String(item.connectionId),
        userId: String(item.userId),
        claims: (item.claims ?? {}) as Record<string, JsonValue>,
        topics: Array.isArray(item.topics) ? item.topics.map(String) : [],
        connectedAt: Number(item.connectedAt),
        tokens: Number(item.tokens),
        budgetAt: Number(item.budgetAt),
    };
}

/** Claims as stored: JSON values only (what a verified token holds anyway). */
function jsonClaims(claims: Record<string, unknown>): Record<string, JsonValue> {
    return JSON.parse(JSON.stringify(claims)) as Record<string, JsonValue>;
}
