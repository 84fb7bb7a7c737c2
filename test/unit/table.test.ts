// Table on every target: the DynamoDB table (on demand, PITR, encryption, TTL, deletion
// protection), the TDSQL-C Serverless cluster with its VPC, subnet, security group and secret
// root password (and the linking functions placed in that VPC, reading their account's secret:
// test/unit/tencent-table-accounts.test.ts), the local SQLite file; the links;
// and the mistakes refused before anything registers.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Function, Table, type Link, type TableArgs } from "../../components";
import { TABLE_ACTIONS } from "../../components/aws/table";
import { TABLE_VPC_CIDR } from "../../components/tencentcloud/network";
import { RANDOM_PROVIDER_VERSION } from "../../components/tencentcloud/password";
import { SERVERLESS_CLUSTER } from "../../components/tencentcloud/table";
import { securityGroupLiteRuleBinding } from "../../components/tencentcloud/sdk/security-group-lite-rule";
import { createDynamoTable } from "../../functions/runtime/clients/aws/table";
import { tableClient, type TableSettings } from "../../functions/runtime/clients/table";
import { CLOUDS, evaluate, evaluateFailing, type Evaluated, json } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const UIN = "100000000001";
const ORDERS: TableArgs = { partitionKey: "customerId", sortKey: "orderId", ttlAttribute: "expiresAt" };
const T = {
    dynamo: "aws:dynamodb/table:Table",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    lambda: "aws:lambda/function:Function",
    vpc: "tencentcloud:index/vpc:Vpc",
    subnet: "tencentcloud:index/subnet:Subnet",
    sg: "tencentcloud:index/securityGroup:SecurityGroup",
    sgRules: "tencentcloud:index/securityGroupLiteRule:SecurityGroupLiteRule",
    cluster: "tencentcloud:index/cynosdbCluster:CynosdbCluster",
    password: "random:index/randomPassword:RandomPassword",
    scf: "tencentcloud:index/scfFunction:ScfFunction",
    camPolicy: "tencentcloud:index/camPolicy:CamPolicy",
};

/** An orders table and a function linking it. */
function linked(args: TableArgs = ORDERS) {
    const orders = new Table("orders", args);
    new Function("checkout", { handler: HANDLER, link: [orders.link] });
    return { tableName: orders.tableName, resourceId: orders.resourceId, link: orders.link };
}

describe("Table on AWS", () => {
    it("is an on-demand DynamoDB table keyed as asked, with PITR, KMS encryption and TTL", async () => {
        const stack = await evaluate("aws", () => linked());
        const table = stack.one(T.dynamo, "orders");
        assert.equal(table.parent, "orders");
        assert.deepEqual(table.inputs, {
            billingMode: "PAY_PER_REQUEST",
            hashKey: "customerId",
            rangeKey: "orderId",
            attributes: [{ name: "customerId", type: "S" }, { name: "orderId", type: "S" }],
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true },
            ttl: { attributeName: "expiresAt", enabled: true },
            deletionProtectionEnabled: false,
        });
        assert.equal(table.protect, false);
        assert.equal(stack.outputs.tableName, table.state.name);
        assert.equal(stack.outputs.resourceId, `arn:aws:dynamodb:us-east-1:123456789012:table/${table.state.name}`);
    });

    it("declares only the partition key without a sort key, and no TTL without a TTL attribute", async () => {
        const stack = await evaluate("aws", () => linked({ partitionKey: "userId" }));
        const table = stack.one(T.dynamo, "orders");
        assert.equal(table.inputs.rangeKey, undefined);
        assert.deepEqual(table.inputs.attributes, [{ name: "userId", type: "S" }]);
        assert.equal(table.inputs.ttl, undefined);
    });

    it("is deletion-protected, protected and retained when the stack protects (prod)", async () => {
        const stack = await evaluate("aws", () => linked(), { "serverless-blocks:protect": "true" });
        const table = stack.one(T.dynamo, "orders");
        assert.equal(table.inputs.deletionProtectionEnabled, true);
        assert.equal(table.protect, true);
        assert.equal(table.retainOnDelete, true);
    });

    it("lets a linked function do exactly the client's five item actions on exactly this table, and names it", async () => {
        const stack = await evaluate("aws", () => linked());
        const table = stack.one(T.dynamo, "orders");
        const policy = json(stack.one(T.rolePolicy, "checkout-policy").inputs.policy);
        assert.deepEqual(policy.Statement.slice(2), [{ Effect: "Allow", Action: TABLE_ACTIONS, Resource: [table.state.arn] }]);
        const env = (stack.one(T.lambda, "checkout").inputs.environment as { variables: Record<string, string> }).variables;
        assert.equal(env.SB_TABLE_ORDERS_NAME, table.state.name);
        assert.equal(env.SB_TABLE_ORDERS_PARTITION_KEY, "customerId");
        assert.equal(env.SB_TABLE_ORDERS_SORT_KEY, "orderId");
        assert.equal(env.SB_TABLE_ORDERS_TTL_ATTRIBUTE, "expiresAt");
        assert.deepEqual(stack.outputs.link.resources, { tableName: table.state.name, tableArn: table.state.arn });
    });

    it("grants the actions the DynamoDB client actually calls, no more and no fewer", async () => {
        const sent = new Set<string>();
        const recording = { send: async (command: object) => {
            sent.add(command.constructor.name);
            return command.constructor.name === "QueryCommand" ? { Items: [] } : {};
        } };
        const backend = createDynamoTable({ client: () => recording as never });
        const settings: TableSettings = { name: "orders", tableName: "orders-1", partitionKey: "customerId", sortKey: "orderId", ttlAttribute: "expiresAt" };
        const client = tableClient(settings, backend);
        const key = { customerId: "c", orderId: "o" };
        await client.get(key);
        await client.put({ ...key, v: 1 });
        await client.put({ ...key, v: 1 }, { ifNotExists: true });
        await client.update(key, { v: 2, gone: undefined }).catch(() => undefined);
        await client.delete(key);
        await client.query({ partition: "c", sortPrefix: "o" });
        const actions = [...sent].map((command) => `dynamodb:${{ GetCommand: "GetItem", PutCommand: "PutItem", UpdateCommand: "UpdateItem", DeleteCommand: "DeleteItem", QueryCommand: "Query" }[command] ?? command}`);
        assert.deepEqual(actions.sort(), [...TABLE_ACTIONS].sort());
    });
});

describe("Table on Tencent Cloud", () => {
    /** A table's cluster and password, and the stack's table network (its subnet in `zone`). */
    function parts(stack: Evaluated, name = "orders", zone = "ap-guangzhou-4") {
        return {
            vpc: stack.one(T.vpc, "tables-vpc"),
            subnet: stack.one(T.subnet, `tables-${zone}`),
            sg: stack.one(T.sg, "tables-sg"),
            sgRules: stack.one(T.sgRules, "tables-sg-rules"),
            cluster: stack.one(T.cluster, name),
            password: stack.one(T.password, `${name}-password`),
        };
    }

    it("is a TDSQL-C MySQL Serverless cluster that pauses when idle, in the stack's table network", async () => {
        const stack = await evaluate("tencentcloud", () => linked());
        const { vpc, subnet, sg, cluster } = parts(stack);
        assert.equal(cluster.parent, "orders");
        assert.equal(cluster.inputs.dbType, "MYSQL");
        assert.equal(cluster.inputs.dbVersion, "8.0");
        assert.equal(cluster.inputs.dbMode, "SERVERLESS");
        assert.equal(cluster.inputs.autoPause, "yes");
        assert.equal(cluster.inputs.autoPauseDelay, 600);
        assert.equal(cluster.inputs.minCpu, SERVERLESS_CLUSTER.minCpu);
        assert.equal(cluster.inputs.maxCpu, SERVERLESS_CLUSTER.maxCpu);
        assert.equal(cluster.inputs.instanceCount, undefined, "instanceCount sizes provisioned clusters only");
        assert.equal(cluster.inputs.clusterName, "serverless-blocks-test-orders");
        assert.equal(cluster.inputs.availableZone, "ap-guangzhou-4");
        assert.equal(cluster.inputs.vpcId, vpc.state.id);
        assert.equal(cluster.inputs.subnetId, subnet.state.id);
        assert.deepEqual(cluster.inputs.rwGroupSgs, [sg.state.id]);
        assert.equal(subnet.inputs.vpcId, vpc.state.id);
        assert.equal(subnet.inputs.availabilityZone, "ap-guangzhou-4");
        assert.equal(subnet.inputs.cidrBlock, "10.0.64.0/20", "zone 4's block");
        assert.equal(vpc.inputs.cidrBlock, TABLE_VPC_CIDR);
        for (const r of [vpc, subnet, sg]) assert.equal(r.parent, "tables");
        assert.equal(stack.one("serverless-blocks:index:TableNetwork", "tables").parent, null);
        for (const r of [vpc, subnet, sg, cluster]) assert.ok(r.packageRef, `${r.type} is registered against the tencentcloud package`);
        assert.equal(stack.outputs.tableName, "orders");
        assert.equal(stack.outputs.resourceId, `qcs::cynosdb:ap-guangzhou:uin/${UIN}:instance/${cluster.state.id}`);
        assert.match(cluster.state.id, /^cynosdbmysql-[0-9a-f]{8}$/);
    });

    it("lets only the table network's VPC reach MySQL, through the clusters' security group", async () => {
        const stack = await evaluate("tencentcloud", () => linked());
        const { sg, sgRules } = parts(stack);
        assert.equal(sgRules.inputs.securityGroupId, sg.state.id);
        assert.deepEqual(sgRules.inputs.ingresses, [`ACCEPT#${TABLE_VPC_CIDR}#3306#TCP`, "DROP#0.0.0.0/0#ALL#ALL"]);
        assert.equal(sgRules.inputs.egresses, undefined);
        assert.deepEqual(Object.keys(securityGroupLiteRuleBinding.inputs).sort(), ["egresses", "ingresses", "securityGroupId"]);
    });

    it("sets a generated root password, kept secret in the cluster's inputs and out of the functions' environment", async () => {
        const stack = await evaluate("tencentcloud", () => linked());
        const { cluster, password } = parts(stack);
        assert.deepEqual(password.inputs, { length: 32, minLower: 1, minNumeric: 1, minSpecial: 1, minUpper: 1, overrideSpecial: "-_", special: true });
        assert.equal(password.parent, "orders");
        assert.equal(cluster.inputs.password, "[secret]");
        assert.equal(cluster.state.password, password.state.result);
        const env = stack.one(T.scf, "checkout").state.environment as Record<string, string>;
        assert.ok(!Object.values(env).includes(password.state.result), "root's password reaches no function");
        assert.equal(env.SB_TABLE_ORDERS_PASSWORD, undefined);
        assert.match(RANDOM_PROVIDER_VERSION, /^4\.\d+\.\d+$/);
    });

    it("puts a linked function in the table's VPC and subnet, with the address, database and its account's secret", async () => {
        const stack = await evaluate("tencentcloud", () => {
            linked();
            new Function("unrelated", { handler: HANDLER });
        });
        const { vpc, subnet, cluster } = parts(stack);
        const fn = stack.one(T.scf, "checkout");
        assert.equal(fn.inputs.vpcId, vpc.state.id);
        assert.equal(fn.inputs.subnetId, subnet.state.id);
        const env = fn.state.environment as Record<string, string>;
        assert.equal(env.SB_TABLE_ORDERS_HOST, cluster.state.rwGroupAddrs[0].ip);
        assert.equal(env.SB_TABLE_ORDERS_PORT, "3306");
        assert.equal(env.SB_TABLE_ORDERS_DATABASE, "serverless_blocks");
        assert.equal(env.SB_TABLE_ORDERS_USER, undefined);
        assert.equal(env.SB_TABLE_ORDERS_ACCOUNT_SECRET_NAME, "serverless-blocks-test-orders-table-write");
        assert.equal(env.SB_TABLE_ORDERS_NAME, "orders");
        assert.equal(env.SB_TABLE_ORDERS_PARTITION_KEY, "customerId");
        const unrelated = stack.one(T.scf, "unrelated");
        assert.equal(unrelated.inputs.vpcId, undefined);
        assert.equal(unrelated.inputs.subnetId, undefined);
    });

    it("grants reading its account's secret only (MySQL then authenticates by password), beside the function's other links", async () => {
        const stack = await evaluate("tencentcloud", () => {
            const orders = new Table("orders", ORDERS);
            const other = new Function("other", { handler: HANDLER });
            new Function("checkout", { handler: HANDLER, link: [orders.link, other.link] });
            return { link: orders.link };
        });
        const secret = `qcs::ssm:ap-guangzhou:uin/${UIN}:secret/creatorUin/${UIN}/serverless-blocks-test-orders-table-write`;
        assert.deepEqual(stack.outputs.link.permissions, [{ actions: ["ssm:GetSecretValue"], resources: [secret] }]);
        const policy = json(stack.one(T.camPolicy, "checkout-policy").inputs.document);
        const statements = policy.statement.map((s: { action: string[]; resource: string[] }) => [s.action, s.resource]);
        assert.deepEqual(statements.filter(([action]: [string[]]) => action[0].startsWith("ssm:")), [[["ssm:GetSecretValue"], [secret]]]);
        assert.deepEqual(statements.map(([action]: [string[]]) => action).sort(), [["scf:InvokeFunction"], ["ssm:GetSecretValue"]]);
    });

    it("uses a given network instead of making one, and places its functions there", async () => {
        const network = { vpcId: "vpc-given001", subnetId: "subnet-given001", securityGroupId: "sg-given001" };
        const stack = await evaluate("tencentcloud", () => linked({ ...ORDERS, network, availabilityZone: "ap-guangzhou-6" }));
        for (const type of [T.vpc, T.subnet, T.sg, T.sgRules]) assert.deepEqual(stack.ofType(type), []);
        const cluster = stack.one(T.cluster, "orders");
        assert.equal(cluster.inputs.vpcId, "vpc-given001");
        assert.equal(cluster.inputs.subnetId, "subnet-given001");
        assert.deepEqual(cluster.inputs.rwGroupSgs, ["sg-given001"]);
        assert.equal(cluster.inputs.availableZone, "ap-guangzhou-6");
        assert.equal(stack.one(T.scf, "checkout").inputs.vpcId, "vpc-given001");
    });

    it("shares one network among the stack's tables, a subnet per zone, so one function can link them all", async () => {
        const stack = await evaluate("tencentcloud", () => {
            const users = new Table("users", { partitionKey: "userId" });
            const orders = new Table("orders", ORDERS);
            const audit = new Table("audit", { partitionKey: "day", availabilityZone: "ap-guangzhou-6" });
            new Function("checkout", { handler: HANDLER, link: [users.link, orders.link, audit.link] });
        });
        const vpc = stack.one(T.vpc, "tables-vpc");
        assert.deepEqual(stack.ofType(T.subnet).map((s) => [s.name, s.inputs.cidrBlock]), [["tables-ap-guangzhou-4", "10.0.64.0/20"], ["tables-ap-guangzhou-6", "10.0.96.0/20"]]);
        assert.deepEqual(stack.ofType(T.sg).map((s) => s.name), ["tables-sg"]);
        for (const cluster of stack.ofType(T.cluster)) assert.equal(cluster.inputs.vpcId, vpc.state.id);
        assert.equal(stack.one(T.cluster, "audit").inputs.subnetId, stack.one(T.subnet, "tables-ap-guangzhou-6").state.id);
        assert.equal(stack.one(T.scf, "checkout").inputs.vpcId, vpc.state.id);
    });

    it("refuses a function linking tables in two VPCs", async () => {
        const { error } = await evaluateFailing("tencentcloud", () => {
            const users = new Table("users", { partitionKey: "userId" });
            const orders = new Table("orders", { ...ORDERS, network: { vpcId: "vpc-given001", subnetId: "subnet-given001", securityGroupId: "sg-given001" } });
            new Function("checkout", { handler: HANDLER, link: [users.link, orders.link] });
        });
        assert.match(error.message, /Function 'checkout' link: 'table 'orders'' is not allowed; it is in VPC vpc-given001, but table 'users' is in VPC vpc-[0-9a-f]{8}; a function runs in one VPC/);
    });

    it("keeps the cluster from deletion when the stack protects (prod)", async () => {
        const dev = parts(await evaluate("tencentcloud", () => linked())).cluster;
        assert.equal(dev.inputs.forceDelete, true);
        assert.equal(dev.protect, false);
        const prod = parts(await evaluate("tencentcloud", () => linked(), { "serverless-blocks:protect": "true" })).cluster;
        assert.equal(prod.inputs.forceDelete, false);
        assert.equal(prod.protect, true);
        assert.equal(prod.retainOnDelete, true);
    });

    it("needs a zone where the region has no default, and one of the stack's region", async () => {
        const none = await evaluateFailing("tencentcloud", () => linked(), { "tencentcloud:region": "ap-singapore" });
        assert.match(none.error.message, /Table 'orders' availabilityZone: missing; there is no default zone for ap-singapore/);
        assert.deepEqual(none.registered.filter((r) => r.custom), []);
        const wrong = await evaluateFailing("tencentcloud", () => linked({ ...ORDERS, availabilityZone: "ap-shanghai-2" }));
        assert.match(wrong.error.message, /availabilityZone: 'ap-shanghai-2' is not allowed; expected a zone of the stack's region ap-guangzhou/);
        assert.deepEqual(wrong.registered.filter((r) => r.custom), []);
    });

    it("refuses a zone the table network has no subnet block for", async () => {
        const { error, registered } = await evaluateFailing("tencentcloud", () => linked({ ...ORDERS, availabilityZone: "ap-guangzhou-16" }));
        assert.match(error.message, /Table 'orders' availabilityZone: 'ap-guangzhou-16' is not allowed; the stack's table network has a subnet for zones numbered 1 to 15/);
        assert.deepEqual(registered.filter((r) => r.custom), []);
    });

    it("takes the zone given, in a region without a default", async () => {
        const singapore = await evaluate("tencentcloud", () => linked({ ...ORDERS, availabilityZone: "ap-singapore-3" }), { "tencentcloud:region": "ap-singapore" });
        assert.equal(singapore.one(T.subnet, "tables-ap-singapore-3").inputs.availabilityZone, "ap-singapore-3");
        assert.equal(singapore.one(T.cluster, "orders").inputs.availableZone, "ap-singapore-3");
    });
});

describe("Table on the local target", () => {
    it("is a SQLite file under the runtime's data directory, and registers no cloud resource", async () => {
        const stack = await evaluate("local", () => linked());
        assert.deepEqual(stack.resources.filter((r) => r.custom), []);
        const link = stack.outputs.link as Link;
        const file = path.join(stack.runtime.dataDir, "tables", "orders.sqlite");
        assert.deepEqual(link.environment, {
            SB_TABLE_ORDERS_NAME: "orders",
            SB_TABLE_ORDERS_PARTITION_KEY: "customerId",
            SB_TABLE_ORDERS_SORT_KEY: "orderId",
            SB_TABLE_ORDERS_TTL_ATTRIBUTE: "expiresAt",
            SB_TABLE_ORDERS_FILE: file,
        });
        assert.deepEqual(link.permissions, [{ actions: ["get", "put", "update", "delete", "query"], resources: ["local:table:orders"] }]);
        assert.equal(stack.outputs.resourceId, "local:table:orders");
        assert.equal(stack.runtime.function("checkout").definition.environment.SB_TABLE_ORDERS_FILE, file);
    });
});

describe("Table args", () => {
    const refusals: [string, TableArgs, RegExp][] = [
        ["a partition key that is no attribute name", { partitionKey: "user id" }, /Table 'orders' partitionKey: 'user id' is not allowed; attribute names take letters/],
        ["a missing partition key", {} as TableArgs, /Table 'orders' partitionKey: missing/],
        ["a sort key equal to the partition key", { partitionKey: "id", sortKey: "id" }, /Table 'orders' sortKey: 'id' is not allowed; the sort key must differ/],
        ["a TTL attribute that is a key", { partitionKey: "id", sortKey: "at", ttlAttribute: "at" }, /Table 'orders' ttlAttribute: 'at' is not allowed; the TTL attribute holds a number/],
        ["a TTL attribute name with a space", { partitionKey: "id", ttlAttribute: "expires at" }, /Table 'orders' ttlAttribute: 'expires at'/],
        ["an availability zone that is none", { partitionKey: "id", availabilityZone: "guangzhou" }, /Table 'orders' availabilityZone: 'guangzhou' is not allowed; expected a zone such as ap-guangzhou-3/],
        ["a network without its security group", { partitionKey: "id", network: { vpcId: "vpc-1", subnetId: "subnet-1" } as TableArgs["network"] }, /Table 'orders' network.securityGroupId: missing/],
    ];
    for (const cloud of CLOUDS) {
        for (const [what, args, message] of refusals) {
            it(`refuses ${what} on ${cloud}, registering nothing`, async () => {
                const { error, registered } = await evaluateFailing(cloud, () => new Table("orders", args));
                assert.match(error.message, message);
                assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
            });
        }
    }

    it("refuses a name that cannot name a table everywhere", async () => {
        const { error, registered } = await evaluateFailing("aws", () => new Table("9 orders", { partitionKey: "id" }));
        assert.match(error.message, /Table '9 orders' name: '9 orders' is not allowed; table names take a letter/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
    });
});
