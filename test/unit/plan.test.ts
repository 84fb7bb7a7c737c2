// `npm run plan`: the real command for the real stacks, and plan diffs for pull requests.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAMBDA_RUNTIME } from "../../components/aws/function";
import { SCF_RUNTIME } from "../../components/tencentcloud/function";
import { diffPlans, formatDiff, formatPlan, Plan } from "../../engine/plan";
import { readStackConfig, UNDECRYPTABLE } from "../../engine/stack-config";
import { SHOP_DIR } from "../../bin/shop";

const projectDir = path.resolve(__dirname, "..", "..");

function plan(...args: string[]) {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/plan.ts", ...args], { cwd: projectDir, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run plan", function () {
    this.timeout(120_000);
    let dev: Plan;
    let prod: Plan;

    before(() => {
        const devRun = plan("--stack", "dev", "--json", "--outputs");
        const prodRun = plan("--stack", "prod", "--json", "--outputs");
        assert.equal(devRun.status, 0, devRun.stderr);
        assert.equal(prodRun.status, 0, prodRun.stderr);
        dev = JSON.parse(devRun.stdout);
        prod = JSON.parse(prodRun.stdout);
    });

    it("plans dev on Tencent Cloud: role, policy, attachment and SCF functions", () => {
        assert.equal(dev.stack, "dev");
        assert.equal(dev.cloud, "tencentcloud");
        const types = new Set(dev.resources.map((r) => r.type));
        for (const t of ["camRole:CamRole", "camPolicy:CamPolicy", "camRolePolicyAttachment:CamRolePolicyAttachment", "scfFunction:ScfFunction"]) {
            assert.ok(types.has(`tencentcloud:index/${t}`), `dev plan lacks ${t}`);
        }
        const fn = dev.resources.find((r) => r.type === "tencentcloud:index/scfFunction:ScfFunction" && r.name === "about")!;
        assert.equal(fn.parent, "about");
        assert.equal(fn.inputs.runtime, SCF_RUNTIME);
        const busId = (fn.inputs.environment as any).SB_HUB_EVENTS_NAME;
        const policy = dev.resources.find((r) => r.type === "tencentcloud:index/camPolicy:CamPolicy" && r.name === "about-policy")!;
        assert.deepEqual(JSON.parse(String(policy.inputs.document)).statement, [
            { effect: "allow", action: ["eb:PutEvents"], resource: [`qcs::eb:ap-guangzhou:uin/100000000001:eventbusid/${busId}`] },
        ]);
        assert.ok(!types.has("aws:lambda/function:Function"));
    });

    it("plans prod on AWS, with the stack's log retention", () => {
        assert.equal(prod.cloud, "aws");
        const lambda = prod.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "shop-get-hello")!;
        assert.equal(lambda.inputs.runtime, LAMBDA_RUNTIME);
        const logs = prod.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.name === "shop-get-hello-logs")!;
        assert.equal(logs.inputs.retentionInDays, 365);
        const functions = prod.resources.filter((r) => r.type === "serverless-blocks:index:Function");
        assert.deepEqual(functions.filter((c) => c.parent !== "shop" && c.parent !== "auth").map((c) => `${c.name}<${c.parent}`).sort(), [
            "about<null",
            "attachments-api-post-uploads<attachments-api",
            "attachments-processor<attachments",
            "auth-records-outbox-relay<auth-records-outbox-relay",
            "checkout-callback-post-payments-callback<checkout-callback",
            "checkout-finish<checkout",
            "checkout-notify<checkout",
            "checkout-record<checkout",
            "checkout-request<checkout",
            "checkout-status<checkout",
            "confirm-order<confirm-order",
            "live-authorizer<live",
            "live-connect<live",
            "live-default<live",
            "live-disconnect<live",
            "orders-outbox-relay<orders-outbox-relay",
            "send-welcome-email<send-welcome-email",
        ]);
        assert.equal(functions.filter((c) => c.parent === "shop").length, 5, "one function per API route");
        assert.equal(functions.filter((c) => c.parent === "auth").length, 7, "one function per route of Auth's issuer");
        const bus = prod.resources.find((r) => r.type === "aws:cloudwatch/eventBus:EventBus")!;
        assert.equal(bus.protect, true, "prod protects the bus");
    });

    it("gives the same plan twice (stable diffs)", () => {
        const again = JSON.parse(plan("--stack", "prod", "--json", "--outputs").stdout);
        assert.deepEqual(again, prod);
        assert.equal(formatDiff(diffPlans(prod, again)), "no changes");
    });

    it("prints a tree with counts as text", () => {
        const text = plan("--stack", "prod");
        assert.equal(text.status, 0);
        assert.match(text.stdout, new RegExp(`^Plan for stack 'prod' \\(cloud: aws\\): ${prod.resources.length} resources to create`));
        assert.match(text.stdout, /\+ serverless-blocks:index:Function {2}about\n {4}\+ aws:cloudwatch\/logGroup:LogGroup {2}about-logs/);
        const lambdas = prod.resources.filter((r) => r.type === "aws:lambda/function:Function").length;
        assert.match(text.stdout, new RegExp(`Resources by type:\\n(.*\\n)* +${lambdas} {2}aws:lambda/function:Function`));
    });

    it("prints no changes against a plan of the same tree, and exits 0", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sb-plan-")), "base.json");
        fs.writeFileSync(file, JSON.stringify(prod));
        const run = plan("--stack", "prod", "--outputs", "--diff", file);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout.trim(), "no changes");
    });

    it("diffs against an earlier plan", () => {
        const earlier: Plan = JSON.parse(JSON.stringify(prod));
        const lambda = earlier.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "about")!;
        lambda.inputs.memorySize = 128;
        earlier.resources = earlier.resources.filter((r) => r.name !== "about-logs");
        earlier.resources.push({ ...lambda, urn: lambda.urn.replace("::about", "::gone"), name: "gone" });
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sb-plan-")), "earlier.json");
        fs.writeFileSync(file, JSON.stringify(earlier));
        const run = plan("--stack", "prod", "--outputs", "--diff", file);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^\+ aws:cloudwatch\/logGroup:LogGroup {2}about-logs$/m);
        assert.match(run.stdout, /^- aws:lambda\/function:Function {2}gone$/m);
        assert.match(run.stdout, /^~ aws:lambda\/function:Function {2}about\n {6}memorySize: 128 => 256$/m);
        assert.match(run.stdout, /1 to add, 1 to change, 1 to remove/);
    });

    it("fails with a clear message for an unknown cloud", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-gcp-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: serverless-blocks\nruntime: nodejs\nmain: ${path.join(SHOP_DIR, "app.ts")}\n`);
        fs.writeFileSync(path.join(dir, "Pulumi.gcp.yaml"), "config:\n  serverless-blocks:cloud: gcp\n");
        const run = plan("--stack", "gcp", "--project", dir);
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /plan failed: config serverless-blocks:cloud: 'gcp' is not allowed; allowed values: aws, tencentcloud, local/);
        assert.equal(run.stdout, "");
    });

    it("fails naming the stacks there are when a stack file is missing", () => {
        const run = plan("--stack", "staging");
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /stack 'staging': no Pulumi.staging.yaml; stacks here: dev, local, prod/);
    });

    it("refuses a missing --stack with usage", () => {
        const run = plan();
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /--stack is required\nusage: npm run plan/);
    });
});

describe("stack config", () => {
    it("applies Pulumi.yaml defaults, qualifies keys, and keeps secure values secret", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-config-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\nconfig:\n  cloud:\n    type: string\n    default: local\n  retries:\n    type: integer\n    default: 2\n");
        fs.writeFileSync(path.join(dir, "Pulumi.ci.yaml"), "config:\n  shop:cloud: aws\n  aws:region: eu-west-1\n  dbPassword:\n    secure: v1:abc123==\n");
        const config = readStackConfig(dir, "ci");
        assert.deepEqual(config.config, { "shop:cloud": "aws", "shop:retries": "2", "aws:region": "eu-west-1", "shop:dbPassword": UNDECRYPTABLE });
        assert.deepEqual(config.secretKeys, ["shop:dbPassword"]);
    });

    it("shows secret inputs as [secret] in a plan", () => {
        const text = formatPlan({ stack: "s", cloud: "aws", resources: [{ urn: "urn:pulumi:s::p::t:index:T::x", type: "t:index:T", name: "x", parent: null, inputs: { password: "[secret]" } }] });
        assert.match(text, /password: "\[secret\]"/);
    });
});
