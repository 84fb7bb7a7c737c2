// Releases on the local runtime: each start with a new build of a function publishes a version in
// the data directory, a canary splits the `live` alias between the newest and the previous one,
// and `npm run rollback` (the command in a child process) points the alias back while the runtime
// runs: the next invocation answers from the old build, and the pin lands in the stack config so
// the next start keeps it.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closure, Function } from "../../components";
import { readStackConfig } from "../../engine/stack-config";
import { http } from "../../functions/runtime";
import { writeLocalToken } from "../../local/console/token";
import { readVersions } from "../../local/function-versions";
import { rollback } from "../../bin/rollback";
import { evaluate } from "../harness";
import { localFetcher } from "../support/local-token";
import { serveLocally, type ServedLocally } from "../support/serve-locally";
import { SHOP_DIR } from "../../bin/shop";

const repo = path.resolve(__dirname, "../..");

/** A program whose one function answers `answer`: each answer is another build. */
const program = (answer: string) => () => {
    new Function("greet", { code: closure(http(async () => ({ body: { answer } }))) });
};

/** Runs `npm run rollback -- <args>` to its end. */
function npmRollback(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; exitedAt: number }> {
    const child = spawn("npm", ["run", "-s", "rollback", "--", ...args], { cwd: repo });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, exitedAt: Date.now() })));
}

describe("releases and rollback on the local runtime", function () {
    this.timeout(120_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-rollback-data-"));
    // The project's stack files, copied: the rollback writes its pin there, never into the repo's.
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-rollback-project-"));
    for (const file of ["Pulumi.yaml", "Pulumi.local.yaml"]) fs.copyFileSync(path.join(SHOP_DIR, file), path.join(projectDir, file));
    // Pulumi.yaml's main must exist for the project to read as one; the rollback never runs it.
    fs.writeFileSync(path.join(projectDir, "app.ts"), "export {};\n");
    let served: ServedLocally | undefined;

    /** Evaluates the program answering `answer` and serves it on the shared data directory, as npm start would. */
    async function start(answer: string, config: Record<string, string> = {}) {
        await served?.stop();
        const previous = process.env.SB_LOCAL_DATA_DIR;
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        try {
            const stack = await evaluate("local", program(answer), config);
            served = await serveLocally(stack, { dataDir, log: () => {} });
        } finally {
            if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
            else process.env.SB_LOCAL_DATA_DIR = previous;
        }
        writeLocalToken(dataDir, served.token); // as npm start does: tools find the run's token there
        return localFetcher(served.url, served.token);
    }

    async function answer(local: ReturnType<typeof localFetcher>): Promise<string> {
        const res = await local("/_local/functions/greet/invoke", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "http", request: { method: "GET", path: "/", headers: {}, query: {}, params: {} } }) });
        assert.equal(res.status, 200);
        const { result } = (await res.json()) as { result: { body: string } };
        return JSON.parse(result.body).answer;
    }

    const aliasOf = async (local: ReturnType<typeof localFetcher>) => ((await (await local("/_local/status")).json()) as any).functions.find((f: any) => f.name === "greet").alias;
    const cliArgs = (extra: string[]) => ["--stack", "local", "--project-dir", projectDir, "--data-dir", dataDir, "--url", served!.url, ...extra];

    after(async () => {
        await served?.stop();
        fs.rmSync(projectDir, { recursive: true, force: true });
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("publishes version 1 on the first start and version 2 when the build changes; the same build publishes nothing", async () => {
        let local = await start("v1");
        assert.equal(await answer(local), "v1");
        assert.deepEqual((await aliasOf(local)).routing, { version: "1", reason: "newest" });

        local = await start("v2");
        assert.equal(await answer(local), "v2");
        local = await start("v2");
        const alias = await aliasOf(local);
        assert.deepEqual(alias.versions.map((v: any) => v.version), ["1", "2"], "the same build again is no new version");
        assert.deepEqual([alias.routing, alias.previous], [{ version: "2", reason: "newest" }, "1"]);
        // Each version's zip is kept in the data directory, whatever happens to the build cache.
        for (const v of readVersions(dataDir, "greet")) assert.ok(fs.existsSync(v.zipPath), v.zipPath);
    });

    it("splits invocations between the newest and the previous version under a canary", async () => {
        const local = await start("v2", { "serverless-blocks:canary": JSON.stringify({ percent: 50, functions: ["greet"] }) });
        assert.deepEqual((await aliasOf(local)).routing, { version: "1", canary: { version: "2", percent: 50 }, reason: "canary" });
        const answers: string[] = [];
        for (let i = 0; i < 10; i++) answers.push(await answer(local));
        assert.equal(answers.filter((a) => a === "v2").length, 5, answers.join(" "));
        assert.equal(answers.filter((a) => a === "v1").length, 5, answers.join(" "));
    });

    it("refuses an unknown function or version, naming what exists, and changes nothing on a dry run", async () => {
        const before = fs.readFileSync(path.join(projectDir, "Pulumi.local.yaml"), "utf8");
        await assert.rejects(rollback(cliArgs(["--function", "nobody"]), () => {}), /unknown function 'nobody'; functions: greet/);
        await assert.rejects(rollback(cliArgs(["--function", "greet", "--to", "7"]), () => {}), /function 'greet' has no version '7'; published: 1, 2/);
        const lines: string[] = [];
        assert.equal(await rollback(cliArgs(["--dry-run"]), (l) => lines.push(l)), 0);
        assert.deepEqual(lines, ["would roll back greet: live versions 1 and 2 -> version 1", "dry run: no alias changed, Pulumi.local.yaml not written"]);
        assert.equal(fs.readFileSync(path.join(projectDir, "Pulumi.local.yaml"), "utf8"), before);
        const local = localFetcher(served!.url, served!.token);
        assert.equal((await aliasOf(local)).routing.reason, "canary");
        // The runtime's own endpoint refuses the same, and needs the run's token.
        const post = (name: string, body: unknown) => local(`/_local/functions/${name}/alias`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const refused = async (res: Promise<Response>) => {
            const r = await res;
            return [r.status, ((await r.json()) as any).error.message];
        };
        assert.deepEqual(await refused(post("greet", { version: "9" })), [404, "the rollback's version: function 'greet' has no version '9'; published: 1, 2"]);
        assert.deepEqual(await refused(post("greet", { version: 1 })), [400, 'expected {"version": "<a published version number>"}; got 1']);
        assert.deepEqual(await refused(post("nobody", { version: "1" })), [404, "no function named 'nobody' (or the runtime has not started); functions: greet"]);
        assert.equal((await fetch(`${served!.url}/_local/functions/greet/alias`)).status, 401);
        assert.equal((await aliasOf(local)).routing.reason, "canary", "still");
    });

    it("rolls back with npm run rollback: the old build answers within a second, and the pin is in the stack config", async () => {
        const local = localFetcher(served!.url, served!.token);
        const run = await npmRollback(cliArgs(["--function", "greet"]));
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /rolling back greet: live versions 1 and 2 -> version 1\nSwitched in the runtime at http:\/\/127\.0\.0\.1:\d+ \(the next invocation runs it\); pinned in .*Pulumi\.local\.yaml \(serverless-blocks:pinnedVersions\) so that the next npm start keeps it there/);
        const answers: string[] = [];
        while (answers.at(-1) !== "v1" && Date.now() - run.exitedAt < 1_000) answers.push(await answer(local));
        const seenAfterMs = Date.now() - run.exitedAt;
        assert.equal(answers.at(-1), "v1", `answers after the rollback: ${answers.join(" ")}`);
        assert.ok(seenAfterMs < 1_000, `${seenAfterMs} ms`);
        for (let i = 0; i < 6; i++) assert.equal(await answer(local), "v1", "no more canary: the alias is on version 1 alone");
        assert.deepEqual((await aliasOf(local)).routing, { version: "1", reason: "rolled back while running" });

        const file = fs.readFileSync(path.join(projectDir, "Pulumi.local.yaml"), "utf8");
        assert.match(file, /serverless-blocks:pinnedVersions:\n\s+greet: "1"\n/);
        assert.match(file, /^# This machine: the whole app in-process/, "the file's comments stay");
        const config = readStackConfig(projectDir, "local").config;
        assert.equal(config["serverless-blocks:signIn"], JSON.stringify({ clientId: "shop-local" }), "its other keys stay");
        assert.deepEqual(JSON.parse(config["serverless-blocks:pinnedVersions"]), { greet: "1" });
    });

    it("keeps the pinned version across a restart with the stack config's pin, and says there is nothing older to go back to", async () => {
        const config = readStackConfig(projectDir, "local").config;
        const local = await start("v2", { "serverless-blocks:canary": JSON.stringify({ percent: 50, functions: ["greet"] }), "serverless-blocks:pinnedVersions": config["serverless-blocks:pinnedVersions"] });
        assert.deepEqual((await aliasOf(local)).routing, { version: "1", reason: "pinned in the stack config" });
        for (let i = 0; i < 4; i++) assert.equal(await answer(local), "v1");
        await assert.rejects(rollback(cliArgs(["--function", "greet"]), () => {}), /function 'greet' has nothing to roll back to: live version 1, published: 1, 2/);
        // Forward again with --to: the pin follows.
        assert.equal(await rollback(cliArgs(["--function", "greet", "--to", "2"]), () => {}), 0);
        assert.equal(await answer(local), "v2");
        assert.deepEqual(JSON.parse(readStackConfig(projectDir, "local").config["serverless-blocks:pinnedVersions"]), { greet: "2" });
    });

    it("with no runtime running, reads the data directory's versions and only pins the stack config for the next start", async () => {
        const url = served!.url;
        await served!.stop();
        served = undefined;
        const lines: string[] = [];
        assert.equal(await rollback(["--stack", "local", "--project-dir", projectDir, "--data-dir", dataDir, "--url", url, "--function", "greet"], (l) => lines.push(l)), 0);
        assert.equal(lines[0], "rolling back greet: live version 2 -> version 1", "live as the stack config's pin routes it");
        assert.match(lines[1], new RegExp(`^No runtime answers at ${url} with .*'s token, so nothing switched now; pinned in .*Pulumi.local.yaml \\(serverless-blocks:pinnedVersions\\) so that the next npm start routes there`));
        assert.deepEqual(JSON.parse(readStackConfig(projectDir, "local").config["serverless-blocks:pinnedVersions"]), { greet: "1" });
    });
});
