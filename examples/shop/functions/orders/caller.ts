// The signed-in caller of an order route: the `sub` of the access token the gateway (or the
// adapter) verified. Orders are kept per user, so a caller only ever reaches their own.
import { HttpError, type HttpRequest } from "serverless-blocks/functions/runtime";

export function callerId(req: HttpRequest): string {
    const sub = req.claims?.sub;
    if (typeof sub !== "string" || sub === "") throw new HttpError(401, "sign in first: this route needs an access token");
    return sub;
}
