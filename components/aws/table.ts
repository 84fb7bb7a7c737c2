// Table on AWS: a DynamoDB table, on demand (no capacity to plan), with point-in-time recovery,
// encryption under the AWS managed KMS key (aws/dynamodb: DynamoDB uses it for any principal
// allowed to use the table, so linking functions need no KMS grant), TTL on the table's TTL
// attribute, and deletion protection when the stack protects (prod). A table with an outbox
// also has a sparse GSI on the outbox's marker: only items with events pending are in it, so the
// relay's Scan of it reads those and nothing else (functions/runtime/clients/table-outbox.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Link } from "../link";
import type { TableRealisation, TableSpec } from "../provider";
import { OUTBOX_ATTRIBUTE, OUTBOX_INDEX, OUTBOX_SINCE_ATTRIBUTE } from "../../functions/runtime/clients/table-outbox";
import { keyEnvironment, readLinkOf, type OutboxTableSpec } from "../table";

/**
 * What functions/runtime/clients/aws/table.ts calls, exactly (GetItem, PutItem, UpdateItem,
 * DeleteItem, Query); test/unit/table.test.ts checks the two against each other.
 */
export const TABLE_ACTIONS = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"];

/**
 * What the client calls for `get` and `query` (GetItem, Query): the read link's actions;
 * test/unit/table-access.test.ts checks these against the client, as table.test.ts does TABLE_ACTIONS.
 */
export const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:Query"];

/** What the relay Scans: the sparse index of a table with an outbox (itself only). */
export const OUTBOX_RELAY_ACTIONS = ["dynamodb:Scan"];

/**
 * The outbox's GSI: keyed on the pending-since marker (a number, epoch ms), which only items with
 * pending events have (a sparse index: "Take advantage of sparse indexes", DynamoDB developer
 * guide, bp-indexes-general-sparse-indexes.html); it carries the events (INCLUDE), and every
 * index holds the table's key attributes, so the relay reads nothing else.
 */
export function outboxIndex() {
    return { name: OUTBOX_INDEX, hashKey: OUTBOX_SINCE_ATTRIBUTE, projectionType: "INCLUDE" as const, nonKeyAttributes: [OUTBOX_ATTRIBUTE] };
}

export function awsTable(parent: pulumi.Resource, spec: TableSpec & OutboxTableSpec): TableRealisation {
    const index = spec.outbox ? outboxIndex() : undefined;
    const table = new aws.dynamodb.Table(spec.name, {
        billingMode: "PAY_PER_REQUEST",
        hashKey: spec.partitionKey,
        rangeKey: spec.sortKey,
        // Only key attributes are declared (the table's and the outbox index's): DynamoDB is schemaless for the rest.
        attributes: [
            ...[spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])].map((name) => ({ name, type: "S" })),
            ...(index ? [{ name: index.hashKey, type: "N" }] : []),
        ],
        globalSecondaryIndexes: index
            ? [{ name: index.name, keySchemas: [{ attributeName: index.hashKey, keyType: "HASH" }], projectionType: index.projectionType, nonKeyAttributes: index.nonKeyAttributes }]
            : undefined,
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        ttl: spec.ttlAttribute ? { attributeName: spec.ttlAttribute, enabled: true } : undefined,
        deletionProtectionEnabled: spec.protect,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const link: Link = {
        type: "table",
        name: spec.name,
        environment: keyEnvironment(spec, table.name),
        // Exactly what the runtime client calls, on this table only, and the relay's Scan of the outbox index.
        permissions: [
            { actions: TABLE_ACTIONS, resources: [table.arn] },
            ...(index ? [{ actions: OUTBOX_RELAY_ACTIONS, resources: [pulumi.interpolate`${table.arn}/index/${index.name}`] }] : []),
        ],
        resources: { tableName: table.name, tableArn: table.arn },
    };
    // IAM refuses a write through the read link even if the client's own check were bypassed.
    const readLink = readLinkOf(link, [{ actions: TABLE_READ_ACTIONS, resources: [table.arn] }]);
    return { tableName: table.name, resourceId: table.arn, link, readLink };
}
