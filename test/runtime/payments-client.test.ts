// payments(name) on AWS (aws-sdk-client-mock stands in for Step Functions; the payment records are
// in the local SQLite backend): StartExecution named after the payment id, a second start refused
// as PaymentAlreadyStarted, status read from the record or from a running execution, and the
// callback's resume, for which a wait that ended already is no error.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { PaymentStore } from "../../functions/payments/record";
import { createAwsPayments, executionArn } from "../../functions/runtime/clients/aws/payments";
import { createLocalTable, type LocalTableBackend } from "../../functions/runtime/clients/local/table";
import { InvalidPayment, PaymentAlreadyStarted, payments, paymentsClient, type Payment } from "../../functions/runtime/clients/payments";
import { tableClient, type Item, type TableClient } from "../../functions/runtime/clients/table";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:checkout-0f0c1d3";
const EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:checkout-0f0c1d3:pay-1";
const PAYMENT: Payment = { paymentId: "pay-1", orderId: "order-1", userId: "user-1", amount: 1250, currency: "EUR" };
const SETTINGS = { name: "checkout", table: "checkout-payments", workflowId: MACHINE };

/** An error as the SDK throws a service's: its name is the exception's. */
function serviceError(name: string, message = name): Error {
    return Object.assign(new Error(message), { name, $fault: "client", $metadata: {} });
}

describe("payments on AWS (Step Functions)", () => {
    const sfn = mockClient(SFNClient);
    const transport = createAwsPayments();
    let dir: string;
    let backend: LocalTableBackend;
    let records: TableClient<Item>;
    let starts: number;
    const client = () => paymentsClient(SETTINGS, transport, records, () => `start-${++starts}`);

    beforeEach(() => {
        sfn.reset();
        starts = 0;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "payments-client-"));
        backend = createLocalTable({ file: () => path.join(dir, "payments.sqlite") });
        records = tableClient({ name: "checkout-payments", tableName: "checkout_payments", partitionKey: "paymentId" }, backend);
    });
    afterEach(() => {
        backend.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    after(() => sfn.restore());

    describe("start", () => {
        it("starts an execution of the workflow's state machine named after the payment id, its input the payment and this start", async () => {
            sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
            assert.deepEqual(await client().start(PAYMENT), { paymentId: "pay-1", executionId: EXECUTION, startId: "start-1" });
            const calls = sfn.commandCalls(StartExecutionCommand);
            assert.equal(calls.length, 1);
            const input = calls[0].args[0].input;
            assert.equal(input.stateMachineArn, MACHINE);
            assert.equal(input.name, "pay-1");
            assert.deepEqual(JSON.parse(input.input!), { ...PAYMENT, startId: "start-1" });
        });

        it("refuses a second start of the payment as PaymentAlreadyStarted (the service's ExecutionAlreadyExists)", async () => {
            sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: EXECUTION, startDate: new Date() })
                .rejects(serviceError("ExecutionAlreadyExists", `Execution Already Exists: '${EXECUTION}'`));
            await client().start(PAYMENT);
            await assert.rejects(client().start(PAYMENT), (error: Error) => {
                assert.ok(error instanceof PaymentAlreadyStarted);
                assert.equal(error.paymentId, "pay-1");
                assert.match(error.message, /^payment 'pay-1' of workflow 'checkout' was started already: one payment id starts one workflow execution; read it with payments\("checkout"\)\.status\("pay-1"\) \(Execution Already Exists/);
                return true;
            });
            const [first, second] = sfn.commandCalls(StartExecutionCommand).map((c) => JSON.parse(c.args[0].input.input!));
            assert.notEqual(first.startId, second.startId, "each start differs, so the service never takes a second one for the first");
        });

        it("passes other failures on (access denied, throttling after the SDK's own retries)", async () => {
            sfn.on(StartExecutionCommand).rejects(serviceError("AccessDeniedException", "not authorized to perform states:StartExecution"));
            await assert.rejects(client().start(PAYMENT), /not authorized to perform states:StartExecution/);
        });

        it("refuses a payment it cannot start, naming the field, without calling the service", async () => {
            const invalid: [Partial<Payment>, RegExp][] = [
                [{ paymentId: "pay 1" }, /payment paymentId: "pay 1" must be 1 to 80 letters, digits, '_' or '-'/],
                [{ paymentId: "p".repeat(81) }, /payment paymentId/],
                [{ amount: 12.5 }, /payment amount: 12.5 must be a positive whole number in the currency's minor unit \(cents\)/],
                [{ amount: 0 }, /payment amount/],
                [{ currency: "eur" }, /payment currency: "eur" must be an ISO 4217 code in capitals/],
                [{ orderId: "" }, /payment orderId: expected a non-empty string/],
                [{ userId: undefined }, /payment userId/],
            ];
            for (const [change, message] of invalid) {
                await assert.rejects(client().start({ ...PAYMENT, ...change } as Payment), (error: Error) => error instanceof InvalidPayment && message.test(error.message));
            }
            assert.equal(sfn.commandCalls(StartExecutionCommand).length, 0);
        });
    });

    describe("status", () => {
        it("reads the payment record, the decided outcome first", async () => {
            const store = new PaymentStore(records);
            await store.create({ ...PAYMENT, startId: "start-1" });
            assert.equal((await client().status("pay-1"))!.status, "requested");
            await records.put({ paymentId: "result#pay-1", status: "succeeded", decidedAt: new Date().toISOString() });
            assert.equal((await client().status("pay-1"))!.status, "succeeded", "decided, not yet mirrored: still the outcome");
            assert.equal(sfn.commandCalls(DescribeExecutionCommand).length, 0, "a record needs no call");
        });

        it("before the workflow wrote the record: a requested view of the running execution", async () => {
            const startDate = new Date("2026-05-01T10:00:00Z");
            sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXECUTION, status: "RUNNING", startDate, input: JSON.stringify({ ...PAYMENT, startId: "start-7" }), stateMachineArn: MACHINE });
            assert.deepEqual(await client().status("pay-1"), {
                ...PAYMENT, status: "requested", round: 0, notified: false, startId: "start-7", createdAt: startDate.toISOString(), updatedAt: startDate.toISOString(),
            });
            assert.equal(sfn.commandCalls(DescribeExecutionCommand)[0].args[0].input.executionArn, EXECUTION);
        });

        it("is undefined for a payment never started", async () => {
            sfn.on(DescribeExecutionCommand).rejects(serviceError("ExecutionDoesNotExist"));
            assert.equal(await client().status("pay-1"), undefined);
        });

        it("refuses an id no payment can have", async () => {
            await assert.rejects(client().status("../pay"), InvalidPayment);
        });
    });

    describe("resume (callback mode)", () => {
        it("completes the wait with SendTaskSuccess", async () => {
            sfn.on(SendTaskSuccessCommand).resolves({});
            assert.equal(await transport.resume("token-1", { status: "succeeded" }), true);
            assert.deepEqual(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input, { taskToken: "token-1", output: JSON.stringify({ status: "succeeded" }) });
        });

        it("answers false for a wait that ended already (timed out, completed, its execution gone)", async () => {
            for (const name of ["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]) {
                sfn.reset();
                sfn.on(SendTaskSuccessCommand).rejects(serviceError(name));
                assert.equal(await transport.resume("token-1", { status: "failed" }), false, name);
            }
            sfn.reset();
            sfn.on(SendTaskSuccessCommand).rejects(serviceError("AccessDeniedException"));
            await assert.rejects(transport.resume("token-1", { status: "failed" }), /AccessDeniedException/);
        });
    });

    it("names an execution from its state machine's ARN, and refuses anything else", () => {
        assert.equal(executionArn(MACHINE, "pay-1"), EXECUTION);
        assert.equal(executionArn("arn:aws-cn:states:cn-north-1:123456789012:stateMachine:m", "p"), "arn:aws-cn:states:cn-north-1:123456789012:execution:m:p");
        assert.throws(() => executionArn("arn:aws:lambda:us-east-1:123456789012:function:f", "p"), /is not a state machine ARN/);
    });

    describe("payments(name)", () => {
        const saved = { ...process.env };
        before(() => {
            process.env.SB_TARGET = "aws";
            process.env.SB_PAYMENTS_CHECKOUT_TABLE = "checkout-payments";
            process.env.SB_PAYMENTS_CHECKOUT_WORKFLOW = MACHINE;
        });
        after(() => {
            for (const key of ["SB_TARGET", "SB_PAYMENTS_CHECKOUT_TABLE", "SB_PAYMENTS_CHECKOUT_WORKFLOW"]) {
                if (saved[key] === undefined) delete process.env[key];
                else process.env[key] = saved[key];
            }
        });

        it("finds the workflow through its link's variables", async () => {
            sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
            const started = await payments("checkout").start(PAYMENT);
            assert.equal(started.executionId, EXECUTION);
            assert.equal(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.stateMachineArn, MACHINE);
        });

        it("says which link is missing", async () => {
            await assert.rejects(payments("billing").start(PAYMENT), /SB_PAYMENTS_BILLING_TABLE is not set: link the payments 'billing' to this function/);
        });
    });
});
