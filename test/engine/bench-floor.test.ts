// bench/floor, the SDK floor bench/plan.ts measures plans against, must register exactly what the
// plan it replays registered, and (by default) through the provider SDKs' own classes, as a bare
// program declaring those resources would; otherwise the bench compares against the wrong floor.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Plan, toPlan } from "../../engine/plan";
import { evaluateStack } from "../../engine/program";

const projectDir = path.resolve(__dirname, "..", "..");
const routesProject = path.join(projectDir, "bench", "routes");
const floorProject = path.join(projectDir, "bench", "floor");
/** Resources as the plan lists them, URNs without the project name (the floor is its own project). */
const registered = (plan: Plan) => plan.resources.map((r) => ({ ...r, urn: r.urn.split("::").filter((_, i) => i !== 1).join("::") }));

describe("bench: the SDK floor replays a recorded plan", function () {
    this.timeout(300_000);
    let recorded: Plan;
    let planFile: string;

    before(async () => {
        recorded = toPlan(await evaluateStack(routesProject, "bench", { overrides: { "routes:routes": "3" } }));
        planFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sb-floor-test-")), "plan.json");
        fs.writeFileSync(planFile, JSON.stringify(recorded));
    });

    const customCount = () => recorded.resources.filter((r) => !r.type.startsWith("serverless-blocks:")).length;

    it("registers the same resources, parents and inputs through the SDK's classes", async () => {
        const evaluation = await evaluateStack(floorProject, "bench", { env: { SB_FLOOR_PLAN: planFile } });
        assert.deepEqual(registered(toPlan(evaluation)), registered(recorded));
        assert.ok(customCount() >= 3 * 7, `only ${customCount()} provider resources for 3 routes`);
        assert.deepEqual(evaluation.outputs.floor, {
            mode: "sdk",
            createdBy: { component: recorded.resources.length - customCount(), sdkClass: customCount(), typeToken: 0 },
        });
    });

    it("registers them by type token alone with SB_FLOOR_MODE=replay", async () => {
        const evaluation = await evaluateStack(floorProject, "bench", { env: { SB_FLOOR_PLAN: planFile, SB_FLOOR_MODE: "replay" } });
        assert.deepEqual(registered(toPlan(evaluation)), registered(recorded));
        assert.deepEqual((evaluation.outputs.floor as { createdBy: unknown }).createdBy, { component: recorded.resources.length - customCount(), sdkClass: 0, typeToken: customCount() });
    });

    it("rejects an unknown mode, naming the allowed ones", async () => {
        await assert.rejects(
            evaluateStack(floorProject, "bench", { env: { SB_FLOOR_PLAN: planFile, SB_FLOOR_MODE: "fast" } }),
            /SB_FLOOR_MODE 'fast': expected sdk .* or replay/,
        );
    });
});
