// Runs a Pulumi program the way `pulumi preview` / `pulumi up` does, without the CLI: the SDK's
// own launcher (`@pulumi/pulumi/cmd/run`) in a child process, started with the arguments,
// environment and working directory the nodejs language host gives it
// (sdk/nodejs/cmd/pulumi-language-nodejs), talking gRPC to the in-process engine.
import { spawn } from "node:child_process";
import * as os from "node:os";
import { EngineLog, EngineMode, EngineServer } from "./monitor";
import { PulumiProject, readProject } from "./project";
import { EnginePackage, EngineResource, regionOf, toEngineResources } from "./registrations";

export interface LaunchOptions {
    projectDir: string;
    stack: string;
    mode: EngineMode;
    /** The stack's config, `namespace:key` to value, as the CLI resolved it. */
    config: Record<string, string>;
    secretKeys?: string[];
    /** Variables added to the program's environment (the CLI passes its own environment on). */
    env?: Record<string, string>;
    onRegister?: (resource: { type: string; name: string; custom: boolean }) => void;
    /** A program still running after this long is stopped and the run fails (default 10 minutes). */
    timeoutMs?: number;
}

export interface LaunchResult {
    project: string;
    stack: string;
    resources: EngineResource[];
    packages: EnginePackage[];
    outputs: Record<string, unknown>;
    logs: EngineLog[];
    stdout: string;
}

/** The program failed as `pulumi up` would report it: its error diagnostics, else its exit. */
export class ProgramError extends Error {
    constructor(message: string, readonly logs: EngineLog[], readonly stderr: string, readonly registered: EngineResource[]) {
        super(message);
        this.name = "ProgramError";
    }
}

export async function launchProgram(options: LaunchOptions): Promise<LaunchResult> {
    const project = readProject(options.projectDir);
    const engine = await EngineServer.start({ mode: options.mode, region: regionOf(options.config), onRegister: options.onRegister });
    engine.identity = { project: project.name, stack: options.stack };
    try {
        const { code, stdout, stderr } = await runLauncher(project, options, engine.address);
        const errors = engine.logs.filter((l) => l.severity === "error").map((l) => l.message.trim());
        if (code !== 0 || errors.length) {
            const why = errors.length ? errors.join("\n") : stderr.trim() || `the program exited with code ${code}`;
            throw new ProgramError(why, engine.logs, stderr, toEngineResources(engine.registrations));
        }
        return {
            project: project.name,
            stack: options.stack,
            resources: toEngineResources(engine.registrations),
            packages: engine.packages,
            outputs: engine.stackOutputs,
            logs: engine.logs,
            stdout,
        };
    } finally {
        await engine.close();
    }
}

function runLauncher(project: PulumiProject, options: LaunchOptions, address: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    // The launcher the program's own @pulumi/pulumi ships, found from the program's folder.
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [project.programDirectory] });
    const args = [
        ...(project.nodeargs ? project.nodeargs.split(/\s+/).filter(Boolean) : []),
        runPath,
        "--monitor", address,
        "--engine", address,
        "--project", project.name,
        "--root-directory", project.rootDirectory,
        "--stack", options.stack,
        "--pwd", project.programDirectory,
        ...(options.mode === "preview" ? ["--dry-run"] : []),
        "--parallel", String(os.availableParallelism() * 4), // the CLI's default: 4 per CPU
        project.entryPoint,
    ];
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...options.env,
        // The language host's legacy key form, `namespace:config:key`.
        PULUMI_CONFIG: JSON.stringify(Object.fromEntries(Object.entries(options.config).map(([k, v]) => [k.replace(/^([^:]+):/, "$1:config:"), v]))),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
    };
    delete env.PULUMI_NODEJS_TYPESCRIPT;
    delete env.PULUMI_NODEJS_TSCONFIG_PATH;
    if (project.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (project.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = project.tsconfig;

    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`the program did not finish within ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s`));
        }, options.timeoutMs ?? 600_000);
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}
