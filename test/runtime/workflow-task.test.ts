// The workflow task contract (functions/runtime/workflow.ts) and what every adapter does with a
// task (adapters/task.ts): the error names a workflow engine matches, JSON in and out, the limits.
import * as assert from "node:assert/strict";
import { assertTaggedHandler, requireHandler } from "../../functions/runtime/handler";
import { MAX_TASK_PAYLOAD_BYTES, runTask, TaskError, taskErrorReport } from "../../functions/runtime/adapters/task";
import { isTaskHandler, onTask, TaskFailed, TransientError, type TaskHandler } from "../../functions/runtime/workflow";

const rejectsAs = (promise: Promise<unknown>, errorType: string, message: RegExp) =>
    assert.rejects(promise, (error: Error) => {
        assert.ok(error instanceof TaskError, `a TaskError, got ${error.name}`);
        assert.equal(error.name, errorType, "what Lambda reports as errorType, and ErrorEquals matches");
        assert.equal((error as TaskError).errorType, errorType);
        assert.match(error.message, message);
        return true;
    });

describe("workflow tasks", () => {
    it("tags a task handler, without touching the function given", () => {
        const fn = async (input: { n: number }) => ({ doubled: input.n * 2 });
        const handler = onTask(fn);
        assert.equal(handler.kind, "task");
        assert.ok(isTaskHandler(handler));
        assert.equal((fn as unknown as { kind?: string }).kind, undefined);
        assert.equal(requireHandler(handler, "functions/x.ts"), handler);
        assert.doesNotThrow(() => assertTaggedHandler(handler, "toLambda"));
    });

    it("runs it on the state's input and resolves its JSON output; nothing returned is null", async () => {
        assert.deepEqual(await runTask(onTask((input: { n: number }) => ({ doubled: input.n * 2, at: new Date(0) })), { n: 21 }), { doubled: 42, at: "1970-01-01T00:00:00.000Z" });
        assert.equal(await runTask(onTask(() => undefined), {}), null);
    });

    it("names a TransientError so the definition retries it", async () => {
        await rejectsAs(runTask(onTask(() => { throw new TransientError("payment service answered 503"); }), {}), "TransientError", /^payment service answered 503$/);
    });

    it("names a TaskFailed by its errorType, so the definition can catch that one", async () => {
        await rejectsAs(runTask(onTask(async () => { throw new TaskFailed("card declined", "PaymentDeclined"); }), {}), "PaymentDeclined", /^card declined$/);
        await rejectsAs(runTask(onTask(() => { throw new TaskFailed("no such order"); }), {}), "TaskFailed", /^no such order$/);
    });

    it("reports any other failure as TaskFailed, never as its own name (a TypeError is no contract), logging its stack", async () => {
        const logged: unknown[][] = [];
        const error = console.error;
        console.error = (...args: unknown[]) => void logged.push(args);
        try {
            await rejectsAs(runTask(onTask(() => { throw new TypeError("x is undefined"); }), {}), "TaskFailed", /^x is undefined$/);
            await rejectsAs(runTask(onTask(() => { throw "a string"; }), {}), "TaskFailed", /a non-error value was thrown: string a string/);
        } finally {
            console.error = error;
        }
        assert.equal(logged.length, 2);
        assert.ok(logged[0][1] instanceof TypeError, "the original error, stack and all, goes to the function's log");
    });

    it("recognises the contract's errors from another copy of the module (a bundle may hold two)", () => {
        const foreignTransient = Object.assign(new Error("busy"), { name: "TransientError" });
        const foreignFailed = Object.assign(new Error("declined"), { name: "PaymentDeclined", errorType: "PaymentDeclined" });
        assert.deepEqual(taskErrorReport(foreignTransient), { errorType: "TransientError", message: "busy" });
        assert.deepEqual(taskErrorReport(foreignFailed), { errorType: "PaymentDeclined", message: "declined" });
    });

    it("refuses an errorType no engine could match", () => {
        assert.throws(() => new TaskFailed("x", "not a word"), /TaskFailed errorType 'not a word'/);
        assert.throws(() => new TaskFailed("x", "TransientError"), /not TransientError/);
    });

    it("fails a task whose output is not JSON or is over a state's limit", async () => {
        await rejectsAs(runTask(onTask(() => ({ n: 10n })), {}), "TaskFailed", /the task's output is not JSON/);
        await rejectsAs(runTask(onTask(() => ({ big: "x".repeat(MAX_TASK_PAYLOAD_BYTES) })), {}), "TaskFailed", new RegExp(`the task's output is ${MAX_TASK_PAYLOAD_BYTES + 10} bytes as JSON; a workflow state carries at most ${MAX_TASK_PAYLOAD_BYTES}`));
    });

    it("refuses a handler that is not a task", async () => {
        await assert.rejects(runTask((async () => 1) as unknown as TaskHandler, {}), /runTask: expected a handler created with onTask\(\.\.\.\), got a plain function/);
    });
});
