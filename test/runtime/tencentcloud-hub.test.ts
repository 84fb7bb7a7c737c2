// hub(name).publish on Tencent Cloud: EB PutEvents over API 3.0 (api3.ts), with an injected
// client (batches, partial failure) and with the transport's own client against a local HTTP
// server standing in for eb.tencentcloudapi.com (what goes on the wire, signed as the SDK signs).
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import type { PutEventsRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/eb/v20210416/eb_models";
import { hub, PublishError } from "../../functions/runtime/clients/hub";
import { EB_BATCH, ebClient, useEbClient, type EbPutEventsClient } from "../../functions/runtime/clients/tencentcloud/hub";

const BUS = "eb-0a1b2c3d";
const ENV = {
    SB_TARGET: "tencentcloud",
    SB_HUB_ORDERS_NAME: BUS,
    SB_EVENT_SOURCE: "checkout",
    TENCENTCLOUD_REGION: "ap-guangzhou",
    TENCENTCLOUD_SECRETID: "AKIDtest",
    TENCENTCLOUD_SECRETKEY: "secret",
    TENCENTCLOUD_SESSIONTOKEN: "session-token",
};

/** Sets variables for one test and restores the environment after it. */
function withEnv(vars: Record<string, string>) {
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
        for (const [k, v] of Object.entries(vars)) {
            saved[k] = process.env[k];
            process.env[k] = v;
        }
    });
    afterEach(() => {
        for (const k of Object.keys(vars)) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
        useEbClient(undefined);
    });
}

/** A fake EB client recording requests; `fail(call)` makes that call (0-based) reject. */
function recordingClient(fail: (call: number) => Error | undefined = () => undefined) {
    const requests: PutEventsRequest[] = [];
    const client: EbPutEventsClient = {
        async PutEvents(request) {
            const error = fail(requests.length);
            requests.push(structuredClone(request));
            if (error) throw error;
            return { RequestId: `req-${requests.length}` };
        },
    };
    return { client, requests };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("hub on Tencent Cloud (EB PutEvents)", () => {
    withEnv(ENV);

    it("puts a CloudEvent on the linked bus: type, source, JSON data, millisecond time and its own id", async () => {
        const { client, requests } = recordingClient();
        useEbClient(client);
        const published = await hub("orders").publish("OrderPlaced", { orderId: "42", total: 89.9 });
        assert.equal(requests.length, 1);
        const [request] = requests;
        assert.equal(request.EventBusId, BUS);
        assert.equal(request.EventList.length, 1);
        const [event] = request.EventList;
        assert.deepEqual({ ...event, Id: "id" }, {
            Id: "id",
            Source: "checkout",
            Type: "OrderPlaced",
            Subject: "checkout",
            Data: '{"orderId":"42","total":89.9}',
            Time: Date.parse(published.time),
        });
        assert.match(published.id, UUID);
        assert.equal(event.Id, published.id, "the id the publisher gets is the one EB delivers");
    });

    it(`sends ${EB_BATCH} events per call and returns every id in order`, async () => {
        const { client, requests } = recordingClient();
        useEbClient(client);
        const events = Array.from({ length: 23 }, (_, i) => ({ type: "Tick", detail: { i } }));
        const published = await hub("orders").publishAll(events);
        assert.deepEqual(requests.map((r) => r.EventList.length), [10, 10, 3]);
        const sent = requests.flatMap((r) => r.EventList);
        assert.deepEqual(sent.map((e) => JSON.parse(e.Data).i), events.map((e) => e.detail.i));
        assert.deepEqual(published.map((p) => p.id), sent.map((e) => e.Id));
        assert.equal(new Set(published.map((p) => p.id)).size, 23);
    });

    it("reports a refused call's events as failed, with EB's error, and still sends the other batches", async () => {
        const refusal = Object.assign(new Error("event bus eb-0a1b2c3d does not exist"), { code: "ResourceNotFound.EventBus", requestId: "req-2" });
        const { client, requests } = recordingClient((call) => (call === 1 ? refusal : undefined));
        useEbClient(client);
        const events = Array.from({ length: 23 }, (_, i) => ({ type: `Tick${i}`, detail: { i } }));
        const error = await hub("orders").publishAll(events).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof PublishError, `expected a PublishError, got ${String(error)}`);
        assert.equal(requests.length, 3, "the third batch went after the second failed");
        assert.deepEqual(error.failures.map((f) => f.index), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
        assert.equal(error.failures[0].type, "Tick10");
        assert.equal(error.failures[0].reason, "ResourceNotFound.EventBus: event bus eb-0a1b2c3d does not exist (request req-2)");
        const sentIds = [...requests[0].EventList, ...requests[2].EventList].map((e) => e.Id);
        assert.deepEqual(error.published.map((p) => p.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22]);
        assert.deepEqual(error.published.map((p) => p.id), sentIds);
        assert.match(error.message, /^10 event\(s\) not published: #10 Tick10: ResourceNotFound\.EventBus/);
    });

    it("refuses an event whose time is not a date before sending anything", async () => {
        const { client, requests } = recordingClient();
        useEbClient(client);
        await assert.rejects(hub("orders").publishAll([{ type: "Tick", detail: {}, time: "yesterday" }]), /event Tick: time 'yesterday' is not a date/);
        assert.equal(requests.length, 0);
    });

    describe("through the transport's API 3.0 client", () => {
        let server: http.Server;
        let seen: { headers: http.IncomingHttpHeaders; body: any; raw: string }[];
        let answer: () => object;

        before(async () => {
            server = http.createServer((req, res) => {
                let body = "";
                req.on("data", (chunk) => (body += chunk));
                req.on("end", () => {
                    seen.push({ headers: req.headers, body: JSON.parse(body), raw: body });
                    res.setHeader("content-type", "application/json");
                    res.end(JSON.stringify(answer()));
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));
        beforeEach(() => {
            seen = [];
            answer = () => ({ Response: { RequestId: "req-local" } });
            const port = (server.address() as AddressInfo).port;
            // The client the transport makes in SCF (the role's keys, read from the environment), sent here.
            useEbClient(ebClient("ap-guangzhou", `http://127.0.0.1:${port}/`));
        });

        it("calls PutEvents 2021-04-16 in the function's region with the role's session token, signed TC3", async () => {
            const published = await hub("orders").publish("OrderPlaced", { orderId: "42" });
            assert.equal(seen.length, 1);
            const { headers, body } = seen[0];
            assert.equal(headers["x-tc-action"], "PutEvents");
            assert.equal(headers["x-tc-version"], "2021-04-16");
            assert.equal(headers["x-tc-region"], "ap-guangzhou");
            assert.equal(headers["x-tc-token"], "session-token");
            assert.match(String(headers.authorization), /^TC3-HMAC-SHA256 Credential=AKIDtest\//);
            const bySdk = Sign.sign3({
                method: "POST", url: "https://127.0.0.1/", payload: JSON.parse(seen[0].raw), timestamp: Number(headers["x-tc-timestamp"]), service: "eb",
                secretId: "AKIDtest", secretKey: "secret", multipart: false, boundary: "", headers: { "Content-Type": "application/json; charset=utf-8" },
            });
            assert.equal(headers.authorization, bySdk, "signed as tencentcloud-sdk-nodejs signs");
            assert.deepEqual(body, {
                EventBusId: BUS,
                EventList: [{ Id: published.id, Source: "checkout", Type: "OrderPlaced", Subject: "checkout", Data: '{"orderId":"42"}', Time: Date.parse(published.time) }],
            });
        });

        it("turns an API error answer into a PublishError naming EB's code", async () => {
            answer = () => ({ Response: { Error: { Code: "AuthFailure.UnauthorizedOperation", Message: "not allowed" }, RequestId: "req-denied" } });
            await assert.rejects(hub("orders").publish("OrderPlaced", {}), (error: unknown) => {
                assert.ok(error instanceof PublishError);
                assert.match(error.failures[0].reason, /^AuthFailure\.UnauthorizedOperation: not allowed \(request req-denied\)$/);
                return true;
            });
        });
    });
});
