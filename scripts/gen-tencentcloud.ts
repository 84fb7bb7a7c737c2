// Generates the Tencent Cloud provider bindings (components/tencentcloud/sdk/<binding>.ts and
// sdk/index.ts) from the provider schema extract (components/tencentcloud/schema/resources.json)
// and the list of resources the project binds (schema/bindings.json): `npm run gen:tencentcloud`.
//
// The extract decides names, types, required-ness and docs; bindings.json adds only what the
// extract does not know (file names, id formats, nested type names kept for compatibility, inputs
// left out, provider quirks, construction-time checks). Output is deterministic: same inputs,
// same bytes, which test/unit/tencentcloud-sdk-generated.test.ts checks against the files on disk.
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
export const SCHEMA_FILE = path.join(ROOT, "components", "tencentcloud", "schema", "resources.json");
export const BINDINGS_FILE = path.join(ROOT, "components", "tencentcloud", "schema", "bindings.json");
export const SDK_DIR = path.join(ROOT, "components", "tencentcloud", "sdk");

const PRINT_WIDTH = 140;
/** Comments wrap narrower than code, as in the hand-written files. */
const COMMENT_WIDTH = 100;
const INDENT = "    ";

// ---- the extract (see its `conventions`) ----

export interface SchemaProperty {
    type: "string" | "number" | "boolean" | "array" | "map" | "object";
    required?: boolean;
    computed?: boolean;
    forceNew?: boolean;
    autoNamed?: boolean;
    secret?: boolean;
    deprecated?: string;
    description?: string;
    terraformName?: string;
    properties?: Record<string, SchemaProperty>;
    items?: SchemaProperty;
}

export interface SchemaResource {
    terraformType: string;
    description: string;
    inputs: Record<string, SchemaProperty>;
    outputs: string[];
    outputDetails: Record<string, SchemaProperty>;
}

export interface Schema {
    source: { repo: string; commit: string; version: string };
    resources: Record<string, SchemaResource>;
}

// ---- the bindings list (bindings.json; its `$comment` fields explain each entry) ----

/** One bound resource: which extract token, which file, and what the extract does not say. */
export interface BindingSpec {
    /** The resource's token in resources.json. */
    token: string;
    /** File name under components/tencentcloud/sdk/. */
    file: string;
    /** What it is, for the file's first line (after the Terraform type). */
    summary: string;
    /** Further lines for the file header: why it is bound this way, provider behaviour. */
    notes?: string[];
    /** The class's doc: what one instance is, e.g. "A VPC". */
    title: string;
    /** How docs name one instance, e.g. "VPC" in "Reads an existing VPC by ID". */
    noun: string;
    /** The id format `get` takes, when known (the extract has none). */
    id?: string;
    /** Inputs (dotted paths for nested ones) the binding leaves out; the extract's names stay checked. */
    omitInputs?: string[];
    /** Names of generated interfaces, by property path, where they differ from `<Parent><Property>`. */
    typeNames?: Record<string, string>;
    /** A doc replacing the extract's description where the extract cuts it short, by property path. */
    docs?: Record<string, string>;
    /** A fact the extract lacks, appended to a property's doc, by property path. */
    propertyNotes?: Record<string, string>;
    /** A hand-written check the constructor runs on its args before registering (module in sdk/). */
    check?: { module: string; function: string };
    /** Hand-written sdk/ modules this binding's module re-exports (so the index does too). */
    companions?: string[];
    $comment?: string;
}

const REQUIRED_SPEC_FIELDS = ["token", "file", "summary", "title", "noun"] as const;

interface BindingsFile {
    bindings: BindingSpec[];
}

// ---- generation ----

/** Every generated file, by file name under sdk/: the bindings and index.ts. */
export function generateTencentcloudSdk(
    schema: Schema = readJson<Schema>(SCHEMA_FILE),
    bindings: BindingSpec[] = readJson<BindingsFile>(BINDINGS_FILE).bindings,
): Map<string, string> {
    const files = new Map<string, string>();
    const seenFiles = new Set<string>();
    for (const spec of bindings) {
        const missing = REQUIRED_SPEC_FIELDS.filter((field) => typeof spec[field] !== "string" || spec[field] === "");
        if (missing.length > 0) {
            throw new Error(`bindings.json: the entry for ${spec.token ?? spec.file ?? "?"} lacks ${missing.join(", ")}; each entry needs ${REQUIRED_SPEC_FIELDS.join(", ")}`);
        }
        if (!/^[a-z0-9-]+\.ts$/.test(spec.file)) throw new Error(`bindings.json: file '${spec.file}' is not a kebab-case .ts file name`);
        if (seenFiles.has(spec.file)) throw new Error(`bindings.json: ${spec.file} is listed twice`);
        seenFiles.add(spec.file);
        const resource = schema.resources[spec.token];
        if (!resource) {
            throw new Error(`bindings.json: ${spec.token} is not a resource in resources.json; bind one of: ${Object.keys(schema.resources).join(", ")}`);
        }
        files.set(spec.file, new BindingWriter(spec, resource, schema.source.version).write());
    }
    files.set("index.ts", indexFile(bindings, schema.source.version));
    return files;
}

function header(version: string): string[] {
    return [
        `// Generated by scripts/gen-tencentcloud.ts from components/tencentcloud/schema/resources.json`,
        `// (terraform-provider-tencentcloud ${version}) and schema/bindings.json. Do not edit: change those`,
        `// and run \`npm run gen:tencentcloud\`.`,
    ];
}

function indexFile(bindings: BindingSpec[], version: string): string {
    const lines = [
        ...header(version),
        "//",
        "// Thin typed bindings for the Tencent Cloud resources this project uses, registered against the",
        "// parameterized `tencentcloud` package exactly as a generated `@pulumi/tencentcloud` SDK would.",
        'export * from "./package";',
        'export type { BindingSchema, ExistingResourceOptions, InputShape, RequiredInputs } from "./resource-inputs";',
        "",
    ];
    const modules = bindings.map((spec) => moduleName(spec.file)).sort();
    for (const module of modules) lines.push(`export * from "./${module}";`);
    return lines.join("\n") + "\n";
}

function moduleName(file: string): string {
    return file.replace(/\.ts$/, "");
}

/** An output-only attribute: its name, the extract's details, its rendered type. */
interface Output {
    name: string;
    detail: SchemaProperty;
    type: string;
}

/** A generated interface: its name, doc and members (already rendered). */
interface TypeDecl {
    name: string;
    doc: string | undefined;
    members: string[];
}

/** Writes one binding file. Exported for tools that need its type names by property path. */
export class BindingWriter {
    private readonly className: string;
    private readonly types: TypeDecl[] = [];
    private readonly typeOwners = new Map<string, string>();
    private readonly omitted: Set<string>;
    private readonly usedTypeNames = new Set<string>();
    private readonly usedNotes = new Set<string>();
    private readonly usedDocs = new Set<string>();
    private readonly usedOmits = new Set<string>();
    private readonly terraformNames: Map<string, string>;

    constructor(
        private readonly spec: BindingSpec,
        private readonly resource: SchemaResource,
        private readonly version: string,
    ) {
        this.className = spec.token.split(":")[2];
        this.omitted = new Set(spec.omitInputs ?? []);
        this.terraformNames = collectTerraformNames(resource);
    }

    write(): string {
        const inputs = this.boundInputs(this.resource.inputs, "");
        // Args first: declaring their members declares the nested interfaces they use.
        const argsMembers = inputs.flatMap(([name, property]) => this.argsMember(name, property, this.className, name));
        const outputs = this.resource.outputs.map((name): Output => {
            const detail = this.resource.outputDetails[name];
            if (!detail) throw new Error(`${this.spec.token}: output ${name} has no outputDetails in resources.json`);
            return { name, detail, type: this.plainType(detail, this.className, name) };
        });
        this.checkOverridesUsed();
        const lines = [
            ...this.fileHeader(),
            ...this.types.flatMap((type) => [...(type.doc ? docLines(type.doc, "") : []), `export interface ${type.name} {`, ...indent(type.members), "}", ""]),
            ...docLines(`The arguments for constructing ${article(this.className)} ${this.className}.`, ""),
            `export interface ${this.argsName} {`,
            ...indent(argsMembers),
            "}",
            "",
            ...this.resourceClass(inputs, outputs),
            "",
            ...this.bindingSchema(inputs),
        ];
        return lines.join("\n") + "\n";
    }

    private get argsName(): string {
        return `${this.className}Args`;
    }

    private get bindingName(): string {
        return `${this.className[0].toLowerCase()}${this.className.slice(1)}Binding`;
    }

    private fileHeader(): string[] {
        const { spec } = this;
        const lines = [...header(this.version), "//", ...commentLines(`${this.resource.terraformType}: ${spec.summary}`, "// ")];
        for (const note of spec.notes ?? []) lines.push(...commentLines(note, "// "));
        lines.push('import * as pulumi from "@pulumi/pulumi";');
        if (spec.check) lines.push(`import { ${spec.check.function} } from "${spec.check.module}";`);
        lines.push('import { getPackage, withPackageDefaults } from "./package";');
        lines.push('import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";', "");
        if (spec.companions?.length) {
            for (const companion of spec.companions) lines.push(`export * from "./${companion}";`);
            lines.push("");
        }
        return lines;
    }

    /** The CustomResource subclass, as the generated SDK shapes it. */
    private resourceClass(inputs: [string, SchemaProperty][], outputs: Output[]): string[] {
        const { spec, className } = this;
        const body: string[] = ["/** @internal */", `public static readonly __pulumiType = "${spec.token}";`, ""];
        body.push(...docLines(`Reads an existing ${spec.noun} by ID${spec.id ? ` (${spec.id})` : ""}.`, ""));
        body.push(
            `public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ${className} {`,
            `${INDENT}return new ${className}(name, undefined, { ...opts, id });`,
            "}",
            "",
        );
        body.push(...docLines(`True if \`obj\` is ${article(className)} ${className}, even across copies of the Pulumi SDK.`, ""));
        body.push(`public static isInstance(obj: unknown): obj is ${className} {`);
        const isInstance = `return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === ${className}.__pulumiType;`;
        if ((INDENT + INDENT + isInstance).length <= PRINT_WIDTH) {
            body.push(INDENT + isInstance);
        } else {
            body.push(
                `${INDENT}return (`,
                `${INDENT}${INDENT}pulumi.CustomResource.isInstance(obj) &&`,
                `${INDENT}${INDENT}(obj as { __pulumiType?: string }).__pulumiType === ${className}.__pulumiType`,
                `${INDENT});`,
            );
        }
        body.push("}", "");
        body.push("// `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.");
        for (const [name, property] of inputs) {
            body.push(`declare public readonly ${propertyKey(name)}: pulumi.Output<${this.outputTypeOfInput(name, property)}>;`);
        }
        for (const { name, detail, type } of outputs) {
            const doc = describe(detail, this.terraformNames);
            if (doc) body.push(...docLines(doc, ""));
            body.push(`declare public readonly ${propertyKey(name)}: pulumi.Output<${type}>;`);
        }
        body.push("", ...this.constructors(inputs));
        const idNote = spec.id ? `; its \`id\` is ${spec.id}` : "";
        return [
            ...docLines(`${spec.title} (\`${this.resource.terraformType}\`)${idNote}.`, ""),
            `export class ${className} extends pulumi.CustomResource {`,
            ...indent(body),
            "}",
        ];
    }

    private constructors(inputs: [string, SchemaProperty][]): string[] {
        const { spec, className, argsName } = this;
        const required = inputs.some(([, p]) => isRequired(p));
        const secrets = inputs.filter(([, p]) => p.secret).map(([name]) => JSON.stringify(name));
        const body: string[] = [];
        if (spec.check) body.push(`if (args) ${spec.check.function}(name, args);`);
        let options = "withPackageDefaults(opts)";
        if (secrets.length > 0) {
            body.push("// As the generated SDK does for schema secrets: kept encrypted in the state.");
            body.push(`const secretOutputs = { additionalSecretOutputs: [${secrets.join(", ")}] };`);
            options = "pulumi.mergeOptions(withPackageDefaults(opts), secretOutputs)";
        }
        const superArgs = [`${className}.__pulumiType`, "name", `resourceInputs(${this.bindingName}, args, opts)`, options, "false", "getPackage()"];
        body.push(...call("super", superArgs, INDENT + INDENT).map((line) => line.slice(INDENT.length * 2)));
        return [
            // Args are optional only when the extract requires none (auto-named `name` aside).
            `constructor(name: string, args${required ? "" : "?"}: ${argsName}, opts?: pulumi.CustomResourceOptions);`,
            `/** Reads an existing ${spec.noun}: no args, \`opts.id\` names it. */`,
            "constructor(name: string, args: undefined, opts: ExistingResourceOptions);",
            `constructor(name: string, args: ${argsName} | undefined, opts?: pulumi.CustomResourceOptions) {`,
            ...indent(body),
            "}",
        ];
    }

    /** The names `resourceInputs` registers, which the unit test compares with the extract. */
    private bindingSchema(inputs: [string, SchemaProperty][]): string[] {
        const required = inputs.filter(([, p]) => isRequired(p)).map(([name]) => [name, true]);
        return [
            `/** ${this.className}'s registered property names, checked against the provider schema by the unit test. */`,
            `export const ${this.bindingName}: BindingSchema<${this.argsName}> = {`,
            `${INDENT}token: ${this.className}.__pulumiType,`,
            ...objectLiteral("inputs", this.shape(inputs), INDENT),
            ...objectLiteral("required", Object.fromEntries(required), INDENT),
            ...arrayLiteral("outputs", this.resource.outputs, INDENT),
            "};",
        ];
    }

    /** Generated interface names by the property path that made them (after write()). */
    typePaths(): Map<string, string> {
        return new Map(this.typeOwners);
    }

    /** The inputs this binding keeps at `prefix`, sorted by name. */
    private boundInputs(inputs: Record<string, SchemaProperty>, prefix: string): [string, SchemaProperty][] {
        return Object.entries(inputs)
            .filter(([name, property]) => {
                const omit = this.omitted.has(prefix + name);
                if (omit) {
                    this.usedOmits.add(prefix + name);
                    if (isRequired(property)) throw new Error(`bindings.json ${this.spec.file}: cannot omit required input ${prefix + name}`);
                }
                return !omit;
            })
            .sort(([a], [b]) => compare(a, b));
    }

    /** Every override in bindings.json must name something in the extract: a typo fails loudly. */
    private checkOverridesUsed(): void {
        const where = `bindings.json ${this.spec.file}`;
        for (const omit of this.omitted) {
            if (!this.usedOmits.has(omit)) throw new Error(`${where}: omitInputs names ${omit}, which is not an input of ${this.spec.token}`);
        }
        for (const name of Object.keys(this.spec.typeNames ?? {})) {
            if (!this.usedTypeNames.has(name)) throw new Error(`${where}: typeNames names ${name}, which is not a block of ${this.spec.token}`);
        }
        for (const name of Object.keys(this.spec.docs ?? {})) {
            if (!this.usedDocs.has(name)) throw new Error(`${where}: docs names ${name}, which is not a bound input of ${this.spec.token}`);
        }
        for (const name of Object.keys(this.spec.propertyNotes ?? {})) {
            if (!this.usedNotes.has(name)) throw new Error(`${where}: propertyNotes names ${name}, which is not a property of ${this.spec.token}`);
        }
    }

    private shape(inputs: [string, SchemaProperty][], prefix = ""): Record<string, unknown> {
        const shape: Record<string, unknown> = {};
        for (const [name, property] of inputs) {
            const block = blockOf(property);
            shape[name] = block ? this.shape(this.boundInputs(block, `${prefix}${name}.`), `${prefix}${name}.`) : true;
        }
        return shape;
    }

    /** One Args (or nested input interface) member, with its doc. */
    private argsMember(name: string, property: SchemaProperty, parentType: string, pathName: string): string[] {
        const doc = this.propertyDoc(property, pathName);
        const optional = isRequired(property) ? "" : "?";
        const line = `${propertyKey(name)}${optional}: ${this.inputType(property, parentType, pathName)};`;
        return [...(doc ? docLines(doc, "") : []), line];
    }

    private propertyDoc(property: SchemaProperty, pathName: string): string {
        const override = this.spec.docs?.[pathName];
        if (override !== undefined) this.usedDocs.add(pathName);
        const parts = [override ?? describe(property, this.terraformNames)];
        if (property.autoNamed) parts.push("Auto-named from the resource name when omitted.");
        if (property.forceNew) parts.push(`Changing it replaces the ${this.spec.noun}.`);
        const note = this.spec.propertyNotes?.[pathName];
        if (note !== undefined) {
            this.usedNotes.add(pathName);
            parts.push(note);
        }
        let doc = parts.filter(Boolean).join(" ");
        if (property.deprecated) doc += `${doc ? "\n" : ""}@deprecated ${rewriteNames(property.deprecated, this.terraformNames)}`;
        return doc;
    }

    private inputType(property: SchemaProperty, parentType: string, pathName: string): string {
        switch (property.type) {
            case "array": {
                const items = property.items;
                if (!items) throw new Error(`${this.spec.token} ${pathName}: array without items`);
                const item = items.type === "object" ? this.inputInterface(property, parentType, pathName, true) : scalar(items.type);
                return `pulumi.Input<pulumi.Input<${item}>[]>`;
            }
            case "object":
                return `pulumi.Input<${this.inputInterface(property, parentType, pathName, false)}>`;
            case "map":
                return `pulumi.Input<{ [key: string]: pulumi.Input<${scalar(property.items?.type ?? "string")}> }>`;
            default:
                return `pulumi.Input<${scalar(property.type)}>`;
        }
    }

    /** Declares the interface of a nested input block (once) and returns its name. */
    private inputInterface(property: SchemaProperty, parentType: string, pathName: string, list: boolean): string {
        const block = blockOf(property)!;
        const name = this.typeName(property, parentType, pathName, list);
        const members = this.boundInputs(block, `${pathName}.`).map(([child, p]) => this.argsMember(child, p, name, `${pathName}.${child}`));
        // Declared after its own nested types, before the interface that uses it.
        const doc = this.spec.docs?.[pathName] ?? describe(property, this.terraformNames);
        this.declare({ name, doc: doc || undefined, members: members.flat() }, pathName);
        return name;
    }

    private typeName(property: SchemaProperty, parentType: string, pathName: string, list: boolean): string {
        const override = this.spec.typeNames?.[pathName];
        if (override !== undefined) {
            this.usedTypeNames.add(pathName);
            return override;
        }
        const base = property.terraformName ? camel(property.terraformName) : list ? singular(lastSegment(pathName)) : lastSegment(pathName);
        return parentType + base[0].toUpperCase() + base.slice(1);
    }

    private declare(type: TypeDecl, pathName: string): void {
        const owner = this.typeOwners.get(type.name);
        if (owner !== undefined) {
            const existing = this.types.find((t) => t.name === type.name)!;
            if (existing.members.join("\n") !== type.members.join("\n")) {
                throw new Error(`${this.spec.token}: ${pathName} and ${owner} both make type ${type.name} with different shapes; name one in bindings.json typeNames`);
            }
            return;
        }
        this.typeOwners.set(type.name, pathName);
        this.types.push(type);
    }

    /** The type of an input as the resource's output property. */
    private outputTypeOfInput(name: string, property: SchemaProperty): string {
        let type: string;
        switch (property.type) {
            case "array":
                type = property.items?.type === "object" ? `pulumi.Unwrap<${this.existingTypeName(name)}>${this.computedExtras(name, property)}` : scalar(property.items!.type);
                type = type.includes("&") ? `(${type})[]` : `${type}[]`;
                break;
            case "object":
                type = `pulumi.Unwrap<${this.existingTypeName(name)}>${this.computedExtras(name, property)}`;
                break;
            case "map":
                type = `{ [key: string]: ${scalar(property.items?.type ?? "string")} }`;
                break;
            default:
                type = scalar(property.type);
        }
        const alwaysSet = isRequired(property) || property.computed || property.autoNamed;
        return alwaysSet ? type : `${type} | undefined`;
    }

    private existingTypeName(pathName: string): string {
        const owner = [...this.typeOwners.entries()].find(([, p]) => p === pathName);
        if (!owner) throw new Error(`${this.spec.token}: no type declared for ${pathName}`);
        return owner[0];
    }

    /** Nested attributes left out of the args but reported by the provider (computed): optional in the output. */
    private computedExtras(pathName: string, property: SchemaProperty): string {
        const block = blockOf(property)!;
        const extras = Object.entries(block)
            .filter(([child, p]) => this.omitted.has(`${pathName}.${child}`) && p.computed)
            .sort(([a], [b]) => compare(a, b))
            .map(([child, p]) => `${propertyKey(child)}?: ${this.plainType(p, this.existingTypeName(pathName), `${pathName}.${child}`)}`);
        return extras.length > 0 ? ` & { ${extras.join("; ")} }` : "";
    }

    /** A plain (output) type: output-only attributes and their nested blocks. */
    private plainType(property: SchemaProperty, parentType: string, pathName: string): string {
        switch (property.type) {
            case "array": {
                const items = property.items!;
                return items.type === "object" ? `${this.outputInterface(items, property, parentType, pathName, true)}[]` : `${scalar(items.type)}[]`;
            }
            case "object":
                return this.outputInterface(property, property, parentType, pathName, false);
            case "map":
                return `{ [key: string]: ${scalar(property.items?.type ?? "string")} }`;
            default:
                return scalar(property.type);
        }
    }

    private outputInterface(block: SchemaProperty, property: SchemaProperty, parentType: string, pathName: string, list: boolean): string {
        const name = this.typeName(property, parentType, pathName, list);
        const members = Object.entries(block.properties ?? {})
            .sort(([a], [b]) => compare(a, b))
            .map(([child, p]) => `${propertyKey(child)}: ${this.plainType(p, name, `${pathName}.${child}`)};`);
        this.declare({ name, doc: describe(property, this.terraformNames) || undefined, members }, pathName);
        return name;
    }
}

// ---- helpers ----

function isRequired(property: SchemaProperty): boolean {
    return property.required === true && property.autoNamed !== true;
}

function blockOf(property: SchemaProperty): Record<string, SchemaProperty> | undefined {
    return property.properties ?? property.items?.properties;
}

function scalar(type: string): string {
    if (type === "string" || type === "number" || type === "boolean") return type;
    throw new Error(`unsupported scalar type ${type}`);
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function lastSegment(pathName: string): string {
    return pathName.slice(pathName.lastIndexOf(".") + 1);
}

function camel(snake: string): string {
    return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The singular the generated SDK names a list's element type by (`rules` -> `rule`). */
function singular(name: string): string {
    if (/ies$/.test(name)) return name.replace(/ies$/, "y");
    if (/(ss|sh|ch|x)es$/.test(name)) return name.replace(/es$/, "");
    if (/[^s]s$/.test(name)) return name.slice(0, -1);
    return name;
}

function article(word: string): string {
    return /^[AEIOU]/.test(word) || /^S[A-Z]/.test(word) ? "an" : "a";
}

function propertyKey(name: string): string {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** Terraform names of every property of the resource, to rewrite `snake_case` mentions in docs. */
function collectTerraformNames(resource: SchemaResource): Map<string, string> {
    const names = new Map<string, string>();
    const walk = (props: Record<string, SchemaProperty> | undefined) => {
        for (const [name, p] of Object.entries(props ?? {})) {
            names.set(p.terraformName ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), name);
            walk(blockOf(p));
        }
    };
    walk(resource.inputs);
    walk(resource.outputDetails);
    return names;
}

/** Backticked Terraform property names in a description, as the bridge names them. */
function rewriteNames(text: string, names: Map<string, string>): string {
    return text.replace(/`([a-z0-9_]+)`/g, (whole, name: string) => {
        const pulumiName = name.includes("_") ? names.get(name) : undefined;
        return pulumiName ? `\`${pulumiName}\`` : whole;
    });
}

/**
 * The extract's description as a doc: the extract cuts long ones at about 120 characters ("...");
 * keep the whole sentences before the cut, or, when the first sentence is the one cut, the words
 * before it and an ellipsis.
 */
function describe(property: SchemaProperty, names: Map<string, string>): string {
    let text = rewriteNames((property.description ?? "").replace(/\s+/g, " ").trim(), names);
    if (text.endsWith("...")) {
        const body = text.slice(0, -3);
        const sentenceEnd = body.search(/[.;:](?=\s)(?!.*[.;:]\s)/);
        if (sentenceEnd > 20 && body[sentenceEnd] === ".") {
            text = body.slice(0, sentenceEnd + 1);
        } else {
            text = `${body.replace(/[\s,;:(]*\S*$/, "").replace(/[\s,;:]+$/, "")}...`;
            text = balanceBackticks(text);
        }
    }
    if (text && !/[.!?)]$/.test(text) && !text.endsWith("...") && !text.endsWith(":")) text += ".";
    if (text.endsWith(":")) text = `${text.slice(0, -1)}.`;
    return text ? text[0].toUpperCase() + text.slice(1) : text;
}

function balanceBackticks(text: string): string {
    return (text.match(/`/g) ?? []).length % 2 === 1 ? text.slice(0, text.lastIndexOf("`")).replace(/[\s,;:(]+$/, "") + "..." : text;
}

/** `/** ... *\/` lines, wrapped to the print width. */
function docLines(text: string, indent: string): string[] {
    const safe = text.replace(/\*\//g, "*\\/");
    const oneLine = `${indent}/** ${safe} */`;
    if (!safe.includes("\n") && (INDENT + INDENT + oneLine).length <= PRINT_WIDTH) return [oneLine];
    const lines = [`${indent}/**`];
    for (const paragraph of safe.split("\n")) {
        for (const line of wrap(paragraph, COMMENT_WIDTH - indent.length - 3)) lines.push(`${indent} * ${line}`);
    }
    lines.push(`${indent} */`);
    return lines;
}

function commentLines(text: string, prefix: string): string[] {
    return wrap(text, COMMENT_WIDTH - prefix.length).map((line) => `${prefix}${line}`.trimEnd());
}

function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
        if (line && (line + " " + word).length > width) {
            lines.push(line);
            line = word;
        } else {
            line = line ? `${line} ${word}` : word;
        }
    }
    if (line) lines.push(line);
    return lines.length > 0 ? lines : [""];
}

/** Lines one level deeper; blank lines stay blank. */
function indent(lines: string[]): string[] {
    return lines.map((line) => (line === "" ? "" : INDENT + line));
}

/** `name(arg, ...)` on one line if it fits, else one argument per line. */
function call(name: string, args: string[], indent: string): string[] {
    const one = `${indent}${name}(${args.join(", ")});`;
    if (one.length <= PRINT_WIDTH) return [one];
    return [`${indent}${name}(`, ...args.map((a) => `${indent}${INDENT}${a},`), `${indent});`];
}

function inlineObject(value: Record<string, unknown>): string {
    const entries = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${v === true ? "true" : inlineObject(v as Record<string, unknown>)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}

/** `key: { ... },` on one line if it fits, else one property per line (recursively). */
function objectLiteral(key: string, value: Record<string, unknown>, indent: string): string[] {
    const one = `${indent}${key}: ${inlineObject(value)},`;
    if (one.length <= PRINT_WIDTH) return [one];
    const lines = [`${indent}${key}: {`];
    for (const [k, v] of Object.entries(value)) {
        lines.push(...(v === true ? [`${indent}${INDENT}${propertyKey(k)}: true,`] : objectLiteral(propertyKey(k), v as Record<string, unknown>, indent + INDENT)));
    }
    lines.push(`${indent}},`);
    return lines;
}

function arrayLiteral(key: string, values: readonly string[], indent: string): string[] {
    const one = `${indent}${key}: [${values.map((v) => JSON.stringify(v)).join(", ")}],`;
    if (one.length <= PRINT_WIDTH) return [one];
    return [`${indent}${key}: [`, ...values.map((v) => `${indent}${INDENT}${JSON.stringify(v)},`), `${indent}],`];
}

function readJson<T>(file: string): T {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** Writes the generated files; reports which changed. `--check` writes nothing and fails on a stale file. */
function main(argv: string[]): number {
    const check = argv.includes("--check");
    const files = generateTencentcloudSdk();
    const changed: string[] = [];
    for (const [file, content] of files) {
        const target = path.join(SDK_DIR, file);
        const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
        if (current === content) continue;
        changed.push(file);
        if (!check) fs.writeFileSync(target, content);
    }
    const where = path.relative(ROOT, SDK_DIR);
    if (check) {
        if (changed.length > 0) {
            console.error(`stale in ${where}: ${changed.join(", ")}; run npm run gen:tencentcloud`);
            return 1;
        }
        console.log(`${where}: ${files.size} files up to date`);
        return 0;
    }
    console.log(`${where}: ${files.size} files generated, ${changed.length} changed${changed.length ? `: ${changed.join(", ")}` : ""}`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
