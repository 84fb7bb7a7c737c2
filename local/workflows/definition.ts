// A workflow's definition as the local executor runs it: checked once (the library's validator,
// the ASL schema without AWS's ARN rule, and every Task bound to a function the workflow may
// invoke), then cut into steps. A step is one state run alone by aws-local-stepfunctions, each of
// its transitions (Next, a Catch's Next, a Choice's rules and Default) ending in a stand-in state
// that names the target: so the executor learns where the state leads, records it, and only then
// runs the next one. That boundary is what an execution resumes from after a restart.
import { LOCAL_FUNCTION_RESOURCE, LOCAL_WAIT_FOR_TOKEN_RESOURCE } from "../../components/local/descriptor";
import { StateMachine } from "./engine";

export type StateDefinition = { Type: string } & Record<string, unknown>;
export interface Definition {
    StartAt: string;
    States: Record<string, StateDefinition>;
    TimeoutSeconds?: number;
    Comment?: string;
}

/** How a Task state reaches its function. */
export interface TaskBinding {
    /** `invoke`: the function's result is the task's; `waitForToken`: invoke it, then wait for the token's resume. */
    kind: "invoke" | "waitForToken";
    functionName: string;
}

/** One state, ready to run alone. */
export interface StepPlan {
    state: string;
    type: string;
    /** The state and its stand-ins (library validation off: the whole definition was validated). */
    machine: StateMachine;
    /** Task states this step runs, by name: the state itself, or those inside a Parallel or Map. */
    tasks: Record<string, TaskBinding>;
    /**
     * A Wait state's `Seconds`: scaled and kept as a deadline, so a restart waits only what is left.
     * A Wait by SecondsPath or Timestamp(Path), or inside a Parallel or Map, runs as the library
     * runs it: its full time, again after a restart. (The payment definition has only `Seconds`.)
     */
    waitSeconds?: number;
    /** A waitForToken task's `TimeoutSeconds`: the wait's limit, scaled and kept as a deadline. */
    tokenTimeoutSeconds?: number;
}

/** What the stand-in states are called: the target's name after this prefix. */
export const EXIT_PREFIX = "\u21a6 ";
/**
 * The library gives a Task without TimeoutSeconds 60 s; Step Functions gives it no limit of its
 * own (the function's timeout applies). The longest a Node timer takes is 2^31-1 ms, so this.
 */
const NO_TASK_LIMIT_SECONDS = 2_000_000;

export class WorkflowDefinitionError extends Error {
    constructor(workflow: string, message: string) {
        super(`local runtime: workflow '${workflow}': ${message}`);
        this.name = "WorkflowDefinitionError";
    }
}

export class WorkflowDefinition {
    private readonly steps = new Map<string, StepPlan>();

    private constructor(readonly workflow: string, readonly definition: Definition, readonly timeScale: number) {
        for (const [name, state] of Object.entries(definition.States)) this.steps.set(name, plan(workflow, name, state, timeScale));
    }

    /**
     * Parses and checks `text`; `functions` are those its Tasks may invoke. `timeScale` multiplies
     * retry intervals here (Waits and token-wait limits are scaled by the executor, which keeps them).
     */
    static parse(workflow: string, text: string, functions: readonly string[], timeScale = 1): WorkflowDefinition {
        let definition: Definition;
        try {
            definition = JSON.parse(text) as Definition;
        } catch (error) {
            throw new WorkflowDefinitionError(workflow, `the definition is not JSON: ${(error as Error).message}`);
        }
        try {
            // The ASL schema and transitions; resources are local names, not ARNs.
            new StateMachine(definition as never, { validationOptions: { checkArn: false } });
        } catch (error) {
            throw new WorkflowDefinitionError(workflow, (error as Error).message);
        }
        const allowed = new Set(functions);
        for (const [state, binding] of Object.entries(bindTasks(workflow, definition.States, true))) {
            if (!allowed.has(binding.functionName)) {
                throw new WorkflowDefinitionError(workflow, `Task state '${state}' invokes function '${binding.functionName}', which the workflow may not invoke (its functions: ${[...allowed].join(", ") || "none"})`);
            }
        }
        return new WorkflowDefinition(workflow, definition, timeScale);
    }

    /** The same definition with retry intervals times `scale`. */
    withTimeScale(scale: number): WorkflowDefinition {
        return scale === this.timeScale ? this : new WorkflowDefinition(this.workflow, this.definition, scale);
    }

    get startAt(): string {
        return this.definition.StartAt;
    }

    step(state: string): StepPlan {
        const found = this.steps.get(state);
        if (!found) throw new WorkflowDefinitionError(this.workflow, `no state named '${state}' (the definition changed under a running execution?)`);
        return found;
    }

    has(state: string): boolean {
        return this.steps.has(state);
    }
}

function plan(workflow: string, name: string, original: StateDefinition, timeScale: number): StepPlan {
    const state = structuredClone(original);
    const exits = new Set<string>();
    const to = (target: unknown) => {
        exits.add(String(target));
        return `${EXIT_PREFIX}${String(target)}`;
    };
    if (typeof state.Next === "string") state.Next = to(state.Next);
    if (Array.isArray(state.Catch)) state.Catch = state.Catch.map((c: Record<string, unknown>) => ({ ...c, Next: to(c.Next) }));
    if (state.Type === "Choice") {
        state.Choices = (state.Choices as Record<string, unknown>[]).map((c) => ({ ...c, Next: to(c.Next) }));
        if (typeof state.Default === "string") state.Default = to(state.Default);
    }
    const tasks = bindTasks(workflow, { [name]: original }, true);
    let tokenTimeoutSeconds: number | undefined;
    if (tasks[name]?.kind === "waitForToken") {
        // The executor keeps the wait's limit (scaled, across restarts): the library's timer must not fire first.
        if (typeof state.TimeoutSeconds === "number") tokenTimeoutSeconds = state.TimeoutSeconds;
        else if (state.TimeoutSecondsPath !== undefined) throw new WorkflowDefinitionError(workflow, `state '${name}': TimeoutSecondsPath on a task-token wait is not supported locally; give TimeoutSeconds`);
        state.TimeoutSeconds = NO_TASK_LIMIT_SECONDS;
        delete state.HeartbeatSeconds;
    }
    liftTaskLimits(state);
    if (timeScale !== 1) scaleRetries(state, timeScale);
    const definition = {
        StartAt: name,
        States: { [name]: state, ...Object.fromEntries([...exits].map((target) => [`${EXIT_PREFIX}${target}`, { Type: "Pass", End: true }])) },
    };
    return {
        state: name,
        type: original.Type,
        machine: new StateMachine(definition as never, { validationOptions: { noValidate: true } }),
        tasks,
        waitSeconds: original.Type === "Wait" && typeof original.Seconds === "number" ? original.Seconds : undefined,
        tokenTimeoutSeconds,
    };
}

/** Task states (here and in nested Parallel branches and Map processors) and the function each reaches. */
function bindTasks(workflow: string, states: Record<string, StateDefinition>, topLevel: boolean): Record<string, TaskBinding> {
    const bound: Record<string, TaskBinding> = {};
    const add = (name: string, binding: TaskBinding) => {
        // The library binds handlers by state name, nested machines included: names must not repeat.
        if (bound[name]) throw new WorkflowDefinitionError(workflow, `two Task states are named '${name}'; locally each Task state needs its own name`);
        bound[name] = binding;
    };
    for (const [name, state] of Object.entries(states)) {
        if (state.Type === "Task") add(name, taskBinding(workflow, name, state, topLevel));
        for (const nested of nestedMachines(state)) for (const [inner, binding] of Object.entries(bindTasks(workflow, nested, false))) add(inner, binding);
    }
    return bound;
}

function taskBinding(workflow: string, name: string, state: StateDefinition, topLevel: boolean): TaskBinding {
    const resource = String(state.Resource);
    if (resource.startsWith(LOCAL_FUNCTION_RESOURCE)) return { kind: "invoke", functionName: resource.slice(LOCAL_FUNCTION_RESOURCE.length) };
    if (resource === LOCAL_WAIT_FOR_TOKEN_RESOURCE) {
        if (!topLevel) throw new WorkflowDefinitionError(workflow, `state '${name}': a task-token wait inside a Parallel or Map state is not supported locally`);
        const functionName = (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
        if (typeof functionName !== "string" || functionName === "") throw new WorkflowDefinitionError(workflow, `state '${name}': ${resource} needs Parameters.FunctionName (a function's name) and Parameters.Payload`);
        return { kind: "waitForToken", functionName };
    }
    throw new WorkflowDefinitionError(workflow, `state '${name}': Resource '${resource}' is not a local function (${LOCAL_FUNCTION_RESOURCE}<name>) or ${LOCAL_WAIT_FOR_TOKEN_RESOURCE}`);
}

function nestedMachines(state: StateDefinition): Record<string, StateDefinition>[] {
    const machines: { States?: Record<string, StateDefinition> }[] = [
        ...((state.Branches as { States?: Record<string, StateDefinition> }[] | undefined) ?? []),
        ...[state.Iterator, state.ItemProcessor].filter(Boolean) as { States?: Record<string, StateDefinition> }[],
    ];
    return machines.map((m) => m.States ?? {});
}

/** Tasks without TimeoutSeconds get no limit of the library's own, nested ones included. */
function liftTaskLimits(state: StateDefinition): void {
    if (state.Type === "Task" && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) state.TimeoutSeconds = NO_TASK_LIMIT_SECONDS;
    for (const nested of nestedMachines(state)) for (const inner of Object.values(nested)) liftTaskLimits(inner);
}

/** Retry intervals and their cap times `scale`: backoff and jitter stay the library's. */
function scaleRetries(state: StateDefinition, scale: number): void {
    if (Array.isArray(state.Retry)) {
        state.Retry = state.Retry.map((r: { IntervalSeconds?: number; MaxDelaySeconds?: number }) => ({
            ...r,
            IntervalSeconds: (r.IntervalSeconds ?? 1) * scale, // ASL's default interval is 1 s
            ...(r.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: r.MaxDelaySeconds * scale } : {}),
        }));
    }
    for (const nested of nestedMachines(state)) for (const inner of Object.values(nested)) scaleRetries(inner, scale);
}
