// The task-token wait, emulated as Step Functions' `.waitForTaskToken` works: the Task state
// invokes its function with a payload carrying `$$.Task.Token`, ignores the function's result,
// and waits until someone resumes the token with an output (that output is the task's result),
// or until TimeoutSeconds pass (States.Timeout). A failure of the function fails the task.
// Each token is minted once per state entry and kept in the store with the wait's deadline, so a
// restart waits for the same token until the same time; a resume is written to the store first
// and then wakes the wait, so one that comes while the runtime is down, or while the function is
// still running, is not lost.
import { randomBytes } from "node:crypto";
import type { StepEvent } from "./store";
import { StateError } from "./tasks";

/** A new, unguessable token. */
export function newTaskToken(): string {
    return randomBytes(24).toString("base64url");
}

/** Step Functions' error name when a state's TimeoutSeconds passes. */
export const STATES_TIMEOUT = "States.Timeout";

/** The waits in progress in this process, by token. */
export class TaskTokens {
    private readonly waiting = new Map<string, (output: unknown) => void>();

    /** Registers the wait before its token is handed out; `resumed` settles when `wake(token)` is called. */
    wait(token: string): { resumed: Promise<unknown>; cancel(): void } {
        let wake!: (output: unknown) => void;
        const resumed = new Promise<unknown>((resolve) => (wake = resolve));
        this.waiting.set(token, wake);
        return { resumed, cancel: () => this.waiting.get(token) === wake && this.waiting.delete(token) };
    }

    /** A resume of `token` was recorded: the wait in this process (if any) goes on with `output`. */
    wake(token: string, output: unknown): void {
        const wake = this.waiting.get(token);
        this.waiting.delete(token);
        wake?.(output);
    }
}

export interface TokenTask {
    token: string;
    /** When the wait times out (ms since the epoch), if it does; `timeoutSeconds` for the message. */
    deadline?: number;
    timeoutSeconds?: number;
    /** Invokes the function with the payload (the token in it). */
    invoke(): Promise<unknown>;
    /** The output a resume recorded for this token, if one did (`{ output }`, since null is an output). */
    recorded(): { output: unknown } | undefined;
    tokens: TaskTokens;
    signal: AbortSignal;
    events: StepEvent[];
}

/** Runs a task-token Task: invoke, then wait for the resume or the deadline. */
export async function runTokenTask(task: TokenTask): Promise<unknown> {
    const { token, tokens, signal, events } = task;
    const waiter = tokens.wait(token);
    try {
        // Resumed before a restart: the function ran then, and the wait is over.
        const earlier = task.recorded();
        if (earlier) return resumedWith(earlier.output, events);
        await task.invoke();
        const outcome = await new Promise<{ output: unknown } | "timeout" | "aborted">((resolve) => {
            let timer: NodeJS.Timeout | undefined;
            const finish = (value: { output: unknown } | "timeout" | "aborted") => {
                clearTimeout(timer);
                signal.removeEventListener("abort", onAbort);
                resolve(value);
            };
            const onAbort = () => finish("aborted");
            if (task.deadline !== undefined) timer = setTimeout(() => finish("timeout"), Math.max(0, task.deadline - Date.now()));
            signal.addEventListener("abort", onAbort, { once: true });
            void waiter.resumed.then((output) => finish({ output }));
            if (signal.aborted) onAbort();
        });
        if (outcome === "aborted") throw new StateError("States.Runtime", "the local runtime stopped during the wait");
        if (outcome !== "timeout") return resumedWith(outcome.output, events);
        // A resume recorded just before the deadline still counts: the store said yes to it.
        const late = task.recorded();
        if (late) return resumedWith(late.output, events);
        throw timeoutError(task.timeoutSeconds);
    } finally {
        waiter.cancel();
    }
}

function resumedWith(output: unknown, events: StepEvent[]): unknown {
    events.push({ type: "resumed", at: Date.now() });
    return output;
}

/**
 * As the interpreter's own States.Timeout, which Catch and Retry match by name. One difference:
 * the library's `States.TaskFailed` wildcard excludes only its own timeout class, so it matches
 * this one (Step Functions' does not); `States.ALL` matches both, as there.
 */
function timeoutError(seconds: number | undefined): Error {
    const error = new Error(`no resume of the task token within ${seconds ?? "the"} s (TimeoutSeconds)`);
    error.name = STATES_TIMEOUT;
    return error;
}
