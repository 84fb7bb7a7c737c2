// A Table's read link on every target: only get and query allowed (IAM on AWS; a SELECT-only
// MySQL account on Tencent Cloud; the client's check everywhere, from SB_TABLE_<NAME>_ACCESS=read),
// writes refused with a clear error, and the typical app's read-only order routes holding no
// write action in the prod plan.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Function, Table, type Link, type TableArgs } from "../../components";
import { TABLE_ACTIONS, TABLE_READ_ACTIONS } from "../../components/aws/table";
import { createDynamoTable } from "../../functions/runtime/clients/aws/table";
import { ReadOnlyLinkError, tableClient, type TableSettings } from "../../functions/runtime/clients/table";
import { evaluate, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ORDERS: TableArgs = { partitionKey: "customerId", sortKey: "orderId" };

/** An orders table, a writer with its link and a reader with its read link. */
function readerAndWriter() {
    const orders = new Table("orders", ORDERS);
    new Function("writer", { handler: HANDLER, link: [orders.link] });
    new Function("reader", { handler: HANDLER, link: [orders.readLink] });
    return { link: orders.link, readLink: orders.readLink };
}

describe("Table read link on AWS", () => {
    it("lets the reader do exactly GetItem and Query on exactly this table, and tells its client", async () => {
        const stack = await evaluate("aws", readerAndWriter);
        const table = stack.one("aws:dynamodb/table:Table", "orders");
        const policy = json(stack.one("aws:iam/rolePolicy:RolePolicy", "reader-policy").inputs.policy);
        assert.deepEqual(policy.Statement.slice(2), [{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: [table.state.arn] }]);
        const env = (name: string) => (stack.one("aws:lambda/function:Function", name).inputs.environment as { variables: Record<string, string> }).variables;
        assert.equal(env("reader").SB_TABLE_ORDERS_ACCESS, "read");
        assert.equal(env("reader").SB_TABLE_ORDERS_NAME, table.state.name);
        assert.equal(env("writer").SB_TABLE_ORDERS_ACCESS, undefined);
        const writer = json(stack.one("aws:iam/rolePolicy:RolePolicy", "writer-policy").inputs.policy);
        assert.deepEqual(writer.Statement.slice(2), [{ Effect: "Allow", Action: TABLE_ACTIONS, Resource: [table.state.arn] }]);
    });

    it("grants what the client calls for get and query, and the client sends no write through it", async () => {
        const sent = new Set<string>();
        const recording = { send: async (command: object) => {
            sent.add(command.constructor.name);
            return command.constructor.name === "QueryCommand" ? { Items: [] } : {};
        } };
        const settings: TableSettings = { name: "orders", tableName: "orders-1", partitionKey: "customerId", sortKey: "orderId", readOnly: true };
        const client = tableClient(settings, createDynamoTable({ client: () => recording as never }));
        const key = { customerId: "c", orderId: "o" };
        await client.get(key);
        await client.query({ partition: "c" });
        await assert.rejects(client.put({ ...key, v: 1 }), ReadOnlyLinkError);
        await assert.rejects(client.update(key, { v: 2 }), ReadOnlyLinkError);
        await assert.rejects(client.delete(key), /table 'orders' is linked read-only: delete needs the table's link, not its readLink/);
        const actions = [...sent].map((command) => `dynamodb:${{ GetCommand: "GetItem", QueryCommand: "Query" }[command] ?? command}`);
        assert.deepEqual(actions.sort(), [...TABLE_READ_ACTIONS].sort());
    });
});

describe("Table read link on Tencent Cloud", () => {
    it("is the link's connection with the read account's secret and read access, and may read only that secret", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter, { "tencentcloud:region": "ap-guangzhou" });
        const readLink = stack.outputs.readLink as Link;
        const link = stack.outputs.link as Link;
        const readSecret = "serverless-blocks-test-orders-table-read";
        assert.deepEqual(readLink.environment, { ...link.environment, SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME: readSecret, SB_TABLE_ORDERS_ACCESS: "read" });
        assert.deepEqual(readLink.permissions.map((p) => p.actions), [["ssm:GetSecretValue"]]);
        assert.match(String(readLink.permissions[0].resources), new RegExp(`:secret/creatorUin/\\d+/${readSecret}$`));
        const env = stack.one("tencentcloud:index/scfFunction:ScfFunction", "reader").state.environment as Record<string, string>;
        assert.equal(env.SB_TABLE_ORDERS_ACCESS, "read");
        assert.equal(env.SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME, readSecret);
        // The read account's privileges (SELECT only) and the server refusing its writes:
        // test/unit/tencent-table-accounts.test.ts, test/runtime/tencent-table-accounts.test.ts.
    });
});

describe("Table read link on the local target", function () {
    this.timeout(120_000);
    const saved = process.env.SB_LOCAL_DATA_DIR;
    let dataDir: string;
    beforeEach(() => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-table-read-"));
        process.env.SB_LOCAL_DATA_DIR = dataDir;
    });
    afterEach(() => {
        if (saved === undefined) delete process.env.SB_LOCAL_DATA_DIR;
        else process.env.SB_LOCAL_DATA_DIR = saved;
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("lists only get and query", async () => {
        const stack = await evaluate("local", readerAndWriter);
        try {
            const readLink = stack.outputs.readLink as Link;
            assert.deepEqual(readLink.permissions, [{ actions: ["get", "query"], resources: ["local:table:orders"] }]);
            assert.equal(readLink.environment.SB_TABLE_ORDERS_ACCESS, "read");
            assert.equal((stack.outputs.link as Link).environment.SB_TABLE_ORDERS_ACCESS, undefined);
        } finally {
            await stack.runtime.close();
        }
    });

    it("lets a worker-thread function read what another wrote, and refuses its own write with a clear error", async () => {
        const stack = await evaluate("local", () => {
            const notes = new Table("notes", { partitionKey: "owner", sortKey: "id" });
            new Function("notes-writer", { handler: "test/fixtures/functions/table-notes.handler", link: [notes.link] });
            new Function("notes-reader", { handler: "test/fixtures/functions/table-notes-read.handler", link: [notes.readLink] });
        });
        const request = (method: string, body: string, query: Record<string, string> = {}) =>
            ({ kind: "http", request: { method, path: "/notes", headers: { "content-type": "application/json" }, query, params: {}, requestId: "t", body } });
        type Answer = { status: number; body: string };
        try {
            const written = (await stack.runtime.function("notes-writer").invoke(request("POST", JSON.stringify({ owner: "ada", id: "n-1", text: "one" })))) as Answer;
            assert.equal(written.status, 201, written.body);
            const reader = stack.runtime.function("notes-reader");
            const read = (await reader.invoke(request("GET", "", { owner: "ada" }))) as Answer;
            assert.equal(read.status, 200, read.body);
            assert.deepEqual(JSON.parse(read.body), { notes: ["n-1"] });
            const refused = (await reader.invoke(request("POST", JSON.stringify({ owner: "ada", id: "n-2", text: "two" })))) as Answer;
            assert.equal(refused.status, 403, refused.body);
            assert.match(refused.body, /table 'notes' is linked read-only: put needs the table's link, not its readLink/);
            const after = (await reader.invoke(request("GET", "", { owner: "ada" }))) as Answer;
            assert.deepEqual(JSON.parse(after.body), { notes: ["n-1"] });
        } finally {
            await stack.runtime.close();
        }
    });
});

describe("the typical app's read-only order routes (prod plan on AWS)", function () {
    this.timeout(120_000);

    it("hold GetItem and Query on orders, and no write action", () => {
        const projectDir = path.resolve(__dirname, "..", "..");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/plan.ts", "--stack", "prod", "--json", "--outputs"], { cwd: projectDir, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        const plan = JSON.parse(run.stdout) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
        for (const route of ["shop-get-orders", "shop-get-orders-orderid"]) {
            const policy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `${route}-policy`);
            assert.ok(policy, `the prod plan has no ${route}-policy`);
            const statements = JSON.parse(String(policy.inputs.policy)).Statement as { Action: string[]; Resource: string[] }[];
            const actions = statements.flatMap((s) => s.Action);
            assert.deepEqual(actions.filter((a) => a.startsWith("dynamodb:") && !TABLE_READ_ACTIONS.includes(a)), [], `${route} holds more than reads`);
            const table = statements.find((s) => s.Action.some((a) => a.startsWith("dynamodb:")));
            assert.deepEqual(table?.Action, TABLE_READ_ACTIONS);
            assert.match(String(table?.Resource), /^arn:aws:dynamodb:[^:]+:\d+:table\/orders-/);
        }
    });
});
