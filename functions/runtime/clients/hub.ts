// hub(name).publish(type, detail): put an event on a linked EventHub, on any target.
import { EVENT_METADATA_KEY, withEventMetadata } from "../events";
import { currentLogContext } from "../log";
import { currentTarget, linkedValue } from "./target";

/** An event as publishers give it; the hub stamps id and time. */
export interface OutgoingEvent {
    /** What happened, e.g. `UserRegistered` (EventBridge's detail-type, the CloudEvents type). */
    type: string;
    detail: unknown;
    /** Who says so; defaults to `SB_EVENT_SOURCE`, the publishing function's name. */
    source?: string;
    /** ISO time; defaults to now. */
    time?: string;
}

export interface PublishedEvent {
    id: string;
    source: string;
    type: string;
    time: string;
    detail: unknown;
}

/** How one cloud puts events on a bus; ids in the order given. Rejects naming each event that failed. */
export interface HubTransport {
    publish(bus: string, events: Required<OutgoingEvent>[]): Promise<string[]>;
}

/** A batch in which some events were not accepted; `published` are the ones that were. */
export class PublishError extends Error {
    constructor(readonly failures: { index: number; type: string; reason: string }[], readonly published: { index: number; id: string }[]) {
        super(`${failures.length} event(s) not published: ${failures.map((f) => `#${f.index} ${f.type}: ${f.reason}`).join("; ")}`);
        this.name = "PublishError";
    }
}

const MAX_DETAIL_BYTES = 256 * 1024; // EventBridge's entry limit; Tencent EB's is lower per event batch

function transport(): HubTransport {
    // Compared literally: the bundler substitutes SB_TARGET, so only this cloud's branch (and SDK) stays.
    if (process.env.SB_TARGET === "aws") return require("./aws/hub").awsHub;
    if (process.env.SB_TARGET === "tencentcloud") return require("./tencentcloud/hub").tencentHub;
    if (process.env.SB_TARGET === "local") return require("./local/hub").localHub;
    throw new Error(`unknown target ${currentTarget()}`);
}

/** The hub linked under `name` (`link: [events.link]` makes `hub("events")` work). */
export function hub(name: string) {
    const bus = () => linkedValue("hub", name, "name");
    const stamp = (e: OutgoingEvent, correlationId: string | undefined): Required<OutgoingEvent> => {
        if (typeof e.type !== "string" || !/^[A-Za-z][\w.-]{0,127}$/.test(e.type)) {
            throw new TypeError(`event type '${String(e.type)}': letters, digits, '.', '_' and '-', starting with a letter, at most 128`);
        }
        if (typeof e.detail === "object" && e.detail !== null && Object.hasOwn(e.detail, EVENT_METADATA_KEY)) {
            throw new TypeError(`event ${e.type}: detail key '${EVENT_METADATA_KEY}' is reserved for the event's metadata; rename it`);
        }
        // Published while handling a request: the event carries its correlation id to the handlers.
        const detail = withEventMetadata(e.detail ?? {}, { correlationId: correlationId ?? currentLogContext()?.correlationId });
        const size = Buffer.byteLength(JSON.stringify(detail ?? null));
        if (size > MAX_DETAIL_BYTES) throw new RangeError(`event ${e.type}: detail is ${size} bytes, at most ${MAX_DETAIL_BYTES}`);
        return { type: e.type, detail, source: e.source ?? process.env.SB_EVENT_SOURCE ?? "serverless-blocks", time: e.time ?? new Date().toISOString() };
    };
    return {
        /** `correlationId`: publishing for an earlier request (the outbox relay), its id; default the current invocation's. */
        async publishAll(events: OutgoingEvent[], options: { correlationId?: string } = {}): Promise<PublishedEvent[]> {
            const stamped = events.map((e) => stamp(e, options.correlationId));
            const ids = await transport().publish(bus(), stamped);
            // The detail as given: the metadata is the runtime's, not the publisher's.
            return stamped.map((e, i) => ({ id: ids[i], source: e.source, type: e.type, time: e.time, detail: events[i].detail ?? {} }));
        },
        async publish(type: string, detail: unknown, options: { source?: string } = {}): Promise<PublishedEvent> {
            const [published] = await this.publishAll([{ type, detail, source: options.source }]);
            return published;
        },
    };
}
