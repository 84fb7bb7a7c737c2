// A Tencent Table's MySQL accounts per access level: `sb_write` and `sb_read` with exactly their
// privileges on the Table's database, each password only in its SSM secret, links naming the
// secret (never a password) with the CAM right to read that one secret; and the typical app's
// dev plan giving its read-only order routes the read account only. TLS: SSL on each cluster, and
// links that require it.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { Function, Table, type Link } from "../../components";
import { TABLE_ACCOUNTS } from "../../components/tencentcloud/table-accounts";
import { evaluate, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const UIN = "100000000001";
const T = {
    cluster: "tencentcloud:index/cynosdbCluster:CynosdbCluster",
    account: "tencentcloud:index/cynosdbAccount:CynosdbAccount",
    privileges: "tencentcloud:index/cynosdbAccountPrivileges:CynosdbAccountPrivileges",
    secret: "tencentcloud:index/ssmSecret:SsmSecret",
    version: "tencentcloud:index/ssmSecretVersion:SsmSecretVersion",
    password: "random:index/randomPassword:RandomPassword",
    scf: "tencentcloud:index/scfFunction:ScfFunction",
    camPolicy: "tencentcloud:index/camPolicy:CamPolicy",
    ssl: "tencentcloud:index/cynosdbSsl:CynosdbSsl",
};
const secretResource = (name: string) => `qcs::ssm:ap-guangzhou:uin/${UIN}:secret/creatorUin/${UIN}/${name}`;

function readerAndWriter() {
    const orders = new Table("orders", { partitionKey: "customerId", sortKey: "orderId" });
    new Function("writer", { handler: HANDLER, link: [orders.link] });
    new Function("reader", { handler: HANDLER, link: [orders.readLink] });
    return { link: orders.link, readLink: orders.readLink };
}

describe("Table accounts on Tencent Cloud", () => {
    it("makes sb_write and sb_read on the table's cluster, with exactly their privileges on its database", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter);
        const cluster = stack.one(T.cluster, "orders");
        const accounts = stack.ofType(T.account).map((a) => ({ name: a.name, accountName: a.inputs.accountName, host: a.inputs.host, clusterId: a.inputs.clusterId }));
        assert.deepEqual(accounts.sort((a, b) => a.name.localeCompare(b.name)), [
            { name: "orders-read", accountName: "sb_read", host: "%", clusterId: cluster.state.id },
            { name: "orders-write", accountName: "sb_write", host: "%", clusterId: cluster.state.id },
        ]);
        const privileges = (name: string) => stack.one(T.privileges, name).inputs;
        assert.deepEqual(privileges("orders-write-privileges"), {
            clusterId: cluster.state.id, accountName: "sb_write", host: "%", globalPrivileges: [],
            databasePrivileges: [{ db: "serverless_blocks", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER"] }],
        });
        assert.deepEqual(privileges("orders-read-privileges"), {
            clusterId: cluster.state.id, accountName: "sb_read", host: "%", globalPrivileges: [],
            databasePrivileges: [{ db: "serverless_blocks", privileges: ["SELECT"] }],
        });
        for (const r of [...stack.ofType(T.account), ...stack.ofType(T.privileges)]) assert.equal(r.parent, "orders");
    });

    it("keeps each account's password in its own SSM secret only, a secret everywhere in the state", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter);
        for (const access of ["write", "read"] as const) {
            const secretName = `serverless-blocks-test-orders-table-${access}`;
            const password = stack.one(T.password, `orders-${access}-password`);
            const account = stack.one(T.account, `orders-${access}`);
            assert.equal(account.inputs.accountPassword, "[secret]");
            assert.equal(account.state.accountPassword, password.state.result);
            assert.equal(stack.one(T.secret, `orders-${access}-credentials`).inputs.secretName, secretName);
            const version = stack.one(T.version, `orders-${access}-credentials-value`);
            assert.equal(version.inputs.secretName, secretName);
            assert.equal(version.inputs.versionId, "current");
            assert.equal(version.inputs.secretString, "[secret]");
            assert.deepEqual(JSON.parse(version.state.secretString), { user: TABLE_ACCOUNTS[access].user, password: password.state.result });
        }
        const cluster = stack.one(T.cluster, "orders");
        assert.notEqual(cluster.state.password, stack.one(T.password, "orders-write-password").state.result, "the functions' password is not root's");
    });

    it("links name the access level's secret, never a user or password, and grant reading that one secret", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter);
        const link = stack.outputs.link as Link;
        const readLink = stack.outputs.readLink as Link;
        assert.equal(link.environment.SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME, "serverless-blocks-test-orders-table-write");
        assert.equal(readLink.environment.SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME, "serverless-blocks-test-orders-table-read");
        assert.equal(readLink.environment.SB_TABLE_ORDERS_ACCESS, "read");
        assert.deepEqual(link.permissions, [{ actions: ["ssm:GetSecretValue"], resources: [secretResource("serverless-blocks-test-orders-table-write")] }]);
        assert.deepEqual(readLink.permissions, [{ actions: ["ssm:GetSecretValue"], resources: [secretResource("serverless-blocks-test-orders-table-read")] }]);
        const passwords = stack.ofType(T.password).map((p) => p.state.result);
        for (const name of ["writer", "reader"]) {
            const env = stack.one(T.scf, name).state.environment as Record<string, string>;
            assert.deepEqual(Object.keys(env).filter((k) => /_(USER|PASSWORD)$/.test(k)), [], `${name} gets no user or password variable`);
            for (const value of Object.values(env)) assert.ok(!passwords.includes(value), `${name}'s environment holds a password`);
            const statements = json(stack.one(T.camPolicy, `${name}-policy`).inputs.document).statement as { action: string[]; resource: string[] }[];
            const ssm = statements.filter((s) => s.action.some((a) => a.startsWith("ssm:")));
            assert.deepEqual(ssm.map((s) => [s.action, s.resource]), [[["ssm:GetSecretValue"], [secretResource(`serverless-blocks-test-orders-table-${name === "writer" ? "write" : "read"}`)]]]);
        }
    });

    it("keeps protected (prod) secrets a week after deletion, and retains them", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter, { "serverless-blocks:protect": "true" });
        const secret = stack.one(T.secret, "orders-read-credentials");
        assert.equal(secret.inputs.recoveryWindowInDays, 7);
        assert.equal(secret.protect, true);
        const dev = await evaluate("tencentcloud", readerAndWriter);
        assert.equal(dev.one(T.secret, "orders-read-credentials").inputs.recoveryWindowInDays, 0);
    });
});

describe("TLS to a Tencent Table's cluster", () => {
    const twoTables = () => {
        const { link, readLink } = readerAndWriter();
        new Table("carts", { partitionKey: "cartId" });
        return { link, readLink };
    };

    it("turns SSL on for each cluster's read-write instance, unprotected outside prod", async () => {
        const stack = await evaluate("tencentcloud", twoTables);
        const ssl = stack.ofType(T.ssl).map((r) => ({ name: r.name, parent: r.parent, inputs: r.inputs }));
        const expected = ["carts", "orders"].map((name) => {
            const cluster = stack.one(T.cluster, name).state;
            assert.match(String(cluster.instanceId), /^cynosdbmysql-ins-/);
            return { name: `${name}-ssl`, parent: name, inputs: { clusterId: cluster.id, instanceId: cluster.instanceId, status: "ON" } };
        });
        assert.deepEqual(ssl.sort((a, b) => a.name.localeCompare(b.name)), expected);
        for (const r of stack.ofType(T.ssl)) assert.equal(r.protect, false);
    });

    it("protects a protected (prod) table's SSL setting like its cluster", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter, { "serverless-blocks:protect": "true" });
        const ssl = stack.one(T.ssl, "orders-ssl");
        assert.equal(ssl.protect, true);
        assert.equal(ssl.retainOnDelete, true);
        assert.equal(stack.one(T.cluster, "orders").protect, true);
    });

    it("both links require TLS (SB_TABLE_<NAME>_TLS=required), and the linked functions get it", async () => {
        const stack = await evaluate("tencentcloud", readerAndWriter);
        assert.equal((stack.outputs.link as Link).environment.SB_TABLE_ORDERS_TLS, "required");
        assert.equal((stack.outputs.readLink as Link).environment.SB_TABLE_ORDERS_TLS, "required");
        for (const name of ["writer", "reader"]) {
            assert.equal((stack.one(T.scf, name).state.environment as Record<string, string>).SB_TABLE_ORDERS_TLS, "required");
        }
    });
});

describe("the typical app's order routes (dev plan on Tencent Cloud)", function () {
    this.timeout(180_000);

    it("give the read-only routes the read account's secret only, and the others the write account's", () => {
        const projectDir = path.resolve(__dirname, "..", "..");
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/plan.ts", "--stack", "dev", "--json", "--outputs"], { cwd: projectDir, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        const plan = JSON.parse(run.stdout) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
        const ssmResources = (fn: string) => {
            const policy = plan.resources.find((r) => r.type === T.camPolicy && r.name === `${fn}-policy`);
            assert.ok(policy, `the dev plan has no ${fn}-policy`);
            const statements = JSON.parse(String(policy.inputs.document)).statement as { action: string[]; resource: string[] }[];
            return statements.filter((s) => s.action.includes("ssm:GetSecretValue")).flatMap((s) => s.resource).filter((r) => /-orders-table-/.test(r));
        };
        for (const route of ["shop-get-orders", "shop-get-orders-orderid"]) {
            assert.deepEqual(ssmResources(route).map((r) => r.replace(/.*\//, "")), ["serverless-blocks-dev-orders-table-read"], `${route} reads more than the read account's secret`);
        }
        assert.deepEqual(ssmResources("shop-post-orders").map((r) => r.replace(/.*\//, "")), ["serverless-blocks-dev-orders-table-write"]);
    });
});
