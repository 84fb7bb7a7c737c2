/**
 * What every adapter does with a workflow task (../workflow.ts): check the handler and the input,
 * call it, check the output, and turn a failure into the error a workflow engine matches by name.
 * Lambda reports a thrown error's `name` as its `errorType`, which is what Step Functions'
 * `ErrorEquals` compares (ASW and the local executor read the same field), so the error thrown
 * here carries the contract's name: `TransientError`, a TaskFailed's `errorType`, or `TaskFailed`.
 * Adapters only translate the cloud's invocation around `runTask`.
 */
import { isTaskHandler, isTransientError, TASK_ERRORS, taskFailedType, type TaskHandler, type TaskJson } from "../workflow";

/** Step Functions' limit on a state's input and output (256 KiB of UTF-8); ASW's is lower, never higher. */
export const MAX_TASK_PAYLOAD_BYTES = 256 * 1024;

/** A task's failure as the workflow engine records it. */
export interface TaskErrorReport {
  /** What `ErrorEquals` matches: `TransientError`, a TaskFailed's errorType, or `TaskFailed`. */
  errorType: string;
  message: string;
}

/** The error runTask throws: `name` is the errorType, so the cloud's runtime reports it as such. */
export class TaskError extends Error implements TaskErrorReport {
  readonly errorType: string;

  constructor(report: TaskErrorReport, options?: { cause?: unknown }) {
    super(report.message, options);
    this.name = report.errorType;
    this.errorType = report.errorType;
  }
}

/** How a thrown value is reported: transient, a named failure, or a plain failure. */
export function taskErrorReport(error: unknown): TaskErrorReport {
  const message = error instanceof Error ? error.message : `a non-error value was thrown: ${describe(error)}`;
  if (isTransientError(error)) return { errorType: TASK_ERRORS.transient, message };
  return { errorType: taskFailedType(error) ?? TASK_ERRORS.failed, message };
}

/**
 * Runs a task handler on the state's input. Resolves to its JSON output (`null` when it returns
 * nothing); rejects with a TaskError named as the workflow engine should see it.
 */
export async function runTask(handler: TaskHandler, input: unknown): Promise<TaskJson> {
  if (!isTaskHandler(handler)) throw new TypeError(`runTask: expected a handler created with onTask(...), got ${describe(handler)}`);
  const checkedInput = json(input, "input");
  let output: unknown;
  try {
    output = await handler(checkedInput);
  } catch (error) {
    const report = taskErrorReport(error);
    // The engine records the message only: the stack of an unexpected error goes to the function's log.
    if (!isTransientError(error) && taskFailedType(error) === undefined) console.error(`task failed (${report.errorType}):`, error);
    const mapped = new TaskError(report, { cause: error });
    if (error instanceof Error && error.stack) mapped.stack = `${report.errorType}: ${report.message}\n${error.stack.split("\n").slice(1).join("\n")}`;
    throw mapped;
  }
  return json(output === undefined ? null : output, "output");
}

/** A JSON copy of a state's payload within the engines' limit; a TaskFailed naming the problem otherwise. */
function json(value: unknown, what: "input" | "output"): TaskJson {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TaskError({ errorType: TASK_ERRORS.failed, message: `the task's ${what} is not JSON: ${(error as Error).message}` });
  }
  if (text === undefined) throw new TaskError({ errorType: TASK_ERRORS.failed, message: `the task's ${what} is not JSON: ${describe(value)}` });
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_TASK_PAYLOAD_BYTES) {
    throw new TaskError({ errorType: TASK_ERRORS.failed, message: `the task's ${what} is ${bytes} bytes as JSON; a workflow state carries at most ${MAX_TASK_PAYLOAD_BYTES}` });
  }
  return JSON.parse(text) as TaskJson;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return "a plain function";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
