// Drives one workflow's executions, each its own loop: take the state the store says the
// execution is at, run it (./step.ts), record how it ended and enter the next state in one
// transaction, until the execution ends. Starting the runtime picks up every running execution
// where it was: the state it was in runs again (so each state runs at least once; the payment
// built-ins are idempotent for that), a Wait or a token wait only for what was left of it.
// Stopping: waits stop at once (their deadlines are kept); a task in flight gets a grace period
// to finish and be recorded, after which it is abandoned, to run again at the next start.
import type { LocalWorkflowDescriptor } from "../../components/local/descriptor";
import { WorkflowDefinitionError, type StepPlan, type WorkflowDefinition } from "./definition";
import { runStep } from "./step";
import type { StepRecord, WorkflowStore } from "./store";
import { newTaskToken, type TaskTokens } from "./tokens";

export interface ExecutorOptions {
    /** Multiplies Wait states' Seconds, token waits' TimeoutSeconds and the execution's TimeoutSeconds; 0 waits not at all. */
    timeScale: number;
    log(line: string): void;
}

export interface Invoker {
    (functionName: string, input: unknown): Promise<unknown>;
}

interface Running {
    controller: AbortController;
    done: Promise<void>;
    /** The state it is in now. */
    plan?: StepPlan;
}

export class WorkflowExecutor {
    private readonly running = new Map<string, Running>();
    private stopping = false;

    constructor(
        readonly descriptor: LocalWorkflowDescriptor,
        readonly definition: WorkflowDefinition,
        private readonly store: WorkflowStore,
        private readonly invoke: Invoker,
        private readonly tokens: TaskTokens,
        private readonly options: ExecutorOptions,
    ) {}

    /** A new execution, recorded before this returns; false when the name was used before. */
    start(name: string, input: unknown): { started: true; startedAt: number } | { started: false; detail: string } {
        if (this.stopping) throw new Error(`local runtime: workflow '${this.descriptor.name}' is stopping; no new executions`);
        const now = Date.now();
        const timeout = this.definition.definition.TimeoutSeconds;
        const deadline = timeout === undefined ? undefined : now + this.scaled(timeout);
        const first = this.definition.step(this.definition.startAt);
        const outcome = this.store.start(this.descriptor.name, name, input, { state: first.state, type: first.type }, now, deadline);
        if (!outcome.started) {
            const { status, startedAt } = outcome.existing;
            return { started: false, detail: `an execution named '${name}' exists already (started ${new Date(startedAt).toISOString()}, ${status}); names are unique per workflow` };
        }
        this.drive(name);
        return { started: true, startedAt: now };
    }

    /** Drives every execution the store has running (after a restart: where each was). */
    resumeRunning(): number {
        const names = this.store.running(this.descriptor.name);
        for (const name of names) this.drive(name);
        return names.length;
    }

    async stop(graceMs: number): Promise<void> {
        this.stopping = true;
        for (const run of this.running.values()) if (isWait(run.plan)) run.controller.abort();
        const all = Promise.all([...this.running.values()].map((r) => r.done));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
        for (const run of this.running.values()) run.controller.abort();
        await all;
    }

    private drive(name: string): void {
        if (this.running.has(name) || this.stopping) return;
        const run: Running = { controller: new AbortController(), done: Promise.resolve() };
        this.running.set(name, run);
        run.done = this.loop(name, run)
            .catch((error) => this.options.log(`local runtime: workflow '${this.descriptor.name}' execution '${name}' stopped on an error, it goes on at the next start: ${(error as Error).stack ?? error}`))
            .finally(() => this.running.delete(name));
    }

    private async loop(name: string, run: Running): Promise<void> {
        const workflow = this.descriptor.name;
        while (!run.controller.signal.aborted) {
            const execution = this.store.execution(workflow, name);
            if (!execution || execution.status !== "running") return;
            if (execution.deadline !== undefined && Date.now() >= execution.deadline) {
                this.store.timeOut(workflow, name, Date.now());
                return;
            }
            const entered = this.store.step(workflow, name, execution.step)!;
            let plan: StepPlan;
            try {
                plan = this.definition.step(entered.state);
            } catch (error) {
                if (!(error instanceof WorkflowDefinitionError)) throw error;
                // The program changed the definition since: the execution cannot go on.
                this.store.finishStep(workflow, name, entered.seq, { kind: "failed", error: "States.Runtime", cause: error.message, events: [] }, Date.now());
                return;
            }
            run.plan = plan;
            const step = this.store.beginAttempt(workflow, name, entered.seq, this.firstAttempt(plan, entered));
            // The execution's own time limit ends whatever state it is in.
            const untilDeadline = execution.deadline === undefined ? undefined : setTimeout(() => run.controller.abort(), execution.deadline - Date.now());
            let result;
            try {
                result = await runStep({
                    workflow,
                    workflowId: this.descriptor.resourceId,
                    executionId: executionId(workflow, name),
                    executionName: name,
                    definition: this.definition,
                    plan,
                    step,
                    invoke: this.invoke,
                    tokens: this.tokens,
                    recorded: () => {
                        const current = this.store.step(workflow, name, step.seq);
                        return current && "resumed" in current ? { output: current.resumed } : undefined;
                    },
                    signal: run.controller.signal,
                });
            } finally {
                clearTimeout(untilDeadline);
            }
            if (result === undefined) {
                if (!this.stopping) this.store.timeOut(workflow, name, Date.now());
                return;
            }
            this.store.finishStep(workflow, name, step.seq, result, Date.now());
            if (this.stopping) return;
        }
    }

    /** What a state keeps from its first attempt on: a wait's deadline (from its entry), a token. */
    private firstAttempt(plan: StepPlan, entered: StepRecord): { deadline?: number; token?: string } {
        if (plan.waitSeconds !== undefined) return { deadline: entered.enteredAt + this.scaled(plan.waitSeconds) };
        if (plan.tasks[plan.state]?.kind !== "waitForToken") return {};
        return { token: newTaskToken(), ...(plan.tokenTimeoutSeconds !== undefined ? { deadline: entered.enteredAt + this.scaled(plan.tokenTimeoutSeconds) } : {}) };
    }

    private scaled(seconds: number): number {
        return Math.round(seconds * 1000 * this.options.timeScale);
    }
}

/** An execution's id, as an execution ARN names it: `local:execution:<workflow>:<name>`. */
export function executionId(workflow: string, name: string): string {
    return `local:execution:${workflow}:${name}`;
}

/** A state that only waits: stopping does not wait for it. */
function isWait(plan: StepPlan | undefined): boolean {
    return plan !== undefined && (plan.type === "Wait" || plan.tasks[plan.state]?.kind === "waitForToken");
}
