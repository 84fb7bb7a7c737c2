// The local runtime: what `npm start` serves. Built from the resources a program for the `local`
// target recorded (loadResources in ./load.ts: the descriptors its components registered), then
// `start()` sets hubs and tasks running and the server reads. Data (the event database) lives
// under `dataDir`, `.data/` by default.
import * as path from "node:path";
import { localDataDirOf } from "../components/local/settings";
import { FunctionHost, LocalFunctionDefinition } from "./function-host";
import type { LogEntry } from "../functions/runtime/log";
import { renderLogEntry, useColour } from "./log-format";
import { localReleases } from "./function-versions";
import type { Invoke } from "./events/dispatcher";
import { removeUnfinishedMail } from "./outbox";
import { EventRuntimeOptions, LocalEventRuntime, LocalHubDefinition, LocalTaskDefinition, PublishInput } from "./events/event-runtime";
import { answerRealtimeCall, isRealtimeCall } from "./realtime/push";
import { localRealtimeServer } from "./realtime/server";
import { answerUploadCall, isUploadCall } from "./uploads/calls";
import { localUploads } from "./uploads/service";
import { answerPaymentsCall, isPaymentsCall } from "./workflows/calls";
import { localWorkflows } from "./workflows/service";

export interface LocalRuntimeOptions extends Partial<EventRuntimeOptions> {
    /**
     * Multiplies the workflows' waits (Wait states, task-token waits' limits) and retry intervals:
     * tests run a 10 s wait in 50 ms with 0.005. Default 1; 0 does not wait at all.
     */
    workflowTimeScale?: number;
    /** Where the functions' log lines go (structured, functions/runtime/log.ts); by default rendered for the terminal through `log`. */
    functionLog?: (entry: LogEntry) => void;
}

type ResolvedOptions = EventRuntimeOptions & Pick<LocalRuntimeOptions, "workflowTimeScale" | "functionLog">;

/**
 * Defaults for a laptop: Lambda retries async work after about 1 and 2 minutes; locally the first
 * retry comes after 1 s and each further one waits twice as long (1 s, 2 s, ...), so a failing
 * handler shows its retries and its dead letter within seconds.
 */
export const LOCAL_RUNTIME_DEFAULTS: Omit<EventRuntimeOptions, "dataDir"> = {
    retryBaseDelayMs: 1_000,
    retryMaxDelayMs: 60_000,
    visibilityMarginMs: 5_000,
    concurrency: 16,
    pollIntervalMs: 500,
    shutdownGraceMs: 5_000,
    log: (line) => console.log(line),
};

export class LocalRuntime {
    readonly functions = new Map<string, FunctionHost>();
    /** Hubs by bus name. */
    readonly hubs = new Map<string, LocalHubDefinition>();
    readonly tasks = new Map<string, LocalTaskDefinition>();
    /** Variables every local function gets, e.g. where the runtime listens. */
    readonly sharedEnvironment: Record<string, string> = {};
    private options: ResolvedOptions;
    private running?: LocalEventRuntime;

    constructor(readonly projectDir: string = process.cwd(), options: LocalRuntimeOptions = {}) {
        this.options = resolve(projectDir, options);
    }

    /** Where the runtime keeps its data: `dataDir` option, else `SB_LOCAL_DATA_DIR`, else `<project>/.data`. */
    get dataDir(): string {
        return this.options.dataDir;
    }

    /** Changes options before `start()` (tests use a temporary data directory and short retry delays). */
    configure(options: LocalRuntimeOptions): void {
        if (this.running) throw new Error("local runtime: already started; configure it before start()");
        this.options = resolve(this.projectDir, { ...this.options, ...options });
    }

    registerFunction(definition: LocalFunctionDefinition): void {
        if (this.functions.has(definition.name)) {
            throw new Error(`local runtime: a function named '${definition.name}' is already registered; component names must be unique`);
        }
        const host = new FunctionHost(definition, this.projectDir, this.sharedEnvironment, (caller, method, args) => this.serve(caller, method, args));
        host.print = (entry) => this.printFunctionLine(entry);
        this.functions.set(definition.name, host);
    }

    registerHub(definition: LocalHubDefinition): void {
        if (this.hubs.has(definition.busName)) throw new Error(`local runtime: a hub named '${definition.busName}' is already registered; component names must be unique`);
        this.hubs.set(definition.busName, definition);
    }

    registerTask(definition: LocalTaskDefinition): void {
        if (this.tasks.has(definition.name)) throw new Error(`local runtime: an async task named '${definition.name}' is already registered; component names must be unique`);
        this.tasks.set(definition.name, definition);
        this.running?.addTask(definition);
    }

    function(name: string): FunctionHost {
        const host = this.functions.get(name);
        if (!host) throw new Error(`local runtime: no function named '${name}'; known: ${[...this.functions.keys()].join(", ") || "none"}`);
        return host;
    }

    /**
     * Sets hubs and tasks running: locks the data directory, recovers deliveries a crashed run
     * left in flight, starts dispatching and schedules. `options` are applied first.
     */
    start(options: LocalRuntimeOptions = {}): LocalEventRuntime {
        if (this.running) return this.running;
        this.configure(options);
        this.running = LocalEventRuntime.start(this.hubs, this.tasks, (name) => this.invoker(name), this.options);
        // Each function's build published as a version in the (now locked) data directory, its alias routed.
        localReleases(this).start();
        // The data directory is this runtime's now (locked): uploads a crash interrupted can go,
        // and so can the temp files of mail it was writing (their events are redelivered).
        localUploads(this).start();
        removeUnfinishedMail(this.options.dataDir);
        // Executions a stop interrupted go on from the state each was in.
        localWorkflows(this).start({ timeScale: this.options.workflowTimeScale ?? 1, shutdownGraceMs: this.options.shutdownGraceMs, log: this.options.log });
        return this.running;
    }

    /** The running hubs and tasks; throws before `start()`. */
    get events(): LocalEventRuntime {
        if (!this.running) throw new Error("local runtime: hubs and tasks are not running; call start() first (npm start does)");
        return this.running;
    }

    get started(): boolean {
        return this.running !== undefined;
    }

    /** Publishes to a hub by bus name; the ids of the events, once they are queued durably. */
    publish(busName: string, events: PublishInput[]): string[] {
        return this.events.publish(busName, events);
    }

    /** Stops deliveries and schedules (in-flight work is finished or given back), then every function instance. */
    async close(): Promise<void> {
        const running = this.running;
        this.running = undefined;
        localUploads(this).stop();
        // Before the functions stop: tasks in flight may finish and be recorded within the grace period.
        await localWorkflows(this).stop();
        await running?.stop();
        await Promise.all([...this.functions.values()].map((f) => f.stop()));
    }

    /** Where the runtime reports what it does on its own (dead letters, expiry). */
    log(line: string): void {
        this.options.log(line);
    }

    /** A function's log line: to `functionLog`, else rendered (coloured on a terminal) through `log`. */
    private printFunctionLine(entry: LogEntry): void {
        if (this.options.functionLog) this.options.functionLog(entry);
        else this.options.log(renderLogEntry(entry, { colour: useColour() }));
    }

    private invoker(functionName: string): Invoke {
        return async (input) => this.function(functionName).invoke(input);
    }

    /** Answers runtime calls from function code (the local runtime clients). */
    private async serve(caller: LocalFunctionDefinition, method: string, args: unknown): Promise<unknown> {
        if (method === "hub.publish") {
            const { bus, events } = args as { bus: string; events: PublishInput[] };
            // As a cloud's policy would: a function publishes only to hubs it links.
            const linked = Object.entries(caller.environment).some(([key, value]) => /^SB_HUB_.+_NAME$/.test(key) && value === bus);
            if (!linked) throw new Error(`function '${caller.name}' may not publish to hub '${bus}': add the hub's link (link: [hub.link])`);
            return this.publish(bus, events);
        }
        // Pushes to a Realtime's connections: refused, like publishing, for a function without its link.
        if (isRealtimeCall(method)) return answerRealtimeCall(localRealtimeServer(this), caller, method, args);
        // A FileUpload's store: signing for its signer link, reading and deleting for its processor.
        if (isUploadCall(method)) return answerUploadCall(localUploads(this), caller, method, args);
        // A PaymentWorkflow's executions: start and read for its link, resume for its callback.
        if (isPaymentsCall(method)) return answerPaymentsCall(localWorkflows(this), caller, method, args);
        throw new Error(`local runtime: unknown call '${method}'`);
    }
}

function resolve(projectDir: string, options: LocalRuntimeOptions): ResolvedOptions {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LocalRuntimeOptions;
    // The rule the program follows for table files and the outbox (components/local/settings.ts).
    const dataDir = defined.dataDir === undefined ? localDataDirOf(projectDir) : path.resolve(projectDir, defined.dataDir);
    return { ...LOCAL_RUNTIME_DEFAULTS, ...defined, dataDir };
}

/** An empty runtime for one evaluation of the program: fill it with loadResources (./load.ts). */
export function resetLocalRuntime(projectDir?: string, options?: LocalRuntimeOptions): LocalRuntime {
    return new LocalRuntime(projectDir, options);
}
