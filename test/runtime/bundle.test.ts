// Each target's zip, extracted and required like the cloud runtime does, invoked with that
// cloud's real event shapes: file handlers and closures alike.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closure, Function } from "../../components";
import type { CloudName } from "../../components/config";
import { unzipFiles } from "../../components/build/zip";
import { http } from "../../functions/runtime";
import { evaluate, Evaluated } from "../harness";

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "events", `${name}.json`), "utf8"));

function zipOf(stack: Evaluated, cloud: CloudName, name: string): string {
    switch (cloud) {
        case "aws": return (stack.one("aws:lambda/function:Function", name).inputs.code as { archive: string }).archive;
        case "tencentcloud": return String(stack.one("tencentcloud:index/scfFunction:ScfFunction", name).inputs.zipFile);
        case "local": return stack.runtime.function(name).definition.zipPath;
    }
}

/** Extracts a zip into a fresh directory and requires its entry, as the cloud's runtime would. */
function load(zipPath: string): { handler: (event: unknown, context?: unknown) => Promise<any>; files: string[] } {
    const files = unzipFiles(fs.readFileSync(zipPath));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bundle-"));
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
    return { handler: require(path.join(dir, "index.js")).handler, files: Object.keys(files).sort() };
}

const prefix = "Howdy"; // captured by the closure below

const program = () => {
    new Function("echo", { handler: "test/fixtures/functions/echo.handler" });
    new Function("record", { handler: "test/fixtures/functions/record-event.handler" });
    new Function("inline", { code: closure(http(async (req) => ({ greeting: `${prefix}, ${req.query.name ?? "stranger"}` }))) });
};

/** The same logical request in each target's shape, and how each answers. */
const httpCases: Record<CloudName, { request: (overrides?: any) => unknown; answer: (result: any) => { status: number; body: any } }> = {
    aws: {
        request: (o = {}) => ({ ...fixture("aws-http-api-v2"), ...o }),
        answer: (r) => ({ status: r.statusCode, body: JSON.parse(r.body) }),
    },
    tencentcloud: {
        request: (o = {}) => ({ ...fixture("tencent-apigw"), ...o }),
        answer: (r) => ({ status: r.statusCode, body: JSON.parse(r.body) }),
    },
    local: {
        request: (o = {}) => ({
            kind: "http",
            request: { method: "POST", path: "/orders/42/items", headers: { "content-type": "application/json" }, query: { limit: "10" }, params: { orderId: "42" }, body: JSON.stringify({ sku: "SHOE-RED-42", qty: 2 }), requestId: "local-1", ...o },
        }),
        answer: (r) => ({ status: r.status, body: JSON.parse(r.body) }),
    },
};

const eventCases: Record<CloudName, unknown> = {
    aws: fixture("aws-eventbridge"),
    tencentcloud: fixture("tencent-eb-cloudevent"),
    local: { kind: "event", event: { id: "e1", source: "app.orders", type: "OrderPlaced", time: "2024-03-13T10:15:43.000Z", detail: fixture("aws-eventbridge").detail } },
};

for (const cloud of ["aws", "tencentcloud", "local"] as CloudName[]) {
    describe(`bundled functions on ${cloud}`, () => {
        let stack: Evaluated;
        before(async () => {
            stack = await evaluate(cloud, program);
        });

        it("zips one minified index.js with its source map", () => {
            const { files } = load(zipOf(stack, cloud, "echo"));
            assert.deepEqual(files, ["index.js", "index.js.map"]);
        });

        it("answers an HTTP request through the adapter", async () => {
            const { handler } = load(zipOf(stack, cloud, "echo"));
            const { status, body } = httpCases[cloud].answer(await handler(httpCases[cloud].request(), {}));
            assert.equal(status, 200);
            assert.equal(body.method, "POST");
            assert.equal(body.path, "/orders/42/items");
            assert.equal(body.params.orderId, "42");
            assert.equal(body.query.limit, "10");
            assert.equal(typeof body.body, "object");
        });

        it("answers a bad JSON body with 400, not a crash", async () => {
            const { handler } = load(zipOf(stack, cloud, "echo"));
            const bad = cloud === "local" ? { body: "{not json" } : { body: "{not json", isBase64Encoded: false };
            const { status, body } = httpCases[cloud].answer(await handler(httpCases[cloud].request(bad), {}));
            assert.equal(status, 400);
            assert.match(body.error.message, /not valid JSON/);
        });

        it("delivers a hub event through the adapter", async () => {
            (globalThis as any).__recordedEvents = [];
            const { handler } = load(zipOf(stack, cloud, "record"));
            await handler(eventCases[cloud], {});
            const recorded = (globalThis as any).__recordedEvents;
            assert.equal(recorded.length, 1);
            assert.equal(recorded[0].type, "OrderPlaced");
            assert.equal(recorded[0].source, "app.orders");
            assert.equal(recorded[0].detail.orderId, "42");
        });

        it("runs a closure with what it captured", async () => {
            const { handler } = load(zipOf(stack, cloud, "inline"));
            const request = cloud === "local"
                ? httpCases.local.request({ method: "GET", body: undefined, query: { name: "Ada" } })
                : httpCases[cloud].request(cloud === "aws"
                    ? { rawQueryString: "name=Ada", queryStringParameters: { name: "Ada" }, body: undefined }
                    : { queryString: { name: "Ada" }, queryStringParameters: { name: "Ada" }, body: "" });
            const { status, body } = httpCases[cloud].answer(await handler(request, {}));
            assert.equal(status, 200);
            assert.deepEqual(body, { greeting: "Howdy, Ada" });
        });

        it("builds byte-identical zips from the same code, so plans do not drift", async () => {
            const again = await evaluate(cloud, program);
            for (const name of ["echo", "inline"]) {
                const first = zipOf(stack, cloud, name);
                assert.equal(zipOf(again, cloud, name), first);
                assert.match(first, new RegExp(`^\\.build/functions/${name}-[0-9a-f]{12}\\.zip$`));
            }
        });
    });
}
