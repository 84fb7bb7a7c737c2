// The engine runs programs as the Pulumi CLI does: through the SDK's launcher, from Pulumi.yaml's
// `main`, with the CLI's config rules and TypeScript type-checking on. The typical app on every
// stack of the repo, and the traps the CLI springs that a kinder engine would hide.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Evaluation, evaluateStack } from "../../engine/program";
import { runProgram } from "../../engine/run";
import { readStackConfig } from "../../engine/stack-config";
import { resetLocalRuntime } from "../../local/runtime";
import { appStack } from "../support/app-stacks";
import { SHOP_DIR } from "../../bin/shop";

const projectDir = path.resolve(__dirname, "..", "..");
const fixture = (name: string) => path.join(projectDir, "test", "fixtures", "projects", name);
const identities = (resources: { type: string; name: string; parent: string | null }[]) =>
    resources.map((r) => `${r.type} ${r.name} <${r.parent ?? ""}`).sort();

describe("engine: the typical app through the SDK's launcher", function () {
    this.timeout(180_000);

    for (const stack of ["dev", "prod", "local"]) {
        describe(`stack ${stack}`, () => {
            let preview: Evaluation;
            let update: Evaluation;

            before(async () => {
                preview = await appStack(stack, "preview");
                update = await appStack(stack, "update");
            });

            it("registers the app's resources with no config beyond the stack file", () => {
                assert.ok(update.resources.length > 20, `only ${update.resources.length} resources registered`);
                assert.ok(update.resources.some((r) => r.type === "serverless-blocks:index:BusinessApi" && r.name === "shop"));
                assert.deepEqual(Object.keys(update.outputs).sort(), ["aboutFunction", "apiUrl", "authIssuer", "hub", "ordersTable", "paymentCallbackUrl", "realtimeUrl", "siteUrl", "uploadDeadLetters", "uploadUrl", "welcomeEmailDeadLetters"]);
            });

            it("registers the same resources in preview as in update", () => {
                assert.deepEqual(identities(preview.resources), identities(update.resources));
            });

            it("registers exactly what the fast in-process path registers", async () => {
                const settings = readStackConfig(SHOP_DIR, stack);
                resetLocalRuntime(SHOP_DIR);
                const { app } = require("../../examples/shop/stacks/app");
                const fast = await runProgram(() => app(), { ...settings, rootDirectory: SHOP_DIR });
                assert.deepEqual(identities(fast.resources), identities(update.resources));
            });
        });
    }

    it("bundles nothing on a second plan of an unchanged tree: every zip comes from the build cache", async () => {
        const cache = path.join(SHOP_DIR, ".build", "cache");
        await evaluateStack(SHOP_DIR, "prod");
        const written = () => new Map(fs.readdirSync(cache).map((f) => [f, fs.statSync(path.join(cache, f)).mtimeMs]));
        const before = written();
        await evaluateStack(SHOP_DIR, "prod");
        // The cache writes a zip and its manifest for every bundle it builds, and nothing when it reuses one.
        assert.deepEqual(written(), before);
    });

    it("leaves ids and computed outputs unknown in preview, and realises them in update", async () => {
        const preview = await appStack("prod", "preview");
        const update = await appStack("prod", "update");
        const policy = (e: Evaluation) => e.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "shop-get-orders-orderid-policy")!;
        assert.equal(policy(preview).inputs.policy, "[unknown]", "the table's ARN is not known before it exists");
        const statements = JSON.parse(String(policy(update).inputs.policy)).Statement;
        assert.ok(statements.some((s: any) => /^arn:aws:dynamodb:us-east-1:\d{12}:table\/orders-/.test(String(s.Resource))), JSON.stringify(statements));
    });
});

describe("engine: as strict as the CLI", function () {
    this.timeout(120_000);

    it("deploys nothing from a CommonJS program that only has a default export", async () => {
        const run = await evaluateStack(fixture("default-export"), "test", { mode: "update" });
        assert.deepEqual(run.resources, []);
        assert.deepEqual(Object.keys(run.outputs), ["default"]);
    });

    it("runs a main in a subfolder from that folder, where the project's tsconfig.json is not found", async () => {
        await assert.rejects(evaluateStack(fixture("subfolder-main"), "test"), (err: Error) => {
            assert.match(err.message, /error TS2554: Expected 0-1 arguments, but got 2/);
            return true;
        });
    });

    it("refuses a stack that lacks a required config value, in the CLI's words", async () => {
        await assert.rejects(evaluateStack(fixture("required-config"), "test"), /^Error: Stack 'test' is missing configuration value 'domain'$/);
        const set = await evaluateStack(fixture("required-config"), "test", { overrides: { "required-config:domain": "shop.example.com" } });
        assert.equal(set.outputs.domain, "shop.example.com");
    });

    it("evaluates the same from another working directory", async () => {
        const fromRoot = await evaluateStack(SHOP_DIR, "prod");
        const previous = process.cwd();
        process.chdir(os.tmpdir());
        try {
            const fromElsewhere = await evaluateStack(SHOP_DIR, "prod");
            const byUrn = (e: Evaluation) => [...e.resources].sort((a, b) => a.urn.localeCompare(b.urn));
            assert.deepEqual(byUrn(fromElsewhere), byUrn(fromRoot));
        } finally {
            process.chdir(previous);
        }
    });
});

describe("engine: transforms, as the CLI's engine runs them", function () {
    this.timeout(120_000);

    it("applies a component's transforms to its children and a stack transform to every resource", async () => {
        const run = await evaluateStack(fixture("transforms"), "test", { mode: "update" });
        const lambda = run.resources.find((r) => r.type === "aws:lambda/function:Function")!;
        assert.equal(lambda.inputs.memorySize, 1024);
        assert.deepEqual(lambda.inputs.tags, { team: "payments" });
        const role = run.resources.find((r) => r.type === "aws:iam/role:Role")!;
        assert.equal(role.inputs.tags, undefined, "the transform touched only what it matched");
        const logs = run.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
        assert.equal(logs.retainOnDelete, true);
        assert.equal(role.retainOnDelete, false);
    });
});
