// Evaluates the project's program for one stack, as `pulumi preview` (mode "preview") or
// `pulumi up` (mode "update") would run it: the CLI's config rules, then the SDK's launcher.
import { launchProgram, LaunchResult } from "./launcher";
import type { EngineMode } from "./monitor";
import { readStackConfig } from "./stack-config";

export interface Evaluation extends LaunchResult {
    config: Record<string, string>;
}

export interface EvaluateOptions {
    mode?: EngineMode;
    /** Config set on top of the stack's (as `pulumi config set` would), e.g. the local runtime's URL. */
    overrides?: Record<string, string>;
    /** Variables for the program's environment. */
    env?: Record<string, string>;
    onRegister?: (resource: { type: string; name: string; custom: boolean }) => void;
}

export async function evaluateStack(projectDir: string, stack: string, options: EvaluateOptions = {}): Promise<Evaluation> {
    const settings = readStackConfig(projectDir, stack, options.overrides);
    const config = settings.config;
    const result = await launchProgram({
        projectDir,
        stack,
        mode: options.mode ?? "preview",
        config,
        secretKeys: settings.secretKeys,
        env: options.env,
        onRegister: options.onRegister,
    });
    return { ...result, config };
}
