// Payments on the local target: the runtime hosting this function runs the workflows
// (local/workflows/), so starting, reading and resuming an execution is a call to it over the
// worker's message port (./channel.ts). The runtime checks the caller's link as a cloud's policy
// would: starting and reading need the PaymentWorkflow's link; resuming, its callback's.
import type { ExecutionState, PaymentsTransport, StartOutcome } from "../payments";
import { callRuntime, inLocalFunction } from "./channel";

function call(method: string, args: Record<string, unknown>): Promise<unknown> {
    // The executions live in the runtime's process: only its function instances can reach them.
    if (!inLocalFunction()) return Promise.reject(new Error(`${method}: only a function running in the local runtime (npm start) can reach its workflows`));
    return callRuntime(method, args);
}

export const localPayments: PaymentsTransport = {
    async start(workflowId, name, input) {
        return (await call("payments.start", { workflowId, name, input })) as StartOutcome;
    },
    async describe(workflowId, name) {
        return ((await call("payments.describe", { workflowId, name })) ?? undefined) as ExecutionState | undefined;
    },
    async resume(token, output) {
        return (await call("payments.resume", { token, output })) === true;
    },
};
