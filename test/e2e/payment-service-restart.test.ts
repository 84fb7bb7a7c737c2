// The fake payment service outlives a restart of npm start, as a real one outlives the app calling
// it: with a state file, accepted payments call back after a new start, from the first status not
// yet called back, and none is called back twice.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { FakePaymentService, PAYMENT_SERVICE_PATH } from "../../local/payment-service/service";

const SECRET = "restart-test-secret";

/** A callback route that records each status it is sent. */
async function callbackServer(): Promise<{ url: string; statuses: string[]; close(): void }> {
    const statuses: string[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            statuses.push(JSON.parse(body).status);
            res.writeHead(200, { "content-type": "application/json" }).end("{}");
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, statuses, close: () => server.close() };
}

/** POST /payments through the service's own handler, on a throwaway server. */
async function requestPayment(service: FakePaymentService, body: unknown): Promise<number> {
    const server = http.createServer((req, res) => void service.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PAYMENT_SERVICE_PATH}/payments`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
        });
        return res.status;
    } finally {
        server.close();
    }
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!probe()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

describe("the fake payment service across a restart", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-psp-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("calls back after a new start from the first status not yet called back, none twice", async () => {
        const stateFile = path.join(dir, "payment-service.json");
        const callback = await callbackServer();
        try {
            const first = new FakePaymentService({ secret: SECRET, stateFile, delayMs: 150 });
            assert.equal(await requestPayment(first, { paymentId: "p-1", amount: 1000, currency: "EUR", callbackUrl: callback.url, outcomes: "processing,succeeded" }), 202);
            await until("the first callback", () => callback.statuses.length === 1);
            first.close(); // as a kill: the second status was never sent

            const second = new FakePaymentService({ secret: SECRET, stateFile, delayMs: 150 });
            await second.idle();
            assert.deepEqual(callback.statuses, ["processing", "succeeded"]);
            assert.equal(second.payment("p-1")!.done, true);

            const third = new FakePaymentService({ secret: SECRET, stateFile, delayMs: 150 });
            await third.idle();
            assert.deepEqual(callback.statuses, ["processing", "succeeded"], "a finished payment calls back no more");
            assert.equal(await requestPayment(third, { paymentId: "p-1", amount: 2000, currency: "EUR", callbackUrl: callback.url }), 409, "the id is still the idempotency key");
        } finally {
            callback.close();
        }
    });

    it("without a state file forgets payments (tests that want a fresh service)", async () => {
        const callback = await callbackServer();
        try {
            const first = new FakePaymentService({ secret: SECRET, delayMs: 5_000 });
            assert.equal(await requestPayment(first, { paymentId: "p-2", amount: 1000, currency: "EUR", callbackUrl: callback.url }), 202);
            first.close();
            assert.equal(new FakePaymentService({ secret: SECRET }).payment("p-2"), undefined);
        } finally {
            callback.close();
        }
    });

    it("starts empty, saying why, from an unreadable state file", () => {
        const stateFile = path.join(dir, "payment-service.json");
        fs.writeFileSync(stateFile, "{ not json");
        const lines: string[] = [];
        const service = new FakePaymentService({ secret: SECRET, stateFile, log: (line) => lines.push(line) });
        assert.equal(service.payment("p-1"), undefined);
        assert.match(lines.join("\n"), /payment-service\.json is unreadable .*starting with no payments/);
    });
});

