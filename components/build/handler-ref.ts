// A file handler reference names a module and an export: "functions/users/register.handler".
import * as fs from "node:fs";
import * as path from "node:path";

export interface HandlerRef {
    /** Absolute path of the module file. */
    file: string;
    exportName: string;
}

const EXTENSIONS = [".ts", ".js", ".mts", ".mjs"];
const REF = /^([\w./-]+)\.([A-Za-z_$][\w$]*)$/;

/**
 * Resolves a reference against the project directory (or an absolute one, as a package's own
 * functions are given); throws naming the reference and what was tried.
 */
export function resolveHandlerRef(ref: string, projectDir: string): HandlerRef {
    const match = REF.exec(ref);
    if (!match || match[1].split("/").includes("..")) {
        throw new Error(`handler '${ref}': expected "<path relative to the project>.<export>", e.g. "functions/users/register.handler"`);
    }
    const [, modulePath, exportName] = match;
    const tried = EXTENSIONS.map((ext) => path.resolve(projectDir, modulePath + ext));
    const file = tried.find((candidate) => fs.existsSync(candidate));
    if (!file) {
        throw new Error(`handler '${ref}': no module file found; tried ${tried.map((t) => path.relative(projectDir, t)).join(", ")}`);
    }
    return { file, exportName };
}
