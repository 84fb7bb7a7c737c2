// Payments on AWS: Step Functions. StartExecution names the execution after the payment id, so
// the service refuses a second start (ExecutionAlreadyExists, for 90 days after the first one
// closed; the workflow's own "Record payment" state refuses it after that). DescribeExecution reads
// one; SendTaskSuccess resumes the wait of callback mode.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
import {
    DescribeExecutionCommand,
    SendTaskSuccessCommand,
    SFNClient,
    StartExecutionCommand,
    type ExecutionStatus,
} from "@aws-sdk/client-sfn";
import type { ExecutionState, PaymentExecutionInput, PaymentsTransport, StartOutcome } from "../payments";

export interface AwsPaymentsOptions {
    /** The client; by default one per container, made at the first call. */
    client?: () => SFNClient;
}

let shared: SFNClient | undefined;
/** Made lazily and kept for the container's life: cold starts pay for it once, warm ones never. */
const sharedClient = () => (shared ??= new SFNClient({}));

/** The service's answers for a token that is no longer waited for: the wait completed, timed out, or its execution ended. */
const TOKEN_GONE = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

const STATUS: Record<ExecutionStatus, ExecutionState["status"]> = {
    RUNNING: "running",
    PENDING_REDRIVE: "running",
    SUCCEEDED: "succeeded",
    FAILED: "failed",
    TIMED_OUT: "timed_out",
    ABORTED: "aborted",
};

export function createAwsPayments(options: AwsPaymentsOptions = {}): PaymentsTransport {
    const client = options.client ?? sharedClient;
    return {
        async start(workflowId: string, name: string, input: PaymentExecutionInput): Promise<StartOutcome> {
            try {
                const started = await client().send(new StartExecutionCommand({ stateMachineArn: workflowId, name, input: JSON.stringify(input) }));
                if (!started.executionArn) throw new Error(`StartExecution of ${name} answered no executionArn`);
                return { started: true, executionId: started.executionArn };
            } catch (error) {
                // Each start has its own startId, so the input always differs: a taken name is always this error.
                if ((error as Error).name === "ExecutionAlreadyExists") return { started: false, detail: (error as Error).message };
                throw error;
            }
        },
        async describe(workflowId: string, name: string): Promise<ExecutionState | undefined> {
            try {
                const execution = await client().send(new DescribeExecutionCommand({ executionArn: executionArn(workflowId, name) }));
                return {
                    status: STATUS[execution.status as ExecutionStatus] ?? "running",
                    input: parseInput(execution.input),
                    startedAt: (execution.startDate ?? new Date(0)).toISOString(),
                };
            } catch (error) {
                if ((error as Error).name === "ExecutionDoesNotExist") return undefined;
                throw error;
            }
        },
        async resume(token: string, output: Record<string, unknown>): Promise<boolean> {
            try {
                await client().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
                return true;
            } catch (error) {
                if (TOKEN_GONE.has((error as Error).name)) return false;
                throw error;
            }
        },
    };
}

/** The transport `payments(name)` and the workflow's functions use on AWS. */
export const awsPayments: PaymentsTransport = createAwsPayments();

/**
 * An execution's ARN from its state machine's and its name:
 * arn:<partition>:states:<region>:<account>:stateMachine:<machine> -> ...:execution:<machine>:<name>.
 */
export function executionArn(stateMachineArn: string, name: string): string {
    const parts = stateMachineArn.split(":");
    if (parts.length !== 7 || parts[2] !== "states" || parts[5] !== "stateMachine") {
        throw new Error(`'${stateMachineArn}' is not a state machine ARN (arn:<partition>:states:<region>:<account>:stateMachine:<name>)`);
    }
    return [...parts.slice(0, 5), "execution", parts[6], name].join(":");
}

function parseInput(input: string | undefined): PaymentExecutionInput | undefined {
    if (!input) return undefined;
    try {
        return JSON.parse(input) as PaymentExecutionInput;
    } catch {
        return undefined;
    }
}
