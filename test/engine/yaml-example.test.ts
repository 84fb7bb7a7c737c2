// examples/yaml/Pulumi.yaml is the components from Pulumi YAML. No Pulumi CLI runs here, so this
// checks the program against what the CLI would check it against: the schema the component
// provider serves (GetSchema through run-plugin). Every resource type exists; every property set
// is an input of its type (nested objects against their types, required ones present, plain
// values of the right kind); every `${resource.output}` names an output of that resource's type
// (and a resource output fed to an input has that input's type); every handler file exists and
// exports what its component runs: `http(...)` for a function or route, `onEvent(...)` for a task.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repo, servedSchema } from "../support/component-plugin";

const PACKAGE = "serverless-blocks";
const exampleDir = path.join(repo, "examples", "yaml");
/** `${a.b.c}` anywhere in a string. */
const INTERPOLATION = /\$\{([^}]+)\}/g;
/** A whole value that is one interpolation: its type is the referenced value's. */
const WHOLE = /^\$\{([^}]+)\}$/;

interface Program {
    name: string;
    runtime: string;
    packages?: Record<string, unknown>;
    config?: Record<string, { type?: string; default?: unknown; secret?: boolean }>;
    variables?: Record<string, unknown>;
    resources: Record<string, { type: string; properties?: Record<string, unknown>; options?: unknown }>;
    outputs?: Record<string, unknown>;
}

describe("the Pulumi YAML example (examples/yaml/) against the package's schema", function () {
    this.timeout(180_000);

    let schema: any;
    let program: Program;

    before(async function () {
        this.timeout(180_000);
        schema = await servedSchema();
        program = parse(fs.readFileSync(path.join(exampleDir, "Pulumi.yaml"), "utf8"));
    });

    const typeOf = (resource: string) => schema.resources[program.resources[resource].type];
    const refType = (ref: string | undefined) => (ref?.startsWith("#/types/") ? schema.types[ref.slice("#/types/".length)] : undefined);

    /** The schema of what `${expr}` refers to: a resource output, or undefined for config, variables and builtins. */
    function referenced(expr: string, where: string): any {
        const [root, prop] = expr.trim().split(/[.[]/);
        if (root in (program.resources ?? {})) {
            assert.ok(prop, `${where}: \${${expr}} names no output of ${root} (a whole resource is not a value here)`);
            const output = typeOf(root).properties?.[prop];
            assert.ok(output, `${where}: \${${expr}}: ${program.resources[root].type} has no output '${prop}' (it has ${Object.keys(typeOf(root).properties ?? {}).join(", ")})`);
            return expr.trim() === `${root}.${prop}` ? output : undefined;
        }
        assert.ok(root in (program.config ?? {}) || root in (program.variables ?? {}) || root === "pulumi", `${where}: \${${expr}} refers to nothing the program declares`);
        return undefined;
    }

    /** Every interpolation in a value, anywhere in it. */
    function interpolations(value: unknown): string[] {
        if (typeof value === "string") return [...value.matchAll(INTERPOLATION)].map((m) => m[1]);
        if (Array.isArray(value)) return value.flatMap(interpolations);
        if (value && typeof value === "object") return Object.values(value).flatMap(interpolations);
        return [];
    }

    /** A resource output of schema `given` fed to an input of schema `wanted`: the same type (objects: fitting properties). */
    function assertAssignable(given: any, wanted: any, where: string): void {
        if (wanted.$ref) {
            const target = refType(wanted.$ref);
            if (given.$ref === wanted.$ref || !target) return assert.equal(given.$ref, wanted.$ref, where);
            const source = refType(given.$ref);
            assert.ok(source, `${where}: an object of ${wanted.$ref} is wanted, the output is ${JSON.stringify(given)}`);
            for (const key of Object.keys(source.properties ?? {})) assert.ok(key in (target.properties ?? {}), `${where}: ${given.$ref} has '${key}', which ${wanted.$ref} has not`);
            for (const key of target.required ?? []) assert.ok(key in (source.properties ?? {}), `${where}: ${wanted.$ref} requires '${key}', which ${given.$ref} has not`);
            return;
        }
        assert.equal(given.type, wanted.type, `${where}: the output's type`);
        if (wanted.type === "array") assertAssignable(given.items, wanted.items, `${where}[]`);
    }

    /** Checks a value the program gives an input of schema `spec`. */
    function checkValue(value: unknown, spec: any, where: string): void {
        if (typeof value === "string") {
            const whole = WHOLE.exec(value);
            for (const expr of interpolations(value)) referenced(expr, where);
            if (whole) {
                const output = referenced(whole[1], where);
                if (output) assertAssignable(output, spec, where);
                return;
            }
        }
        if (spec.$ref === "pulumi.json#/Archive" || spec.$ref === "pulumi.json#/Asset") {
            assert.ok(value && typeof value === "object" && Object.keys(value).every((k) => k.startsWith("fn::")), `${where}: an archive is given with fn::fileArchive / fn::assetArchive`);
            return;
        }
        if (spec.$ref) {
            const type = refType(spec.$ref);
            assert.ok(type, `${where}: ${spec.$ref} is not a type of the schema`);
            return checkObject(value, type.properties ?? {}, type.required ?? [], `${where} (${spec.$ref.slice("#/types/".length)})`);
        }
        switch (spec.type) {
            case "string":
                return assert.equal(typeof value, "string", `${where} is a string`);
            case "number":
            case "integer":
                return assert.equal(typeof value, "number", `${where} is a number`);
            case "boolean":
                return assert.equal(typeof value, "boolean", `${where} is a boolean`);
            case "array":
                assert.ok(Array.isArray(value), `${where} is a list`);
                return (value as unknown[]).forEach((item, i) => checkValue(item, spec.items, `${where}[${i}]`));
            case "object":
                assert.ok(value && typeof value === "object" && !Array.isArray(value), `${where} is a map`);
                return Object.entries(value as object).forEach(([k, v]) => checkValue(v, spec.additionalProperties ?? {}, `${where}.${k}`));
            default:
                assert.fail(`${where}: the schema gives no type this test knows (${JSON.stringify(spec)})`);
        }
    }

    function checkObject(value: unknown, properties: Record<string, any>, required: string[], where: string): void {
        assert.ok(value && typeof value === "object" && !Array.isArray(value), `${where} is an object`);
        for (const key of required) assert.ok(key in (value as object), `${where}: '${key}' is required`);
        for (const [key, v] of Object.entries(value as object)) {
            assert.ok(key in properties, `${where}: '${key}' is not one of its properties (${Object.keys(properties).join(", ")})`);
            checkValue(v, properties[key], `${where}.${key}`);
        }
    }

    it("is a Pulumi YAML program that names this package as `pulumi package add` records it", () => {
        assert.equal(program.runtime, "yaml");
        assert.deepEqual(Object.keys(program.packages ?? {}), [PACKAGE]);
        // This checkout, as `pulumi package add ../..` records it: the repository's root, where PulumiPlugin.yaml is.
        const source = path.resolve(exampleDir, String(program.packages![PACKAGE]));
        assert.ok(fs.existsSync(path.join(source, "PulumiPlugin.yaml")), `packages.${PACKAGE} should name this package's folder, got ${source}`);
    });

    it("uses several components, each a component resource of the schema", () => {
        const types = Object.values(program.resources).map((r) => r.type);
        for (const name of ["EventHub", "Table", "Function", "AsyncTask", "BusinessApi", "Auth"]) assert.ok(types.includes(`${PACKAGE}:index:${name}`), `the example uses ${name}`);
        for (const [name, resource] of Object.entries(program.resources)) {
            assert.ok(schema.resources[resource.type], `${name}: ${resource.type} is not in the schema`);
            assert.equal(schema.resources[resource.type].isComponent, true, `${name}: ${resource.type} is a component`);
        }
    });

    it("sets only inputs of each type, of the input's kind, with the required ones present", () => {
        for (const [name, resource] of Object.entries(program.resources)) {
            const spec = schema.resources[resource.type];
            checkObject(resource.properties ?? {}, spec.inputProperties ?? {}, spec.requiredInputs ?? [], `${name} (${resource.type})`);
        }
    });

    it("references only outputs that each resource's type has", () => {
        const references = [
            ...Object.entries(program.resources).flatMap(([name, r]) => interpolations(r.properties ?? {}).map((expr) => ({ expr, where: `resource ${name}` }))),
            ...Object.entries(program.outputs ?? {}).flatMap(([name, v]) => interpolations(v).map((expr) => ({ expr, where: `output ${name}` }))),
        ];
        assert.ok(references.filter(({ expr }) => expr.split(".")[0] in program.resources).length >= 8, "the example feeds outputs to inputs and exports some");
        for (const { expr, where } of references) referenced(expr, where);
        assert.ok(Object.keys(program.outputs ?? {}).length > 0, "the example has outputs");
    });

    it("has each handler it names, exporting http(...) for functions and routes, onEvent(...) for tasks", () => {
        // From examples/yaml, Node resolves `serverless-blocks/...` to this package itself (package.json
        // `exports`, compiled dist/): as the bundler resolves it from the package for a consumer.
        const { isHttpHandler, isEventHandler } = require(path.join(repo, "dist", "functions", "runtime"));
        const handlers: { handler: string; kind: "http" | "event"; where: string }[] = [];
        for (const [name, resource] of Object.entries(program.resources)) {
            const props: any = resource.properties ?? {};
            const kind = resource.type.endsWith(":AsyncTask") ? "event" : "http";
            if (typeof props.handler === "string") handlers.push({ handler: props.handler, kind, where: name });
            for (const [route, spec] of Object.entries<any>(props.routes ?? {})) if (typeof spec.handler === "string") handlers.push({ handler: spec.handler, kind: "http", where: `${name} ${route}` });
        }
        assert.ok(handlers.length >= 3);
        for (const { handler, kind, where } of handlers) {
            const dot = handler.lastIndexOf(".");
            const file = path.join(exampleDir, `${handler.slice(0, dot)}.js`);
            assert.ok(fs.existsSync(file), `${where}: ${handler} has no file ${path.relative(repo, file)}`);
            const exported = require(file)[handler.slice(dot + 1)];
            assert.ok(kind === "http" ? isHttpHandler(exported) : isEventHandler(exported), `${where}: ${handler} is not built with ${kind === "http" ? "http(...)" : "onEvent(...)"}`);
        }
    });
});
