// Email on Tencent Cloud on the wire: the transport's own SES client (API 3.0 through api3.ts, no
// tencentcloud-sdk-nodejs in the bundle) against a local HTTP server standing in for
// ses.tencentcloudapi.com: the action, version, region, token, body and signature it sends, and
// how an API error comes back.
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import Sign from "tencentcloud-sdk-nodejs/tencentcloud/common/sign";
import { mailer } from "../../functions/runtime/clients/email";
import { TencentApiError } from "../../functions/runtime/clients/tencentcloud/api3";
import { sesClient, useSesClient } from "../../functions/runtime/clients/tencentcloud/email";

const ENV = {
    SB_TARGET: "tencentcloud",
    SB_MAILER_MAIL_FROM: "hello@shop.example.com",
    SB_MAILER_MAIL_TEMPLATES: '{"welcome":31415}',
    TENCENTCLOUD_SECRETID: "AKIDtest",
    TENCENTCLOUD_SECRETKEY: "secret",
    TENCENTCLOUD_SESSIONTOKEN: "session-token",
};

const message = { to: ["ada@example.com"], subject: "Welcome, Ada!", text: "Hello Ada", template: { name: "welcome", data: { name: "Ada" } } };

describe("email on Tencent Cloud (SES SendEmail over API 3.0)", () => {
    let server: http.Server;
    let seen: { headers: http.IncomingHttpHeaders; raw: string }[];
    let answer: () => object;
    const saved: Record<string, string | undefined> = {};

    before(async () => {
        server = http.createServer((req, res) => {
            let raw = "";
            req.on("data", (chunk) => (raw += chunk));
            req.on("end", () => {
                seen.push({ headers: req.headers, raw });
                res.setHeader("content-type", "application/json");
                res.end(JSON.stringify(answer()));
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
        for (const [k, v] of Object.entries(ENV)) {
            saved[k] = process.env[k];
            process.env[k] = v;
        }
        seen = [];
        answer = () => ({ Response: { MessageId: "qcloudses-30-4123414323-date-20210101094334-syNARhMTbKI1", RequestId: "req-local" } });
        useSesClient(sesClient("ap-hongkong", `http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
    });
    afterEach(() => {
        for (const k of Object.keys(ENV)) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
        useSesClient(undefined);
    });

    it("calls SendEmail 2020-10-02 in the Mailer's region with the role's session token, signed as the SDK signs", async () => {
        assert.equal(await mailer("mail").send(message), "qcloudses-30-4123414323-date-20210101094334-syNARhMTbKI1");
        assert.equal(seen.length, 1);
        const { headers, raw } = seen[0];
        assert.equal(headers["x-tc-action"], "SendEmail");
        assert.equal(headers["x-tc-version"], "2020-10-02");
        assert.equal(headers["x-tc-region"], "ap-hongkong");
        assert.equal(headers["x-tc-token"], "session-token");
        assert.deepEqual(JSON.parse(raw), {
            FromEmailAddress: "hello@shop.example.com",
            Destination: ["ada@example.com"],
            Subject: "Welcome, Ada!",
            Template: { TemplateID: 31415, TemplateData: '{"name":"Ada"}' },
            TriggerType: 1,
        });
        const bySdk = Sign.sign3({
            method: "POST", url: "https://127.0.0.1/", payload: JSON.parse(raw), timestamp: Number(headers["x-tc-timestamp"]), service: "ses",
            secretId: "AKIDtest", secretKey: "secret", multipart: false, boundary: "", headers: { "Content-Type": "application/json; charset=utf-8" },
        });
        assert.equal(headers.authorization, bySdk);
    });

    it("rejects with SES's error code and request id when the API refuses", async () => {
        answer = () => ({ Response: { Error: { Code: "FailedOperation.EmailAddrInBlacklist", Message: "address is blacklisted" }, RequestId: "req-refused" } });
        await assert.rejects(mailer("mail").send(message), (error: unknown) => {
            assert.ok(error instanceof TencentApiError, `expected a TencentApiError, got ${String(error)}`);
            assert.equal(error.code, "FailedOperation.EmailAddrInBlacklist");
            assert.equal(error.message, "address is blacklisted");
            assert.equal(error.requestId, "req-refused");
            return true;
        });
    });
});
