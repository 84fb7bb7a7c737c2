/**
 * The portable workflow task contract: what a state of a workflow (Step Functions on AWS, ASW on
 * Tencent Cloud, the local executor) runs. A task receives the state's JSON input and returns
 * JSON, the state's result. How it fails decides what the workflow does next:
 * - `TransientError`: worth trying again (the provider was busy, a network call timed out); the
 *   definition retries it with backoff, then treats it as a failure.
 * - `TaskFailed`: a failure the definition may catch by name (`errorType`), e.g. "PaymentSettled".
 * - anything else: reported as `TaskFailed` and caught by the definition's catch-all.
 * adapters/task.ts turns these into the error names the workflow engines match (`ErrorEquals`).
 */

/** JSON as a state carries it. */
export type TaskJson = string | number | boolean | null | TaskJson[] | { [key: string]: TaskJson };

/** What a task function does; `I` and `O` type the input and output for convenience only (not validated). */
export type TaskHandlerFunction<I = unknown, O = unknown> = (input: I) => Promise<O> | O;

/** A function tagged as a workflow task; create it with `onTask(...)`. */
export type TaskHandler = ((input: unknown) => Promise<unknown>) & { readonly kind: "task" };

/** Error names every target's workflow definition can match. */
export const TASK_ERRORS = { transient: "TransientError", failed: "TaskFailed" } as const;

/** The names a TaskFailed may carry: a word, so every engine's ErrorEquals can hold it. */
const ERROR_TYPE = /^[A-Z][A-Za-z0-9]{0,63}$/;

/**
 * Throw it when trying again may succeed: the state is retried with backoff (the request to a
 * payment service timed out, a dependency answered 503). Its message is recorded, so no secrets.
 *
 * @example throw new TransientError("payment service answered 503", { cause: error });
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = TASK_ERRORS.transient;
  }
}

/**
 * Throw it for a failure the workflow handles: with an `errorType`, a definition can catch that
 * one by name; without, it is caught as any failure. Not retried.
 *
 * @example throw new TaskFailed("card declined", "PaymentDeclined");
 */
export class TaskFailed extends Error {
  readonly errorType: string;

  constructor(message: string, errorType: string = TASK_ERRORS.failed, options?: { cause?: unknown }) {
    super(message, options);
    if (!ERROR_TYPE.test(errorType) || errorType === TASK_ERRORS.transient) {
      throw new TypeError(`TaskFailed errorType '${errorType}': a word starting with a capital letter (at most 64 letters and digits), not ${TASK_ERRORS.transient}`);
    }
    this.name = errorType;
    this.errorType = errorType;
  }
}

/**
 * Marks a function as a workflow task. It receives the state's input and returns the state's
 * result; both are JSON (at most 256 KB, the Step Functions limit, on every target).
 *
 * @example export const handler = onTask<{ paymentId: string }, { accepted: boolean }>(async (p) => ({ accepted: await charge(p.paymentId) }));
 */
export function onTask<I = unknown, O = unknown>(fn: TaskHandlerFunction<I, O>): TaskHandler {
  // A wrapper, not the caller's function: tagging must not mutate a function used elsewhere.
  const tagged = async (input: unknown): Promise<unknown> => fn(input as I);
  return Object.defineProperty(tagged, "kind", { value: "task", enumerable: true }) as TaskHandler;
}

export function isTaskHandler(value: unknown): value is TaskHandler {
  return typeof value === "function" && (value as { kind?: unknown }).kind === "task";
}

/** Whether an error is a TransientError, by name too: a bundle may hold two copies of this module. */
export function isTransientError(error: unknown): boolean {
  return error instanceof TransientError || (error instanceof Error && error.name === TASK_ERRORS.transient);
}

/** The errorType of a TaskFailed (by name and field, for the same reason), or undefined. */
export function taskFailedType(error: unknown): string | undefined {
  if (error instanceof TaskFailed) return error.errorType;
  const type = error instanceof Error ? (error as { errorType?: unknown }).errorType : undefined;
  return typeof type === "string" && ERROR_TYPE.test(type) && type !== TASK_ERRORS.transient ? type : undefined;
}
