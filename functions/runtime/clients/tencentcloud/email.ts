// Email on Tencent Cloud: SES SendEmail with an approved template (the API's only content for
// accounts without the retired "Simple" allowance). The Mailer maps template names to ids.
// SendEmail (ses 2020-10-02, cloud.tencent.com/document/api/1288/51034) goes through api3.ts, not
// tencentcloud-sdk-nodejs (api3.ts says why), signed with the function role's keys (credentials.ts).
import type { SendEmailRequest, SendEmailResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/ses/v20201002/ses_models";
import { headerSafe, type EmailTransport } from "../email";
import { callApi3 } from "./api3";

/** The part of the SES client the transport calls; the SDK's own client has it too. */
export interface SesSendEmailClient {
    SendEmail(request: SendEmailRequest): Promise<SendEmailResponse>;
}

let client: SesSendEmailClient | undefined;

export function useSesClient(c: SesSendEmailClient | undefined): void {
    client = c;
}

/** SES's SendEmail over API 3.0 in `region`, with the keys in the environment at each call. */
export function sesClient(region: string, endpoint?: string): SesSendEmailClient {
    return {
        SendEmail: async (request) =>
            (await callApi3({ service: "ses", version: "2020-10-02", action: "SendEmail", region, endpoint, payload: { ...request } })) as SendEmailResponse,
    };
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
