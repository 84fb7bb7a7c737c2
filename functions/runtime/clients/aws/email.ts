// Email on AWS: SES v2 SendEmail with a simple (subject, text, html) message.
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { headerSafe, type EmailTransport } from "../email";

let client: SESv2Client | undefined;

export function useSesClient(c: SESv2Client): void {
    client = c;
}

export const awsEmail: EmailTransport = {
    async send(sender, unchecked) {
        // Checked here too: a transport called directly must not put user text into headers raw.
        const message = headerSafe(sender, unchecked);
        client ??= new SESv2Client({});
        const body = { Text: { Data: message.text, Charset: "UTF-8" }, ...(message.html ? { Html: { Data: message.html, Charset: "UTF-8" } } : {}) };
        const out = await client.send(new SendEmailCommand({
            FromEmailAddress: sender.from,
            Destination: { ToAddresses: message.to },
            Content: { Simple: { Subject: { Data: message.subject, Charset: "UTF-8" }, Body: body } },
        }));
        return out.MessageId ?? "";
    },
};
