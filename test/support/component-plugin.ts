// The component package as Pulumi runs it for a program in another language: the nodejs language
// host starts the SDK's `cmd/run-plugin` with this repository as its program, the engine's address
// as its argument and the CONSUMER's project as its working directory, then talks to it over gRPC
// (GetSchema, Construct). Shared by test/engine/component-package.test.ts and package-schema.test.ts.
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineServer } from "../../engine/monitor";

export const repo = path.resolve(__dirname, "..", "..");
const fromSdk = (module: string) => require(require.resolve(module, { paths: [require.resolve("@pulumi/pulumi")] }));
export const grpc = fromSdk("@grpc/grpc-js");
export const { Struct } = fromSdk("google-protobuf/google/protobuf/struct_pb");
export const provproto = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");

export interface Plugin {
    child: ChildProcess;
    port: number;
    stderr: () => string;
}

/** What `npm ci` (prepare) does: the compiled library under dist/, which package.json `main` names. */
export function buildPackage(): void {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", path.join(repo, "tsconfig.build.json")], { cwd: repo, stdio: "inherit" });
}

/** Starts run-plugin as the language host does; resolves with its process and the port it prints. */
export function startPlugin(consumerDir: string, engineAddress: string): Promise<Plugin> {
    const runPlugin = path.join(repo, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
    // The language host's environment: TypeScript on, no tsconfig of ours, nothing of ts-node's.
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" };
    for (const key of Object.keys(env)) if (key.startsWith("TS_NODE_") || key === "PULUMI_NODEJS_TSCONFIG_PATH") delete env[key];
    const child = spawn(process.execPath, [runPlugin, repo, engineAddress], { cwd: consumerDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    return new Promise((resolve, reject) => {
        child.stdout!.on("data", (chunk) => {
            stdout += chunk;
            const port = /^(\d+)\s*$/m.exec(stdout);
            if (port) resolve({ child, port: Number(port[1]), stderr: () => stderr });
        });
        child.on("error", reject);
        child.on("exit", (code) => reject(new Error(`run-plugin exited with ${code} before printing its port:\n${stdout}\n${stderr}`)));
    });
}

/** A ResourceProvider client of the plugin. */
export function connect(plugin: Plugin): any {
    return new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 1 << 30,
    });
}

export function rpc<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, response: T) => (err ? reject(err) : resolve(response))));
}

/** The package schema the plugin serves (GetSchema), parsed. */
export async function getSchema(client: any): Promise<any> {
    const response: any = await rpc(client, "getSchema", new provproto.GetSchemaRequest());
    return JSON.parse(response.getSchema());
}

let served: Promise<any> | undefined;

/**
 * The schema the package serves to `pulumi package add`: built as `npm ci` builds it, run-plugin
 * started from an empty consumer folder (a Pulumi.yaml, nothing else), GetSchema, everything
 * stopped again. Asked once per test process.
 */
export function servedSchema(): Promise<any> {
    served ??= (async () => {
        buildPackage();
        const consumerDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-schema-"));
        fs.writeFileSync(path.join(consumerDir, "Pulumi.yaml"), "name: consumer\nruntime: yaml\n");
        const engine = await EngineServer.start({ mode: "preview", region: "us-east-1" });
        let plugin: Plugin | undefined;
        let client: any;
        try {
            plugin = await startPlugin(consumerDir, engine.address);
            client = connect(plugin);
            return await getSchema(client);
        } finally {
            client?.close();
            plugin?.child.kill("SIGKILL");
            await engine.close();
            fs.rmSync(consumerDir, { recursive: true, force: true });
        }
    })();
    return served;
}
