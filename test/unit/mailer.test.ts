import * as assert from "node:assert/strict";
import { Function, Mailer } from "../../components";
import { evaluate, evaluateFailing, json } from "../harness";

const program = () => {
    const mail = new Mailer("mail", { from: "hello@shop.example.com", templateIds: { welcome: 31415 } });
    new Function("sender", { handler: "examples/shop/functions/users/welcome-email.handler", link: [mail.link] });
};

describe("Mailer", () => {
    it("on AWS makes the sender's domain an SES identity and grants sending as exactly that identity", async () => {
        const stack = await evaluate("aws", program);
        const identity = stack.one("aws:sesv2/emailIdentity:EmailIdentity");
        assert.equal(identity.inputs.emailIdentity, "shop.example.com");
        const policy = json(stack.one("aws:iam/rolePolicy:RolePolicy", "sender-policy").inputs.policy);
        assert.deepEqual(policy.Statement[2], { Effect: "Allow", Action: ["ses:SendEmail"], Resource: [identity.state.arn] });
        const env = (stack.one("aws:lambda/function:Function", "sender").inputs.environment as any).variables;
        assert.equal(env.SB_MAILER_MAIL_FROM, "hello@shop.example.com");
    });

    it("on Tencent Cloud grants ses:SendEmail (operation-level, so on *) and passes the template ids", async () => {
        const stack = await evaluate("tencentcloud", program);
        const policy = json(stack.one("tencentcloud:index/camPolicy:CamPolicy", "sender-policy").inputs.document);
        assert.deepEqual(policy.statement, [{ effect: "allow", action: ["ses:SendEmail"], resource: ["*"] }]);
        const env = stack.one("tencentcloud:index/scfFunction:ScfFunction", "sender").inputs.environment as any;
        assert.equal(env.SB_MAILER_MAIL_TEMPLATES, '{"welcome":31415}');
        assert.equal(env.SB_MAILER_MAIL_REGION, "ap-guangzhou");
    });

    it("still refuses * on Tencent Cloud for actions CAM authorises per resource", async () => {
        const { error } = await evaluateFailing("tencentcloud", () => new Function("bad", {
            handler: "examples/shop/functions/hello/greet.handler",
            link: [{ type: "table", name: "t", environment: {}, permissions: [{ actions: ["ses:SendEmail", "cynosdb:DescribeClusters"], resources: ["*"] }] }],
        }));
        assert.match(error.message, /resource '\*' is not allowed; name the qcs:: resources/);
    });

    it("locally writes to an outbox under the runtime's data directory", async () => {
        const stack = await evaluate("local", program);
        const env = stack.runtime.function("sender").definition.environment;
        assert.match(env.SB_MAILER_MAIL_OUTBOX, /outbox[/\\]mail$/);
    });

    for (const [what, args, message] of [
        ["a sender that is not an address", { from: "hello" }, /Mailer 'mail' from: 'hello' is not allowed; expected an email address/],
        ["a template id that is not a positive whole number", { from: "a@b.co", templateIds: { welcome: -1 } }, /Mailer 'mail' templateIds.welcome: '-1' is not allowed/],
    ] as const) {
        it(`refuses ${what}`, async () => {
            const { error, registered } = await evaluateFailing("aws", () => new Mailer("mail", args as any));
            assert.match(error.message, message);
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
        });
    }
});
