// Plan diffs for pull requests: `npm run plan -- --diff base.json [--markdown]` finds no change
// where there is none (an unchanged tree, a refactor that only moves code), and shows a real
// change under its component with replacements flagged.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatDiffMarkdown, Plan, toPlan } from "../../engine/plan";
import { evaluateStack } from "../../engine/program";
import { forcesReplacement } from "../../engine/replacement";
import { SHOP_DIR } from "../../bin/shop";

const projectDir = path.resolve(__dirname, "..", "..");

function plan(args: string[], env: Record<string, string> = {}) {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/plan.ts", ...args], { cwd: projectDir, encoding: "utf8", env: { ...process.env, ...env } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("plan diffs for pull requests", function () {
    this.timeout(180_000);
    let dir: string;
    let basePath: string;
    let base: Plan;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
        basePath = path.join(dir, "base.json");
        const run = plan(["--stack", "prod", "--json"]);
        assert.equal(run.status, 0, run.stderr);
        fs.writeFileSync(basePath, run.stdout);
        base = JSON.parse(run.stdout);
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prints 'no changes' and exits 0 for an unchanged tree, as text and as Markdown", () => {
        const text = plan(["--stack", "prod", "--diff", basePath]);
        assert.equal(text.status, 0, text.stderr);
        assert.equal(text.stdout.trim(), "no changes");
        const markdown = plan(["--stack", "prod", "--diff", basePath, "--markdown"]);
        assert.equal(markdown.status, 0, markdown.stderr);
        assert.match(markdown.stdout, /^### Plan diff: stack `prod` \(aws\)\n\nno changes\n/);
    });

    it("finds no change after a refactor that only moves code", () => {
        const project = ["--project", "test/fixtures/projects/refactor", "--stack", "test"];
        const before = plan([...project, "--json"]);
        assert.equal(before.status, 0, before.stderr);
        const earlier = path.join(dir, "refactor-before.json");
        fs.writeFileSync(earlier, before.stdout);
        assert.ok((JSON.parse(before.stdout) as Plan).resources.length > 10, "the fixture plans a hub, a table, a function and a task");
        const after = plan([...project, "--diff", earlier], { REFACTOR_VARIANT: "after" });
        assert.equal(after.status, 0, after.stderr);
        assert.equal(after.stdout.trim(), "no changes");
    });

    it("shows a real change under its component, the replacement flagged, the in-place update not", () => {
        const run = plan(["--stack", "prod", "--diff", basePath, "--markdown", "--config", "serverless-blocks:mailFrom=hello@mail.shop.example.com", "--config", "serverless-blocks:logRetentionDays=30"]);
        assert.equal(run.status, 0, run.stderr);
        const sections = run.stdout.split(/^#### /m);
        const mailer = sections.find((s) => s.startsWith("Mailer `mail`\n"));
        assert.ok(mailer, `no Mailer section in:\n${run.stdout}`);
        assert.match(mailer, /🔁 \*\*replace\*\* `aws:sesv2\/emailIdentity:EmailIdentity` \*\*`mail-identity`\*\* — \*\*replaced\*\*: changing `emailIdentity` forces a new resource/);
        assert.match(mailer, /`emailIdentity`: `"shop\.example\.com"` → `"mail\.shop\.example\.com"`/);
        const orderFunction = sections.find((s) => s.startsWith("BusinessApi `shop` › Function `shop-post-orders`\n"));
        assert.ok(orderFunction, "the log group's change is grouped under its function inside the API");
        assert.match(orderFunction, /✏️ update `aws:cloudwatch\/logGroup:LogGroup` \*\*`shop-post-orders-logs`\*\*\n  - `retentionInDays`: `365` → `30`/);
        assert.doesNotMatch(orderFunction, /replace/);
        assert.match(run.stdout, /\*\*0 to create, \d+ to update, 1 to replace, 0 to delete\*\*/);
    });

    it("flags a Tencent Cloud replacement from the provider's schema (forceNew)", async () => {
        const earlier = toPlan(await evaluateStack(SHOP_DIR, "dev"));
        const later = toPlan(await evaluateStack(SHOP_DIR, "dev", { overrides: { "serverless-blocks:siteDomain": "beta.shop.example.com" } }));
        const markdown = formatDiffMarkdown(diffPlans(earlier, later), earlier, later);
        const site = markdown.split(/^#### /m).find((s) => s.startsWith("StaticSite `web`\n"));
        assert.ok(site, `no StaticSite section in:\n${markdown}`);
        assert.match(site, /🔁 \*\*replace\*\* `tencentcloud:index\/cdnDomain:CdnDomain` \*\*`web`\*\* — \*\*replaced\*\*: changing `domain` forces a new resource/);
    });

    it("flags deleting a protected resource", () => {
        const table = base.resources.find((r) => r.type === "aws:dynamodb/table:Table" && r.name === "orders");
        assert.ok(table?.protect, "prod protects its tables");
        const later: Plan = { ...base, resources: base.resources.filter((r) => r !== table) };
        const markdown = formatDiffMarkdown(diffPlans(base, later), base, later);
        assert.match(markdown, /#### Table `orders`\n\n- ➖ \*\*delete\*\* `aws:dynamodb\/table:Table` \*\*`orders`\*\* — \*\*protected\*\*/);
        assert.match(markdown, /\*\*0 to create, 0 to update, 0 to replace, 1 to delete\*\*/);
    });

    it("rejects --markdown without a diff, and a --diff file that is not a plan, before running the program", () => {
        const alone = plan(["--stack", "prod", "--markdown"]);
        assert.equal(alone.status, 1);
        assert.match(alone.stderr, /--markdown formats a diff: give the earlier plan with --diff/);
        const notPlan = path.join(dir, "not-a-plan.json");
        fs.writeFileSync(notPlan, JSON.stringify({ hello: "world" }));
        const wrong = plan(["--stack", "prod", "--diff", notPlan]);
        assert.equal(wrong.status, 1);
        assert.match(wrong.stderr, /not-a-plan\.json: no "resources" list/);
    });

    it("knows replacing inputs on both clouds and nothing else", () => {
        assert.equal(forcesReplacement("tencentcloud:index/scfFunction:ScfFunction", "name"), true);
        assert.equal(forcesReplacement("tencentcloud:index/scfFunction:ScfFunction", "timeout"), false);
        assert.equal(forcesReplacement("aws:dynamodb/table:Table", "hashKey"), true);
        assert.equal(forcesReplacement("aws:dynamodb/table:Table", "billingMode"), false);
        assert.equal(forcesReplacement("aws:cloudwatch/logGroup:LogGroup", "retentionInDays"), false);
        assert.equal(forcesReplacement("serverless-blocks:index:Table", "name"), false, "components are never replaced themselves");
    });
});
