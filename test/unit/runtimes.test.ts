// The function runtimes we deploy exist: each cloud's runtime constant is what a planned Function
// uses, and it is the newest Node.js runtime that both the cloud documents and the provider accepts.
// The accepted lists, with where each was read, are data in test/fixtures/function-runtimes.json.
import * as aws from "@pulumi/aws";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Function } from "../../components";
import { LAMBDA_RUNTIME } from "../../components/aws/function";
import { SCF_RUNTIME } from "../../components/tencentcloud/function";
import { evaluate } from "../harness";

interface RuntimeList { source: string; nodejs: string[]; acceptsAnyString?: boolean }
interface CloudRuntimes { documented: RuntimeList; provider: RuntimeList }

const lists: { aws: CloudRuntimes; tencentcloud: CloudRuntimes } = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "fixtures", "function-runtimes.json"), "utf8"));

/** `nodejs24.x` -> [24], `Nodejs18.15` -> [18, 15]: numeric parts, compared left to right. */
function nodeVersion(runtime: string): number[] {
    const m = /^nodejs(\d+(?:\.\d+)*)(?:\.x)?$/i.exec(runtime);
    assert.ok(m, `${runtime} is not a Node.js runtime identifier`);
    return m[1].split(".").map(Number);
}

function newest(runtimes: string[]): string {
    return [...runtimes].sort((a, b) => {
        const [x, y] = [nodeVersion(a), nodeVersion(b)];
        for (let i = 0; i < Math.max(x.length, y.length); i++) {
            if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
        }
        return 0;
    }).at(-1)!;
}

/** What both accept: the documented list, less what the provider refuses. */
function accepted(cloud: CloudRuntimes): string[] {
    for (const list of [cloud.documented, cloud.provider]) assert.ok(list.source.length > 0, "every list names its source");
    if (cloud.provider.acceptsAnyString) return cloud.documented.nodejs;
    return cloud.documented.nodejs.filter((r) => cloud.provider.nodejs.includes(r));
}

const program = () => new Function("greet", { handler: "examples/shop/functions/hello/greet.handler" });

describe("function runtimes", () => {
    describe("AWS Lambda", () => {
        it("plans a Function on exactly LAMBDA_RUNTIME", async () => {
            const stack = await evaluate("aws", program);
            assert.equal(stack.one("aws:lambda/function:Function", "greet").inputs.runtime, LAMBDA_RUNTIME);
        });

        it("is the newest Node.js runtime both AWS documents and @pulumi/aws accepts", () => {
            const allowed = accepted(lists.aws);
            assert.ok(allowed.includes(LAMBDA_RUNTIME), `${LAMBDA_RUNTIME} is not in ${allowed.join(", ")}`);
            assert.equal(LAMBDA_RUNTIME, newest(allowed));
        });

        it("is a value of the installed @pulumi/aws lambda.Runtime enum", () => {
            const values: string[] = Object.values(aws.lambda.Runtime);
            assert.ok(values.includes(LAMBDA_RUNTIME), `@pulumi/aws has no lambda.Runtime ${LAMBDA_RUNTIME}`);
            // The fixture's provider list copies the enum's current (non-deprecated) Node.js values.
            for (const r of lists.aws.provider.nodejs) assert.ok(values.includes(r), `@pulumi/aws lacks ${r}; refresh the fixture`);
        });
    });

    describe("Tencent Cloud SCF", () => {
        it("plans a Function on exactly SCF_RUNTIME", async () => {
            const stack = await evaluate("tencentcloud", program);
            assert.equal(stack.one("tencentcloud:index/scfFunction:ScfFunction", "greet").inputs.runtime, SCF_RUNTIME);
        });

        it("is the newest Node.js runtime both Tencent documents and provider 1.83.25 accepts", () => {
            const allowed = accepted(lists.tencentcloud);
            assert.ok(allowed.includes(SCF_RUNTIME), `${SCF_RUNTIME} is not in ${allowed.join(", ")}`);
            assert.equal(SCF_RUNTIME, newest(allowed));
        });
    });
});
