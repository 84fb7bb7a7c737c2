// On UserRegistered: send the welcome email. Retried by the AsyncTask, then dead-lettered; the
// event id is the idempotency key, so a redelivered event sends the same message id at most
// once per provider where it dedupes, and at worst a duplicate welcome (at-least-once).
import { onEvent } from "../runtime";
import { mailer } from "../runtime/clients/email";
import type { UserRegistered } from "./register";

export const handler = onEvent<UserRegistered>(async (event) => {
    const { email, name } = event.detail;
    if (!email || !name) throw new Error(`event ${event.id}: UserRegistered without email or name`);
    await mailer("mail").send({
        to: [email],
        subject: `Welcome, ${name}!`,
        text: `Hello ${name},\n\nthanks for signing up. Your account is ready.\n`,
        template: { name: "welcome", data: { name } },
    });
});
