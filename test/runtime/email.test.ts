// The email client on each target: what it sends to SES (AWS), SES (Tencent), or the outbox.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { mailer } from "../../functions/runtime/clients/email";
import { useSesClient as useAwsSes } from "../../functions/runtime/clients/aws/email";
import { useSesClient as useTencentSes } from "../../functions/runtime/clients/tencentcloud/email";

const message = {
    to: ["ada@example.com"],
    subject: "Welcome, Ada!",
    text: "Hello Ada",
    template: { name: "welcome", data: { name: "Ada" } },
};

function withEnv(vars: Record<string, string>, body: () => Promise<void>): () => Promise<void> {
    return async () => {
        const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
        Object.assign(process.env, vars);
        try {
            await body();
        } finally {
            for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
        }
    };
}

describe("email client", () => {
    it("sends through SES v2 on AWS as the linked sender", withEnv({ SB_TARGET: "aws", SB_MAILER_MAIL_FROM: "hello@shop.example.com" }, async () => {
        const ses = mockClient(SESv2Client);
        ses.on(SendEmailCommand).resolves({ MessageId: "ses-1" });
        useAwsSes(new SESv2Client({ region: "us-east-1" }));
        assert.equal(await mailer("mail").send(message), "ses-1");
        const input = ses.commandCalls(SendEmailCommand)[0].args[0].input;
        assert.equal(input.FromEmailAddress, "hello@shop.example.com");
        assert.deepEqual(input.Destination, { ToAddresses: ["ada@example.com"] });
        assert.equal(input.Content?.Simple?.Subject?.Data, "Welcome, Ada!");
        assert.equal(input.Content?.Simple?.Body?.Text?.Data, "Hello Ada");
        ses.restore();
    }));

    it("sends the mapped template through Tencent SES", withEnv({ SB_TARGET: "tencentcloud", SB_MAILER_MAIL_FROM: "hello@shop.example.com", SB_MAILER_MAIL_TEMPLATES: '{"welcome":31415}' }, async () => {
        const sent: any[] = [];
        useTencentSes({ SendEmail: async (req: any) => (sent.push(req), { MessageId: "tc-1" }) } as any);
        assert.equal(await mailer("mail").send(message), "tc-1");
        assert.deepEqual(sent[0], {
            FromEmailAddress: "hello@shop.example.com",
            Destination: ["ada@example.com"],
            Subject: "Welcome, Ada!",
            Template: { TemplateID: 31415, TemplateData: '{"name":"Ada"}' },
            TriggerType: 1,
        });
    }));

    it("refuses on Tencent a template the Mailer has no id for", withEnv({ SB_TARGET: "tencentcloud", SB_MAILER_MAIL_FROM: "a@b.co", SB_MAILER_MAIL_TEMPLATES: "{}" }, async () => {
        await assert.rejects(mailer("mail").send(message), /email template 'welcome': no id for it in the Mailer's templateIds \(known: none\)/);
    }));

    it("writes one JSON file per message to the local outbox", async () => {
        const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "sb-outbox-"));
        await withEnv({ SB_TARGET: "local", SB_MAILER_MAIL_FROM: "hello@localhost.test", SB_MAILER_MAIL_OUTBOX: outbox }, async () => {
            const id = await mailer("mail").send(message);
            const files = fs.readdirSync(outbox);
            assert.deepEqual(files, [`${id}.json`]);
            const mail = JSON.parse(fs.readFileSync(path.join(outbox, files[0]), "utf8"));
            assert.equal(mail.from, "hello@localhost.test");
            assert.deepEqual(mail.to, ["ada@example.com"]);
            assert.equal(mail.subject, "Welcome, Ada!");
        })();
    });

    describe("a message id in the local outbox (a redelivered event mails once)", () => {
        const outboxEnv = (outbox: string) => ({ SB_TARGET: "local", SB_MAILER_MAIL_FROM: "hello@localhost.test", SB_MAILER_MAIL_OUTBOX: outbox });

        it("writes one file per id however often, and at once, it is sent; the first copy stands", async () => {
            const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "sb-outbox-"));
            await withEnv(outboxEnv(outbox), async () => {
                const eventId = "3f0c8a6e-8f5b-4c1e-9a53-0d1e2f3a4b5c";
                const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => mailer("mail").send({ ...message, subject: `try ${i}`, messageId: eventId })));
                assert.deepEqual(new Set(ids), new Set([eventId]));
                assert.deepEqual(fs.readdirSync(outbox), [`${eventId}.json`], "one message, and no temp file left");
                const first = JSON.parse(fs.readFileSync(path.join(outbox, `${eventId}.json`), "utf8"));
                assert.equal(await mailer("mail").send({ ...message, subject: "later", messageId: eventId }), eventId);
                assert.deepEqual(JSON.parse(fs.readFileSync(path.join(outbox, `${eventId}.json`), "utf8")), first);
                assert.equal(first.messageId, eventId);
            })();
        });

        it("keeps ids apart, hashes one that is not a safe file name, and refuses an empty one", async () => {
            const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "sb-outbox-"));
            await withEnv(outboxEnv(outbox), async () => {
                const a = await mailer("mail").send({ ...message, messageId: "a" });
                const b = await mailer("mail").send({ ...message, messageId: "../../etc/passwd" });
                assert.equal(a, "a");
                assert.match(b, /^sha256-[0-9a-f]{64}$/);
                assert.equal(await mailer("mail").send({ ...message, messageId: "../../etc/passwd" }), b);
                assert.deepEqual(fs.readdirSync(outbox).sort(), [`${a}.json`, `${b}.json`].sort());
                await assert.rejects(mailer("mail").send({ ...message, messageId: "" }), /email messageId: expected a non-empty string, got ""/);
            })();
        });

        it("leaves a crashed write's temp file to the runtime's start, which removes only temp files", async () => {
            const { removeUnfinishedMail } = await import("../../local/outbox");
            const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-data-"));
            const outbox = path.join(dataDir, "outbox", "mail");
            fs.mkdirSync(outbox, { recursive: true });
            fs.writeFileSync(path.join(outbox, "sent.json"), "{}");
            fs.writeFileSync(path.join(outbox, "e1.json.0b9c.tmp"), "{\"half");
            fs.writeFileSync(path.join(outbox, "2026-11-29T10-00-00-000Z-x.json.tmp"), "");
            assert.equal(removeUnfinishedMail(dataDir).length, 2);
            assert.deepEqual(fs.readdirSync(outbox), ["sent.json"]);
            assert.deepEqual(removeUnfinishedMail(path.join(dataDir, "none")), []);
        });
    });

    describe("user text in headers", () => {
        const hostile = { ...message, subject: "Welcome, Ada\r\nBcc: victim@example.com\u2028X-Evil: 1\u0000!" };
        const clean = "Welcome, Ada Bcc: victim@example.com X-Evil: 1 !";

        it("replaces control characters in the subject with a space on AWS", withEnv({ SB_TARGET: "aws", SB_MAILER_MAIL_FROM: "hello@shop.example.com" }, async () => {
            const ses = mockClient(SESv2Client);
            ses.on(SendEmailCommand).resolves({ MessageId: "ses-2" });
            useAwsSes(new SESv2Client({ region: "us-east-1" }));
            try {
                await mailer("mail").send(hostile);
                assert.equal(ses.commandCalls(SendEmailCommand)[0].args[0].input.Content?.Simple?.Subject?.Data, clean);
            } finally {
                ses.restore();
            }
        }));

        it("replaces them on Tencent Cloud", withEnv({ SB_TARGET: "tencentcloud", SB_MAILER_MAIL_FROM: "hello@shop.example.com", SB_MAILER_MAIL_TEMPLATES: '{"welcome":31415}' }, async () => {
            const sent: any[] = [];
            useTencentSes({ SendEmail: async (req: any) => (sent.push(req), { MessageId: "tc-2" }) } as any);
            await mailer("mail").send(hostile);
            assert.equal(sent[0].Subject, clean);
        }));

        it("replaces them in the local outbox", async () => {
            const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "sb-outbox-"));
            await withEnv({ SB_TARGET: "local", SB_MAILER_MAIL_FROM: "hello@localhost.test", SB_MAILER_MAIL_OUTBOX: outbox }, async () => {
                const id = await mailer("mail").send(hostile);
                assert.equal(JSON.parse(fs.readFileSync(path.join(outbox, `${id}.json`), "utf8")).subject, clean);
            })();
        });

        it("refuses an address with a control character, and a subject of nothing but them", withEnv({ SB_TARGET: "local", SB_MAILER_MAIL_FROM: "hello@localhost.test", SB_MAILER_MAIL_OUTBOX: os.tmpdir() }, async () => {
            await assert.rejects(mailer("mail").send({ ...message, to: ["ada@example.com\r\nBcc: eve@example.com"] }), /email to: expected 1 or more addresses, got "ada@example.com\\r\\nBcc: eve@example.com"/);
            await assert.rejects(mailer("mail").send({ ...message, to: ["ada\u0000@example.com"] }), /email to: expected 1 or more addresses/);
            await assert.rejects(mailer("mail").send({ ...message, subject: "\r\n\t" }), /email subject is required/);
        }));

        it("refuses a sender address with a control character, on every transport", async () => {
            const { localEmail } = await import("../../functions/runtime/clients/local/email");
            const { awsEmail } = await import("../../functions/runtime/clients/aws/email");
            const { tencentEmail } = await import("../../functions/runtime/clients/tencentcloud/email");
            const sender = { from: "hello@shop.example.com\nBcc: eve@example.com", setting: () => undefined };
            for (const transport of [localEmail, awsEmail, tencentEmail]) {
                await assert.rejects(transport.send(sender, message), /email from: expected one address, got "hello@shop.example.com\\nBcc: eve@example.com"/);
            }
        });
    });

    it("refuses bad recipients and an unlinked mailer with clear errors", withEnv({ SB_TARGET: "local" }, async () => {
        await assert.rejects(mailer("mail").send({ ...message, to: ["not-an-address"] }), /email to: expected 1 or more addresses, got "not-an-address"/);
        await assert.rejects(mailer("nobody").send(message), /SB_MAILER_NOBODY_FROM is not set: link the mailer 'nobody' to this function/);
    }));
});
