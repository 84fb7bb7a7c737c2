// The components must pass Pulumi's own TypeScript component analyzer: it is what turns them
// into a schema for Python, Go, C# and YAML programs (`pulumi package add`).
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import * as components from "../../components";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";

const projectDir = path.resolve(__dirname, "..", "..");

describe("Pulumi's component analyzer over components/", () => {
    const exported = getPulumiComponents(components).map((c: { name: string }) => c.name);
    let result: ReturnType<Analyzer["analyze"]>;

    before(function () {
        this.timeout(120_000);
        result = new Analyzer(projectDir, "serverless-blocks", require("../../package.json"), new Set(exported)).analyze();
    });

    it("finds every exported component", () => {
        assert.ok(exported.includes("Function"));
        assert.deepEqual(Object.keys(result.components).sort(), [...exported].sort());
    });

    it("describes Function's inputs and outputs", () => {
        const fn = result.components.Function;
        assert.deepEqual(Object.keys(fn.inputs).sort(), ["alarms", "code", "description", "environment", "handler", "link", "logRetentionDays", "memory", "provisionedConcurrency", "timeout"]);
        assert.equal((fn.inputs.code as any).$ref, "pulumi.json#/Archive");
        assert.equal((fn.inputs.link as any).items.$ref, "#/types/serverless-blocks:index:Link");
        assert.deepEqual(Object.keys(fn.outputs).sort(), ["alias", "aliasId", "functionName", "link", "resourceId"]);
        assert.equal((fn.inputs.alarms as any).$ref, "#/types/serverless-blocks:index:AlarmTarget");
        assert.match(String(fn.description), /serverless function/);
    });

    it("describes the Link type other components hand out", () => {
        assert.deepEqual(Object.keys(result.typeDefinitions.Link.properties ?? {}).sort(), ["environment", "name", "permissions", "resources", "type"]);
    });
});
