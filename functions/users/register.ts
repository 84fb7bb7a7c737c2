// POST /users {email, name} -> 201 {userId}; tells the hub, so welcome email and the rest follow.
import { randomUUID } from "node:crypto";
import * as z from "zod/mini";
import { http } from "../runtime";
import { hub } from "../runtime/clients/hub";
import { parseBody } from "../runtime/validate";

const Registration = z.object({
    email: z.email().check(z.maxLength(254)),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
});

export type UserRegistered = { userId: string; email: string; name: string };

export const handler = http(async (req) => {
    const { email, name } = parseBody(req, Registration);
    const user: UserRegistered = { userId: randomUUID(), email: email.toLowerCase(), name };
    await hub("events").publish("UserRegistered", user);
    return { status: 201, body: { userId: user.userId } };
});
