import * as assert from "node:assert/strict";
import { closure, Function } from "../../components";
import type { Link } from "../../components";
import { LAMBDA_RUNTIME } from "../../components/aws/function";
import { SCF_RUNTIME } from "../../components/tencentcloud/function";
import { http } from "../../functions/runtime";
import { evaluate, evaluateFailing, json } from "../harness";

/** A link as a table component would hand it out. */
const ordersTable = (resource: string): Link => ({
    type: "table",
    name: "orders",
    environment: { SB_TABLE_ORDERS_NAME: "orders-table" },
    permissions: [{ actions: ["dynamodb:PutItem", "dynamodb:GetItem"], resources: [resource] }],
});

describe("Function on AWS", () => {
    const program = () => {
        const greet = new Function("greet", { handler: "examples/shop/functions/hello/greet.handler", memory: 512, timeout: 30 });
        new Function("worker", {
            handler: "examples/shop/functions/hello/greet.handler",
            link: [greet.link, ordersTable("arn:aws:dynamodb:us-east-1:123456789012:table/orders")],
            environment: { MODE: "test" },
            logRetentionDays: 30,
        });
    };

    it("runs a current Node.js on arm64 with the bundled zip and its hash", async () => {
        const stack = await evaluate("aws", program);
        const fn = stack.one("aws:lambda/function:Function", "greet");
        assert.equal(fn.inputs.runtime, LAMBDA_RUNTIME);
        assert.deepEqual(fn.inputs.architectures, ["arm64"]);
        assert.equal(fn.inputs.handler, "index.handler");
        assert.equal(fn.inputs.memorySize, 512);
        assert.equal(fn.inputs.timeout, 30);
        assert.match((fn.inputs.code as any).archive, /^\.build\/functions\/greet-[0-9a-f]{12}\.zip$/);
        assert.match(String(fn.inputs.sourceCodeHash), /^[A-Za-z0-9+/]{43}=$/);
        assert.equal(fn.parent, "greet");
    });

    it("gives each function a role only Lambda can assume", async () => {
        const stack = await evaluate("aws", program);
        const trust = json(stack.one("aws:iam/role:Role", "greet-role").inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement, [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
        const fn = stack.one("aws:lambda/function:Function", "greet");
        assert.equal(fn.inputs.role, stack.one("aws:iam/role:Role", "greet-role").state.arn);
    });

    it("grants exactly its own log group and what its links need, no wildcard resources", async () => {
        const stack = await evaluate("aws", program);
        const policy = json(stack.one("aws:iam/rolePolicy:RolePolicy", "worker-policy").inputs.policy);
        const logGroup = stack.one("aws:cloudwatch/logGroup:LogGroup", "worker-logs");
        const greet = stack.one("aws:lambda/function:Function", "greet");
        assert.deepEqual(policy.Statement, [
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroup.state.arn}:*`] },
            // X-Ray authorises trace upload at operation level only: `*` is its only resource.
            { Effect: "Allow", Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: ["*"] },
            // The live alias only: invoking the bare function ($LATEST) is not allowed.
            { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [`${greet.state.arn}:live`] },
            { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"] },
        ]);
        assert.ok(!JSON.stringify(policy.Statement.filter((s: any) => !s.Action[0].startsWith("xray:"))).includes('"*"'));
    });

    it("injects link variables and keeps logs for the retention asked", async () => {
        const stack = await evaluate("aws", program);
        const worker = stack.one("aws:lambda/function:Function", "worker");
        const greet = stack.one("aws:lambda/function:Function", "greet");
        assert.deepEqual((worker.inputs.environment as any).variables, {
            NODE_OPTIONS: "--enable-source-maps",
            SB_EVENT_SOURCE: "worker",
            MODE: "test",
            SB_FUNCTION_GREET_NAME: greet.state.name,
            SB_FUNCTION_GREET_ALIAS: "live", // callers invoke the alias, never the unpublished $LATEST
            SB_TABLE_ORDERS_NAME: "orders-table",
        });
        const logGroup = stack.one("aws:cloudwatch/logGroup:LogGroup", "worker-logs");
        assert.equal(logGroup.inputs.retentionInDays, 30);
        assert.deepEqual(worker.inputs.loggingConfig, { logFormat: "JSON", logGroup: logGroup.state.name });
    });

    it("takes the stack's default log retention", async () => {
        const stack = await evaluate("aws", program, { "serverless-blocks:logRetentionDays": "365" });
        assert.equal(stack.one("aws:cloudwatch/logGroup:LogGroup", "greet-logs").inputs.retentionInDays, 365);
    });

    it("refuses a wildcard resource handed over in a link", async () => {
        const { error } = await evaluateFailing("aws", () =>
            new Function("bad", { handler: "examples/shop/functions/hello/greet.handler", link: [ordersTable("*")] }));
        assert.match(error.message, /resource '\*' is not allowed; name the ARNs/);
    });
});

describe("Function on Tencent Cloud", () => {
    const program = () => {
        const greet = new Function("greet", { handler: "examples/shop/functions/hello/greet.handler" });
        new Function("worker", { handler: "examples/shop/functions/hello/greet.handler", link: [greet.link], memory: 1024 });
    };

    it("runs on the newest SCF Node.js runtime as its own CAM role", async () => {
        const stack = await evaluate("tencentcloud", program);
        const fn = stack.one("tencentcloud:index/scfFunction:ScfFunction", "worker");
        assert.equal(fn.inputs.runtime, SCF_RUNTIME);
        assert.equal(fn.inputs.handler, "index.handler");
        assert.equal(fn.inputs.memSize, 1024);
        assert.equal(fn.inputs.namespace, "default");
        assert.equal(fn.inputs.enablePublicNet, true, "cloud APIs stay reachable from a VPC");
        assert.match(String(fn.inputs.zipFile), /^\.build\/functions\/worker-[0-9a-f]{12}\.zip$/);
        const role = stack.one("tencentcloud:index/camRole:CamRole", "worker-role");
        assert.equal(fn.inputs.role, role.state.name);
        assert.deepEqual(json(role.inputs.document).statement, [
            { action: "name/sts:AssumeRole", effect: "allow", principal: { service: ["scf.qcloud.com"] } },
        ]);
    });

    it("attaches a policy naming exactly the linked resources", async () => {
        const stack = await evaluate("tencentcloud", program);
        const greet = stack.one("tencentcloud:index/scfFunction:ScfFunction", "greet");
        const policy = stack.one("tencentcloud:index/camPolicy:CamPolicy", "worker-policy");
        assert.deepEqual(json(policy.inputs.document), {
            version: "2.0",
            statement: [{
                effect: "allow",
                action: ["scf:InvokeFunction"],
                resource: [`qcs::scf:ap-guangzhou:uin/100000000001:namespace/default/function/${greet.state.name}`],
            }],
        });
        const attachment = stack.one("tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment");
        assert.equal(attachment.inputs.roleId, stack.one("tencentcloud:index/camRole:CamRole", "worker-role").state.id);
        assert.equal(attachment.inputs.policyId, policy.state.id);
        assert.deepEqual(stack.ofType("tencentcloud:index/camPolicy:CamPolicy").map((r) => r.name), ["worker-policy"], "no empty policy for a function without links");
    });

    it("registers every resource against the parameterized tencentcloud package", async () => {
        const stack = await evaluate("tencentcloud", program);
        const tencent = stack.resources.filter((r) => r.type.startsWith("tencentcloud:"));
        assert.ok(tencent.length >= 5);
        for (const r of tencent) assert.ok(r.packageRef, `${r.type} ${r.name} has no package reference`);
    });
});

describe("Function on the local target", () => {
    it("registers the function with the local runtime and no cloud resources", async () => {
        const stack = await evaluate("local", () => new Function("greet", { handler: "examples/shop/functions/hello/greet.handler", timeout: 5, environment: { MODE: "dev" } }));
        assert.deepEqual(stack.resources.map((r) => r.type), ["serverless-blocks:index:Function"]);
        const host = stack.runtime.function("greet");
        assert.equal(host.definition.timeoutSeconds, 5);
        assert.deepEqual(host.definition.environment, { SB_EVENT_SOURCE: "greet", MODE: "dev" });
    });
});

describe("Function args", () => {
    const cases: [string, () => unknown, RegExp][] = [
        ["memory out of range", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", memory: 4096 }), /Function 'f' memory: '4096' is not allowed; expected a whole number from 128 to 3072 in steps of 128/],
        ["memory off the step", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", memory: 200 }), /in steps of 128/],
        ["timeout too long", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", timeout: 901 }), /Function 'f' timeout: '901' is not allowed; expected a whole number from 1 to 900/],
        ["both handler and code", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", code: closure(http(async () => 1)) }), /give exactly one of 'handler'/],
        ["neither handler nor code", () => new Function("f", {}), /give exactly one of 'handler'/],
        ["a missing handler file", () => new Function("f", { handler: "functions/nope/missing.handler" }), /handler 'functions\/nope\/missing.handler': no module file found; tried functions\/nope\/missing.ts/],
        ["a handler reference without an export", () => new Function("f", { handler: "examples/shop/functions/hello/greet" }), /expected "<path relative to the project>.<export>"/],
        ["a handler outside the project", () => new Function("f", { handler: "../etc/passwd.handler" }), /expected "<path relative to the project>.<export>"/],
        ["a reserved environment name", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", environment: { AWS_REGION: "x" } }), /environment: 'AWS_REGION' is not allowed; names are letters/],
        ["an invalid environment name", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", environment: { "MY-VAR": "x" } }), /'MY-VAR' is not allowed/],
        ["a log retention CloudWatch lacks", () => new Function("f", { handler: "examples/shop/functions/hello/greet.handler", logRetentionDays: 2 }), /logRetentionDays: '2' is not allowed; allowed values: 1, 3, 5/],
    ];
    for (const [what, program, message] of cases) {
        it(`refuses ${what}, registering nothing`, async () => {
            const { error, registered } = await evaluateFailing("aws", program);
            assert.match(error.message, message);
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
        });
    }

    it("refuses a handler module that does not bundle, naming the file and the problem", async () => {
        const { error } = await evaluateFailing("aws", () => new Function("broken", { handler: "test/fixtures/functions/broken.handler" }));
        assert.match(error.message, /function 'broken': bundling test\/fixtures\/functions\/broken.ts failed:\n.*broken.ts:\d+: .*not-a-real-package/);
    });

    it("refuses linking the same component twice", async () => {
        const { error } = await evaluateFailing("aws", () => {
            const greet = new Function("greet", { handler: "examples/shop/functions/hello/greet.handler" });
            new Function("twice", { handler: "examples/shop/functions/hello/greet.handler", link: [greet.link, greet.link] });
        });
        assert.match(error.message, /SB_FUNCTION_GREET_NAME.*each environment variable may be set once/);
    });
});
