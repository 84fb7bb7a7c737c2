// POST /users {email, name} -> 201 {userId}: stores the user, then tells the hub, so the welcome
// email and whatever else subscribes follow.
import { randomUUID } from "node:crypto";
import * as z from "zod/mini";
import { http } from "../runtime";
import { hub } from "../runtime/clients/hub";
import { table } from "../runtime/clients/table";
import { parseBody } from "../runtime/validate";
import type { User } from "./user";

const Registration = z.object({
    email: z.email().check(z.maxLength(254)),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
});

export type UserRegistered = { userId: string; email: string; name: string };

export const handler = http(async (req) => {
    const { email, name } = parseBody(req, Registration);
    const user: User = { userId: randomUUID(), email: email.toLowerCase(), name, createdAt: new Date().toISOString() };
    await table<User>("users").put(user, { ifNotExists: true });
    const announced: UserRegistered = { userId: user.userId, email: user.email, name: user.name };
    await hub("events").publish("UserRegistered", announced);
    return { status: 201, body: { userId: user.userId } };
});
