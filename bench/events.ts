// npm run bench:events [-- --events N] — the local event hub and async task runtime: a hub and a
// no-op task (a bundled handler in its worker thread, the SQLite queue on disk).
//  1. latency: events published one at a time, each waited for: publish call -> handler done and
//     acknowledged in the queue (p50, p99), and publish -> invocation sent to the worker;
//  2. throughput: N events published in batches of 10 (EventBridge's PutEvents maximum), keeping
//     at most 1,000 waiting; events/s from the first publish to the last acknowledgement, and the
//     latency each event saw under that load (mostly time spent waiting in the queue).
// Defaults (--latency-events 5000, --events 150000) take about 12-15 s on 2 cores. With --json it
// prints { latency, dispatch, throughput, underLoad } as JSON instead (bench/index.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AsyncTask, closure, EventHub } from "../components";
import { runProgram } from "../engine/run";
import { onEvent } from "../functions/runtime";
import type { DeliveryReport } from "../local/events/dispatcher";
import { loadResources } from "../local/load";
import { LOCAL_RUNTIME_DEFAULTS, resetLocalRuntime } from "../local/runtime";
import { jsonRequested, machine, percentile, wholeOption } from "./stats";

const projectDir = path.resolve(__dirname, "..");
const BACKLOG = 1_000;

function distribution(values: number[]): { p50Ms: number; p99Ms: number; n: number } {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), n: sorted.length };
}

function summary(values: number[]): string {
    const { p50Ms, p99Ms, n } = distribution(values);
    return `p50 ${p50Ms.toFixed(2)} ms, p99 ${p99Ms.toFixed(2)} ms (n=${n})`;
}

async function main(): Promise<void> {
    const throughputEvents = wholeOption("events", 150_000);
    const latencyEvents = wholeOption("latency-events", 5_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-bench-events-"));
    process.chdir(projectDir);
    const runtime = resetLocalRuntime(projectDir);
    const { resources } = await runProgram(() => {
        const hub = new EventHub("bench");
        new AsyncTask("noop", {
            code: closure(onEvent(async () => {})),
            subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["Bench"] }) },
        });
    }, { project: "serverless-blocks", stack: "bench", config: { "serverless-blocks:cloud": "local" } });
    loadResources(runtime, resources);
    const events = runtime.start({ dataDir, log: () => {} });
    const publishedAt = new Map<string, number>();
    const waiting = new Map<string, (report: DeliveryReport) => void>();
    const done: { latency: number; dispatch: number }[] = [];
    events.onDelivery((report) => {
        if (report.outcome !== "processed") throw new Error(`unexpected ${report.outcome}: ${report.error}`);
        const start = publishedAt.get(report.eventId)!;
        done.push({ latency: report.finishedAt - start, dispatch: report.startedAt - start });
        waiting.get(report.eventId)?.(report);
    });
    const publish = (count: number): string[] => {
        const start = performance.now();
        const ids = runtime.publish("bench", Array.from({ length: count }, (_, i) => ({ type: "Bench", detail: { i } })));
        for (const id of ids) publishedAt.set(id, start);
        return ids;
    };

    // Warm up: the worker's cold start is not what this measures.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => waiting.set(publish(1)[0], resolve));
    done.length = 0;

    for (let i = 0; i < latencyEvents; i++) {
        await new Promise((resolve) => waiting.set(publish(1)[0], resolve));
    }
    const sequential = done.splice(0);

    // Publishers keep at most BACKLOG events waiting, so this is the sustained rate, not a burst into memory.
    const started = performance.now();
    let sent = 0;
    while (done.length < throughputEvents) {
        while (sent < throughputEvents && sent - done.length < BACKLOG) sent += publish(Math.min(10, throughputEvents - sent)).length;
        await new Promise((resolve) => setImmediate(resolve));
    }
    const seconds = (performance.now() - started) / 1000;
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });

    if (jsonRequested()) {
        console.log(JSON.stringify({
            latency: distribution(sequential.map((d) => d.latency)),
            dispatch: distribution(sequential.map((d) => d.dispatch)),
            throughput: { events: throughputEvents, seconds, eventsPerSecond: throughputEvents / seconds },
            underLoad: distribution(done.map((d) => d.latency)),
            concurrency: LOCAL_RUNTIME_DEFAULTS.concurrency,
            machine: machine(),
        }));
        return;
    }
    console.log(`local event hub -> async task (no-op handler in a worker, SQLite queue, concurrency ${LOCAL_RUNTIME_DEFAULTS.concurrency})`);
    console.log(`latency, one event at a time:`);
    console.log(`  publish -> handler done and acknowledged: ${summary(sequential.map((d) => d.latency))}`);
    console.log(`  publish -> invocation sent to the worker:  ${summary(sequential.map((d) => d.dispatch))}`);
    console.log(`throughput, ${throughputEvents} events in batches of 10, at most ${BACKLOG} waiting: ${(throughputEvents / seconds).toFixed(0)} events/s (${seconds.toFixed(2)} s)`);
    console.log(`  latency under that load: ${summary(done.map((d) => d.latency))}`);
    console.log(`\nnode ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown cpu"})`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
