// The build cache: an unchanged function is not bundled again, identical bundles are built once
// per run, and a change rebuilds exactly the functions whose bundles read the changed file.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bundle } from "../../components/build/bundle";
import { bundleCacheStats } from "../../components/build/bundle-cache";

function project(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bundle-cache-"));
    fs.writeFileSync(path.join(dir, "shared.ts"), `export const greeting = (name: string) => "hello " + name;\n`);
    fs.writeFileSync(path.join(dir, "a.ts"), `import { greeting } from "./shared";\nexport const handler = async () => greeting("a");\n`);
    fs.writeFileSync(path.join(dir, "b.ts"), `import { greeting } from "./shared";\nexport const handler = async () => greeting("b");\n`);
    fs.writeFileSync(path.join(dir, "c.ts"), `export const handler = async () => "c";\n`);
    return dir;
}

const build = (dir: string, name: string, file: string) =>
    bundle({ name, file: path.join(dir, `${file}.ts`), exportName: "handler", target: "local", external: [], projectDir: dir });

/** What the cache did while `work` ran. */
async function counted(work: () => Promise<unknown>): Promise<typeof bundleCacheStats> {
    const before = { ...bundleCacheStats };
    await work();
    return { built: bundleCacheStats.built - before.built, reused: bundleCacheStats.reused - before.reused, shared: bundleCacheStats.shared - before.shared };
}

/** A new run of the program: the in-run sharing starts empty, the cache on disk stays. */
function newRun(): void {
    delete require.cache[require.resolve("../../components/build/bundle-cache")];
    delete require.cache[require.resolve("../../components/build/bundle")];
}

describe("bundle cache", () => {
    it("reuses every bundle when nothing changed, without running esbuild", async () => {
        const dir = project();
        const first = await counted(() => Promise.all([build(dir, "a", "a"), build(dir, "b", "b"), build(dir, "c", "c")]));
        assert.deepEqual(first, { built: 3, reused: 0, shared: 0 });
        newRun();
        const { bundle: again } = require("../../components/build/bundle");
        const { bundleCacheStats: stats } = require("../../components/build/bundle-cache");
        const before = { ...stats };
        const zips = await Promise.all(["a", "b", "c"].map((f) => again({ name: f, file: path.join(dir, `${f}.ts`), exportName: "handler", target: "local", external: [], projectDir: dir })));
        assert.deepEqual({ built: stats.built - before.built, reused: stats.reused - before.reused }, { built: 0, reused: 3 });
        assert.equal(new Set(zips.map((z: any) => z.sha256)).size, 3);
    });

    it("builds identical bundles once per run and gives each function its own zip", async () => {
        const dir = project();
        const runs = await counted(() => Promise.all(["route-1", "route-2", "route-3"].map((name) => build(dir, name, "a"))));
        assert.deepEqual(runs, { built: 1, reused: 0, shared: 2 });
        const zips = fs.readdirSync(path.join(dir, ".build", "functions")).filter((f) => f.endsWith(".zip")).sort();
        assert.deepEqual(zips.map((z) => z.replace(/-[0-9a-f]{12}\.zip$/, "")), ["route-1", "route-2", "route-3"]);
    });

    it("rebuilds exactly the functions that include a changed file", async () => {
        const dir = project();
        await Promise.all([build(dir, "a", "a"), build(dir, "b", "b"), build(dir, "c", "c")]);
        const before = (await build(dir, "a", "a")).sha256;
        fs.writeFileSync(path.join(dir, "shared.ts"), `export const greeting = (name: string) => "hi " + name;\n`);
        newRun();
        const { bundle: again } = require("../../components/build/bundle");
        const { bundleCacheStats: stats } = require("../../components/build/bundle-cache");
        const start = { ...stats };
        const [a] = await Promise.all(["a", "b", "c"].map((f) => again({ name: f, file: path.join(dir, `${f}.ts`), exportName: "handler", target: "local", external: [], projectDir: dir })));
        assert.deepEqual({ built: stats.built - start.built, reused: stats.reused - start.reused }, { built: 2, reused: 1 }, "a and b read shared.ts; c does not");
        assert.notEqual(a.sha256, before);
    });

    it("reuses a bundle whose input was touched but not changed", async () => {
        const dir = project();
        await build(dir, "c", "c");
        const file = path.join(dir, "c.ts");
        fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
        newRun();
        const { bundle: again } = require("../../components/build/bundle");
        const { bundleCacheStats: stats } = require("../../components/build/bundle-cache");
        const start = { ...stats };
        await again({ name: "c", file, exportName: "handler", target: "local", external: [], projectDir: dir });
        assert.deepEqual({ built: stats.built - start.built, reused: stats.reused - start.reused }, { built: 0, reused: 1 });
    });
});
