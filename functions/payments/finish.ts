// "Finish", "Time out" and "Record failure": the outcome decided once, the notice claimed once (./steps.ts).
import { onTask } from "../runtime/workflow";
import { servedStore } from "./record";
import { finishPayment } from "./steps";

export const handler = onTask((input) => finishPayment(servedStore(), input));
