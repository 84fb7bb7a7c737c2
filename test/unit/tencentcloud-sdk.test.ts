// The Tencent Cloud bindings against the provider's schema (resources.json), and one binding
// registered through the project's engine the way the generated `@pulumi/tencentcloud` registers.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as sdk from "../../components/tencentcloud/sdk";
import { SCHEMA_FILE, type Schema, type SchemaProperty } from "../../scripts/gen-tencentcloud";
import { evaluate, evaluateFailing } from "../harness";

// The provider schema extract of terraform-provider-tencentcloud v1.83.25 (its source and
// conventions are in the file), kept in the repo; its types are the generator's.

/** A binding's property names as the test reads them: `true` a leaf, an object a block. */
interface Shape {
    [name: string]: true | Shape;
}

interface LooseBinding {
    token: string;
    inputs: Shape;
    required: Record<string, true>;
    outputs: readonly string[];
}

const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Schema;

const BINDINGS_THE_PROJECT_USES = [
    "CamPolicy",
    "CamRole",
    "CamRolePolicyAttachment",
    "EbEventBus",
    "EbEventRule",
    "EbEventTarget",
    "ScfFunction",
    "ScfFunctionEventInvokeConfig",
    "ScfTrigger",
    "TcmqQueue",
];

/** Every resource class the sdk index exports, by export name. */
function exportedResourceClasses(): Map<string, { __pulumiType: string }> {
    const classes = new Map<string, { __pulumiType: string }>();
    for (const [name, value] of Object.entries(sdk)) {
        const token: unknown = typeof value === "function" ? (value as { __pulumiType?: unknown }).__pulumiType : undefined;
        if (typeof token === "string") {
            classes.set(name, { __pulumiType: token });
        }
    }
    return classes;
}

function bindingOf(className: string): LooseBinding | undefined {
    const exportName = `${className[0].toLowerCase()}${className.slice(1)}Binding`;
    return (sdk as unknown as Record<string, LooseBinding | undefined>)[exportName];
}

/** The nested properties of a block (one object, or a list of objects); undefined for a leaf. */
function blockProperties(property: SchemaProperty): Record<string, SchemaProperty> | undefined {
    return property.properties ?? property.items?.properties;
}

function isRequiredInput(property: SchemaProperty): boolean {
    return property.required === true && property.autoNamed !== true;
}

/** Differences between a binding's shape and the schema's inputs, as readable lines. */
function shapeProblems(where: string, shape: Shape, inputs: Record<string, SchemaProperty>): string[] {
    const problems: string[] = [];
    for (const [name, nested] of Object.entries(shape)) {
        const property = inputs[name];
        const block = property === undefined ? undefined : blockProperties(property);
        if (property === undefined) {
            problems.push(`${where}${name}: not an input in the schema`);
        } else if (nested === true && block !== undefined) {
            problems.push(`${where}${name}: a block in the schema, a leaf in the binding`);
        } else if (nested !== true && block === undefined) {
            problems.push(`${where}${name}: a leaf in the schema, a block in the binding`);
        } else if (nested !== true && block !== undefined) {
            problems.push(...shapeProblems(`${where}${name}.`, nested, block));
        }
    }
    for (const [name, property] of Object.entries(inputs)) {
        if (isRequiredInput(property) && !(name in shape)) {
            problems.push(`${where}${name}: required by the schema, missing from the binding`);
        }
    }
    return problems;
}

describe("tencentcloud sdk bindings vs the provider schema", () => {
    const classes = exportedResourceClasses();

    it("uses the schema of the pinned Terraform provider", () => {
        assert.equal(schema.source.version, `v${sdk.TERRAFORM_PROVIDER_VERSION}`);
    });

    it("binds every resource the project uses", () => {
        for (const name of BINDINGS_THE_PROJECT_USES) {
            assert.ok(classes.has(name), `${name} is not exported from the sdk index`);
        }
    });

    for (const [className, resourceClass] of exportedResourceClasses()) {
        describe(className, () => {
            const token = resourceClass.__pulumiType;
            const resource = schema.resources[token];
            const binding = bindingOf(className);

            it("has a token the schema knows", () => {
                assert.ok(resource, `${token} is not a resource in resources.json`);
            });

            it("exports its binding under the same token", () => {
                assert.ok(binding, `no ${className} binding exported from the sdk index`);
                assert.equal(binding.token, token);
            });

            it("has only schema inputs, nested blocks included, and every required one", () => {
                assert.ok(resource && binding);
                assert.deepEqual(shapeProblems("", binding.inputs, resource.inputs), []);
            });

            it("requires exactly the inputs the schema requires (auto-named `name` stays optional)", () => {
                assert.ok(resource && binding);
                const required = Object.entries(resource.inputs)
                    .filter(([, property]) => isRequiredInput(property))
                    .map(([name]) => name);
                assert.deepEqual(Object.keys(binding.required).sort(), required.sort());
            });

            it("declares exactly the schema's output-only properties", () => {
                assert.ok(resource && binding);
                assert.deepEqual([...binding.outputs].sort(), [...resource.outputs].sort());
            });
        });
    }
});

describe("tencentcloud package parameterization", () => {
    it("parameterizes terraform-provider with the Terraform provider's registry address and version", () => {
        const registration = sdk.PACKAGE_REGISTRATION;
        assert.equal(registration.baseProviderName, "terraform-provider");
        assert.equal(registration.packageName, "tencentcloud");
        assert.equal(registration.packageVersion, "1.83.25");
        assert.equal(
            Buffer.from(registration.base64Parameter, "base64").toString("utf8"),
            '{"remote":{"url":"registry.opentofu.org/tencentcloudstack/tencentcloud","version":"1.83.25"}}',
        );
    });
});

describe("ScfFunction registered through the engine", () => {
    const inputs: sdk.ScfFunctionArgs = {
        name: "orders-worker",
        handler: "index.main_handler",
        runtime: "Nodejs18.15",
        memSize: 256,
        timeout: 30,
        namespace: "default",
        role: "orders-worker-role",
        environment: { TABLE: "orders" },
        zipFile: "/tmp/orders-worker.zip",
        layers: [{ layerName: "shared", layerVersion: 2 }],
    };

    it("sends the token and the inputs to the monitor", async () => {
        let fn: sdk.ScfFunction | undefined;
        const stack = await evaluate("tencentcloud", () => { fn = new sdk.ScfFunction("orders-worker", inputs); });
        const seen = stack.one("tencentcloud:index/scfFunction:ScfFunction", "orders-worker");
        assert.deepEqual(seen.inputs, inputs);
        assert.ok(sdk.ScfFunction.isInstance(fn));
        assert.ok(!sdk.CamRole.isInstance(fn));
    });

    it("exposes inputs and provider-computed properties as outputs", async () => {
        const stack = await evaluate("tencentcloud", () => {
            const fn = new sdk.ScfFunction("outputs-worker", { ...inputs, name: "outputs-worker" });
            return { name: fn.name, memSize: fn.memSize, id: fn.id };
        });
        assert.deepEqual(stack.outputs, { name: "outputs-worker", memSize: 256, id: "default+outputs-worker" });
    });

    it("registers the parameterized package once and passes its reference with the resource", async () => {
        const stack = await evaluate("tencentcloud", () => {
            new sdk.ScfFunction("ref-worker", { ...inputs, name: "ref-worker" });
            new sdk.CamRole("ref-role", { document: "{}" });
        });
        assert.deepEqual(stack.packages, [{
            name: "terraform-provider",
            version: sdk.BASE_PROVIDER_VERSION,
            parameterization: { name: "tencentcloud", version: "1.83.25", value: sdk.PARAMETER_VALUE },
        }], "the package is registered once per deployment");
        for (const r of stack.resources) assert.ok(r.packageRef, `${r.type} carries the package reference`);
    });

    it("refuses a resource missing a required input before registering it", async () => {
        const args = { roleId: "4611686018427397919" } as unknown as sdk.CamRolePolicyAttachmentArgs;
        const { error, registered } = await evaluateFailing("tencentcloud", () => new sdk.CamRolePolicyAttachment("no-policy", args));
        assert.match(error.message, /tencentcloud:index\/camRolePolicyAttachment:CamRolePolicyAttachment: missing required property 'policyId'/);
        assert.deepEqual(registered.filter((r) => r.custom), []);
    });
});
