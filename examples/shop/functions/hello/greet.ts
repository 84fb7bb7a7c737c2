// GET /hello?name=Ada -> { "message": "Hello, Ada!" }
import { http, HttpError } from "serverless-blocks/functions/runtime";

const MAX_NAME = 64;

export const handler = http(async (req) => {
    const name = req.query.name ?? "world";
    if (name.length > MAX_NAME) {
        throw new HttpError(400, `query parameter 'name' is too long: ${name.length} characters, at most ${MAX_NAME}`, { code: "invalid_name" });
    }
    return { message: `Hello, ${name}!` };
});
