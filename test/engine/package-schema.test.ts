// The schema the component provider serves (GetSchema of the SDK's run-plugin, as `pulumi package
// add` asks it) is what a Python, Go, C#, Java or YAML program sees of the components: their SDKs
// and docs are generated from it. So every component is in it, every input and output carries the
// description its JSDoc gives (the only docs users of other languages read), and what it requires
// is what the TypeScript args require. The TypeScript side is read with the compiler's API from
// components/index.ts, the analyzer's own source of truth.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { repo, servedSchema } from "../support/component-plugin";

const PACKAGE = "serverless-blocks";
const token = (name: string) => `${PACKAGE}:index:${name}`;

interface TsProperty {
    name: string;
    optional: boolean;
    /** The JSDoc text (without tags), as the analyzer reads it. */
    doc: string;
}

interface TsComponent {
    name: string;
    /** The constructor's args (its second parameter). */
    inputs: TsProperty[];
    /** The class's own public `pulumi.Output` properties. */
    outputs: TsProperty[];
}

/** The components exported by components/index.ts, as the TypeScript sources declare them. */
function tsComponents(): TsComponent[] {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(repo, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) })!;
    const entry = path.join(repo, "components", "index.ts");
    const program = ts.createProgram([entry], config.options);
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const runtimeExports: Record<string, unknown> = require("../../components");
    const property = (p: ts.Symbol): TsProperty => ({ name: p.name, optional: (p.flags & ts.SymbolFlags.Optional) !== 0, doc: ts.displayPartsToString(p.getDocumentationComment(checker)) });
    const components: TsComponent[] = [];
    for (const exported of checker.getExportsOfModule(module)) {
        const value = runtimeExports[exported.name];
        if (!(typeof value === "function" && value.prototype instanceof pulumi.ComponentResource)) continue;
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const declaration = symbol.valueDeclaration as ts.ClassDeclaration;
        const constructor = declaration.members.find(ts.isConstructorDeclaration);
        assert.ok(constructor && constructor.parameters.length >= 2, `${exported.name}'s constructor takes (name, args, ...)`);
        const args = checker.getTypeAtLocation(constructor.parameters[1]);
        const outputs = declaration.members
            .filter((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m))
            .filter((m) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static)))
            .filter((m) => /^(pulumi\.)?Output</.test(m.type?.getText() ?? ""))
            .map((m) => property(checker.getSymbolAtLocation(m.name)!));
        components.push({ name: exported.name, inputs: checker.getPropertiesOfType(args).map(property), outputs });
    }
    return components;
}

/** The object types a property refers to (`$ref`, array items, map values), by token. */
function referencedTypes(property: any): string[] {
    if (!property || typeof property !== "object") return [];
    const own = typeof property.$ref === "string" && property.$ref.startsWith("#/types/") ? [property.$ref.slice("#/types/".length)] : [];
    return [...own, ...referencedTypes(property.items), ...referencedTypes(property.additionalProperties)];
}

describe("the component package's schema (GetSchema through run-plugin)", function () {
    this.timeout(180_000);

    let schema: any;
    let components: TsComponent[];

    before(async function () {
        this.timeout(180_000);
        schema = await servedSchema();
        components = tsComponents();
    });

    it("is the serverless-blocks package, described", () => {
        assert.equal(schema.name, PACKAGE);
        assert.ok(schema.description, "the package has a description (package.json)");
    });

    it("has every component exported by components/index.ts as a component resource, and nothing else", () => {
        const exported = Object.entries(require("../../components")).filter(([, v]) => typeof v === "function" && (v as any).prototype instanceof pulumi.ComponentResource).map(([k]) => k);
        assert.ok(exported.length >= 8, `components/index.ts exports ${exported.join(", ")}`);
        assert.deepEqual(components.map((c) => c.name).sort(), [...exported].sort(), "the TypeScript reading finds every exported component");
        assert.deepEqual(Object.keys(schema.resources).sort(), exported.map(token).sort());
        for (const name of exported) {
            const resource = schema.resources[token(name)];
            assert.equal(resource.isComponent, true, `${name} is a component`);
            assert.ok(resource.description?.trim(), `${name} has a description (its class's JSDoc)`);
        }
    });

    it("describes every input and every output of every component with its JSDoc", () => {
        const missing: string[] = [];
        for (const component of components) {
            const resource = schema.resources[token(component.name)];
            for (const [kind, inSchema, inTs] of [["input", resource.inputProperties ?? {}, component.inputs], ["output", resource.properties ?? {}, component.outputs]] as const) {
                assert.deepEqual(Object.keys(inSchema).sort(), inTs.map((p) => p.name).sort(), `${component.name}'s ${kind}s are the TypeScript ${kind === "input" ? "args" : "Output properties"}`);
                for (const p of inTs) {
                    const description = inSchema[p.name].description;
                    if (!description?.trim()) missing.push(`${component.name} ${kind} ${p.name}`);
                    else assert.equal(description, p.doc, `${component.name} ${kind} ${p.name}: the schema's description is the JSDoc`);
                }
            }
        }
        assert.deepEqual(missing, [], "every input and output has a description");
    });

    it("describes every property of every type the components' inputs and outputs use", () => {
        const seen = new Set<string>();
        const queue = Object.values<any>(schema.resources).flatMap((r) => [...Object.values(r.inputProperties ?? {}), ...Object.values(r.properties ?? {})].flatMap(referencedTypes));
        const missing: string[] = [];
        while (queue.length) {
            const type = queue.shift()!;
            if (seen.has(type)) continue;
            seen.add(type);
            const spec = schema.types?.[type];
            assert.ok(spec, `${type} is referenced but not in the schema's types`);
            for (const [name, p] of Object.entries<any>(spec.properties ?? {})) {
                if (!p.description?.trim()) missing.push(`${type} ${name}`);
                queue.push(...referencedTypes(p));
            }
        }
        assert.ok(seen.has(token("Link")), "Link is one of the types");
        assert.deepEqual(missing, [], "every property of every type has a description");
    });

    it("requires the inputs the TypeScript args require, and no others", () => {
        for (const component of components) {
            const required = schema.resources[token(component.name)].requiredInputs ?? [];
            assert.deepEqual([...required].sort(), component.inputs.filter((p) => !p.optional).map((p) => p.name).sort(), `${component.name}'s required inputs`);
        }
    });
});
