// The pull request workflows run commands that exist, on stacks that exist: a renamed script,
// flag or stack breaks this test rather than the first pull request after it.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { SHOP_DIR } from "../../bin/shop";

const root = path.resolve(__dirname, "..", "..");
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts;

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    env?: Record<string, string>;
    steps: Step[];
    strategy?: { matrix?: { include?: Record<string, string>[] } };
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
}

function workflow(file: string): { text: string; parsed: Workflow } {
    const text = fs.readFileSync(path.join(root, ".github", "workflows", file), "utf8");
    return { text, parsed: parse(text) as Workflow };
}

const stackExists = (stack: string) => fs.existsSync(path.join(SHOP_DIR, `Pulumi.${stack}.yaml`));
const stackCloud = (stack: string) => (parse(fs.readFileSync(path.join(SHOP_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, string> }).config["serverless-blocks:cloud"];

/** Every `npm run [-s] <script> [-- args]` in a shell script, with its arguments up to the line's end. */
function npmRuns(script: string): { name: string; args: string }[] {
    return [...script.matchAll(/npm run (?:-s )?([\w:-]+)(?: -- ([^\n&|>]*))?/g)].map((m) => ({ name: m[1], args: m[2] ?? "" }));
}

/** The options a command's `--help` lists. */
function helpFlags(bin: string): Set<string> {
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", bin, "--help"], { cwd: root, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return new Set(run.stdout.match(/--[a-z-]+/g));
}

describe("pull request workflows", function () {
    this.timeout(60_000);

    it("plan-diff.yml plans base and head of every stack it names and comments once, with no credentials", () => {
        const { text, parsed } = workflow("plan-diff.yml");
        assert.ok("pull_request" in parsed.on);
        assert.equal(parsed.permissions?.["pull-requests"], "write");
        assert.doesNotMatch(text, /secrets\./, "needs no secrets");
        const job = Object.values(parsed.jobs)[0];
        const stacks = (job.env?.STACKS ?? "").split(/\s+/).filter(Boolean);
        assert.deepEqual(stacks, ["dev", "prod"]);
        for (const stack of stacks) assert.ok(stackExists(stack), `no Pulumi.${stack}.yaml`);

        const refs = job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => String(s.with?.ref));
        assert.deepEqual(refs, ["${{ github.event.pull_request.base.sha }}", "${{ github.event.pull_request.head.sha }}"]);
        assert.equal(job.steps.filter((s) => s.run?.trim() === "npm ci --no-audit --no-fund").length, 2, "npm ci in both checkouts");

        const runs = job.steps.flatMap((s) => npmRuns(s.run ?? ""));
        assert.ok(runs.length >= 3);
        const planFlags = helpFlags("bin/plan.ts");
        for (const run of runs) {
            assert.ok(scripts[run.name], `npm run ${run.name}: no such script in package.json`);
            for (const flag of run.args.match(/--[a-z-]+/g) ?? []) assert.ok(planFlags.has(flag), `npm run ${run.name} has no ${flag}`);
        }
        assert.ok(runs.some((r) => /--json/.test(r.args)), "plans with --json");
        assert.ok(runs.some((r) => /--markdown/.test(r.args) && /--diff/.test(r.args)), "formats the diff as Markdown");

        const comment = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
        const script = String(comment?.with?.script ?? "");
        assert.match(script, /updateComment/, "updates its earlier comment");
        assert.match(script, /createComment/, "or makes the first one");
    });

    it("preview.yml runs pulumi preview --diff with the official action on every stack, only with credentials", () => {
        const { text, parsed } = workflow("preview.yml");
        assert.ok("pull_request" in parsed.on);
        const job = Object.values(parsed.jobs)[0];
        const matrix = job.strategy?.matrix?.include ?? [];
        assert.deepEqual(matrix.map((m) => m.stack).sort(), ["dev", "prod"]);
        for (const { stack, cloud } of matrix) {
            assert.ok(stackExists(stack), `no Pulumi.${stack}.yaml`);
            assert.equal(stackCloud(stack), cloud, `the matrix says stack ${stack} is on ${cloud}`);
        }

        const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.ok(pulumi, "uses pulumi/actions");
        assert.equal(pulumi.with?.command, "preview");
        assert.equal(pulumi.with?.diff, true);
        assert.equal(pulumi.with?.["comment-on-pr"], true);
        assert.match(String(pulumi.with?.["stack-name"]), /matrix\.stack/);
        assert.equal(pulumi.with?.["work-dir"], "examples/shop", "the typical app's project");
        assert.ok(fs.existsSync(path.join(SHOP_DIR, "Pulumi.yaml")));

        for (const secret of ["PULUMI_ACCESS_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]) {
            assert.equal(job.env?.[secret], `\${{ secrets.${secret} }}`, `${secret} comes from the repository's secrets`);
            assert.match(text.split("\nname:")[0], new RegExp(`#.*${secret}`), `the header documents ${secret}`);
        }
        const check = job.steps[0];
        assert.equal(check.id, "credentials", "the first step checks the credentials");
        for (const step of job.steps.slice(1)) assert.equal(step.if, "steps.credentials.outputs.configured == 'true'", `${step.name ?? step.uses} runs only with credentials`);
        for (const run of job.steps.flatMap((s) => npmRuns(s.run ?? ""))) assert.ok(scripts[run.name], `npm run ${run.name}: no such script`);
    });
});
