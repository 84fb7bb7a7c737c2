// A Realtime's disconnect handler when none is given: the store has forgotten the connection already.
import { onSocket } from "../runtime/socket";

export const handler = onSocket(() => undefined);
