// A stack's configuration as the Pulumi CLI builds it before running a program
// (pkg/workspace/config.go in pulumi/pulumi): Pulumi.<stack>.yaml, plus the project's declared
// defaults and values for keys the stack does not set; a project key declared without either is
// required, and a stack value must have the declared type. Secure values stay secrets: without the
// CLI they cannot be decrypted, so the program sees a placeholder and plans print "[secret]".
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigDeclaration, readProject } from "./project";

export interface StackConfig {
    project: string;
    stack: string;
    /** `namespace:key` to the string the program reads (structured values as JSON). */
    config: Record<string, string>;
    secretKeys: string[];
}

export const UNDECRYPTABLE = "[secret: only the Pulumi CLI can decrypt it]";

/** `overrides` are values set on top of the stack file's, as `pulumi config set` would set them. */
export function readStackConfig(projectDir: string, stack: string, overrides: Record<string, string> = {}): StackConfig {
    const project = readProject(projectDir);
    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const known = fs.readdirSync(projectDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
        throw new Error(`stack '${stack}': no ${path.basename(stackFile)}; stacks here: ${known.join(", ") || "none"}`);
    }
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const raw = new Map<string, unknown>();
    for (const [key, value] of Object.entries<unknown>(readYaml(stackFile).config ?? {})) raw.set(qualify(key), value);
    for (const [key, value] of Object.entries(overrides)) raw.set(qualify(key), value);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of raw) {
        if (isSecure(value)) {
            config[key] = UNDECRYPTABLE;
            secretKeys.push(key);
        } else {
            config[key] = asConfigString(value);
        }
    }

    const missing: string[] = [];
    for (const declared of Object.keys(project.config).sort()) {
        const decl = project.config[declared];
        const key = qualify(declared);
        const fallback = decl.default ?? decl.value;
        if (!raw.has(key)) {
            if (fallback !== undefined) config[key] = asConfigString(fallback);
            // Only the project's own namespace is required; a provider's key may come from elsewhere.
            else if (key.startsWith(`${project.name}:`)) missing.push(declared);
            continue;
        }
        checkDeclaredType(stack, declared, decl, raw.get(key));
    }
    if (missing.length) throw new Error(missingKeysMessage(stack, missing));
    return { project: project.name, stack, config, secretKeys };
}

/** The CLI's own words: "Stack 'prod' is missing configuration values 'a' and 'b'". */
function missingKeysMessage(stack: string, keys: string[]): string {
    const quoted = [...keys].sort().map((k) => `'${k}'`);
    const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
    return `Stack '${stack}' is missing configuration ${keys.length === 1 ? "value" : "values"} ${list}`;
}

function checkDeclaredType(stack: string, key: string, decl: ConfigDeclaration, value: unknown): void {
    if (decl.secret && !isSecure(value)) throw new Error(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
    if (!decl.type || isSecure(value)) return;
    if (!matchesType(decl.type, decl.items?.type, value)) {
        const typeName = decl.items ? `array<${decl.items.type}>` : decl.type;
        throw new Error(`Stack '${stack}' with configuration key '${key}' must be of type '${typeName}'`);
    }
}

/** workspace.ValidateConfigValue: integers and booleans may also be given as their text. */
function matchesType(type: string, items: string | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        case "array":
            return Array.isArray(value) && (items === undefined || value.every((v) => matchesType(items, undefined, v)));
        default:
            return true;
    }
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value;
}

function readYaml(file: string): any {
    try {
        return parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (err) {
        throw new Error(`${path.basename(file)}: ${(err as Error).message}`);
    }
}

/** Pulumi config values are strings; structured values are kept as JSON. */
function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
