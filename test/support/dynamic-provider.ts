// The SDK's own dynamic-provider program (@pulumi/pulumi/cmd/dynamic-provider), started as the
// CLI's pulumi-nodejs plugin starts it: from the consumer's folder, announcing its port on stdout,
// then driven over gRPC. Shared by the tests of our Tencent dynamic resources.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { connect, repo } from "./component-plugin";

export interface RunningDynamicProvider {
    client: ReturnType<typeof connect>;
    /** What the plugin printed on stderr so far (warnings reach the CLI from there). */
    stderr(): string;
    /** Closes the connection and kills the plugin. */
    stop(): void;
}

/** Starts the plugin in `consumerDir` with `env` and connects once it names its port. */
export async function startDynamicProvider(consumerDir: string, env: NodeJS.ProcessEnv): Promise<RunningDynamicProvider> {
    const program = path.join(repo, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
    const plugin: ChildProcess = spawn(process.execPath, [program, "127.0.0.1:1"], { cwd: consumerDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    plugin.stderr!.on("data", (chunk) => (stderr += chunk));
    try {
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            plugin.stdout!.on("data", (chunk) => {
                stdout += chunk;
                const found = /^(\d+)\s*$/m.exec(stdout);
                if (found) resolve(Number(found[1]));
            });
            plugin.on("exit", (code) => reject(new Error(`dynamic-provider exited with ${code}: ${stderr}`)));
        });
        const client = connect({ child: plugin, port, stderr: () => stderr });
        return {
            client,
            stderr: () => stderr,
            stop: () => {
                client.close();
                plugin.kill("SIGKILL");
            },
        };
    } catch (error) {
        plugin.kill("SIGKILL");
        throw error;
    }
}
