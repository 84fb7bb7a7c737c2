import * as assert from "node:assert/strict";
import { Function } from "../../components";
import { evaluate, evaluateFailing } from "../harness";

const greet = () => new Function("greet", { handler: "examples/shop/functions/hello/greet.handler" });

describe("target selection (serverless-blocks:cloud)", () => {
    it("refuses an unknown cloud, naming the key, the value and the allowed values, before registering anything", async () => {
        const { error, registered } = await evaluateFailing("aws", greet, { "serverless-blocks:cloud": "gcp" });
        assert.match(error.message, /serverless-blocks:cloud: 'gcp' is not allowed; allowed values: aws, tencentcloud, local/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
    });

    for (const [cloud, key] of [["aws", "aws:region"], ["tencentcloud", "tencentcloud:region"]] as const) {
        it(`requires ${key} for ${cloud}`, async () => {
            const { error } = await evaluateFailing(cloud, greet, { [key]: "" });
            assert.match(error.message, new RegExp(`config ${key}: missing; set it with \`pulumi config set ${key}`));
        });
    }

    it("refuses a log retention CloudWatch does not offer", async () => {
        const { error } = await evaluateFailing("aws", greet, { "serverless-blocks:logRetentionDays": "10" });
        assert.match(error.message, /serverless-blocks:logRetentionDays: '10' is not allowed; allowed values: 1, 3, 5, 7, 14/);
    });

    it("refuses a protect flag that is not a boolean", async () => {
        const { error } = await evaluateFailing("aws", greet, { "serverless-blocks:protect": "yes" });
        assert.match(error.message, /serverless-blocks:protect: 'yes' is not allowed; allowed values: true, false/);
    });

    it("deploys nothing to a cloud on the local target", async () => {
        const stack = await evaluate("local", greet);
        assert.deepEqual(stack.resources.filter((r) => r.custom), []);
        assert.ok(stack.runtime.functions.has("greet"));
    });
});

describe("release config (serverless-blocks:canary, serverless-blocks:pinnedVersions)", () => {
    const refused: [string, string, RegExp][] = [
        ["canary", JSON.stringify({ percent: 10 }), /serverless-blocks:canary: .*"functions"/],
        ["canary", JSON.stringify({ percent: 0, functions: ["greet"] }), /a whole number from 1 to 99/],
        ["canary", JSON.stringify({ percent: 100, functions: ["greet"] }), /a whole number from 1 to 99/],
        ["canary", JSON.stringify({ percent: 10, functions: ["greet"], weight: 2 }), /serverless-blocks:canary/],
        ["canary", "ten percent", /expected a JSON object/],
        ["pinnedVersions", JSON.stringify(["greet"]), /serverless-blocks:pinnedVersions: .*"<function name>"/],
        ["pinnedVersions", JSON.stringify({ greet: 3 }), /pinnedVersions\.greet: '3' is not allowed; expected a published version number as a string/],
        ["pinnedVersions", JSON.stringify({ greet: "$LATEST" }), /pinnedVersions\.greet/],
    ];
    for (const [key, value, message] of refused) {
        it(`refuses ${key} = ${value} before registering anything`, async () => {
            const { error, registered } = await evaluateFailing("aws", greet, { [`serverless-blocks:${key}`]: value });
            assert.match(error.message, message);
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
        });
    }
});
