// On UserSignedUp (published by Auth once per new user): send the welcome email. Retried by the
// AsyncTask, then dead-lettered; the event id is the message id, so a redelivered event mails
// once where the provider dedupes (the local outbox), and at worst a duplicate welcome where it
// does not (SES: at-least-once; README, "Exactly once, locally and in the cloud").
import { onEvent } from "serverless-blocks/functions/runtime";
import { mailer } from "serverless-blocks/functions/runtime/clients/email";

/** What Auth publishes when someone signs in for the first time. */
export interface UserSignedUp {
    userId: string;
    email: string;
    name: string;
    /** Set by Auth's outbox: the same for every publish of this event (the envelope id is not). */
    outboxEventId?: string;
}

export const handler = onEvent<UserSignedUp>(async (event) => {
    const { email } = event.detail;
    if (!email) throw new Error(`event ${event.id}: UserSignedUp without an email`);
    const name = event.detail.name || email.split("@")[0];
    await mailer("mail").send({
        messageId: event.detail.outboxEventId ?? event.id,
        to: [email],
        subject: `Welcome, ${name}!`,
        text: `Hello ${name},\n\nthanks for signing up. Your account is ready.\n`,
        template: { name: "welcome", data: { name } },
    });
});
