// hub.publish on the local target: the local runtime queues the events durably for every
// matching task before it answers with their ids. Inside a local function the call goes to the
// host over the worker's message port; elsewhere to the runtime's HTTP endpoint (SB_LOCAL_URL),
// with the run's token (./local-token.ts).
import type { HubTransport } from "../hub";
import { callRuntime, inLocalFunction } from "./channel";
import { LOCAL_TOKEN_HEADER, localToken } from "./local-token";

export const localHub: HubTransport = {
    async publish(bus, events) {
        if (inLocalFunction()) return (await callRuntime("hub.publish", { bus, events })) as string[];
        const url = process.env.SB_LOCAL_URL;
        if (!url) throw new Error(`publish to hub '${bus}': not in a local function instance and SB_LOCAL_URL is not set (is npm start running?)`);
        const res = await fetch(`${url}/_local/hubs/${encodeURIComponent(bus)}/events`, {
            method: "POST",
            headers: { "content-type": "application/json", [LOCAL_TOKEN_HEADER]: localToken() },
            body: JSON.stringify(events),
        });
        const body = (await res.json().catch(() => ({}))) as { ids?: string[]; error?: { message?: string } };
        if (!res.ok || !Array.isArray(body.ids)) throw new Error(`publish to hub '${bus}': ${res.status} ${body.error?.message ?? res.statusText}`);
        return body.ids;
    },
};
