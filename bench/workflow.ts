// npm run bench:workflow [-- --executions N --sequential S] — the local workflow executor: a
// PaymentWorkflow (the real definition and built-ins, the payments table a SQLite file) whose
// request, check and notify are no-op tasks and whose check reports "succeeded" at once, run with
// waits scaled to zero: the success path, 9 states of which 6 tasks, each in its worker thread.
//  1. latency: S executions one at a time, start -> execution recorded as ended (p50, p99), next
//     to the same 6 task invocations made directly, one after the other (what the functions
//     themselves cost); the difference divided by the 9 states is what the executor adds per
//     state (running the state with aws-local-stepfunctions, recording it in SQLite).
//  2. throughput: N executions started at once; executions/s (and states/s) from the first start
//     to the last end.
// Defaults (--executions 200, --sequential 100) take a few seconds. With --json it prints
// { latency, direct, addedPerStateMs, throughput } as JSON instead (bench/index.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closure, PaymentWorkflow } from "../components";
import { runProgram } from "../engine/run";
import { onTask } from "../functions/runtime";
import { loadResources } from "../local/load";
import { resetLocalRuntime, type LocalRuntime } from "../local/runtime";
import { localWorkflows } from "../local/workflows/service";
import { jsonRequested, machine, percentile, wholeOption } from "./stats";

const projectDir = path.resolve(__dirname, "..");
const WORKFLOW = "local:workflow:bench";
/** Record, Request, Wait, Check with provider, Check status, Completed?, Finish, First notice?, Notify. */
const STATES = 9;

function summary(values: number[]): string {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, mean ${mean.toFixed(2)} ms (n=${sorted.length})`;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const payment = (id: string) => ({ paymentId: id, orderId: `order-${id}`, userId: "bench", amount: 1250, currency: "EUR", startId: `start-${id}` });

async function main(): Promise<void> {
    const executions = wholeOption("executions", 200);
    const sequential = wholeOption("sequential", 100);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-workflow-"));
    process.chdir(projectDir);
    process.env.SB_LOCAL_DATA_DIR = dataDir; // the payments table's file, as npm start puts it
    const runtime = resetLocalRuntime(projectDir);
    const { resources } = await runProgram(() => {
        new PaymentWorkflow("bench", {
            request: { code: closure(onTask(async () => ({ accepted: true }))) },
            check: { code: closure(onTask(async () => ({ status: "succeeded" }))) },
            notify: { code: closure(onTask(async () => {})) },
            callbackSecret: "bench-secret-0123456789",
            waitSeconds: 1,
            maxRounds: 1,
        });
    }, { project: "serverless-blocks", stack: "bench", config: { "serverless-blocks:cloud": "local" } });
    loadResources(runtime, resources);
    runtime.start({ dataDir, workflowTimeScale: 0, log: () => {} });
    const workflows = localWorkflows(runtime);
    let n = 0;

    /** Starts one execution; resolves with its time from the start call to the end recorded. */
    const execute = async (): Promise<number> => {
        const id = `pay-${++n}`;
        const started = performance.now();
        const outcome = workflows.startExecution(WORKFLOW, id, payment(id));
        if (!outcome.started) throw new Error(outcome.detail);
        for (;;) {
            const state = workflows.describe(WORKFLOW, id)!;
            if (state.status === "succeeded") return performance.now() - started;
            if (state.status !== "running") throw new Error(`execution ${id} ended ${state.status}: ${JSON.stringify(workflows.execution("bench", id))}`);
            await new Promise((resolve) => setImmediate(resolve));
        }
    };

    // Warm up: worker start-up and the first table writes are not what this measures.
    for (let i = 0; i < 20; i++) await execute();
    for (let i = 0; i < 20; i++) await direct(runtime, `warm-${i}`);

    const latencies: number[] = [];
    const directs: number[] = [];
    for (let i = 0; i < sequential; i++) {
        latencies.push(await execute());
        directs.push(await direct(runtime, `direct-${i}`));
    }

    const started = performance.now();
    await Promise.all(Array.from({ length: executions }, () => execute()));
    const seconds = (performance.now() - started) / 1000;

    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });

    const added = (mean(latencies) - mean(directs)) / STATES;
    if (jsonRequested()) {
        const distribution = (values: number[]) => {
            const sorted = [...values].sort((a, b) => a - b);
            return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), meanMs: mean(values), n: values.length };
        };
        console.log(JSON.stringify({
            states: STATES,
            latency: distribution(latencies),
            direct: distribution(directs),
            addedPerStateMs: added,
            throughput: { executions, seconds, executionsPerSecond: executions / seconds, statesPerSecond: (executions * STATES) / seconds },
            machine: machine(),
        }));
        return;
    }
    console.log(`local workflow executor: PaymentWorkflow success path, ${STATES} states (6 tasks in worker threads), waits scaled to 0, SQLite history`);
    console.log(`latency, one execution at a time:`);
    console.log(`  execution, start -> ended:          ${summary(latencies)}`);
    console.log(`  the same 6 tasks invoked directly:  ${summary(directs)}`);
    console.log(`  added per state: ${added.toFixed(2)} ms ((mean execution - mean direct) / ${STATES})`);
    console.log(`throughput, ${executions} executions started at once: ${(executions / seconds).toFixed(1)} executions/s, ${((executions * STATES) / seconds).toFixed(0)} states/s (${seconds.toFixed(2)} s)`);
    console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"})`);
}

/** The success path's task invocations, made one after the other with the inputs the states give them. */
async function direct(runtime: LocalRuntime, id: string): Promise<number> {
    const invoke = (role: string, input: unknown) => runtime.function(`bench-${role}`).invoke({ kind: "task", input }) as Promise<any>;
    const started = performance.now();
    const recorded = await invoke("record", payment(id));
    await invoke("request", recorded);
    const reported = await invoke("check", recorded);
    const checked = await invoke("status", { ...recorded, reported });
    const finished = await invoke("finish", { payment: checked, outcome: checked.status });
    await invoke("notify", finished.notice);
    return performance.now() - started;
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
