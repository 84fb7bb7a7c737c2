// The local runtime's workflows: each PaymentWorkflow's definition (checked when loaded), its
// executor, the executions' store under the data directory, and what the runtime clients and the
// HTTP side ask of them: start an execution (names unique per workflow), describe one, resume a
// task-token wait, the status counts and an execution's history.
import type { LocalWorkflowDescriptor } from "../../components/local/descriptor";
import type { ExecutionState, StartOutcome } from "../../functions/runtime/clients/payments";
import type { LocalRuntime } from "../runtime";
import { WorkflowDefinition } from "./definition";
import { executionId, WorkflowExecutor } from "./executor";
import { EXECUTION_STATUSES, WorkflowStore, type ExecutionRecord, type ExecutionStatus, type StepRecord } from "./store";
import { invokeTask } from "./tasks";
import { TaskTokens } from "./tokens";

export interface WorkflowRunOptions {
    /** Multiplies waits (Wait states, token waits' limits, the execution's limit) and retry intervals; 0 waits not at all. */
    timeScale: number;
    /** How long stopping waits for tasks in flight before abandoning them (they run again at the next start). */
    shutdownGraceMs: number;
    log(line: string): void;
}

export interface WorkflowStatus {
    name: string;
    resourceId: string;
    /** Executions by status, all time (the store keeps them). */
    executions: Record<ExecutionStatus, number>;
}

/** Step Functions' limits: an execution's name (1 to 80 characters, none of these) and its input (256 KiB). */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;
const MAX_INPUT_BYTES = 256 * 1024;

export class LocalWorkflows {
    private readonly descriptors = new Map<string, { descriptor: LocalWorkflowDescriptor; definition: WorkflowDefinition }>();
    private readonly executors = new Map<string, WorkflowExecutor>();
    private readonly tokens = new TaskTokens();
    private store?: WorkflowStore;
    private shutdownGraceMs = 0;
    private resumed = 0;

    constructor(readonly runtime: LocalRuntime) {}

    /** Adds a workflow; its definition is checked now, against the functions already registered. */
    register(descriptor: LocalWorkflowDescriptor): void {
        if (this.descriptors.has(descriptor.name)) throw new Error(`local runtime: a workflow named '${descriptor.name}' is already registered; component names must be unique`);
        const functions = Object.values(descriptor.tasks);
        const missing = functions.filter((name) => !this.runtime.functions.has(name));
        if (missing.length > 0) throw new Error(`local runtime: workflow '${descriptor.name}' runs function(s) ${missing.join(", ")}, which are not registered`);
        this.descriptors.set(descriptor.name, { descriptor, definition: WorkflowDefinition.parse(descriptor.name, descriptor.definition, functions) });
    }

    get names(): string[] {
        return [...this.descriptors.keys()];
    }

    /** Opens the store (the data directory is locked by now) and resumes every running execution. */
    start(options: WorkflowRunOptions): number {
        if (this.store) return 0;
        if (!(options.timeScale >= 0) || !Number.isFinite(options.timeScale)) throw new Error(`local runtime: workflow time scale ${options.timeScale} must be a number of 0 or more`);
        this.store = WorkflowStore.open(this.runtime.dataDir);
        let resumed = 0;
        for (const { descriptor, definition } of this.descriptors.values()) {
            const invoke = (functionName: string, input: unknown) => invokeTask(this.runtime.function(functionName), input);
            const executor = new WorkflowExecutor(descriptor, definition.withTimeScale(options.timeScale), this.store, invoke, this.tokens, options);
            this.executors.set(descriptor.name, executor);
            resumed += executor.resumeRunning();
        }
        if (resumed > 0) options.log(`local runtime: ${resumed} workflow execution(s) the last stop interrupted go on from the state each was in`);
        this.shutdownGraceMs = options.shutdownGraceMs;
        this.resumed = resumed;
        return resumed;
    }

    /** Executions the last start found running and took up again. */
    get resumedAtStart(): number {
        return this.resumed;
    }

    /** Stops every execution (waits at once, tasks after the grace period), then closes the store. */
    async stop(): Promise<void> {
        const executors = [...this.executors.values()];
        this.executors.clear();
        await Promise.all(executors.map((e) => e.stop(this.shutdownGraceMs)));
        this.store?.close();
        this.store = undefined;
    }

    get started(): boolean {
        return this.store !== undefined;
    }

    /** The workflow whose resource id (`local:workflow:<name>`) is `workflowId`, if any. */
    byId(workflowId: string): LocalWorkflowDescriptor | undefined {
        return [...this.descriptors.values()].find((w) => w.descriptor.resourceId === workflowId)?.descriptor;
    }

    byName(name: string): LocalWorkflowDescriptor | undefined {
        return this.descriptors.get(name)?.descriptor;
    }

    startExecution(workflowId: string, name: string, input: unknown): StartOutcome {
        const executor = this.executor(workflowId);
        if (typeof name !== "string" || !EXECUTION_NAME.test(name)) {
            throw new TypeError(`execution name ${JSON.stringify(name)}: 1 to 80 characters, no spaces, control characters or any of < > { } [ ] ? * " # % \\ ^ | ~ \` $ & , ; : /`);
        }
        const text = JSON.stringify(input);
        if (text === undefined || typeof input !== "object" || input === null || Array.isArray(input)) throw new TypeError("an execution's input is a JSON object");
        if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw new RangeError(`an execution's input is at most ${MAX_INPUT_BYTES} bytes as JSON`);
        const outcome = executor.start(name, JSON.parse(text));
        return outcome.started ? { started: true, executionId: executionId(executor.descriptor.name, name) } : outcome;
    }

    describe(workflowId: string, name: string): ExecutionState | undefined {
        const execution = this.openStore().execution(this.executor(workflowId).descriptor.name, name);
        if (!execution) return undefined;
        return { status: execution.status, input: execution.input as ExecutionState["input"], startedAt: new Date(execution.startedAt).toISOString() };
    }

    /** Which workflow a task token belongs to, if it is one the store knows. */
    tokenOwner(token: string): LocalWorkflowDescriptor | undefined {
        if (typeof token !== "string" || token === "") return undefined;
        const owner = this.openStore().tokenOwner(token);
        return owner && this.byName(owner.workflow);
    }

    /** Completes the wait holding `token` with `output`; false when that wait is over (or there is none). */
    resume(token: string, output: unknown): boolean {
        if (typeof token !== "string" || token === "") return false;
        const resumed = this.openStore().resume(token, output ?? null, Date.now());
        if (!resumed) return false;
        this.tokens.wake(token, output ?? null);
        return true;
    }

    status(): WorkflowStatus[] {
        return [...this.descriptors.values()].map(({ descriptor }) => ({
            name: descriptor.name,
            resourceId: descriptor.resourceId,
            executions: this.store ? this.store.counts(descriptor.name) : (Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>),
        }));
    }

    /** An execution and its history, state by state. */
    execution(workflow: string, name: string): { execution: ExecutionRecord; history: StepRecord[] } | undefined {
        const execution = this.openStore().execution(workflow, name);
        return execution && { execution, history: this.openStore().history(workflow, name) };
    }

    /** The workflow's executions, newest first. */
    list(workflow: string, limit = 100): ExecutionRecord[] {
        return this.openStore().list(workflow, limit);
    }

    private executor(workflowId: string): WorkflowExecutor {
        const descriptor = this.byId(workflowId);
        if (!descriptor) throw new Error(`no workflow '${workflowId}' in this app; workflows: ${[...this.descriptors.values()].map((w) => w.descriptor.resourceId).join(", ") || "none"}`);
        const executor = this.executors.get(descriptor.name);
        if (!executor) throw new Error("the local runtime's workflows are not running (npm start runs them)");
        return executor;
    }

    private openStore(): WorkflowStore {
        if (!this.store) throw new Error("the local runtime's workflows are not running (npm start runs them)");
        return this.store;
    }
}

const services = new WeakMap<LocalRuntime, LocalWorkflows>();

/** The workflows of `runtime`: the loader registers them, the runtime starts them, its calls and the server read them. */
export function localWorkflows(runtime: LocalRuntime): LocalWorkflows {
    let service = services.get(runtime);
    if (!service) services.set(runtime, (service = new LocalWorkflows(runtime)));
    return service;
}
