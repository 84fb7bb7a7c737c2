// The workflows' executions over HTTP, on the runtime's port (for people, and the console to come):
//   GET /_local/workflows                               each workflow with its executions by status
//   GET /_local/workflows/<name>/executions             its executions, newest first (100 at most)
//   GET /_local/workflows/<name>/executions/<id>        one execution (by name or executionId) and its
//                                                       history: every state entered, its input,
//                                                       output, where it led, its retries, catches
//                                                       and resumes, and what it is waiting for
// Times are ISO 8601. Task tokens are not shown: a token is what resumes a wait.
import { LOCAL_WORKFLOWS_PATH } from "../../components/local/descriptor";
import { executionId } from "./executor";
import type { LocalWorkflows } from "./service";
import type { ExecutionRecord, StepRecord } from "./store";

export function isWorkflowRequest(pathname: string): boolean {
    return pathname === LOCAL_WORKFLOWS_PATH || pathname.startsWith(`${LOCAL_WORKFLOWS_PATH}/`);
}

/** The answer to a request under /_local/workflows: a status and a JSON body (`{ error: { message } }` when refused). */
export function answerWorkflowRequest(workflows: LocalWorkflows, method: string | undefined, pathname: string): { status: number; body: unknown } {
    if (method !== "GET") return refuse(405, `${method} ${pathname}: only GET is allowed`);
    if (!workflows.started) return refuse(503, "the local runtime's workflows are not running");
    const parts = pathname.slice(LOCAL_WORKFLOWS_PATH.length).split("/").filter(Boolean).map(decode);
    if (parts.some((p) => p === undefined)) return refuse(400, `${pathname} is not percent-encoded text`);
    const [workflow, collection, id, ...rest] = parts as string[];
    if (workflow === undefined) return { status: 200, body: { workflows: workflows.status() } };
    if (!workflows.byName(workflow)) return refuse(404, `no workflow named '${workflow}'; workflows: ${workflows.names.join(", ") || "none"}`);
    if (collection !== "executions" || rest.length > 0) return refuse(404, `nothing at ${pathname}; see ${LOCAL_WORKFLOWS_PATH}/${workflow}/executions[/<id>]`);
    if (id === undefined) return { status: 200, body: { workflow, executions: workflows.list(workflow).map(summary) } };
    const prefix = executionId(workflow, "");
    const found = workflows.execution(workflow, id.startsWith(prefix) ? id.slice(prefix.length) : id);
    if (!found) return refuse(404, `workflow '${workflow}' has no execution '${id}'`);
    return { status: 200, body: view(found.execution, found.history) };
}

function summary(execution: ExecutionRecord) {
    return {
        name: execution.name,
        executionId: executionId(execution.workflow, execution.name),
        status: execution.status,
        startedAt: iso(execution.startedAt),
        ...(execution.stoppedAt !== undefined ? { stoppedAt: iso(execution.stoppedAt) } : {}),
    };
}

function view(execution: ExecutionRecord, history: StepRecord[]) {
    const current = history.find((s) => s.seq === execution.step);
    return {
        workflow: execution.workflow,
        ...summary(execution),
        input: execution.input,
        ...(execution.output !== undefined ? { output: execution.output } : {}),
        ...(execution.error !== undefined ? { error: execution.error, cause: execution.cause } : {}),
        ...(execution.status === "running" && current ? { at: { state: current.state, since: iso(current.enteredAt) } } : {}),
        history: history.map((step) => ({
            seq: step.seq,
            state: step.state,
            type: step.type,
            enteredAt: iso(step.enteredAt),
            ...(step.exitedAt !== undefined ? { exitedAt: iso(step.exitedAt) } : {}),
            attempts: step.attempts,
            input: step.input,
            ...(step.output !== undefined ? { output: step.output } : {}),
            ...(step.next !== undefined ? { next: step.next } : {}),
            ...(step.error !== undefined ? { error: step.error, cause: step.cause } : {}),
            ...(step.deadline !== undefined ? { waitsUntil: iso(step.deadline) } : {}),
            ...(step.token !== undefined ? { waitsForToken: step.exitedAt === undefined && !("resumed" in step), resumed: "resumed" in step } : {}),
            events: step.events.map((e) => ({ ...e, at: iso(e.at) })),
        })),
    };
}

const iso = (ms: number) => new Date(ms).toISOString();

function decode(part: string): string | undefined {
    try {
        return decodeURIComponent(part);
    } catch {
        return undefined;
    }
}

function refuse(status: number, message: string) {
    return { status, body: { error: { message } } };
}
