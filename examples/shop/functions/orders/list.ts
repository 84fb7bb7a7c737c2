// GET /orders?limit=20&cursor=... -> { orders, cursor? }: the caller's orders, oldest first.
import { http, HttpError } from "serverless-blocks/functions/runtime";
import { table } from "serverless-blocks/functions/runtime/clients/table";
import { callerId } from "./caller";
import type { Order } from "./order";

const MAX_LIMIT = 100;

export const handler = http(async (req) => {
    const userId = callerId(req);
    const limit = req.query.limit === undefined ? 20 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        throw new HttpError(400, `query parameter 'limit' must be a whole number from 1 to ${MAX_LIMIT}`);
    }
    const page = await table<Order>("orders")
        .query({ partition: userId, limit, cursor: req.query.cursor })
        .catch((err: unknown) => {
            // The table client refuses bad input (here: a cursor the caller made up) with a TypeError.
            throw err instanceof TypeError ? new HttpError(400, err.message, { code: "invalid_cursor" }) : err;
        });
    return { orders: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
});
