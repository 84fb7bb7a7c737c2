// "Check status": applies the check function's report, reads the payment and counts the round (./steps.ts).
import { onTask } from "../runtime/workflow";
import { servedStore } from "./record";
import { checkStatus } from "./steps";

export const handler = onTask((input) => checkStatus(servedStore(), input));
