// Table on AWS: a DynamoDB table, on demand (no capacity to plan), with point-in-time recovery,
// encryption under the AWS managed KMS key (aws/dynamodb: DynamoDB uses it for any principal
// allowed to use the table, so linking functions need no KMS grant), TTL on the table's TTL
// attribute, and deletion protection when the stack protects (prod).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Link } from "../link";
import type { TableRealisation, TableSpec } from "../provider";
import { keyEnvironment, readLinkOf } from "../table";

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

export function awsTable(parent: pulumi.Resource, spec: TableSpec): TableRealisation {
    const table = new aws.dynamodb.Table(spec.name, {
        billingMode: "PAY_PER_REQUEST",
        hashKey: spec.partitionKey,
        rangeKey: spec.sortKey,
        // Only key attributes are declared: DynamoDB is schemaless for the rest.
        attributes: [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])].map((name) => ({ name, type: "S" })),
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        ttl: spec.ttlAttribute ? { attributeName: spec.ttlAttribute, enabled: true } : undefined,
        deletionProtectionEnabled: spec.protect,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const link: Link = {
        type: "table",
        name: spec.name,
        environment: keyEnvironment(spec, table.name),
        // Exactly what the runtime client calls, on this table only (it uses no index).
        permissions: [{ actions: TABLE_ACTIONS, resources: [table.arn] }],
        resources: { tableName: table.name, tableArn: table.arn },
    };
    // IAM refuses a write through the read link even if the client's own check were bypassed.
    const readLink = readLinkOf(link, [{ actions: TABLE_READ_ACTIONS, resources: [table.arn] }]);
    return { tableName: table.name, resourceId: table.arn, link, readLink };
}
