// Tables on AWS: DynamoDB through the document client. Items are stored as native attributes (the
// key attributes are the table's hash and range keys), so the console and other tools read them.
// Reads are strongly consistent (ConsistentRead), as the SQL backends are.
// TTL: DynamoDB deletes expired items within days and returns them until then, so the conditions
// and filters below treat an item whose TTL number is not after now as gone (developer guide,
// "Working with expired items and time to live").
// The IAM actions used, exactly: dynamodb:GetItem, PutItem, UpdateItem, DeleteItem, Query
// (what components/aws/table.ts grants a linking function), and for the outbox relay Scan on the
// sparse outbox index (granted only on tables with an outbox).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { OUTBOX_ATTRIBUTE, OUTBOX_INDEX, OUTBOX_SINCE_ATTRIBUTE } from "../table-outbox";
import { isExpired, type Item, type StoredKey, type StoredQuery, type TableBackend, type TableSettings } from "../table";

export interface AwsTableOptions {
    /** The document client; by default one per container, made at the first call. */
    client?: () => DynamoDBDocumentClient;
}

/**
 * A document client that converts as JSON does: numbers stay JavaScript numbers both ways (the
 * contract has already refused those DynamoDB cannot hold), nothing is dropped silently.
 */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
    return DynamoDBDocumentClient.from(client, {
        marshallOptions: { allowImpreciseNumbers: true, removeUndefinedValues: false, convertEmptyValues: false },
        unmarshallOptions: { wrapNumbers: (value: string) => Number(value) },
    });
}

let shared: DynamoDBDocumentClient | undefined;
/** Made lazily and kept for the container's life: cold starts pay for it once. */
const sharedClient = () => (shared ??= documentClient(new DynamoDBClient({})));

export function createDynamoTable(options: AwsTableOptions = {}): TableBackend {
    const client = options.client ?? sharedClient;

    const backend: TableBackend = {
        async get(settings, key, now) {
            const { Item: item } = await client().send(new GetCommand({ TableName: settings.tableName, Key: keyOf(settings, key), ConsistentRead: true }));
            return item && !isExpired(settings, item as Item, now) ? (item as Item) : undefined;
        },
        async put(settings, key, item, ifNotExists, now) {
            const names: Record<string, string> = { "#pk": settings.partitionKey };
            const values: Record<string, unknown> = {};
            let condition: string | undefined;
            if (ifNotExists) {
                condition = "attribute_not_exists(#pk)";
                if (settings.ttlAttribute) {
                    names["#ttl"] = settings.ttlAttribute;
                    Object.assign(values, { ":number": "N", ":now": now });
                    condition += " OR (attribute_type(#ttl, :number) AND #ttl <= :now)";
                }
            }
            try {
                await client().send(new PutCommand({
                    TableName: settings.tableName,
                    Item: item,
                    ...(condition ? { ConditionExpression: condition, ExpressionAttributeNames: names } : {}),
                    ...(condition && Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
                }));
                return true;
            } catch (err) {
                if (isConditionFailure(err)) return false;
                throw err;
            }
        },
        async update(settings, key, set, remove, now) {
            const sets = Object.keys(set);
            if (sets.length === 0 && remove.length === 0) return backend.get(settings, key, now);
            const names: Record<string, string> = { "#pk": settings.partitionKey };
            const values: Record<string, unknown> = {};
            const setParts = sets.map((attribute, i) => {
                names[`#s${i}`] = attribute;
                values[`:s${i}`] = set[attribute];
                return `#s${i} = :s${i}`;
            });
            const removeParts = remove.map((attribute, i) => {
                names[`#r${i}`] = attribute;
                return `#r${i}`;
            });
            const expression = [setParts.length ? `SET ${setParts.join(", ")}` : "", removeParts.length ? `REMOVE ${removeParts.join(", ")}` : ""].filter(Boolean).join(" ");
            let condition = "attribute_exists(#pk)";
            if (settings.ttlAttribute) {
                names["#ttl"] = settings.ttlAttribute;
                Object.assign(values, { ":number": "N", ":now": now });
                condition += " AND (attribute_not_exists(#ttl) OR NOT attribute_type(#ttl, :number) OR #ttl > :now)";
            }
            try {
                const { Attributes: updated } = await client().send(new UpdateCommand({
                    TableName: settings.tableName,
                    Key: keyOf(settings, key),
                    UpdateExpression: expression,
                    ConditionExpression: condition,
                    ExpressionAttributeNames: names,
                    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
                    ReturnValues: "ALL_NEW",
                }));
                return updated as Item;
            } catch (err) {
                if (isConditionFailure(err)) return undefined;
                throw err;
            }
        },
        async delete(settings, key) {
            await client().send(new DeleteCommand({ TableName: settings.tableName, Key: keyOf(settings, key) }));
        },
        async query(settings, query, now) {
            const request = queryRequest(settings, query, now);
            const { Items: found = [], LastEvaluatedKey: lastEvaluated } = await client().send(new QueryCommand(request));
            // One item more than the page is asked for, so that the last page says it is the last.
            const live = (found as Item[]).filter((item) => !isExpired(settings, item, now));
            if (live.length > query.limit) {
                const items = live.slice(0, query.limit);
                return { items, lastSort: items[items.length - 1][settings.sortKey!] as string };
            }
            // Fewer: DynamoDB stopped at 1 MB, or expired items were filtered out of the page.
            const lastSort = settings.sortKey && lastEvaluated ? (lastEvaluated[settings.sortKey] as string) : undefined;
            return { items: live, ...(lastSort !== undefined ? { lastSort } : {}) };
        },
        async pendingOutbox(settings, before, limit) {
            // A Scan of the sparse index reads only items with events pending (the index holds
            // no others). Index reads are eventually consistent: the relay's grace period and the
            // conditional clear cover an entry that lags its item.
            const found: Item[] = [];
            let start: Record<string, unknown> | undefined;
            do {
                const page = await client().send(new ScanCommand({
                    TableName: settings.tableName,
                    IndexName: OUTBOX_INDEX,
                    FilterExpression: "#at <= :before",
                    ExpressionAttributeNames: { "#at": OUTBOX_SINCE_ATTRIBUTE },
                    ExpressionAttributeValues: { ":before": before },
                    Limit: limit,
                    ...(start ? { ExclusiveStartKey: start } : {}),
                }));
                found.push(...((page.Items ?? []) as Item[]));
                start = page.LastEvaluatedKey;
            } while (start && found.length < limit);
            return found.slice(0, limit);
        },
        async clearOutbox(settings, key, firstId) {
            try {
                await client().send(new UpdateCommand({
                    TableName: settings.tableName,
                    Key: keyOf(settings, key),
                    UpdateExpression: "REMOVE #events, #at",
                    // Only the same events: a newer write's events stay pending.
                    ConditionExpression: "#events[0].#id = :id",
                    ExpressionAttributeNames: { "#events": OUTBOX_ATTRIBUTE, "#at": OUTBOX_SINCE_ATTRIBUTE, "#id": "id" },
                    ExpressionAttributeValues: { ":id": firstId },
                }));
                return true;
            } catch (err) {
                if (isConditionFailure(err)) return false;
                throw err;
            }
        },
    };
    return backend;
}

function keyOf(settings: TableSettings, key: StoredKey): Record<string, string> {
    return settings.sortKey ? { [settings.partitionKey]: key.partition, [settings.sortKey]: key.sort! } : { [settings.partitionKey]: key.partition };
}

function queryRequest(settings: TableSettings, query: StoredQuery, now: number) {
    const names: Record<string, string> = { "#pk": settings.partitionKey };
    const values: Record<string, unknown> = { ":pk": query.partition };
    let keyCondition = "#pk = :pk";
    if (settings.sortKey) {
        const sort = () => (names["#sk"] = settings.sortKey!);
        if (query.prefix !== undefined) {
            sort();
            values[":prefix"] = query.prefix;
            keyCondition += " AND begins_with(#sk, :prefix)";
        } else if (query.from !== undefined && query.to !== undefined) {
            sort();
            Object.assign(values, { ":from": query.from, ":to": query.to });
            keyCondition += " AND #sk BETWEEN :from AND :to";
        } else if (query.from !== undefined) {
            sort();
            values[":from"] = query.from;
            keyCondition += " AND #sk >= :from";
        } else if (query.to !== undefined) {
            sort();
            values[":to"] = query.to;
            keyCondition += " AND #sk <= :to";
        }
    }
    let filter: string | undefined;
    if (settings.ttlAttribute) {
        names["#ttl"] = settings.ttlAttribute;
        Object.assign(values, { ":number": "N", ":now": now });
        filter = "attribute_not_exists(#ttl) OR NOT attribute_type(#ttl, :number) OR #ttl > :now";
    }
    return {
        TableName: settings.tableName,
        KeyConditionExpression: keyCondition,
        ...(filter ? { FilterExpression: filter } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ConsistentRead: true,
        ScanIndexForward: !query.descending,
        Limit: query.limit + 1,
        ...(query.after !== undefined && settings.sortKey ? { ExclusiveStartKey: { [settings.partitionKey]: query.partition, [settings.sortKey]: query.after } } : {}),
    };
}

function isConditionFailure(err: unknown): boolean {
    return (err as { name?: string }).name === "ConditionalCheckFailedException";
}

/** The backend `table(name)` uses on AWS. */
export const awsTable: TableBackend = createDynamoTable();
