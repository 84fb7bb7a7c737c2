// GET /users/{userId} -> the user's profile, or 404.
import { http, HttpError } from "../runtime";
import { table } from "../runtime/clients/table";
import type { User } from "./user";

export const handler = http(async (req) => {
    const user = await table<User>("users").get({ userId: req.params.userId });
    if (!user) throw new HttpError(404, `no user ${req.params.userId}`);
    return { userId: user.userId, name: user.name, email: user.email, createdAt: user.createdAt };
});
