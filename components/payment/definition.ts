// The PaymentWorkflow's one definition, in Amazon States Language, for every target: the states,
// their transitions, retries and catches are decided here from the args; a target only says how a
// state reaches a task's function (`resource(role)`: a Lambda ARN on AWS; an SCF function on
// Tencent Cloud; a local function) and which errors of its own invoke are worth retrying.
//
//   Record payment -> Request payment -> Wait for result -> [Check with provider] -> Check status -> Completed?
//   Completed?: a final status -> Finish; no rounds left -> Time out; otherwise -> Wait for result
//   Record payment, started by another execution -> Already started (Fail)
//   a task's failure, once retries are spent -> Record failure
//   Finish | Time out | Record failure -> First notice? -> Notify (End) | Notified already (Succeed)
//
// Why these states (beyond request, wait, check, choose, notify):
// - "Record payment" first: the record exists before the payment service hears of the payment,
//   so its callback always finds it; and a second start of the payment (the execution name is
//   reusable 90 days after the first closed) finds the record and stops at "Already started".
// - "Finish" / "Time out" / "Record failure" run one built-in that decides the outcome once (an
//   outcome decided before stands: a payment the service reported succeeded is not timed out)
//   and claims the notice; "First notice?" lets exactly one execution notify.
// - Callback mode waits for a token at most waitSeconds per round, then checks anyway: a lost
//   callback costs one round, never the payment.
import { STEP_ERRORS } from "../../functions/payments/names";
import { FINAL_STATUSES } from "../../functions/runtime/clients/payments";
import { TASK_ERRORS } from "../../functions/runtime/workflow";

/** The functions a definition runs: the user's (request, check, notify) and the built-ins. */
export const TASK_ROLES = ["record", "request", "await", "check", "status", "finish", "notify"] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const STATES = {
    record: "Record payment",
    request: "Request payment",
    wait: "Wait for result",
    ask: "Check with provider",
    check: "Check status",
    completed: "Completed?",
    finish: "Finish",
    timeOut: "Time out",
    failure: "Record failure",
    firstNotice: "First notice?",
    notify: "Notify",
    notifiedAlready: "Notified already",
    alreadyStarted: "Already started",
} as const;

export interface DefinitionOptions {
    /** The workflow's name, for the comment. */
    name: string;
    waitSeconds: number;
    maxRounds: number;
    /** Wait for the callback to resume a task token instead of only waiting. */
    waitForCallback: boolean;
    /** The user gave a check function: run it before each status check. */
    askProvider: boolean;
}

/** How one target's states reach the task functions. */
export interface DefinitionTarget {
    /** A Task state's `Resource` running the function of `role` with the state's input, its output the function's. */
    resource(role: TaskRole): string;
    /** Errors of the target's own invoke worth retrying (AWS: Lambda's throttling and service errors). */
    serviceErrors: readonly string[];
    /**
     * Callback mode: the Task that invokes `role`'s function with `payload` and then waits for the
     * task token it carries. Absent where the target has no such wait.
     */
    waitForToken?(role: TaskRole, payload: Record<string, unknown>): { Resource: string; Parameters: Record<string, unknown> };
}

/** Retries with backoff: 5 after the first attempt, 2 s doubling up to 30 s (about a minute in all), jittered so that throttled executions do not retry in step. */
export const TASK_RETRY = { IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: "FULL" } as const;

/** The roles a definition with these options runs, in state order. */
export function taskRoles(options: Pick<DefinitionOptions, "waitForCallback" | "askProvider">): TaskRole[] {
    return TASK_ROLES.filter((role) => (role !== "await" || options.waitForCallback) && (role !== "check" || options.askProvider));
}

export type StateMachineDefinition = { Comment: string; StartAt: string; States: Record<string, Record<string, unknown>> };

export function paymentDefinition(options: DefinitionOptions, target: DefinitionTarget): StateMachineDefinition {
    const { waitSeconds, maxRounds } = options;
    const retry = [{ ErrorEquals: [TASK_ERRORS.transient, ...target.serviceErrors], ...TASK_RETRY }];
    const toFailure = { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: STATES.failure };
    const task = (role: TaskRole, fields: Record<string, unknown>) => ({ Type: "Task", Resource: target.resource(role), Retry: retry, ...fields });
    const afterWait = options.askProvider ? STATES.ask : STATES.check;

    const States: Record<string, Record<string, unknown>> = {
        [STATES.record]: task("record", {
            Comment: "Makes the payment record (requested) before the payment service hears of it",
            Catch: [{ ErrorEquals: [STEP_ERRORS.alreadyStarted], Next: STATES.alreadyStarted }, toFailure],
            Next: STATES.request,
        }),
        [STATES.request]: task("request", {
            Comment: "Sends the payment request; the payment id is the payment service's idempotency key, so a retry never charges twice",
            ResultPath: null,
            Catch: [toFailure],
            Next: STATES.wait,
        }),
        [STATES.wait]: options.waitForCallback ? waitForCallback(options, target, retry, afterWait) : {
            Type: "Wait",
            Comment: `Gives the payment service ${waitSeconds} s`,
            Seconds: waitSeconds,
            Next: afterWait,
        },
        ...(options.askProvider ? {
            [STATES.ask]: task("check", {
                Comment: "Asks the payment service; its { status } is applied by Check status",
                ResultPath: "$.reported",
                Catch: [toFailure],
                Next: STATES.check,
            }),
        } : {}),
        [STATES.check]: task("status", {
            Comment: "Reads the payment record and counts the round",
            Catch: [toFailure],
            Next: STATES.completed,
        }),
        [STATES.completed]: {
            Type: "Choice",
            Choices: [
                { Or: FINAL_STATUSES.map((status) => ({ Variable: "$.status", StringEquals: status })), Next: STATES.finish },
                { Variable: "$.round", NumericGreaterThanEquals: maxRounds, Next: STATES.timeOut },
            ],
            Default: STATES.wait,
        },
        [STATES.finish]: task("finish", {
            Comment: "Keeps the outcome and claims the notice",
            Parameters: { "payment.$": "$", "outcome.$": "$.status" },
            Next: STATES.firstNotice,
        }),
        [STATES.timeOut]: task("finish", {
            Comment: `No final status after ${maxRounds} checks: timed out, unless an outcome came meanwhile`,
            Parameters: { "payment.$": "$", outcome: "timed_out", reason: `no final status after ${maxRounds} checks, ${waitSeconds} s apart` },
            Next: STATES.firstNotice,
        }),
        [STATES.failure]: task("finish", {
            Comment: "A step failed: the payment failed, unless an outcome came meanwhile",
            Parameters: { "payment.$": "$", outcome: "failed", "error.$": "$.error" },
            Next: STATES.firstNotice,
        }),
        [STATES.firstNotice]: {
            Type: "Choice",
            Choices: [{ Variable: "$.notify", BooleanEquals: true, Next: STATES.notify }],
            Default: STATES.notifiedAlready,
        },
        // The notify function gets the notice alone; the execution's output is the notice too.
        [STATES.notify]: task("notify", {
            Comment: "Sends the completion notice; a failure here fails the execution, to be redriven from this state",
            InputPath: "$.notice",
            ResultPath: null,
            OutputPath: "$.notice",
            End: true,
        }),
        [STATES.notifiedAlready]: { Type: "Succeed", Comment: "Another execution of this payment sends the notice", OutputPath: "$.notice" },
        [STATES.alreadyStarted]: {
            Type: "Fail",
            Error: STEP_ERRORS.alreadyStarted,
            Cause: "This payment was started by another execution; each payment id is started once",
        },
    };
    return {
        Comment: `Payment workflow ${options.name}: request, wait${options.waitForCallback ? " for the callback" : ""}, check, up to ${maxRounds} rounds, notify once`,
        StartAt: STATES.record,
        States,
    };
}

/**
 * Callback mode's wait: the await function keeps the token in the record; the callback resumes
 * it. The wait lasts at most waitSeconds (then the status is checked anyway); PaymentSettled
 * means the outcome came before the token was kept, so there is nothing to wait for.
 */
function waitForCallback(options: DefinitionOptions, target: DefinitionTarget, retry: unknown[], next: string): Record<string, unknown> {
    if (!target.waitForToken) throw new Error(`PaymentWorkflow '${options.name}': this target cannot wait for a callback's task token`);
    const invoke = target.waitForToken("await", { "payment.$": "$", "taskToken.$": "$$.Task.Token" });
    return {
        Type: "Task",
        Comment: `Waits up to ${options.waitSeconds} s for the payment service's callback`,
        ...invoke,
        TimeoutSeconds: options.waitSeconds,
        ResultPath: null,
        Retry: retry,
        Catch: [
            { ErrorEquals: ["States.Timeout", STEP_ERRORS.settled], ResultPath: null, Next: next },
            { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: STATES.failure },
        ],
        Next: next,
    };
}
