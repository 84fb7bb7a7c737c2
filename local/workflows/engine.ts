// aws-local-stepfunctions, the Amazon States Language interpreter the local executor runs states
// with. It calls Promise.withResolvers, which Node 20 lacks (Node 22 has it): the polyfill is
// installed before the library is loaded, and only where it is missing.
import type * as Library from "aws-local-stepfunctions";

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
    Object.defineProperty(Promise, "withResolvers", {
        configurable: true,
        writable: true,
        value: function withResolvers<T>() {
            let resolve!: (value: T | PromiseLike<T>) => void;
            let reject!: (reason?: unknown) => void;
            const promise = new Promise<T>((res, rej) => {
                resolve = res;
                reject = rej;
            });
            return { promise, resolve, reject };
        },
    });
}

// Required after the polyfill (an import would be hoisted above it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { StateMachine } = require("aws-local-stepfunctions") as typeof Library;
export type StateMachine = Library.StateMachine;
export type RunOptions = Library.RunOptions;
/** An event of an execution's log (the library exports the union only through `run`). */
export type ExecutionEvent = ReturnType<Library.StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;
