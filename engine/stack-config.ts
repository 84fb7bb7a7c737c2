// Reads a stack's configuration the way the Pulumi CLI does: the project's declared keys and
// defaults from Pulumi.yaml, overridden by Pulumi.<stack>.yaml. Secure values stay secrets; they
// cannot be decrypted without the CLI, so the program sees a placeholder and plans print "[secret]".
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface StackConfig {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
}

export const UNDECRYPTABLE = "[secret: only the Pulumi CLI can decrypt it]";

export function readStackConfig(projectDir: string, stack: string): StackConfig {
    const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
    const name = String(project.name);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string) => (key.includes(":") ? key : `${name}:${key}`);

    for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
        const value = decl !== null && typeof decl === "object" ? decl.default ?? decl.value : decl;
        if (value !== undefined) config[qualify(key)] = asConfigString(value);
    }
    const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const known = fs.readdirSync(projectDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
        throw new Error(`stack '${stack}': no ${path.basename(stackFile)}; stacks here: ${known.join(", ") || "none"}`);
    }
    for (const [key, value] of Object.entries<any>(readYaml(stackFile).config ?? {})) {
        const qualified = qualify(key);
        if (value !== null && typeof value === "object" && "secure" in value) {
            config[qualified] = UNDECRYPTABLE;
            secretKeys.push(qualified);
        } else {
            config[qualified] = asConfigString(value);
        }
    }
    return { project: name, stack, config, secretKeys };
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
