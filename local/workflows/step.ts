// Runs one state of an execution with aws-local-stepfunctions (the step's own small machine, see
// ./definition.ts): its Task states bound to local functions (./tasks.ts) or to the task-token
// wait (./tokens.ts), a Wait state's time what is left until its kept deadline, Retry and Catch
// as the library runs them. Resolves to how the state ended (on to a next state, the execution's
// end, its failure) with what happened on the way; undefined when it was stopped (the runtime is
// stopping, or the execution timed out): nothing of it is recorded then, and it runs again.
import type { ExecutionEvent, RunOptions } from "./engine";
import { EXIT_PREFIX, type StepPlan, type WorkflowDefinition } from "./definition";
import type { StepEvent, StepRecord, StepResult } from "./store";
import { StateError } from "./tasks";
import { runTokenTask, type TaskTokens } from "./tokens";

export interface StepRun {
    workflow: string;
    /** `local:workflow:<name>`. */
    workflowId: string;
    executionId: string;
    executionName: string;
    definition: WorkflowDefinition;
    plan: StepPlan;
    step: StepRecord;
    invoke(functionName: string, input: unknown): Promise<unknown>;
    tokens: TaskTokens;
    /** The output a resume recorded for the step's token, if any. */
    recorded(): { output: unknown } | undefined;
    signal: AbortSignal;
}

export async function runStep(run: StepRun): Promise<StepResult | undefined> {
    const { plan, step, signal } = run;
    const events: StepEvent[] = [];
    // Once stopped, the interpreter may still go on to a retry: no function runs for an abandoned step.
    const invoke = (functionName: string, input: unknown) => (signal.aborted ? Promise.reject(new StateError("States.Runtime", "the step was stopped")) : run.invoke(functionName, input));
    const handlers = Object.fromEntries(Object.entries(plan.tasks).map(([state, binding]) => {
        if (binding.kind === "invoke") return [state, (input: unknown) => invoke(binding.functionName, input)];
        // The interpreter hands over { FunctionName, Payload } (the state's Parameters, the token filled in).
        return [state, (input: unknown) => runTokenTask({
            token: step.token!,
            deadline: step.deadline,
            timeoutSeconds: plan.tokenTimeoutSeconds,
            invoke: () => invoke(binding.functionName, (input as { Payload?: unknown }).Payload ?? null),
            recorded: run.recorded,
            tokens: run.tokens,
            signal,
            events,
        })];
    }));
    const options: RunOptions = {
        overrides: {
            taskResourceLocalHandlers: handlers as never,
            // Only what is left of the wait: its deadline was fixed when the state was entered.
            ...(plan.waitSeconds !== undefined ? { waitTimeOverrides: { [plan.state]: Math.max(0, (step.deadline ?? Date.now()) - Date.now()) } } : {}),
        },
        noThrowOnAbort: true,
        // The library sets $$.Execution.Input and StartTime to the step's own; the definition reads neither.
        context: {
            Execution: { Id: run.executionId, Name: run.executionName },
            StateMachine: { Id: run.workflowId, Name: run.workflow },
            State: { Name: plan.state, EnteredTime: new Date(step.enteredAt).toISOString() },
            ...(step.token ? { Task: { Token: step.token } } : {}),
        },
    };
    if (signal.aborted) return undefined;
    const execution = plan.machine.run(step.input as never, options);
    const abort = () => execution.abort();
    signal.addEventListener("abort", abort, { once: true });
    const log = readLog(execution.eventLogs, plan.state);
    let output: unknown;
    try {
        output = await execution.result;
    } catch {
        // The failure's Error and Cause are in the log (ExecutionFailed).
    } finally {
        signal.removeEventListener("abort", abort);
    }
    const seen = await log;
    if (signal.aborted) return undefined;
    const happened = [...events, ...seen.events].sort((a, b) => a.at - b.at);
    if (seen.failure) return { kind: "failed", error: seen.failure.error, cause: seen.failure.cause, events: happened };
    if (seen.next !== undefined) return { kind: "next", next: seen.next, nextType: run.definition.step(seen.next).type, output, events: happened };
    return { kind: "succeeded", output, events: happened };
}

interface Seen {
    next?: string;
    failure?: { error: string; cause: string };
    events: StepEvent[];
}

/** Where the state led (the stand-in entered), how it failed, and its retries and catches. */
async function readLog(log: AsyncGenerator<ExecutionEvent>, state: string): Promise<Seen> {
    const seen: Seen = { events: [] };
    for await (const event of log) {
        if (event.type === "ExecutionFailed") seen.failure = { error: event.Error, cause: text(event.Cause) };
        if (!("state" in event)) continue;
        const name = event.state.name;
        if (event.type === "StateEntered" && name.startsWith(EXIT_PREFIX)) seen.next = name.slice(EXIT_PREFIX.length);
        if (name.startsWith(EXIT_PREFIX)) continue;
        const where = name === state ? {} : { state: name };
        if (event.type === "StateFailed") seen.events.push({ type: "failed", at: event.timestamp, error: event.Error, cause: text(event.Cause), ...where });
        if (event.type === "StateRetried") seen.events.push({ type: "retried", at: event.timestamp, attempt: event.retry.attempt, ...where });
        if (event.type === "StateCaught") seen.events.push({ type: "caught", at: event.timestamp, ...where });
    }
    return seen;
}

function text(cause: unknown): string {
    return typeof cause === "string" ? cause : JSON.stringify(cause ?? null);
}
