// Callback mode's "Wait for result": keeps the wait's token for the callback to resume (./steps.ts).
import { onTask } from "../runtime/workflow";
import { servedStore } from "./record";
import { awaitCallback } from "./steps";

export const handler = onTask((input) => awaitCallback(servedStore(), input));
