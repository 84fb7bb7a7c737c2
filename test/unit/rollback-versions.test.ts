// The local runtime's published versions and its `live` alias (local/function-versions.ts): a
// version per new build with its zip kept, the alias's routing (pin, canary, newest), the even
// canary split, and a host running two builds at once where a timeout ends only its own instance.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closure, Function } from "../../components";
import { http } from "../../functions/runtime";
import { FunctionTimeoutError } from "../../local/function-host";
import { aliasRouting, canaryTurn, previousVersion, publishBuild, readVersions, versionedFunctions } from "../../local/function-versions";
import { evaluate } from "../harness";

const call = (query: Record<string, string> = {}) => ({ kind: "http", request: { method: "GET", path: "/", headers: {}, query, params: {}, requestId: "t" } });

describe("local function versions", () => {
    const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "sb-versions-"));

    it("publishes a version per new build, keeping a copy of its zip, and none for the same build", () => {
        const dataDir = tmp();
        const builds = tmp();
        const zip = (name: string, content: string) => {
            const file = path.join(builds, name);
            fs.writeFileSync(file, content);
            return file;
        };
        const first = zip("greet-aaa.zip", "one");
        assert.deepEqual(publishBuild(dataDir, "greet", first, new Date("2026-01-01T00:00:00Z")).map((v) => [v.version, v.publishedAt]), [["1", "2026-01-01T00:00:00.000Z"]]);
        assert.equal(publishBuild(dataDir, "greet", first).length, 1, "the same build again");
        const versions = publishBuild(dataDir, "greet", zip("greet-bbb.zip", "two"));
        assert.deepEqual(versions.map((v) => v.version), ["1", "2"]);
        fs.rmSync(builds, { recursive: true });
        assert.deepEqual(readVersions(dataDir, "greet").map((v) => fs.readFileSync(v.zipPath, "utf8")), ["one", "two"], "the kept copies outlive the build");
        assert.deepEqual(versionedFunctions(dataDir), ["greet"]);
        assert.deepEqual(readVersions(dataDir, "other"), []);
    });

    it("routes the alias to a pin, else to a canary split, else to the newest", () => {
        const versions = ["1", "2", "3"].map((version) => ({ version, zipPath: `/z/${version}.zip`, sha256: version, publishedAt: "" }));
        const release = { alias: "live", canaryPercent: 0 };
        assert.deepEqual(aliasRouting("greet", versions, release), { version: "3", reason: "newest" });
        assert.deepEqual(aliasRouting("greet", versions, { ...release, canaryPercent: 10 }), { version: "2", canary: { version: "3", percent: 10 }, reason: "canary" });
        assert.deepEqual(aliasRouting("greet", versions.slice(0, 1), { ...release, canaryPercent: 10 }), { version: "1", reason: "newest" }, "nothing before version 1 to split with");
        assert.deepEqual(aliasRouting("greet", versions, { ...release, canaryPercent: 10, pinnedVersion: "1" }), { version: "1", reason: "pinned in the stack config" });
        assert.deepEqual(aliasRouting("greet", versions, { ...release, pinnedVersion: "1" }, "2"), { version: "2", reason: "rolled back while running" });
        assert.throws(() => aliasRouting("greet", versions, { ...release, pinnedVersion: "9" }), /^Error: serverless-blocks:pinnedVersions.greet: function 'greet' has no version '9'; published: 1, 2, 3$/);
        assert.equal(previousVersion(versions, { version: "2", canary: { version: "3", percent: 10 }, reason: "canary" }), "2");
        assert.equal(previousVersion(versions, { version: "1", reason: "pinned in the stack config" }), undefined);
    });

    it("sends exactly the canary's share of any 100 invocations in a row to the new version", () => {
        for (const percent of [1, 10, 33, 50, 99]) {
            for (const start of [0, 17]) {
                const toCanary = Array.from({ length: 100 }, (_, i) => canaryTurn(start + i, percent)).filter(Boolean).length;
                assert.equal(toCanary, percent, `${percent}% from invocation ${start}`);
            }
        }
        assert.deepEqual([0, 1, 2, 3].map((i) => canaryTurn(i, 50)), [false, true, false, true]);
    });

    it("runs two builds of a function side by side, and a timeout ends only the instance that ran past it", async function () {
        this.timeout(30_000);
        const build = (answer: string) => () =>
            new Function("twice", {
                timeout: 1,
                code: closure(http(async (req) => {
                    if (req.query.wait) await new Promise((r) => setTimeout(r, Number(req.query.wait)));
                    return { answer };
                })),
            });
        const old = await evaluate("local", build("v1"));
        const stack = await evaluate("local", build("v2"));
        const host = stack.runtime.function("twice");
        const zips = { v1: old.runtime.function("twice").definition.zipPath, v2: host.definition.zipPath };
        assert.notEqual(zips.v1, zips.v2);
        let next: keyof typeof zips = "v1";
        host.route = () => zips[next];
        const answer = async (query: Record<string, string> = {}) => JSON.parse(((await host.invoke(call(query))) as any).body).answer;
        try {
            assert.equal(await answer(), "v1");
            next = "v2";
            assert.equal(await answer(), "v2");
            // v2 runs long (its instance will time out) while v1 answers a call that outlasts v2's timeout.
            next = "v1";
            const slowV1 = answer({ wait: "900" });
            next = "v2";
            const stuckV2 = host.invoke(call({ wait: "5000" }));
            await new Promise((r) => setTimeout(r, 200));
            next = "v1";
            const laterV1 = answer({ wait: "950" });
            await assert.rejects(stuckV2, FunctionTimeoutError);
            assert.deepEqual(await Promise.all([slowV1, laterV1]), ["v1", "v1"], "v1's instance was not ended with v2's");
        } finally {
            await stack.runtime.close();
            await old.runtime.close();
        }
    });
});
