// The local event hubs and async tasks, running: publishing matches each event against the
// subscriptions of its hub (EventBridge pattern semantics) and queues it durably for every task
// that matches before answering; each task's dispatcher delivers its queue to its function, at
// least once, with retries, backoff, a visibility timeout and a dead-letter table; schedules
// queue their runs. Starting recovers what a crashed runtime left in flight.
//
// Idempotency: delivery is at least once. A handler can run twice for one event (a crash or a
// lost answer after it finished), so handlers use the event `id` as their idempotency key: it is
// the same on every attempt and on redrive.
import type { LocalTaskDescriptor } from "../../components/local/descriptor";
import { randomUUID } from "node:crypto";
import { matchesPattern, type EventPattern } from "../../components/events/pattern";
import type { Schedule } from "../../components/events/schedule";
import { DeliveryReport, Invoke, TaskDispatcher } from "./dispatcher";
import { DataDirLock } from "./lock";
import { TaskScheduler } from "./scheduler";
import { DeadLetterRecord, EventStore, QueueCounts, StoredEvent } from "./store";

export interface LocalHubDefinition {
    /** The EventHub component's name. */
    name: string;
    /** What publishers name (`SB_HUB_<NAME>_NAME`). */
    busName: string;
    /** Days the hub's event log keeps events; 0 keeps none. */
    archiveRetentionDays: number;
}

/** A task as its descriptor records it (components/local/descriptor.ts), its schedule parsed. */
export interface LocalTaskDefinition extends Omit<LocalTaskDescriptor, "schedule"> {
    schedule?: Schedule;
}

export interface EventRuntimeOptions {
    /** Where the event database lives. */
    dataDir: string;
    /** Delay before the first retry; it doubles for each further one. */
    retryBaseDelayMs: number;
    /** Longest delay between two attempts. */
    retryMaxDelayMs: number;
    /** Added to the function's timeout to make the visibility timeout. */
    visibilityMarginMs: number;
    /** Deliveries in flight per task at most. */
    concurrency: number;
    /** How often an idle dispatcher looks for work queued by another process. */
    pollIntervalMs: number;
    /** How long a clean stop waits for deliveries in flight before giving them back to the queue. */
    shutdownGraceMs: number;
    /** Where dead-lettering is reported. */
    log: (line: string) => void;
}

/** An event as publishers hand it to the bus (the hub client stamps source and time). */
export interface PublishInput {
    type: string;
    detail?: unknown;
    source?: string;
    time?: string;
}

export interface TaskStatus extends QueueCounts {
    name: string;
    function: string;
    hub?: string;
    pattern?: EventPattern;
    schedule?: string;
    nextRun?: string;
    /** Since this runtime started. */
    processed: number;
    failedAttempts: number;
}

/** The account and region of the EventBridge envelope the patterns see locally. */
const LOCAL_ACCOUNT = "000000000000";
const EVENT_TYPE = /^[A-Za-z][\w.-]{0,127}$/;

export class LocalEventRuntime {
    private readonly dispatchers = new Map<string, TaskDispatcher>();
    private readonly schedulers = new Map<string, TaskScheduler>();
    private readonly listeners = new Set<(report: DeliveryReport) => void>();
    private readonly publishListeners = new Set<(busName: string, events: readonly StoredEvent[]) => void>();
    private readonly published = new Map<string, number>();
    private pruneTimer?: NodeJS.Timeout;

    private constructor(
        private readonly hubs: Map<string, LocalHubDefinition>,
        private readonly tasks: Map<string, LocalTaskDefinition>,
        private readonly invokerOf: (functionName: string) => Invoke,
        private readonly options: EventRuntimeOptions,
        readonly store: EventStore,
        private readonly lock: DataDirLock,
        /** Messages that were in flight when the previous runtime on this data directory died. */
        readonly recovered: { task: string; eventId: string }[],
    ) {}

    /** Locks the data directory, opens the store, recovers interrupted work and starts delivering. */
    static start(hubs: Map<string, LocalHubDefinition>, tasks: Map<string, LocalTaskDefinition>, invokerOf: (functionName: string) => Invoke, options: EventRuntimeOptions): LocalEventRuntime {
        for (const task of tasks.values()) checkSubscription(task, hubs);
        const lock = DataDirLock.acquire(options.dataDir);
        let store: EventStore;
        try {
            store = EventStore.open(options.dataDir);
        } catch (err) {
            lock.release();
            throw err;
        }
        const recovered = store.recover();
        if (recovered.length > 0) options.log(`local runtime: ${recovered.length} delivery(ies) interrupted by the last stop are queued again`);
        const runtime = new LocalEventRuntime(hubs, tasks, invokerOf, options, store, lock, recovered);
        runtime.pruneArchives();
        for (const task of tasks.values()) runtime.startTask(task);
        return runtime;
    }

    /** Starts delivering a task registered after start. */
    addTask(task: LocalTaskDefinition): void {
        checkSubscription(task, this.hubs);
        this.startTask(task);
    }

    private startTask(task: LocalTaskDefinition): void {
        const policy = {
            maxAttempts: task.retries + 1,
            maxAgeMs: task.maxEventAgeSeconds * 1000,
            visibilityMs: task.timeoutSeconds * 1000 + this.options.visibilityMarginMs,
        };
        const dispatcher = new TaskDispatcher(task.name, this.store, this.invokerOf(task.functionName), policy, this.options,
            (report) => this.listeners.forEach((listener) => listener(report)),
            (record) => this.options.log(`local runtime: task '${task.name}' dead-lettered event ${record.id} (${record.event.type}) after ${record.attempts} attempt(s): ${record.error}`));
        this.dispatchers.set(task.name, dispatcher);
        if (task.schedule) {
            const scheduler = new TaskScheduler(task.name, task.schedule, this.store, () => dispatcher.wake(), this.options.log);
            this.schedulers.set(task.name, scheduler);
            scheduler.start();
        }
        dispatcher.start();
    }

    /**
     * Puts events on the hub whose bus is `busName`: each gets an id, is logged (if the hub keeps
     * a log) and is queued for every matching task, all in one transaction. Returns the ids.
     */
    publish(busName: string, events: PublishInput[]): string[] {
        const hub = this.hubs.get(busName);
        if (!hub) throw new Error(`no hub named '${busName}' in this app; hubs: ${[...this.hubs.keys()].join(", ") || "none"}`);
        if (!Array.isArray(events) || events.length === 0) throw new Error(`publish to '${busName}': give at least one event`);
        const stored = events.map((e, i) => toStored(e, i));
        const subscribers = [...this.tasks.values()].filter((t) => t.subscription?.busName === busName);
        const woken = new Set<string>();
        const now = Date.now();
        this.store.transaction(() => {
            for (const event of stored) {
                if (hub.archiveRetentionDays > 0) this.store.archive(busName, event, now);
                const form = envelope(event);
                for (const task of subscribers) {
                    if (!matchesPattern(task.subscription!.pattern, form)) continue;
                    this.store.enqueue(task.name, event, now);
                    woken.add(task.name);
                }
            }
        });
        this.published.set(busName, (this.published.get(busName) ?? 0) + stored.length);
        for (const listener of this.publishListeners) listener(busName, stored);
        for (const name of woken) this.dispatchers.get(name)?.wake();
        return stored.map((e) => e.id);
    }

    /**
     * Queues one event for one task directly, not through a hub: a store's notification (a
     * FileUpload's ObjectCreated). The caller gives the id; while a message with that id is queued
     * or in flight for the task, queueing it again is a no-op. Durable once this returns.
     */
    enqueue(task: string, event: PublishInput & { id: string }): string {
        this.knownTask(task);
        if (typeof event.id !== "string" || event.id === "") throw new TypeError(`enqueue to '${task}': the event needs an id`);
        const stored = { ...toStored(event, 0), id: event.id };
        this.store.enqueue(task, stored);
        this.dispatchers.get(task)?.wake();
        return stored.id;
    }

    /** Queues a task's dead letters again (all, or those with these ids); each leaves the DLQ as it is queued. */
    redrive(task: string, ids?: string[]): { redriven: string[]; missing: string[] } {
        this.knownTask(task);
        const result = this.store.redrive(task, ids);
        this.dispatchers.get(task)?.wake();
        return result;
    }

    deadLetters(task: string): DeadLetterRecord[] {
        this.knownTask(task);
        return this.store.deadLetters(task);
    }

    /** Called with what happened to every delivery; returns a function that stops the calls. */
    onDelivery(listener: (report: DeliveryReport) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Called with every batch a hub accepted (the console's recent events); returns a function that stops the calls. */
    onPublish(listener: (busName: string, events: readonly StoredEvent[]) => void): () => void {
        this.publishListeners.add(listener);
        return () => this.publishListeners.delete(listener);
    }

    /** Subscriptions of a hub's tasks: which rule matches an event. */
    subscribers(busName: string): { task: string; pattern: EventPattern }[] {
        return [...this.tasks.values()].flatMap((t) => (t.subscription?.busName === busName ? [{ task: t.name, pattern: t.subscription.pattern }] : []));
    }

    /** Hubs with the events published since start; tasks with their queue, in flight and dead-letter counts. */
    status(): { hubs: { name: string; busName: string; published: number; archiveRetentionDays: number }[]; tasks: TaskStatus[] } {
        return {
            hubs: [...this.hubs.values()].map((h) => ({ name: h.name, busName: h.busName, published: this.published.get(h.busName) ?? 0, archiveRetentionDays: h.archiveRetentionDays })),
            tasks: [...this.tasks.values()].map((t) => {
                const dispatcher = this.dispatchers.get(t.name);
                return {
                    name: t.name,
                    function: t.functionName,
                    hub: t.subscription?.busName,
                    pattern: t.subscription?.pattern,
                    schedule: t.schedule?.expression,
                    nextRun: this.schedulers.get(t.name)?.nextRun?.toISOString(),
                    ...this.store.counts(t.name),
                    processed: dispatcher?.processed ?? 0,
                    failedAttempts: dispatcher?.failedAttempts ?? 0,
                };
            }),
        };
    }

    /** Stops schedules and deliveries (giving back what does not finish within the grace period), then closes the store. */
    async stop(): Promise<void> {
        clearInterval(this.pruneTimer);
        for (const scheduler of this.schedulers.values()) scheduler.stop();
        await Promise.all([...this.dispatchers.values()].map((d) => d.stop(this.options.shutdownGraceMs)));
        this.store.close();
        this.lock.release();
    }

    private knownTask(task: string): void {
        if (!this.tasks.has(task)) throw new Error(`no async task named '${task}'; tasks: ${[...this.tasks.keys()].join(", ") || "none"}`);
    }

    private pruneArchives(): void {
        const prune = () => {
            for (const hub of this.hubs.values()) {
                this.store.pruneArchive(hub.busName, Date.now() - hub.archiveRetentionDays * 86_400_000);
            }
        };
        prune();
        this.pruneTimer = setInterval(prune, 3_600_000);
        this.pruneTimer.unref();
    }
}

function checkSubscription(task: LocalTaskDefinition, hubs: Map<string, LocalHubDefinition>): void {
    const bus = task.subscription?.busName;
    if (bus !== undefined && !hubs.has(bus)) {
        throw new Error(`task '${task.name}' subscribes to hub '${bus}', which this app does not define; hubs: ${[...hubs.keys()].join(", ") || "none"}`);
    }
}

function toStored(e: PublishInput, index: number): StoredEvent {
    const at = `event #${index}`;
    if (typeof e !== "object" || e === null) throw new TypeError(`${at}: expected an object with type and detail`);
    if (typeof e.type !== "string" || !EVENT_TYPE.test(e.type)) {
        throw new TypeError(`${at}: type '${String(e.type)}' must be letters, digits, '.', '_' and '-', starting with a letter, at most 128`);
    }
    const source = e.source ?? "serverless-blocks";
    if (typeof source !== "string" || source.length === 0 || source.length > 256) throw new TypeError(`${at}: source must be a string of 1 to 256 characters`);
    const time = e.time ?? new Date().toISOString();
    if (typeof time !== "string" || Number.isNaN(Date.parse(time))) throw new TypeError(`${at}: time '${String(time)}' is not an ISO 8601 time`);
    return { id: randomUUID(), source, type: e.type, time: new Date(time).toISOString(), detail: e.detail ?? {} };
}

/** The EventBridge envelope patterns match against: detail-type is the event's type. */
export function envelope(event: StoredEvent): Record<string, unknown> {
    return {
        version: "0",
        id: event.id,
        "detail-type": event.type,
        source: event.source,
        account: LOCAL_ACCOUNT,
        time: event.time,
        region: "local",
        resources: [],
        detail: event.detail,
    };
}
