// The DynamoDB API for tests, in process: dynalite (an in-memory DynamoDB built to match the
// service's behaviour and errors) on a free 127.0.0.1 port, and clients pointed at it.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

export interface Dynalite {
    endpoint: string;
    /** A low-level client for the server, with throwaway credentials. */
    client(): DynamoDBClient;
    /** Creates a table keyed like a Table component: string hash key, optional string range key. */
    createTable(name: string, partitionKey: string, sortKey?: string): Promise<void>;
    stop(): Promise<void>;
}

export async function startDynalite(): Promise<Dynalite> {
    let dynalite: (options: { createTableMs?: number; deleteTableMs?: number }) => Server;
    try {
        dynalite = require("dynalite");
    } catch (err) {
        throw new Error(`dynalite is not installed: it is a devDependency, run npm ci (${(err as Error).message})`);
    }
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clients: DynamoDBClient[] = [];
    const client = () => {
        const c = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        clients.push(c);
        return c;
    };
    return {
        endpoint,
        client,
        async createTable(name, partitionKey, sortKey) {
            const input: CreateTableCommandInput = {
                TableName: name,
                BillingMode: "PAY_PER_REQUEST",
                AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: "S" }, ...(sortKey ? [{ AttributeName: sortKey, AttributeType: "S" as const }] : [])],
                KeySchema: [{ AttributeName: partitionKey, KeyType: "HASH" }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: "RANGE" as const }] : [])],
            };
            const c = client();
            await c.send(new CreateTableCommand(input));
            // Usable once ACTIVE (dynalite keeps a new table CREATING for createTableMs).
            for (let i = 0; (await c.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== "ACTIVE"; i++) {
                if (i > 100) throw new Error(`dynalite table ${name} did not become ACTIVE`);
                await new Promise((resolve) => setTimeout(resolve, 10));
            }
        },
        async stop() {
            for (const c of clients) c.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
