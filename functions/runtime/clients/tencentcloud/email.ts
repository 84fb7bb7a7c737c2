// Email on Tencent Cloud: SES SendEmail with an approved template (the API's only content for
// accounts without the retired "Simple" allowance). The Mailer maps template names to ids.
import { ses } from "tencentcloud-sdk-nodejs/tencentcloud/services/ses";
import { headerSafe, type EmailTransport } from "../email";

type SesClient = Pick<InstanceType<typeof ses.v20201002.Client>, "SendEmail">;
let client: SesClient | undefined;

export function useSesClient(c: SesClient): void {
    client = c;
}

function sesClient(region: string): SesClient {
    // SCF hands the execution role's temporary credentials to the function in these variables.
    return new ses.v20201002.Client({
        credential: { secretId: process.env.TENCENTCLOUD_SECRETID, secretKey: process.env.TENCENTCLOUD_SECRETKEY, token: process.env.TENCENTCLOUD_SESSIONTOKEN },
        region,
    });
}

export const tencentEmail: EmailTransport = {
    async send(sender, unchecked) {
        // Checked here too: a transport called directly must not put user text into headers raw.
        const message = headerSafe(sender, unchecked);
        if (!message.template) throw new TypeError("email on Tencent Cloud: SES sends templates only; give message.template { name, data }");
        const ids = JSON.parse(sender.setting("templates") ?? "{}") as Record<string, number>;
        const id = ids[message.template.name];
        if (id === undefined) throw new TypeError(`email template '${message.template.name}': no id for it in the Mailer's templateIds (known: ${Object.keys(ids).join(", ") || "none"})`);
        client ??= sesClient(sender.setting("region") ?? "ap-guangzhou");
        const out = await client.SendEmail({
            FromEmailAddress: sender.from,
            Destination: message.to,
            Subject: message.subject,
            Template: { TemplateID: id, TemplateData: JSON.stringify(message.template.data) },
            TriggerType: 1,
        });
        return out.MessageId ?? "";
    },
};
