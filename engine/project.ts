// What the Pulumi CLI reads from Pulumi.yaml before it runs a program: the project's name, where
// the program is (its `main`), the nodejs runtime options and the declared config.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface ConfigDeclaration {
    type?: "string" | "integer" | "boolean" | "array" | "object";
    items?: { type: string };
    default?: unknown;
    value?: unknown;
    secret?: boolean;
    description?: string;
}

export interface PulumiProject {
    name: string;
    /** The folder of Pulumi.yaml: `pulumi.runtime.getRootDirectory()` in the program. */
    rootDirectory: string;
    /**
     * Where the language host starts the program (`--pwd`) and what it runs, as the CLI derives
     * them from `main`: a file main runs in its own folder under its file name; a folder main
     * (or none) runs in that folder as `.`, the package.json entry point.
     */
    programDirectory: string;
    entryPoint: string;
    /** `runtime.options` of the nodejs host: TypeScript is on unless `typescript: false`. */
    typescript: boolean;
    tsconfig?: string;
    nodeargs?: string;
    config: Record<string, ConfigDeclaration>;
}

export function readProject(projectDir: string): PulumiProject {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) throw new Error(`no Pulumi.yaml in ${projectDir}: not a Pulumi project`);
    const doc = parse(fs.readFileSync(file, "utf8")) ?? {};
    if (typeof doc.name !== "string" || !doc.name) throw new Error(`Pulumi.yaml: 'name' is required`);
    const runtime = typeof doc.runtime === "string" ? { name: doc.runtime } : (doc.runtime ?? {});
    if (runtime.name !== "nodejs") throw new Error(`Pulumi.yaml: runtime '${runtime.name}': this engine runs nodejs programs only`);
    const options = runtime.options ?? {};
    const rootDirectory = path.resolve(projectDir);
    const main = path.resolve(rootDirectory, doc.main ?? ".");
    if (!fs.existsSync(main)) throw new Error(`Pulumi.yaml: main '${doc.main}' does not exist`);
    const isFile = fs.statSync(main).isFile();
    return {
        name: doc.name,
        rootDirectory,
        programDirectory: isFile ? path.dirname(main) : main,
        entryPoint: isFile ? path.basename(main) : ".",
        typescript: options.typescript !== false,
        tsconfig: options.tsconfig,
        nodeargs: options.nodeargs,
        config: normaliseDeclarations(doc.config ?? {}),
    };
}

/** A declaration may be a bare default value (`key: value`) or a typed block. */
function normaliseDeclarations(config: Record<string, unknown>): Record<string, ConfigDeclaration> {
    const out: Record<string, ConfigDeclaration> = {};
    for (const [key, decl] of Object.entries(config)) {
        const isBlock = decl !== null && typeof decl === "object" && !Array.isArray(decl) &&
            ["type", "default", "value", "secret", "description", "items"].some((k) => k in (decl as object));
        out[key] = isBlock ? (decl as ConfigDeclaration) : { value: decl };
    }
    return out;
}
