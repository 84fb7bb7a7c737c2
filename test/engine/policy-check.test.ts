// The policy pack on the typical app, evaluated as `npm run check` does (the SDK's launcher, the
// in-process engine, "update" mode so ids and ARNs are known), on its own clouds and on the other
// one; and `npm run check` itself refusing a project that breaks the rules.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { evaluateStack } from "../../engine/program";
import { evaluatePolicies, Violation } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { appStack } from "../support/app-stacks";
import { SHOP_DIR } from "../../bin/shop";

// The gRPC side of the CLI's analyzer protocol, from the SDK's own generated code.
const grpc = require("@grpc/grpc-js");
const analyzerService = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [require.resolve("@pulumi/pulumi")] }));

const ROOT = path.join(__dirname, "..", "..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "projects", "policy-violations");

async function checkStack(stack: string, overrides?: Record<string, string>): Promise<Violation[]> {
    const evaluation = overrides ? await evaluateStack(SHOP_DIR, stack, { mode: "update", overrides }) : await appStack(stack, "update");
    return evaluatePolicies(evaluation.resources, policies);
}

function assertClean(violations: Violation[]): void {
    assert.deepEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
}

describe("policy pack on the typical app", function () {
    // Each evaluation runs the program through the SDK's launcher (about 15 s, more on a busy machine).
    this.timeout(180_000);
    it("prod (AWS): no violation", async () => {
        assertClean(await checkStack("prod"));
    });

    it("dev (Tencent Cloud): no violation", async () => {
        assertClean(await checkStack("dev"));
    });

    it("prod on Tencent Cloud (protected): no violation, stateful resources protected", async () => {
        const violations = await checkStack("prod", {
            "serverless-blocks:cloud": "tencentcloud",
            "tencentcloud:region": "ap-guangzhou",
            "serverless-blocks:siteDomain": "shop.example.com",
            "serverless-blocks:siteCertificateId": "abcd1234",
            "serverless-blocks:alarmWebhook": "https://hooks.shop.example.com/alarms",
        });
        assertClean(violations);
    });
});

describe("npm run check", function () {
    // Each evaluation runs the program through the SDK's launcher (about 15 s, more on a busy machine).
    this.timeout(180_000);
    const run = (...args: string[]) => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "bin", "check.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });

    it("exits 1 on a project that breaks mandatory rules, naming the rules and their fixes", () => {
        const result = run("--stack", "test", "--project", FIXTURE);
        assert.equal(result.status, 1, result.stderr);
        assert.match(result.stdout, /^no-wildcard-grants \(mandatory\): 2 violations$/m);
        assert.match(result.stdout, /^private-encrypted-tls-buckets \(mandatory\): 3 violations$/m);
        assert.match(result.stdout, /- bucket uploads has no default encryption\n\s+fix: add an aws\.s3\.BucketServerSideEncryptionConfiguration/);
        assert.match(result.stdout, /stack test: 3 resources, 11 rules: 5 mandatory and 0 advisory violations/);
    });

    it("says what is missing: --stack, and a --config without '='; --help prints the usage", () => {
        const help = run("--help");
        assert.equal(help.status, 0);
        assert.match(help.stdout, /^usage: npm run check -- --stack <name>/);
        const noStack = run();
        assert.equal(noStack.status, 2);
        assert.match(noStack.stderr, /check failed: --stack is required\nusage: npm run check -- --stack <name>/);
        const badConfig = run("--stack", "test", "--project", FIXTURE, "--config", "aws:region");
        assert.equal(badConfig.status, 2);
        assert.match(badConfig.stderr, /--config 'aws:region': expected key=value/);
    });
});

describe("policy/ as the Pulumi CLI runs it", function () {
    this.timeout(120_000);
    // What `pulumi preview --policy-pack policy` starts: the SDK's policy-pack runner in the pack's
    // folder with the engine's address and ".", which loads package.json `main` through ts-node
    // (type-checked, policy/tsconfig.json); the PolicyPack then serves gRPC and prints its port.
    let pack: ChildProcess;
    let client: any;
    const call = (method: string, request: unknown): Promise<any> =>
        new Promise((resolve, reject) => client[method](request, (error: Error | null, response: unknown) => (error ? reject(error) : resolve(response))));
    const options = () => { const o = new analyzer.AnalyzerResourceOptions(); o.setProtect(false); return o; };
    const diagnostics = (response: any) => response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), mandatory: d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY, message: d.getMessage() as string }));

    before(async () => {
        pack = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."], { cwd: path.join(ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        pack.stderr!.on("data", (chunk) => (stderr += chunk));
        const port = await new Promise<string>((resolve, reject) => {
            pack.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
            pack.once("exit", (code) => reject(new Error(`the policy pack exited with ${code}: ${stderr}`)));
        });
        assert.match(port, /^\d+$/);
        client = new analyzerService.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    it("serves the pack with the rules policy/policies.ts lists", async () => {
        const info = await call("getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), "serverless-blocks");
        assert.deepEqual(info.getPoliciesList().map((p: any) => p.getName()), policies.map((p) => p.name));
    });

    it("refuses a wildcard grant, as mandatory", async () => {
        const request = new analyzer.AnalyzeRequest();
        request.setType("aws:iam/rolePolicy:RolePolicy");
        request.setName("worker-policy");
        request.setUrn("urn:pulumi:prod::app::aws:iam/rolePolicy:RolePolicy::worker-policy");
        request.setProperties(Struct.fromJavaScript({ role: "worker", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] }) }));
        request.setOptions(options());
        const found = diagnostics(await call("analyze", request));
        assert.equal(found.length, 1, JSON.stringify(found));
        assert.equal(found[0].policy, "no-wildcard-grants");
        assert.equal(found[0].mandatory, true);
        assert.match(found[0].message, /worker-policy allows every action: s3:\*\. Fix: /);
    });

    it("gets secrets decrypted and unmarked: flags an access key, not a secret named like a password", async () => {
        const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
        const request = new analyzer.AnalyzeRequest();
        request.setType("aws:lambda/function:Function");
        request.setName("fn");
        request.setUrn("urn:pulumi:prod::app::aws:lambda/function:Function::fn");
        request.setProperties(Struct.fromJavaScript({ runtime: "nodejs24.x", environment: { variables: { DB_PASSWORD: secret("correct-horse-battery"), KEY_ID: "AKIAABCDEFGHIJKLMNOP" } } }));
        request.setOptions(options());
        const found = diagnostics(await call("analyze", request));
        assert.deepEqual(found.map((d: { policy: string }) => d.policy), ["no-plaintext-secrets"]);
        assert.match(found[0].message, /fn: environment\.variables\.KEY_ID holds an AWS access key id in plain text/);
    });

    it("validates the stack: a bare bucket", async () => {
        const bucket = new analyzer.AnalyzerResource();
        bucket.setType("aws:s3/bucket:Bucket");
        bucket.setName("uploads");
        bucket.setUrn("urn:pulumi:prod::app::aws:s3/bucket:Bucket::uploads");
        bucket.setProperties(Struct.fromJavaScript({ bucket: "uploads-1", id: "uploads-1", arn: "arn:aws:s3:::uploads-1" }));
        bucket.setOptions(options());
        const request = new analyzer.AnalyzeStackRequest();
        request.setResourcesList([bucket]);
        const found = diagnostics(await call("analyzeStack", request));
        assert.deepEqual(found.map((d: { policy: string }) => d.policy), Array(3).fill("private-encrypted-tls-buckets"));
        assert.match(found.map((d: { message: string }) => d.message).join("\n"), /bucket uploads has no default encryption/);
    });
});
