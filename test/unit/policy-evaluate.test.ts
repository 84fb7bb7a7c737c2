// policy/evaluate.ts: the engine's resources handed to policy objects in @pulumi/policy's shapes
// (parents and dependencies linked, isType / asType, options, config defaults, enforcement levels).
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import type { Policies, PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { Table } from "../../components";
import { evaluatePolicies, toPolicyResources } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { evaluate } from "../harness";

const program = () => {
    new Table("orders", { partitionKey: "userId" });
    const bucket = new aws.s3.Bucket("files", {}, { protect: true });
    new aws.s3.BucketPublicAccessBlock("files-block", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new aws.lambda.Function("fn", { role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs24.x", handler: "index.handler", code: new pulumi.asset.AssetArchive({}), environment: { variables: { TOKEN: pulumi.secret("s3cr3t-value") } } });
};

describe("policy evaluation of the engine's resources", () => {
    it("links parents and dependencies, and answers isType / asType as @pulumi/policy does", async () => {
        const stack = await evaluate("aws", program);
        const resources = toPolicyResources(stack.resources);
        const one = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name) as PolicyResource;
        const table = one("aws:dynamodb/table:Table", "orders");
        assert.equal(table.parent?.type, "serverless-blocks:index:Table");
        assert.equal(table.opts.parent, table.parent?.urn);
        const block = one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "files-block");
        const bucket = one("aws:s3/bucket:Bucket", "files");
        assert.deepEqual(block.dependencies.map((d) => d.urn), [bucket.urn]);
        assert.equal(bucket.isType(aws.s3.Bucket), true);
        assert.equal(bucket.isType(aws.s3.BucketPolicy), false);
        assert.equal(bucket.opts.protect, true);
        assert.equal((bucket.asType(aws.s3.Bucket) as { bucket?: string } | undefined)?.bucket, bucket.props.bucket);
        assert.equal(block.asType(aws.s3.Bucket), undefined);
    });

    it("gives resource validations the inputs, secrets revealed, with their config's defaults", async () => {
        const stack = await evaluate("aws", program);
        const seen: ResourceValidationArgs[] = [];
        const spy: Policies = [{
            name: "spy", description: "records its arguments", enforcementLevel: "advisory",
            configSchema: { properties: { limit: { type: "number", default: 3 } } },
            validateResource: (args, report) => {
                seen.push(args);
                if (args.type === "aws:lambda/function:Function") report(`limit ${args.getConfig<{ limit: number }>().limit}`);
            },
        }];
        const violations = await evaluatePolicies(stack.resources, spy);
        const fn = seen.find((a) => a.type === "aws:lambda/function:Function")!;
        assert.equal(fn.props.environment.variables.TOKEN, "s3cr3t-value");
        assert.equal(fn.props.arn, undefined, "outputs are not inputs");
        assert.deepEqual(violations, [{ policy: "spy", description: "records its arguments", enforcementLevel: "advisory", message: "limit 3", urn: fn.urn }]);
    });

    it("honours an enforcement level set in config: advisory reports, disabled skips", async () => {
        const stack = await evaluate("aws", () => { new aws.s3.Bucket("open", {}); });
        const advisory = await evaluatePolicies(stack.resources, policies, { config: { "private-encrypted-tls-buckets": { enforcementLevel: "advisory" } } });
        const buckets = advisory.filter((v) => v.policy === "private-encrypted-tls-buckets");
        assert.equal(buckets.length, 3);
        assert.ok(buckets.every((v) => v.enforcementLevel === "advisory"));
        const disabled = await evaluatePolicies(stack.resources, policies, { config: { "private-encrypted-tls-buckets": { enforcementLevel: "disabled" } } });
        assert.deepEqual(disabled.filter((v) => v.policy === "private-encrypted-tls-buckets"), []);
    });
});
