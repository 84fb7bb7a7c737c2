// Publishing on Tencent Cloud: EventBridge (EB) PutEvents (eb 2021-04-16,
// cloud.tencent.com/document/api/1359/68465): `EventBusId` and `EventList` of CloudEvents
// `{ Source, Type, Data (a JSON string: datacontenttype is application/json only), Subject,
// Time (milliseconds), Id }`. The response carries only a RequestId: a call is accepted or
// refused as a whole, and EB returns no event ids, so the client gives each event its own id
// (EB's `Id`: "the event's unique id, when the user supplies it"), which is what handlers see.
// Batches: the API documents no per-request maximum; 10 per call is this client's choice. When a
// call fails, its events are reported failed and the other batches still go: the PublishError
// names each failed event with EB's error code, and lists the ids of those that were published.
// The call goes through api3.ts, not tencentcloud-sdk-nodejs (api3.ts says why): the SDK's types
// only are used, and any client with the SDK's PutEvents shape, the SDK's own included, can be set.
import { randomUUID } from "node:crypto";
import type { PutEventsRequest, PutEventsResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/eb/v20210416/eb_models";
import { PublishError, type HubTransport, type OutgoingEvent } from "../hub";
import { callApi3 } from "./api3";
import { regionFromEnv } from "./credentials";

/** The part of the EB client the transport calls. */
export interface EbPutEventsClient {
    PutEvents(request: PutEventsRequest): Promise<PutEventsResponse>;
}

/** Events per PutEvents call. */
export const EB_BATCH = 10;

let client: EbPutEventsClient | undefined;

/** Replaces the EB client (tests; a client with other settings). */
export function useEbClient(c: EbPutEventsClient | undefined): void {
    client = c;
}

/** EB's PutEvents over API 3.0 in `region` (default the function's), with the keys in the environment at each call. */
export function ebClient(region: string = regionFromEnv(), endpoint?: string): EbPutEventsClient {
    return {
        PutEvents: async (request) =>
            (await callApi3({ service: "eb", version: "2021-04-16", action: "PutEvents", region, endpoint, payload: { ...request } })) as PutEventsResponse,
    };
}

export const tencentHub: HubTransport = {
    async publish(bus: string, events: Required<OutgoingEvent>[]): Promise<string[]> {
        const ids = events.map(() => randomUUID());
        const ebEvents = events.map((e, i) => toEbEvent(e, ids[i]));
        const eb = (client ??= ebClient());
        const failures: { index: number; type: string; reason: string }[] = [];
        const published: { index: number; id: string }[] = [];
        for (let start = 0; start < events.length; start += EB_BATCH) {
            const indexes = events.slice(start, start + EB_BATCH).map((_, i) => start + i);
            try {
                await eb.PutEvents({ EventBusId: bus, EventList: ebEvents.slice(start, start + EB_BATCH) });
                for (const index of indexes) published.push({ index, id: ids[index] });
            } catch (err) {
                const reason = describe(err);
                for (const index of indexes) failures.push({ index, type: events[index].type, reason });
            }
        }
        if (failures.length > 0) throw new PublishError(failures, published);
        return ids;
    },
};

function toEbEvent(e: Required<OutgoingEvent>, id: string): PutEventsRequest["EventList"][number] {
    const time = Date.parse(e.time);
    if (!Number.isFinite(time)) throw new TypeError(`event ${e.type}: time '${e.time}' is not a date`);
    return {
        Id: id,
        Source: e.source,
        Type: e.type,
        // CloudEvents' subject: what the event is about, within its source; here the source itself.
        Subject: e.source,
        Data: JSON.stringify(e.detail),
        Time: time,
    };
}

/** EB's error code and message (TencentApiError, or the SDK's TencentCloudSDKHttpException), or the error's message. */
function describe(err: unknown): string {
    const e = err as { code?: string; message?: string; requestId?: string };
    const code = e?.code ? `${e.code}: ` : "";
    const request = e?.requestId ? ` (request ${e.requestId})` : "";
    return `${code}${e?.message ?? String(err)}${request}`;
}
