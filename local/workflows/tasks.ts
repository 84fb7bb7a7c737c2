// A Task state's function, invoked as Step Functions invokes a Lambda: the local adapter's task
// input (`{ kind: "task", input }`: functions/runtime/adapters/local.ts runs it through runTask),
// the function's JSON result as the task's result. A failure reaches Retry and Catch under the
// name Lambda would report as its `errorType`: the thrown error's name, which runTask makes the
// contract's (`TransientError`, a TaskFailed's errorType, `TaskFailed`), with the Cause Step
// Functions records for a Lambda error, `{"errorType","errorMessage"}` as JSON.
import { FunctionError, FunctionTimeoutError, type FunctionHost } from "../function-host";

/** A state's failure as the interpreter matches it: `name` is what ErrorEquals compares; the message is the Cause. */
export class StateError extends Error {
    constructor(readonly errorType: string, readonly errorMessage: string) {
        super(JSON.stringify({ errorType, errorMessage }));
        this.name = errorType;
    }
}

/** Lambda's errorType for a function that ran past its timeout. */
export const FUNCTION_TIMEOUT_ERROR = "Sandbox.Timedout";
/** Lambda's errorType for a function whose process ended without answering (a crash, out of memory). */
export const FUNCTION_EXIT_ERROR = "Runtime.ExitError";

/** Runs the function on the state's input; rejects with a StateError. */
export async function invokeTask(host: FunctionHost, input: unknown): Promise<unknown> {
    try {
        return await host.invoke({ kind: "task", input });
    } catch (error) {
        throw stateErrorOf(host.definition.name, error);
    }
}

export function stateErrorOf(functionName: string, error: unknown): StateError {
    if (error instanceof FunctionTimeoutError) return new StateError(FUNCTION_TIMEOUT_ERROR, error.message);
    if (error instanceof FunctionError) return remoteError(functionName, error);
    return new StateError(FUNCTION_EXIT_ERROR, error instanceof Error ? error.message : String(error));
}

/**
 * The function instance (a worker thread) sends its error's message and stack across, not its
 * name; the stack's first line is `<name>: <message>`, and runTask writes exactly that line for
 * every task error, so the name is read from there and checked against the message.
 */
function remoteError(functionName: string, error: FunctionError): StateError {
    const prefix = `function '${functionName}' failed: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    if (error.remoteStack === undefined) return new StateError(FUNCTION_EXIT_ERROR, message);
    const header = error.remoteStack.split("\n", 1)[0];
    const name = /^([A-Za-z_$][\w$.]{0,127})(?=: |$)/.exec(header)?.[1];
    const firstLine = message.split("\n", 1)[0];
    if (name && (header === name || header === `${name}: ${firstLine}`)) return new StateError(name, message);
    return new StateError("Error", message);
}
