// Request bodies checked against a schema (zod/mini: tree-shaken, so a bundle carries ~18 KB of
// it instead of zod's ~450 KB): a bad body is a 400 naming each field and reason, never a crash
// deeper in the handler.
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { HttpError, jsonBody, type HttpRequest } from "./http";

// zod/mini ships no messages but "Invalid input"; English names the reason.
z.config(en());

export function parseBody<S extends z.ZodMiniType>(req: HttpRequest, schema: S): z.infer<S> {
    const result = z.safeParse(schema, jsonBody(req));
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", reason: issue.message }));
    throw new HttpError(400, problems.map((p) => `${p.field}: ${p.reason}`).join("; "), { code: "invalid_body", details: problems });
}
