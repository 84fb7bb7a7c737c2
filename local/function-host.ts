// Runs one function's bundle in its own worker thread: its own environment (like a cloud
// instance, it does not see the shell's variables), its own module state, a timeout that
// ends a stuck instance, and a fresh instance after a crash.
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { unzipFiles } from "../components/build/zip";
import { InvocationLog, type LogLine } from "./console/invocation-log";
import type { LogEntry } from "../functions/runtime/log";
import { consoleEntry, entryText, parseLogLine, renderLogEntry } from "./log-format";
import type { LocalFunctionRelease } from "../components/local/descriptor";

export interface LocalFunctionDefinition {
    name: string;
    /** The function's zip, built for the local target (relative to the project directory). */
    zipPath: string;
    environment: Record<string, string>;
    timeoutSeconds: number;
    memoryMb: number;
    /** Where its `live` alias points (a pin, a canary): local/function-versions.ts routes by it once the runtime starts. */
    release?: LocalFunctionRelease;
}

export class FunctionTimeoutError extends Error {
    constructor(name: string, seconds: number) {
        super(`function '${name}' timed out after ${seconds}s`);
        this.name = "FunctionTimeoutError";
    }
}

/** An error thrown inside the function, carried across the thread boundary. */
export class FunctionError extends Error {
    /** `errorName`: the thrown error's name, e.g. LocalInputError (the input did not fit the handler). */
    constructor(name: string, message: string, readonly remoteStack?: string, readonly errorName?: string) {
        super(`function '${name}' failed: ${message}`);
        this.name = "FunctionError";
    }
}

// Invocations go in as {kind: "invoke"}, answers come back as {kind: "result"}. Function code
// may also call the runtime ({kind: "call"}, e.g. hub.publish), answered with {kind: "reply"}.
// What the function logs goes to the host as {kind: "log"} with the invocation it belongs to
// (AsyncLocalStorage: invocations may overlap; none for a line written outside one): the runtime
// logger's JSON lines through its sink (functions/runtime/log.ts LOG_SINK), console lines as text.
// The host renders them for the terminal and keeps them for the console's log view
// (local/log-format.ts, local/console/invocation-log.ts).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { AsyncLocalStorage } = require("node:async_hooks");
const { format } = require("node:util");
const invocation = new AsyncLocalStorage();
globalThis[Symbol.for("serverless-blocks.log-sink")] = (line) => parentPort.postMessage({ kind: "log", id: invocation.getStore(), line });
for (const level of ["log", "info", "warn", "error", "debug"]) {
    console[level] = (...args) => parentPort.postMessage({ kind: "log", id: invocation.getStore(), level, text: format(...args) });
}
const { handler } = require(workerData.entry);
parentPort.on("message", async (msg) => {
    if (!msg || msg.kind !== "invoke") return;
    const { id, input } = msg;
    try {
        parentPort.postMessage({ kind: "result", id, ok: true, result: await invocation.run(id, () => handler(input)) });
    } catch (err) {
        parentPort.postMessage({ kind: "result", id, ok: false, message: String(err && err.message || err), stack: err && err.stack, errorName: err && err.name });
    }
});`;

/** Answers a call function code makes to the runtime (see functions/runtime/clients/local/channel.ts). */
export type RuntimeService = (caller: LocalFunctionDefinition, method: string, args: unknown) => Promise<unknown>;

type WorkerMessage =
    | { kind: "result"; id: number; ok: boolean; result?: unknown; message?: string; stack?: string; errorName?: string }
    | { kind: "call"; id: number; method: string; args: unknown }
    | { kind: "log"; id?: number; level?: LogLine["level"]; text?: string; line?: string };

/** Variables every instance gets from the host: enough to run Node, nothing of the user's shell. */
const INHERITED = ["PATH", "HOME", "TZ", "LANG"];

/** `zip`: the build whose instance runs it. */
interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; zip: string }

export class FunctionHost {
    /** An instance per build in use, by its zip path: two while a canary splits the alias. */
    private readonly workers = new Map<string, Worker>();
    /**
     * The build (zip path) the next invocation runs: the definition's, until the runtime's release
     * routing (local/function-versions.ts) points the `live` alias at a published version.
     */
    route: () => string = () => this.definition.zipPath;
    private nextId = 0;
    private readonly pending = new Map<number, Pending>();
    invocations = 0;
    errors = 0;
    /** Where its log lines go besides the console: the runtime prints them (local/runtime.ts). */
    print: (entry: LogEntry) => void = (entry) => console.log(renderLogEntry(entry, { colour: false }));
    /** The recent invocations with their log lines, for the console. */
    readonly recent: InvocationLog;

    constructor(
        readonly definition: LocalFunctionDefinition,
        private readonly projectDir: string,
        private readonly extraEnv: Record<string, string> = {},
        private readonly service?: RuntimeService,
    ) {
        this.recent = new InvocationLog(definition.name);
    }

    /** Invokes the function with the local adapter's input; rejects on error or timeout. */
    invoke(input: unknown): Promise<unknown> {
        const zip = this.route();
        const coldStart = !this.workers.has(zip);
        const worker = this.workers.get(zip) ?? this.start(zip);
        const id = this.nextId++;
        this.invocations++;
        this.recent.begin(id, input, coldStart);
        const answer = new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.errors++;
                this.stop(new FunctionTimeoutError(this.definition.name, this.definition.timeoutSeconds), zip);
            }, this.definition.timeoutSeconds * 1000);
            this.pending.set(id, { resolve, reject, timer, zip });
            try {
                worker.postMessage({ kind: "invoke", id, input });
            } catch (err) {
                // The input never reached the instance (e.g. too deep to clone): fail this call only.
                this.settle(id);
                this.errors++;
                reject(new FunctionError(this.definition.name, `its input cannot be passed to the instance: ${(err as Error).message}`));
            }
        });
        return answer.then(
            (result) => (this.recent.end(id), result),
            (err: Error) => {
                this.recent.end(id, err);
                throw err;
            },
        );
    }

    /** Ends the instance of build `zip`, or every instance; their pending invocations fail with `reason`. */
    async stop(reason: Error = new Error(`function '${this.definition.name}' stopped`), zip?: string): Promise<void> {
        const zips = zip === undefined ? [...this.workers.keys()] : [zip];
        const workers = zips.map((z) => this.workers.get(z));
        for (const z of zips) this.workers.delete(z);
        for (const [id, p] of [...this.pending]) if (zip === undefined || p.zip === zip) this.settle(id)?.reject(reason);
        await Promise.all(workers.map((w) => w?.terminate()));
    }

    /** Takes invocation `id` off the pending list and clears its timer: every path out goes through here. */
    private settle(id: number): Pending | undefined {
        const p = this.pending.get(id);
        if (!p) return undefined;
        clearTimeout(p.timer);
        this.pending.delete(id);
        return p;
    }

    private start(zip: string): Worker {
        const worker = new Worker(WORKER_SOURCE, {
            eval: true,
            // `localRuntime` tells the runtime clients inside that they can call the host.
            workerData: { entry: this.unpack(zip), localRuntime: true },
            env: this.environment(),
            resourceLimits: { maxOldGenerationSizeMb: this.definition.memoryMb },
        });
        worker.on("message", (msg: WorkerMessage) => {
            if (msg.kind === "call") return this.answer(worker, msg, zip);
            if (msg.kind === "log") return this.logged(msg);
            const p = this.settle(msg.id);
            if (!p) return;
            if (msg.ok) p.resolve(msg.result);
            else {
                this.errors++;
                p.reject(new FunctionError(this.definition.name, msg.message ?? "unknown error", msg.stack, msg.errorName));
            }
        });
        worker.on("error", (err) => {
            this.errors++;
            if (this.workers.get(zip) === worker) void this.stop(new FunctionError(this.definition.name, err.message, err.stack), zip);
        });
        worker.on("exit", () => {
            if (this.workers.get(zip) === worker) void this.stop(new FunctionError(this.definition.name, "instance exited"), zip);
        });
        worker.unref();
        this.workers.set(zip, worker);
        return worker;
    }

    private answer(worker: Worker, call: Extract<WorkerMessage, { kind: "call" }>, zip: string): void {
        const reply = (message: Record<string, unknown>) => {
            if (this.workers.get(zip) === worker) worker.postMessage({ kind: "reply", id: call.id, ...message });
        };
        const service = this.service ?? (() => Promise.reject(new Error("this function instance has no runtime to call")));
        Promise.resolve()
            .then(() => service(this.definition, call.method, call.args))
            .then((result) => reply({ ok: true, result }), (err: unknown) => reply({ ok: false, message: err instanceof Error ? err.message : String(err) }));
    }

    /** A line the instance logged: kept with its invocation, and printed. */
    private logged(msg: Extract<WorkerMessage, { kind: "log" }>): void {
        const entry = msg.line !== undefined ? parseLogLine(msg.line, this.definition.name) : consoleEntry(this.definition.name, msg.level ?? "log", msg.text ?? "");
        if (msg.id !== undefined) this.recent.line(msg.id, entry.level, entryText(entry), entry);
        this.print(entry);
    }

    /** Extracts the zip once into `.data/functions/<zip name>/` (zips are content-addressed). */
    private unpack(zipPath: string): string {
        const zip = path.resolve(this.projectDir, zipPath);
        const dir = path.join(this.projectDir, ".data", "functions", path.basename(zip, ".zip"));
        const entry = path.join(dir, "index.js");
        if (!fs.existsSync(entry)) {
            fs.mkdirSync(dir, { recursive: true });
            for (const [name, data] of Object.entries(unzipFiles(fs.readFileSync(zip)))) fs.writeFileSync(path.join(dir, name), data);
        }
        return entry;
    }

    private environment(): Record<string, string> {
        const env: Record<string, string> = { NODE_OPTIONS: "--enable-source-maps" };
        for (const key of INHERITED) if (process.env[key] !== undefined) env[key] = process.env[key]!;
        return { ...env, ...this.extraEnv, ...this.definition.environment };
    }
}
