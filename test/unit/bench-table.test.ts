// npm run bench's table (bench/index.ts): how it reads what each bench prints with --json (a
// captured bench/plan.ts answer), counts the resources one route adds, and writes the Markdown.
// No bench is run and no timing is asserted: the numbers here are inputs, not measurements.
import * as assert from "node:assert/strict";
import { addedResources, markdownTable, parseJsonOutput, planRows, ROUTE_MINIMUM, type PlanRow } from "../../bench/index";

/** As bench/plan.ts --json printed it (pretty-printed, two rows shortened). */
const PLAN_SAMPLE = `[
  { "id": "app", "label": "the typical app (prod, AWS)", "resources": 212, "ours_ms": 9120, "floor_ms": 6080, "ratio": 1.5, "peak_mb_ours": 412, "peak_mb_floor": 301 },
  { "id": "10", "label": "BusinessApi, 10 routes on one handler", "resources": 85, "ours_ms": 5200, "floor_ms": 4000, "ratio": 1.3 },
  { "id": "100", "label": "BusinessApi, 100 routes on one handler", "resources": 805, "ours_ms": 8800, "floor_ms": 6700, "ratio": 1.31, "per_route_ms_ours": 40, "per_route_ms_floor": 30 }
]`;

describe("npm run bench (bench/index.ts)", () => {
    it("reads a bench's JSON whether pretty-printed or after a log line, and names the bench when there is none", () => {
        assert.equal((parseJsonOutput(PLAN_SAMPLE, "bench/plan.ts") as PlanRow[]).length, 3);
        assert.deepEqual(parseJsonOutput('starting...\n{"a":1}\n', "bench/api.ts"), { a: 1 });
        assert.throws(() => parseJsonOutput("| app | resources |\n| --- |", "bench/plan.ts"), /bench\/plan\.ts printed no JSON \(expected with --json\)/);
    });

    it("turns bench/plan.ts rows into plan time rows, with per-route growth where the row has it", () => {
        const rows = planRows(parseJsonOutput(PLAN_SAMPLE, "bench/plan.ts") as PlanRow[]);
        assert.equal(rows.length, 4);
        assert.deepEqual(rows[0], { measured: "plan time: the typical app (prod, AWS) (212 resources)", ours: "9.12 s, peak 412 MB", baseline: "SDK floor 6.08 s, peak 301 MB", ratio: "1.50x", aim: "" });
        assert.equal(rows[3].measured, "plan time per extra route, up to 100 routes");
        assert.equal(rows[3].ratio, "1.33x");
    });

    it("refuses a plan row without a field it shows, naming the field", () => {
        assert.throws(() => planRows([{ id: "app", label: "x", resources: 1, ours_ms: 1, floor_ms: 1 } as PlanRow]), /has no 'ratio'/);
    });

    it("counts the resource types an 11-route plan has beyond a 10-route one", () => {
        const plan = (routes: number) => ({
            resources: [
                { type: "aws:apigatewayv2/api:Api" },
                ...Array.from({ length: routes }, () => [{ type: "aws:apigatewayv2/route:Route" }, { type: "aws:lambda/permission:Permission" }]).flat(),
            ],
        });
        assert.deepEqual([...addedResources(plan(10), plan(11))], [["aws:apigatewayv2/route:Route", 1], ["aws:lambda/permission:Permission", 1]]);
        assert.deepEqual(Object.keys(ROUTE_MINIMUM).sort(), ["aws", "tencentcloud"]);
    });

    it("writes one Markdown row per measure, a | in a cell escaped", () => {
        const table = markdownTable([{ measured: "a | b", ours: "1", baseline: "2", ratio: "0.50x", aim: ">= 0.8x" }]).split("\n");
        assert.equal(table.length, 3);
        assert.equal(table[0], "| measured | ours | baseline (same run) | ratio | aim |");
        assert.equal(table[2], "| a \\| b | 1 | 2 | 0.50x | >= 0.8x |");
    });
});
