// What function code asks of the local workflows (functions/runtime/clients/local/payments.ts),
// with the checks a cloud's policy makes. SB_ variables come only from links, so they stand for
// the permissions the links grant:
//   payments.start, payments.describe   the PaymentWorkflow's link: SB_PAYMENTS_<NAME>_WORKFLOW
//                                       names the workflow (AWS: states:StartExecution, DescribeExecution)
//   payments.resume                     only the workflow's callback, in callback mode: it serves the
//                                       workflow (SB_PAYMENTS_SERVES) and holds its callback secret
//                                       (AWS: states:SendTaskSuccess on that state machine)
import { linkVariable } from "../../components/link";
import { SERVES_ENV } from "../../functions/payments/names";
import type { ExecutionState, StartOutcome } from "../../functions/runtime/clients/payments";
import type { LocalFunctionDefinition } from "../function-host";
import type { LocalWorkflows } from "./service";

export const PAYMENTS_CALLS = ["payments.start", "payments.describe", "payments.resume"] as const;
export type PaymentsCall = (typeof PAYMENTS_CALLS)[number];

const WORKFLOW_VARIABLE = /^SB_PAYMENTS_.+_WORKFLOW$/;

export function isPaymentsCall(method: string): method is PaymentsCall {
    return (PAYMENTS_CALLS as readonly string[]).includes(method);
}

export function answerPaymentsCall(workflows: LocalWorkflows, caller: LocalFunctionDefinition, method: PaymentsCall, args: unknown): StartOutcome | ExecutionState | boolean | null {
    const { workflowId, name, input, token, output } = (args ?? {}) as { workflowId?: unknown; name?: unknown; input?: unknown; token?: unknown; output?: unknown };
    if (method === "payments.resume") {
        if (typeof token !== "string") throw new TypeError(`${method}: expected the task token, got ${JSON.stringify(token)}`);
        const workflow = workflows.tokenOwner(token);
        // As SendTaskSuccess answers a token it does not know: not an error, the wait is over.
        if (!workflow) return false;
        const callback = caller.environment[SERVES_ENV] === workflow.name && caller.environment[linkVariable("payments", workflow.name, "secret")] !== undefined;
        if (!workflow.resumable || !callback) {
            throw new Error(`function '${caller.name}' may not resume waits of workflow '${workflow.name}': only its callback may, in callback mode (waitForCallback: true)`);
        }
        return workflows.resume(token, output ?? null);
    }
    if (typeof workflowId !== "string") throw new TypeError(`${method}: expected the workflow's id, got ${JSON.stringify(workflowId)}`);
    const linked = Object.entries(caller.environment).some(([key, value]) => WORKFLOW_VARIABLE.test(key) && value === workflowId);
    if (!linked) throw new Error(`function '${caller.name}' may not start or read executions of workflow '${workflowId}': add the PaymentWorkflow's link (link: [checkout.link])`);
    if (typeof name !== "string") throw new TypeError(`${method}: expected the execution's name, got ${JSON.stringify(name)}`);
    if (method === "payments.start") return workflows.startExecution(workflowId, name, input);
    return workflows.describe(workflowId, name) ?? null;
}
