// Runs a StaticSite's build command while the program is evaluated, before the site registers:
// a failing build stops the plan with the command's own output, and nothing is registered.
import { spawnSync } from "node:child_process";

/** Builds may be slow (a bundler, type checks); one that hangs still ends the plan. */
export const BUILD_TIMEOUT_MS = 10 * 60 * 1000;
/** The tail of the output the error carries: enough for the compiler's message, not the whole log. */
const OUTPUT_TAIL_CHARS = 4000;

export class SiteBuildError extends Error {
    constructor(readonly site: string, readonly command: string, readonly output: string, reason: string) {
        super(`StaticSite '${site}': build command \`${command}\` ${reason}${output ? `; its output:\n${output}` : ""}`);
        this.name = "SiteBuildError";
    }
}

/** Runs `command` in a shell in `cwd`; throws SiteBuildError with its output when it fails. */
export function runSiteBuild(site: string, command: string, cwd: string): void {
    const result = spawnSync(command, {
        cwd,
        shell: true,
        encoding: "utf8",
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        env: process.env,
    });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().slice(-OUTPUT_TAIL_CHARS);
    if (result.error) throw new SiteBuildError(site, command, output, `could not run (${result.error.message})`);
    if (result.signal) throw new SiteBuildError(site, command, output, `was stopped by ${result.signal}`);
    if (result.status !== 0) throw new SiteBuildError(site, command, output, `failed with exit code ${result.status}`);
}
