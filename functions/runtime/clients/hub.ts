// hub(name).publish(type, detail): put an event on a linked EventHub, on any target.
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
    const stamp = (e: OutgoingEvent): Required<OutgoingEvent> => {
        if (typeof e.type !== "string" || !/^[A-Za-z][\w.-]{0,127}$/.test(e.type)) {
            throw new TypeError(`event type '${String(e.type)}': letters, digits, '.', '_' and '-', starting with a letter, at most 128`);
        }
        const size = Buffer.byteLength(JSON.stringify(e.detail ?? null));
        if (size > MAX_DETAIL_BYTES) throw new RangeError(`event ${e.type}: detail is ${size} bytes, at most ${MAX_DETAIL_BYTES}`);
        return { type: e.type, detail: e.detail ?? {}, source: e.source ?? process.env.SB_EVENT_SOURCE ?? "serverless-blocks", time: e.time ?? new Date().toISOString() };
    };
    return {
        async publishAll(events: OutgoingEvent[]): Promise<PublishedEvent[]> {
            const stamped = events.map(stamp);
            const ids = await transport().publish(bus(), stamped);
            return stamped.map((e, i) => ({ id: ids[i], source: e.source, type: e.type, time: e.time, detail: e.detail }));
        },
        async publish(type: string, detail: unknown, options: { source?: string } = {}): Promise<PublishedEvent> {
            const [published] = await this.publishAll([{ type, detail, source: options.source }]);
            return published;
        },
    };
}
