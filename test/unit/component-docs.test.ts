// Every component has a page in docs/components/ that documents what the component provider
// actually serves: each input and each output of the live schema, as a row of the page's Inputs or
// Outputs table. The schema is the one GetSchema answers: the SDK's own ComponentProvider over this
// package (what `cmd/run-plugin` starts for `pulumi package add`), so a new or renamed input fails
// here until its page says what it is. Examples may only construct components the package exports.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import * as ts from "typescript";
import * as components from "../../components";

const repo = path.resolve(__dirname, "..", "..");
const docs = path.join(repo, "docs", "components");
const PACKAGE = "serverless-blocks";
const TOKEN_PREFIX = `${PACKAGE}:index:`;

/** `PaymentWorkflow` -> `payment-workflow`: the page's file name. */
export function kebab(name: string): string {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** The lines of a page's `## <title>` section, up to the next `## ` heading. */
function section(page: string, title: string): string[] {
    const lines = page.split("\n");
    const start = lines.findIndex((line) => line.trim() === `## ${title}`);
    if (start < 0) return [];
    const end = lines.findIndex((line, i) => i > start && line.startsWith("## "));
    return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The rows of the first Markdown table in `lines`, as cells (header and separator dropped). */
function firstTable(lines: string[]): string[][] {
    const start = lines.findIndex((line) => line.trim().startsWith("|"));
    if (start < 0) return [];
    const rows: string[][] = [];
    for (const line of lines.slice(start)) {
        if (!line.trim().startsWith("|")) break;
        rows.push(line.trim().replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((cell) => cell.trim()));
    }
    return rows.slice(2);
}

/** The names a table's first column gives as `name`. */
function names(rows: string[][]): string[] {
    return rows.map((cells) => /^`([^`]+)`$/.exec(cells[0])?.[1] ?? `(not a \`name\`: ${cells[0]})`);
}

/** The ```ts blocks of a page. */
function typescriptBlocks(page: string): string[] {
    return [...page.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

describe("docs/components: a page per component, from the schema the provider serves", function () {
    this.timeout(120_000);

    const exported = getPulumiComponents(components).map((c: { name: string }) => c.name).sort();
    const exportedNames = new Set(Object.keys(components));
    let schema: any;

    before(async function () {
        this.timeout(120_000);
        const provider = new ComponentProvider({ dirname: repo, name: PACKAGE, components: getPulumiComponents(components) });
        schema = JSON.parse(await provider.getSchema());
    });

    it("serves every exported component, and the schema's components are what the pages are checked against", () => {
        const served = Object.keys(schema.resources).filter((token) => token.startsWith(TOKEN_PREFIX)).map((token) => token.slice(TOKEN_PREFIX.length)).sort();
        assert.ok(served.includes("Function") && served.length >= 12, `served: ${served.join(", ")}`);
        assert.deepEqual(served, exported);
    });

    it("has docs/components/<kebab-name>.md for every component, and the index links each one", () => {
        const index = fs.readFileSync(path.join(docs, "README.md"), "utf8");
        for (const name of exported) {
            const file = `${kebab(name)}.md`;
            assert.ok(fs.existsSync(path.join(docs, file)), `docs/components/${file} documents ${name}`);
            assert.ok(index.includes(`](${file})`), `docs/components/README.md links ${file}`);
        }
    });

    it("lists every input in the page's Inputs table, exactly, with the required ones marked required", () => {
        for (const name of exported) {
            const page = fs.readFileSync(path.join(docs, `${kebab(name)}.md`), "utf8");
            const resource = schema.resources[`${TOKEN_PREFIX}${name}`];
            const rows = firstTable(section(page, "Inputs"));
            assert.deepEqual([...names(rows)].sort(), Object.keys(resource.inputProperties ?? {}).sort(), `${name}: the Inputs table's rows are the served inputs`);
            const required = new Set<string>(resource.requiredInputs ?? []);
            for (const cells of rows) {
                const input = names([cells])[0];
                assert.ok(cells.length >= 4, `${name} input ${input}: columns name, type, default, meaning`);
                assert.equal(/required/i.test(cells[2]), required.has(input), `${name} input ${input}: the default column says "required" exactly when the schema requires it (got "${cells[2]}")`);
                assert.ok(cells[3].length > 10, `${name} input ${input}: its meaning is written`);
            }
        }
    });

    it("lists every output in the page's Outputs table, exactly", () => {
        for (const name of exported) {
            const page = fs.readFileSync(path.join(docs, `${kebab(name)}.md`), "utf8");
            const outputs = Object.keys(schema.resources[`${TOKEN_PREFIX}${name}`].properties ?? {}).sort();
            assert.deepEqual([...names(firstTable(section(page, "Outputs")))].sort(), outputs, `${name}: the Outputs table's rows are the served outputs`);
        }
    });

    it("has the sections every page promises", () => {
        for (const name of exported) {
            const page = fs.readFileSync(path.join(docs, `${kebab(name)}.md`), "utf8");
            assert.match(page, new RegExp(`^# ${name}\\n`), `${name}: the page's title is the component's name`);
            for (const title of ["Example", "Inputs", "Outputs", "What it creates", "Secure defaults", "Limits"]) {
                assert.ok(section(page, title).join("").trim(), `${name}: has a non-empty "## ${title}" section`);
            }
            const creates = section(page, "What it creates").join("\n");
            for (const target of ["### AWS", "### Tencent Cloud", "### Local"]) assert.ok(creates.includes(target), `${name}: "What it creates" has "${target}"`);
        }
    });

    it("constructs and imports only what the package exports in its TypeScript examples", () => {
        const pages = fs.readdirSync(docs).filter((file) => file.endsWith(".md"));
        let blocks = 0;
        for (const file of pages) {
            for (const block of typescriptBlocks(fs.readFileSync(path.join(docs, file), "utf8"))) {
                blocks += 1;
                for (const [, constructed] of block.matchAll(/\bnew\s+([A-Za-z_$][\w$]*)\s*\(/g)) {
                    assert.ok(exported.includes(constructed), `${file}: \`new ${constructed}(\` is not an exported component (${exported.join(", ")})`);
                }
                for (const [, imported] of block.matchAll(/import\s*\{([^}]*)\}\s*from\s*"serverless-blocks\/components"/g)) {
                    for (const item of imported.split(",").map((s) => s.trim().replace(/^type\s+/, "")).filter(Boolean)) {
                        assert.ok(exportedNames.has(item) || isExportedType(item), `${file}: imports ${item}, which components/index.ts does not export`);
                    }
                }
            }
        }
        assert.ok(blocks >= exported.length, `every page has an example (${blocks} TypeScript blocks in ${pages.length} pages)`);
    });

    it("has TypeScript examples that type-check against the current sources", () => {
        const examples = new Map<string, string>();
        for (const file of fs.readdirSync(docs).filter((f) => f.endsWith(".md"))) {
            typescriptBlocks(fs.readFileSync(path.join(docs, file), "utf8")).forEach((block, i) => {
                // A virtual module beside the page, so that packages resolve from the repository's node_modules.
                examples.set(path.join(docs, `${file.replace(/\.md$/, "")}.example-${i + 1}.ts`), block);
            });
        }
        const diagnostics = typeCheck(examples);
        assert.deepEqual(diagnostics, [], "every example compiles");
    });
});

/**
 * Type-checks `files` (path to source, not on disk) with the repository's compiler options, the
 * package's own import paths mapped to its sources rather than to dist/, so the examples are
 * checked against what the pages document now. Returns the files' diagnostics as text.
 */
function typeCheck(files: Map<string, string>): string[] {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(repo, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) })!;
    const options: ts.CompilerOptions = {
        ...config.options,
        noEmit: true,
        // Examples declare values they show but do not use.
        noUnusedLocals: false,
        baseUrl: repo,
        paths: {
            "serverless-blocks/components": ["./components/index.ts"],
            "serverless-blocks/functions/runtime": ["./functions/runtime/index.ts"],
        },
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    const source = host.getSourceFile.bind(host);
    host.readFile = (file) => files.get(path.resolve(file)) ?? read(file);
    host.fileExists = (file) => files.has(path.resolve(file)) || exists(file);
    host.getSourceFile = (file, language, onError, create) => {
        const text = files.get(path.resolve(file));
        return text === undefined ? source(file, language, onError, create) : ts.createSourceFile(file, text, language, true);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    return [...files.keys()].flatMap((file) => [...program.getSyntacticDiagnostics(program.getSourceFile(file)), ...program.getSemanticDiagnostics(program.getSourceFile(file))])
        .map((d) => {
            const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
            return `${path.basename(d.file?.fileName ?? "?")}${where ? `:${where.line + 1}` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
        });
}

/** Type-only exports are not in the runtime module; components/index.ts names them in `export type {...}`. */
function isExportedType(name: string): boolean {
    const index = fs.readFileSync(path.join(repo, "components", "index.ts"), "utf8");
    return [...index.matchAll(/export type \{([^}]*)\}/g)].some((m) => m[1].split(",").map((s) => s.trim()).includes(name));
}
