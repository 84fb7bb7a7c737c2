// A Realtime's connect handler when none is given: every connection whose token was verified is accepted.
import { onSocket } from "../runtime/socket";

export const handler = onSocket(() => undefined);
