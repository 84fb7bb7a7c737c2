// Loads the project's Pulumi program (Pulumi.yaml `main`) and evaluates it for one stack.
import * as path from "node:path";
import { parse } from "yaml";
import * as fs from "node:fs";
import { EngineResult, runProgram } from "./run";
import { readStackConfig } from "./stack-config";

export interface Evaluation extends EngineResult {
    config: Record<string, string>;
}

/** The program's entry: its default export, called as the body of the stack (as the Pulumi CLI does). */
export function loadProgram(projectDir: string): () => unknown {
    const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
    const main = path.resolve(projectDir, project.main ?? ".");
    const mod = require(main);
    if (typeof mod.default !== "function") {
        throw new Error(`${path.relative(projectDir, main)}: expected a default export function that builds the stack`);
    }
    return mod.default;
}

/** Evaluates the program for `stack`, with optional config overrides (e.g. the local target). */
export async function evaluateStack(projectDir: string, stack: string, overrides: Record<string, string> = {}): Promise<Evaluation> {
    const settings = readStackConfig(projectDir, stack);
    const config = { ...settings.config, ...overrides };
    const previousCwd = process.cwd();
    process.chdir(projectDir); // as the Pulumi CLI runs programs: paths are relative to the project
    try {
        const result = await runProgram(loadProgram(projectDir), { ...settings, config });
        return { ...result, config };
    } finally {
        process.chdir(previousCwd);
    }
}
