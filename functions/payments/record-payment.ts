// "Record payment": the PaymentWorkflow's first state makes the payment record before the payment
// service hears of the payment, so a callback always finds it (./steps.ts).
import { onTask } from "../runtime/workflow";
import { servedStore } from "./record";
import { recordPayment } from "./steps";

export const handler = onTask((input) => recordPayment(servedStore(), input));
