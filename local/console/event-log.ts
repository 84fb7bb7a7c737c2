// The console's recent events: per hub, the last events published, each with the tasks whose
// rule matched it and what became of each delivery (processed, retrying, dead-lettered). Kept in
// memory for this run only (a hub's archive, when it keeps one, is the durable log); matching is
// done again here, when the console asks, so publishing pays only for the append.
import { matchesPattern } from "../../components/events/pattern";
import type { DeliveryReport } from "../events/dispatcher";
import { envelope, type LocalEventRuntime } from "../events/event-runtime";
import type { StoredEvent } from "../events/store";

/** Events kept per hub. */
export const MAX_EVENTS_PER_HUB = 100;

export interface RecentEvent {
    id: string;
    type: string;
    source: string;
    time: string;
    detail: unknown;
    /** Each task whose rule matched, with its latest delivery outcome (`queued` until one is known). */
    routes: { task: string; pattern: unknown; outcome: DeliveryReport["outcome"] | "queued"; attempt?: number; error?: string }[];
}

export class EventLog {
    private readonly byHub = new Map<string, StoredEvent[]>();
    /** The latest delivery report per task, by event id, for the events held only (bounded with them). */
    private readonly outcomes = new Map<string, Map<string, DeliveryReport>>();

    constructor(private readonly events: LocalEventRuntime) {
        events.onPublish((bus, batch) => this.add(bus, batch));
        events.onDelivery((report) => this.outcomes.get(report.eventId)?.set(report.task, report));
    }

    /** The hub's recent events, newest first. */
    recent(busName: string): RecentEvent[] {
        const subscribers = this.events.subscribers(busName);
        return [...(this.byHub.get(busName) ?? [])].reverse().map((event) => {
            const form = envelope(event);
            const routes = subscribers.filter((s) => matchesPattern(s.pattern, form)).map((s) => {
                const report = this.outcomes.get(event.id)?.get(s.task);
                return { task: s.task, pattern: s.pattern, outcome: report?.outcome ?? ("queued" as const), attempt: report?.attempt, error: report?.error };
            });
            return { id: event.id, type: event.type, source: event.source, time: event.time, detail: event.detail, routes };
        });
    }

    private add(busName: string, batch: readonly StoredEvent[]): void {
        const held = this.byHub.get(busName) ?? [];
        held.push(...batch);
        for (const event of batch) this.outcomes.set(event.id, new Map());
        for (const event of held.splice(0, Math.max(0, held.length - MAX_EVENTS_PER_HUB))) this.outcomes.delete(event.id);
        this.byHub.set(busName, held);
    }
}
