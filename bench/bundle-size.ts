// npm run bench:bundle-size — for each function of the typical app and each target: the zip's
// size in bytes, and the cold start a new instance pays in a fresh Node process: requiring the
// bundle, and answering a first call where it can without a cloud service (medians of 5).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CloudName } from "../components/cloud";
import { unzipFiles } from "../components/build/zip";
import { evaluateStack } from "../engine/program";
import { median } from "./stats";

const projectDir = path.resolve(__dirname, "..");
const SAMPLES = 5;

const TARGETS: { cloud: CloudName; stack: string; zipOf: (inputs: any) => string | undefined; type?: string }[] = [
    { cloud: "aws", stack: "prod", type: "aws:lambda/function:Function", zipOf: (i) => i.code?.archive },
    { cloud: "tencentcloud", stack: "dev", type: "tencentcloud:index/scfFunction:ScfFunction", zipOf: (i) => i.zipFile },
];

/** A GET /hello?name=bench in each target's event shape; any answer below 500 is a handled first call. */
const FIRST_REQUEST: Record<string, unknown> = {
    aws: { version: "2.0", routeKey: "GET /hello", rawPath: "/hello", rawQueryString: "name=bench", headers: {}, queryStringParameters: { name: "bench" }, isBase64Encoded: false,
        requestContext: { requestId: "bench", http: { method: "GET", path: "/hello", sourceIp: "127.0.0.1", protocol: "HTTP/1.1", userAgent: "bench" }, stage: "$default", routeKey: "GET /hello", timeEpoch: 0 } },
    tencentcloud: { httpMethod: "GET", path: "/hello", headers: {}, queryString: { name: "bench" }, queryStringParameters: { name: "bench" }, pathParameters: {}, body: "", isBase64Encoded: false,
        requestContext: { requestId: "bench", httpMethod: "GET", path: "/hello", sourceIp: "127.0.0.1", serviceId: "service-bench", stage: "release", identity: {} } },
};

/** A hub event for task functions, without a detail: the handler refuses it at once, before any cloud API. */
const FIRST_EVENT: Record<string, unknown> = {
    aws: { version: "0", id: "bench", "detail-type": "Bench", source: "bench", account: "123456789012", time: "2026-01-01T00:00:00Z", region: "us-east-1", resources: [], detail: {} },
    tencentcloud: { specversion: "1.0", id: "bench", type: "Bench", source: "bench", time: "1767225600000", region: "ap-guangzhou", datacontenttype: "application/json", data: {} },
};

/**
 * Prints "<require ms> <require + first call ms | ->": the first call counts only when the function
 * answers it without a cloud service (functions using a table or a hub would need one).
 */
const MEASURE = `
const start = process.hrtime.bigint();
const ms = () => (Number(process.hrtime.bigint() - start) / 1e6).toFixed(2);
const { handler } = require(process.argv[1]);
const loaded = ms();
const expectHttp = process.argv[3] === "http";
console.error = () => {}; // a function refusing the call logs it; that is not the measure
Promise.resolve(handler(JSON.parse(process.argv[2]), {})).then(
    (res) => console.log(loaded, expectHttp && (!res || res.statusCode >= 500) ? "-" : ms()),
    () => console.log(loaded, expectHttp ? "-" : ms()), // a task refusing the empty event ends its first call
);`;

async function main(): Promise<void> {
    const rows: string[][] = [["function", "target", "zip bytes", "cold require, ms", "require + first call, ms (medians of 5)"]];
    for (const target of TARGETS) {
        const evaluation = await evaluateStack(projectDir, target.stack);
        const tasks = new Set(evaluation.resources.filter((r) => r.type === "serverless-blocks:index:AsyncTask").map((r) => r.name));
        for (const fn of evaluation.resources.filter((r) => r.type === target.type)) {
            const kind = fn.parent !== null && tasks.has(fn.parent) ? "event" : "http";
            const firstCall = kind === "http" ? FIRST_REQUEST[target.cloud] : FIRST_EVENT[target.cloud];
            const zip = target.zipOf(fn.inputs);
            if (typeof zip !== "string" || !zip.endsWith(".zip")) continue; // not an app function (e.g. the site's invalidator)
            const zipPath = path.join(projectDir, zip);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sb-bench-${fn.name}-`));
            for (const [name, data] of Object.entries(unzipFiles(fs.readFileSync(zipPath)))) fs.writeFileSync(path.join(dir, name), data);
            const loads: number[] = [];
            const calls: number[] = [];
            for (let i = 0; i < SAMPLES; i++) {
                const run = spawnSync(process.execPath, ["-e", MEASURE, path.join(dir, "index.js"), JSON.stringify(firstCall), kind], { encoding: "utf8" });
                if (run.status !== 0) throw new Error(`${fn.name} on ${target.cloud}: ${run.stderr}`);
                const [load, call] = run.stdout.trim().split(" ");
                loads.push(Number(load));
                if (call !== "-") calls.push(Number(call));
            }
            rows.push([fn.name, target.cloud, String(fs.statSync(zipPath).size), median(loads).toFixed(2), calls.length ? median(calls).toFixed(2) : "- (needs a cloud service)"]);
        }
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
    console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"})`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
