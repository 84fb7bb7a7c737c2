// Payments on Tencent Cloud: ASW (asw 2020-07-22) over signed API 3.0 calls (./api3.ts: no SDK in
// the bundle). StartExecution takes the payment id as the execution's Name, which ASW wants unique
// within the state machine ("如果填，应保证状态机下唯一"); what it answers for a name used before is
// not documented, so a start first looks the execution up by name (DescribeExecution) and reports
// a found one as taken, and a StartExecution error is looked up again the same way. Two starts
// racing past both look-ups are stopped by the workflow itself: its "Record payment" state finds
// the record and ends at "Already started", so the payment is never requested twice.
// ASW has no task-token API (no SendTaskSuccess), so `resume` refuses: the PaymentWorkflow refuses
// callback mode on Tencent Cloud before anything deploys.
import type { ExecutionState, PaymentExecutionInput, PaymentsTransport, StartOutcome } from "../payments";
import { callApi3, TencentApiError } from "./api3";
import { regionFromEnv, type TencentCredential } from "./credentials";

export const ASW_API = { service: "asw", version: "2020-07-22" } as const;

export interface TencentPaymentsOptions {
    /** Default: the function's own region (TENCENTCLOUD_REGION), where the stack put the flow too. */
    region?: string;
    /** Every call goes here instead of `https://asw.tencentcloudapi.com/` (tests). */
    endpoint?: string;
    /** Default: the function role's keys, read at each call. */
    credential?: TencentCredential;
}

/** DescribeExecution's Status: INIT, RUNNING, SUCCEED, FAILED, TERMINATED (the SDK's model). */
const STATUS: Record<string, ExecutionState["status"]> = {
    INIT: "running",
    RUNNING: "running",
    SUCCEED: "succeeded",
    FAILED: "failed",
    TERMINATED: "aborted",
};

/** The parts of a flow's resource name: `qrn:qcs:asw:<region>:<appId>:...:<flowId>`. */
export function parseFlowResource(resource: string): { region: string; appId: string; flowId: string } {
    const parts = resource.split(":");
    if (parts.length < 7 || parts[0] !== "qrn" || parts[1] !== "qcs" || parts[2] !== "asw" || !parts[3] || !parts[4] || !parts[parts.length - 1]) {
        throw new Error(`'${resource}' is not an ASW state machine resource (qrn:qcs:asw:<region>:<appId>:http:json:flowmachine:<name>:<flowId>)`);
    }
    return { region: parts[3], appId: parts[4], flowId: parts[parts.length - 1] };
}

/**
 * An execution's resource name from its flow's and its name:
 * `qrn:qcs:asw:<region>:<appId>:execution:<flowId>:<name>`, the form of ASW's own examples
 * (DescribeExecution, DescribeExecutionHistory: flow `...:flowmachine:bilibili-machine:bfhzs4j8`,
 * execution `...:execution:bfhzs4j8:<name>`); the API documents no other way to find one by name.
 */
export function executionResourceName(flowResource: string, name: string): string {
    const { region, appId, flowId } = parseFlowResource(flowResource);
    return `qrn:qcs:asw:${region}:${appId}:execution:${flowId}:${name}`;
}

interface ExecutionAnswer {
    ExecutionResourceName?: string | null;
    Status?: string | null;
    Input?: string | null;
    StartDate?: string | null;
}

/**
 * Whether an answer of DescribeExecution means "no such execution". Its documented codes have no
 * ResourceNotFound, only InvalidParameterValue; the name is built from a checked payment id and the
 * flow's own resource, so an invalid value there is an unknown execution. ResourceNotFound counts too.
 */
function noSuchExecution(error: unknown): boolean {
    return error instanceof TencentApiError && (error.code.startsWith("ResourceNotFound") || error.code.startsWith("InvalidParameterValue"));
}

export function createTencentPayments(options: TencentPaymentsOptions = {}): PaymentsTransport {
    const call = (action: string, payload: Record<string, unknown>) =>
        callApi3({ ...ASW_API, action, region: regionFromEnv(options.region), payload, endpoint: options.endpoint, credential: options.credential });

    const find = async (workflowId: string, name: string): Promise<ExecutionAnswer | undefined> => {
        try {
            return (await call("DescribeExecution", { ExecutionResourceName: executionResourceName(workflowId, name) })) as ExecutionAnswer;
        } catch (error) {
            if (noSuchExecution(error)) return undefined;
            throw error;
        }
    };

    return {
        async start(workflowId: string, name: string, input: PaymentExecutionInput): Promise<StartOutcome> {
            const before = await find(workflowId, name);
            if (before) return { started: false, detail: `ASW execution ${before.ExecutionResourceName ?? name} exists (${before.Status ?? "status unknown"})` };
            let started: Record<string, unknown>;
            try {
                started = await call("StartExecution", { StateMachineResourceName: workflowId, Input: JSON.stringify(input), Name: name });
            } catch (error) {
                // A concurrent start may have taken the name: then it exists now.
                if (error instanceof TencentApiError && (await find(workflowId, name))) return { started: false, detail: `${error.code}: ${error.message}` };
                throw error;
            }
            const executionId = started.ExecutionResourceName;
            if (typeof executionId !== "string" || !executionId) throw new Error(`asw StartExecution of ${name} answered no ExecutionResourceName (RequestId ${String(started.RequestId)})`);
            return { started: true, executionId };
        },
        async describe(workflowId: string, name: string): Promise<ExecutionState | undefined> {
            const found = await find(workflowId, name);
            if (!found) return undefined;
            return { status: STATUS[found.Status ?? ""] ?? "running", input: parseInput(found.Input), startedAt: startedAt(found.StartDate) };
        },
        async resume(): Promise<boolean> {
            throw new Error("ASW (Tencent Cloud) has no task-token API to resume a wait: a PaymentWorkflow on Tencent Cloud polls its payment record instead (waitForCallback is refused there)");
        },
    };
}

/** The transport `payments(name)` and the workflow's functions use on Tencent Cloud. */
export const tencentPayments: PaymentsTransport = createTencentPayments();

/** StartDate is milliseconds since the epoch as text ("执行开始时间，毫秒"). */
function startedAt(value: string | null | undefined): string {
    const ms = Number(value);
    const date = Number.isFinite(ms) && ms > 0 ? new Date(ms) : new Date(String(value));
    return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

function parseInput(input: string | null | undefined): PaymentExecutionInput | undefined {
    if (!input) return undefined;
    try {
        return JSON.parse(input) as PaymentExecutionInput;
    } catch {
        return undefined;
    }
}
