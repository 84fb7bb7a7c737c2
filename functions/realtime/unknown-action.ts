// A Realtime's `$default` handler when none is given: subscriptions are answered before it runs
// (functions/runtime/adapters/socket.ts); any other message names no route, and the sender is told.
import { HttpError } from "../runtime/http";
import { onSocket } from "../runtime/socket";

export const handler = onSocket((event) => {
    throw new HttpError(400, `no route for this message (route '${event.route}'); send JSON with a known action, or { "action": "subscribe", "topic": "..." }`, { code: "unknown_action" });
});
