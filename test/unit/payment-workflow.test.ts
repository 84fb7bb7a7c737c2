// PaymentWorkflow: the one definition (every state and transition, polling and callback mode,
// validated by asl-validator), the args refused before anything registers, and the AWS
// realisation: a STANDARD state machine logging without execution data and tracing, a role that
// may invoke exactly the workflow's functions, the start link's and the callback's permissions,
// and the public, signed callback route.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PaymentWorkflow, type PaymentWorkflowArgs } from "../../components";
import { awsTarget, executionsOf, LAMBDA_SERVICE_ERRORS, LOG_DELIVERY_ACTIONS, TRACING_ACTIONS } from "../../components/aws/payment-workflow";
import { TABLE_ACTIONS } from "../../components/aws/table";
import { paymentDefinition, STATES, TASK_RETRY, taskRoles, type DefinitionOptions, type DefinitionTarget, type StateMachineDefinition, type TaskRole } from "../../components/payment/definition";
import { evaluate, evaluateFailing, json, type Evaluated } from "../harness";

// asl-validator ships no types; it adds QueryLanguage to the definition it is given, so it gets a copy.
const aslValidator: (definition: unknown) => { isValid: boolean; errorsText(separator?: string): string } = require("asl-validator");

const SECRET = "whsec-0123456789abcdef-never-in-clear";
const FIXTURES = "test/fixtures/functions";
const T = {
    machine: "aws:sfn/stateMachine:StateMachine",
    role: "aws:iam/role:Role",
    policy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    lambda: "aws:lambda/function:Function",
    table: "aws:dynamodb/table:Table",
    route: "aws:apigatewayv2/route:Route",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    fn: "serverless-blocks:index:Function",
    component: "serverless-blocks:index:PaymentWorkflow",
};

const OPTIONS: DefinitionOptions = { name: "checkout", waitSeconds: 10, maxRounds: 30, waitForCallback: false, askProvider: false };
const ARNS = Object.fromEntries(["record", "request", "await", "check", "status", "finish", "notify"].map((role) => [role, `arn:aws:lambda:us-east-1:123456789012:function:checkout-${role}`])) as Record<TaskRole, string>;
const RETRY = [{ ErrorEquals: ["TransientError", ...LAMBDA_SERVICE_ERRORS], ...TASK_RETRY }];
const TO_FAILURE = { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: STATES.failure };

function definition(options: Partial<DefinitionOptions> = {}, target: DefinitionTarget = awsTarget(ARNS)): StateMachineDefinition {
    return paymentDefinition({ ...OPTIONS, ...options }, target);
}

function assertValid(def: unknown): void {
    const result = aslValidator(JSON.parse(JSON.stringify(def)));
    assert.ok(result.isValid, `asl-validator: ${result.isValid || result.errorsText("\n")}`);
}

/** Every state a transition (Next, Default, a choice, a catch) leads to from `name`. */
function targets(state: Record<string, any>): string[] {
    return [state.Next, state.Default, ...(state.Choices ?? []).map((c: any) => c.Next), ...(state.Catch ?? []).map((c: any) => c.Next)].filter(Boolean);
}

const MODES: { mode: string; options: Partial<DefinitionOptions> }[] = [
    { mode: "polling", options: {} },
    { mode: "polling with a check function", options: { askProvider: true } },
    { mode: "callback", options: { waitForCallback: true } },
    { mode: "callback with a check function", options: { waitForCallback: true, askProvider: true } },
];

describe("PaymentWorkflow definition", () => {
    for (const { mode, options } of MODES) {
        it(`is valid Amazon States Language in ${mode} mode, every state reachable, every target a state`, () => {
            const def = definition(options);
            assertValid(def);
            const seen = new Set<string>();
            const walk = (name: string) => {
                if (seen.has(name)) return;
                assert.ok(def.States[name], `a transition leads to '${name}', which is no state`);
                seen.add(name);
                targets(def.States[name]).forEach(walk);
            };
            walk(def.StartAt);
            assert.deepEqual([...seen].sort(), Object.keys(def.States).sort(), "every state is reachable from StartAt");
        });
    }

    it("stays valid at the limits of the args", () => {
        for (const [waitSeconds, maxRounds] of [[1, 1], [3600, 100]]) {
            for (const { options } of MODES) assertValid(definition({ ...options, waitSeconds, maxRounds }));
        }
    });

    it("is refused by the validator when a transition is broken (the validator is no rubber stamp)", () => {
        const def = definition();
        def.States[STATES.request].Next = "Nowhere";
        assert.equal(aslValidator(JSON.parse(JSON.stringify(def))).isValid, false);
    });

    it("records the payment first; another start of it ends at Already started, any failure at Record failure", () => {
        const def = definition();
        assert.equal(def.StartAt, STATES.record);
        assert.deepEqual(def.States[STATES.record], {
            Type: "Task",
            Resource: ARNS.record,
            Retry: RETRY,
            Comment: def.States[STATES.record].Comment,
            Catch: [{ ErrorEquals: ["PaymentAlreadyStarted"], Next: STATES.alreadyStarted }, TO_FAILURE],
            Next: STATES.request,
        });
        assert.deepEqual(def.States[STATES.alreadyStarted], { Type: "Fail", Error: "PaymentAlreadyStarted", Cause: def.States[STATES.alreadyStarted].Cause });
    });

    it("requests the payment with retries on transient and Lambda service errors, backing off, and catches the rest", () => {
        const request = definition().States[STATES.request];
        assert.equal(request.Type, "Task");
        assert.equal(request.Resource, ARNS.request);
        assert.deepEqual(request.Retry, RETRY);
        assert.deepEqual(RETRY[0].ErrorEquals, ["TransientError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"]);
        assert.ok(TASK_RETRY.BackoffRate > 1 && TASK_RETRY.MaxAttempts > 1 && TASK_RETRY.IntervalSeconds > 0, "retries back off");
        assert.equal(request.ResultPath, null, "the state keeps the payment; the request's answer is not needed");
        assert.deepEqual(request.Catch, [TO_FAILURE]);
        assert.equal(request.Next, STATES.wait);
    });

    it("polls: waits waitSeconds, checks the status (counting the round), and chooses", () => {
        const def = definition({ waitSeconds: 42, maxRounds: 7 });
        assert.deepEqual(def.States[STATES.wait], { Type: "Wait", Comment: def.States[STATES.wait].Comment, Seconds: 42, Next: STATES.check });
        assert.equal(def.States[STATES.ask], undefined, "no check function, no asking");
        const check = def.States[STATES.check];
        assert.equal(check.Resource, ARNS.status);
        assert.deepEqual(check.Retry, RETRY);
        assert.deepEqual(check.Catch, [TO_FAILURE]);
        assert.equal(check.Next, STATES.completed);
        assert.deepEqual(def.States[STATES.completed], {
            Type: "Choice",
            Choices: [
                { Or: ["succeeded", "failed", "timed_out"].map((status) => ({ Variable: "$.status", StringEquals: status })), Next: STATES.finish },
                { Variable: "$.round", NumericGreaterThanEquals: 7, Next: STATES.timeOut },
            ],
            Default: STATES.wait,
        });
    });

    it("asks the check function before each status check, keeping its answer in $.reported", () => {
        const def = definition({ askProvider: true });
        assert.equal(def.States[STATES.wait].Next, STATES.ask);
        const ask = def.States[STATES.ask];
        assert.equal(ask.Resource, ARNS.check);
        assert.equal(ask.ResultPath, "$.reported");
        assert.deepEqual(ask.Retry, RETRY);
        assert.deepEqual(ask.Catch, [TO_FAILURE]);
        assert.equal(ask.Next, STATES.check);
    });

    it("decides the outcome once in Finish, Time out and Record failure, then lets one execution notify", () => {
        const def = definition({ waitSeconds: 5, maxRounds: 3 });
        assert.deepEqual(def.States[STATES.finish].Parameters, { "payment.$": "$", "outcome.$": "$.status" });
        assert.deepEqual(def.States[STATES.timeOut].Parameters, { "payment.$": "$", outcome: "timed_out", reason: "no final status after 3 checks, 5 s apart" });
        assert.deepEqual(def.States[STATES.failure].Parameters, { "payment.$": "$", outcome: "failed", "error.$": "$.error" });
        for (const name of [STATES.finish, STATES.timeOut, STATES.failure]) {
            const state = def.States[name];
            assert.equal(state.Resource, ARNS.finish, `${name} runs the finish function`);
            assert.deepEqual(state.Retry, RETRY);
            assert.equal(state.Catch, undefined, `${name}: a failure to record the outcome fails the execution (redrive it)`);
            assert.equal(state.Next, STATES.firstNotice);
        }
        assert.deepEqual(def.States[STATES.firstNotice], {
            Type: "Choice",
            Choices: [{ Variable: "$.notify", BooleanEquals: true, Next: STATES.notify }],
            Default: STATES.notifiedAlready,
        });
        const notify = def.States[STATES.notify];
        assert.equal(notify.Resource, ARNS.notify);
        assert.equal(notify.InputPath, "$.notice");
        assert.equal(notify.OutputPath, "$.notice");
        assert.equal(notify.End, true);
        assert.deepEqual(notify.Retry, RETRY);
        assert.equal(notify.Catch, undefined);
        assert.equal(def.States[STATES.notifiedAlready].Type, "Succeed");
    });

    it("waits for the callback's task token at most waitSeconds per round, then checks anyway", () => {
        const def = definition({ waitForCallback: true, waitSeconds: 20 });
        assert.deepEqual(def.States[STATES.wait], {
            Type: "Task",
            Comment: def.States[STATES.wait].Comment,
            Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            Parameters: { FunctionName: ARNS.await, Payload: { "payment.$": "$", "taskToken.$": "$$.Task.Token" } },
            TimeoutSeconds: 20,
            ResultPath: null,
            Retry: RETRY,
            Catch: [
                { ErrorEquals: ["States.Timeout", "PaymentSettled"], ResultPath: null, Next: STATES.check },
                TO_FAILURE,
            ],
            Next: STATES.check,
        });
        assert.equal(def.States[STATES.wait].HeartbeatSeconds, undefined, "nothing sends heartbeats: TimeoutSeconds bounds the wait");
    });

    it("invokes in the function's own partition in callback mode", () => {
        const china = Object.fromEntries(Object.entries(ARNS).map(([role, arn]) => [role, arn.replace("arn:aws:", "arn:aws-cn:")])) as Record<TaskRole, string>;
        assert.equal(definition({ waitForCallback: true }, awsTarget(china)).States[STATES.wait].Resource, "arn:aws-cn:states:::lambda:invoke.waitForTaskToken");
    });

    it("runs only the functions its mode needs", () => {
        assert.deepEqual(taskRoles({ waitForCallback: false, askProvider: false }), ["record", "request", "status", "finish", "notify"]);
        assert.deepEqual(taskRoles({ waitForCallback: true, askProvider: true }), ["record", "request", "await", "check", "status", "finish", "notify"]);
    });

    it("refuses callback mode on a target that cannot wait for a token", () => {
        assert.throws(() => definition({ waitForCallback: true }, { resource: (role) => ARNS[role], serviceErrors: [] }), /PaymentWorkflow 'checkout': this target cannot wait for a callback's task token/);
    });
});

function checkoutArgs(overrides: Partial<PaymentWorkflowArgs> = {}): PaymentWorkflowArgs {
    return {
        request: { handler: `${FIXTURES}/payment-request.handler` },
        notify: { handler: `${FIXTURES}/payment-notify.handler` },
        callbackSecret: SECRET,
        ...overrides,
    };
}

function checkout(overrides: Partial<PaymentWorkflowArgs> = {}) {
    return () => {
        const workflow = new PaymentWorkflow("checkout", checkoutArgs(overrides));
        return { callbackUrl: workflow.callbackUrl, resourceId: workflow.resourceId, link: workflow.link, paymentsTable: workflow.paymentsTable };
    };
}

/** The live alias ARNs of the workflow's task functions, by role (the component's Function children): what the state machine invokes. */
function taskArns(stack: Evaluated): Record<string, string> {
    return Object.fromEntries(stack.childrenOf("checkout").filter((r) => r.type === T.fn).map((fn) => [fn.name.replace("checkout-", ""), `${stack.one(T.lambda, fn.name).state.arn}:live`]));
}

describe("PaymentWorkflow on AWS", () => {
    it("is a STANDARD state machine running the definition over its own functions, logging without data, tracing", async () => {
        const stack = await evaluate("aws", checkout({ waitSeconds: 15, maxRounds: 12 }));
        const machine = stack.one(T.machine, "checkout");
        assert.equal(machine.parent, "checkout");
        assert.equal(machine.inputs.type, "STANDARD");
        assert.deepEqual(machine.inputs.tracingConfiguration, { enabled: true });
        const logs = stack.one(T.logGroup, "checkout-logs");
        assert.deepEqual(machine.inputs.loggingConfiguration, { level: "ALL", includeExecutionData: false, logDestination: `${logs.state.arn}:*` });
        assert.equal(logs.inputs.retentionInDays, 14, "the stack's log retention");
        assert.match(String(logs.inputs.name), /^\/aws\/vendedlogs\/states\//);

        const arns = taskArns(stack);
        assert.deepEqual(Object.keys(arns).sort(), ["finish", "notify", "record", "request", "status"]);
        const def = json(machine.inputs.definition);
        assertValid(def);
        assert.deepEqual(def, JSON.parse(JSON.stringify(paymentDefinition({ ...OPTIONS, waitSeconds: 15, maxRounds: 12 }, awsTarget(arns as Record<TaskRole, string>)))));
        assert.equal(stack.outputs.resourceId, machine.state.arn);
    });

    it("has a role Step Functions assumes, invoking exactly the workflow's task functions", async () => {
        for (const overrides of [{}, { waitForCallback: true, check: { handler: `${FIXTURES}/payment-check.handler` } }]) {
            const stack = await evaluate("aws", checkout(overrides));
            const role = stack.one(T.role, "checkout-role");
            assert.deepEqual(json(role.inputs.assumeRolePolicy).Statement, [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            assert.equal(stack.one(T.machine).inputs.roleArn, role.state.arn);
            const policy = stack.one(T.policy, "checkout-policy");
            assert.equal(policy.inputs.role, role.state.name);
            const statements = json(policy.inputs.policy).Statement;
            const arns = taskArns(stack);
            assert.deepEqual(statements[0], { Sid: "InvokeTasks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: Object.values(arns).sort() });
            assert.ok(!statements[0].Resource.includes(stack.one(T.lambda, "checkout-callback-post-payments-callback").state.arn), "not the callback: the state machine never invokes it");
            // Log delivery and X-Ray take no resource but *: those statements hold nothing else.
            assert.deepEqual(statements.slice(1), [
                { Sid: "DeliverLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: ["*"] },
                { Sid: "Trace", Effect: "Allow", Action: TRACING_ACTIONS, Resource: ["*"] },
            ]);
            assert.ok(stack.one(T.machine).dependsOn.includes("checkout-policy"), "created once its role may deliver logs");
        }
    });

    it("makes the user's functions and the built-ins: the check and await functions only in their modes", async () => {
        const polling = await evaluate("aws", checkout());
        assert.deepEqual(Object.keys(taskArns(polling)).sort(), ["finish", "notify", "record", "request", "status"]);
        const callback = await evaluate("aws", checkout({ waitForCallback: true, check: { handler: `${FIXTURES}/payment-check.handler`, memory: 512 } }));
        assert.deepEqual(Object.keys(taskArns(callback)).sort(), ["await", "check", "finish", "notify", "record", "request", "status"]);
        assert.equal(callback.one(T.lambda, "checkout-check").inputs.memorySize, 512);
        // The built-ins use the payments table, and only it.
        const table = callback.one(T.table, "checkout-payments");
        for (const builtIn of ["record", "await", "status", "finish"]) {
            const statements = json(callback.one(T.policy, `checkout-${builtIn}-policy`).inputs.policy).Statement;
            assert.deepEqual(statements[2], { Effect: "Allow", Action: TABLE_ACTIONS, Resource: [table.state.arn] }, builtIn);
            assert.equal(statements.length, 3, `${builtIn}: its logs, its traces and the table`);
            assert.equal(callback.one(T.lambda, `checkout-${builtIn}`).state.environment.variables.SB_PAYMENTS_SERVES, "checkout");
        }
        // The user's functions get their own links only.
        assert.equal(json(callback.one(T.policy, "checkout-request-policy").inputs.policy).Statement.length, 2);
        assert.equal(table.inputs.hashKey, "paymentId");
    });

    it("links starters to start and read executions of this state machine, and read payment records, nothing else", async () => {
        const stack = await evaluate("aws", checkout());
        const machine = stack.one(T.machine);
        const table = stack.one(T.table, "checkout-payments");
        const link = stack.outputs.link;
        assert.deepEqual(link.permissions, [
            { actions: ["states:StartExecution"], resources: [machine.state.arn] },
            { actions: ["states:DescribeExecution"], resources: [executionsOf(machine.state.arn, machine.state.name)] },
            { actions: ["dynamodb:GetItem"], resources: [table.state.arn] },
        ]);
        assert.equal(executionsOf("arn:aws:states:us-east-1:123456789012:stateMachine:checkout-0f0c1d3", "checkout-0f0c1d3"), "arn:aws:states:us-east-1:123456789012:execution:checkout-0f0c1d3:*");
        assert.equal(link.environment.SB_PAYMENTS_CHECKOUT_WORKFLOW, machine.state.arn);
        assert.equal(link.environment.SB_PAYMENTS_CHECKOUT_TABLE, "checkout-payments");
        assert.equal(link.environment.SB_TABLE_CHECKOUT_PAYMENTS_NAME, table.state.name);
        assert.equal(stack.outputs.paymentsTable, table.state.name);
    });

    it("serves the callback on a public route, its function holding the secret as a secret", async () => {
        const stack = await evaluate("aws", checkout());
        const route = stack.one(T.route, "checkout-callback-post-payments-callback-route");
        assert.equal(route.inputs.routeKey, "POST /payments/callback");
        assert.equal(route.inputs.authorizationType, "NONE", "the payment service has no token of ours: the signature is checked");
        assert.equal(stack.ofType(T.authorizer).length, 0);
        assert.match(stack.outputs.callbackUrl, /^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com\/payments\/callback$/);
        const callback = stack.one(T.lambda, "checkout-callback-post-payments-callback");
        assert.deepEqual(callback.inputs.environment, { variables: "[secret]" }, "the variables carry the HMAC key: secret in the plan");
        const variables = callback.state.environment.variables;
        assert.equal(variables.SB_PAYMENTS_CHECKOUT_SECRET, SECRET);
        assert.equal(variables.SB_PAYMENTS_CHECKOUT_TOLERANCE, "300");
        assert.equal(variables.SB_PAYMENTS_SERVES, "checkout");
        assert.ok(!JSON.stringify(stack.resources.map((r) => r.inputs)).includes(SECRET), "the secret is in no input in clear");
    });

    it("lets the callback resume this state machine's waits in callback mode only", async () => {
        const polling = await evaluate("aws", checkout());
        const pollingStatements = json(polling.one(T.policy, "checkout-callback-post-payments-callback-policy").inputs.policy).Statement;
        assert.ok(!JSON.stringify(pollingStatements).includes("states:"), "polling: no Step Functions action");

        const stack = await evaluate("aws", checkout({ waitForCallback: true, callbackToleranceSeconds: 60 }));
        const machine = stack.one(T.machine);
        const statements = json(stack.one(T.policy, "checkout-callback-post-payments-callback-policy").inputs.policy).Statement;
        assert.deepEqual(statements.filter((s: any) => s.Action.some((a: string) => a.startsWith("states:"))), [
            { Effect: "Allow", Action: ["states:SendTaskSuccess"], Resource: [machine.state.arn] },
        ]);
        assert.equal(stack.one(T.lambda, "checkout-callback-post-payments-callback").state.environment.variables.SB_PAYMENTS_CHECKOUT_TOLERANCE, "60");
    });
});

describe("PaymentWorkflow args", () => {
    const refused: { why: string; args: PaymentWorkflowArgs; message: RegExp }[] = [
        { why: "no request", args: checkoutArgs({ request: undefined }), message: /config PaymentWorkflow 'checkout' request: missing; expected the task function/ },
        { why: "a notify without code", args: checkoutArgs({ notify: {} }), message: /PaymentWorkflow 'checkout' notify: Function 'checkout-notify': give exactly one of 'handler'/ },
        { why: "a check with a bad memory", args: checkoutArgs({ check: { handler: `${FIXTURES}/payment-check.handler`, memory: 100 } }), message: /PaymentWorkflow 'checkout' check: config Function 'checkout-check' memory: '100' is not allowed/ },
        { why: "waitSeconds 0", args: checkoutArgs({ waitSeconds: 0 }), message: /config PaymentWorkflow 'checkout' waitSeconds: '0' is not allowed; expected a whole number from 1 to 3600/ },
        { why: "waitSeconds 3601", args: checkoutArgs({ waitSeconds: 3601 }), message: /waitSeconds: '3601' is not allowed/ },
        { why: "waitSeconds 1.5", args: checkoutArgs({ waitSeconds: 1.5 }), message: /waitSeconds: '1.5' is not allowed/ },
        { why: "maxRounds 0", args: checkoutArgs({ maxRounds: 0 }), message: /config PaymentWorkflow 'checkout' maxRounds: '0' is not allowed; expected a whole number from 1 to 100/ },
        { why: "maxRounds 101", args: checkoutArgs({ maxRounds: 101 }), message: /maxRounds: '101' is not allowed/ },
        { why: "a tolerance of 29 s", args: checkoutArgs({ callbackToleranceSeconds: 29 }), message: /config PaymentWorkflow 'checkout' callbackToleranceSeconds: '29' is not allowed; expected a whole number from 30 to 900/ },
        { why: "a tolerance of 901 s", args: checkoutArgs({ callbackToleranceSeconds: 901 }), message: /callbackToleranceSeconds: '901' is not allowed/ },
        { why: "waitForCallback as text", args: checkoutArgs({ waitForCallback: "yes" as unknown as boolean }), message: /config PaymentWorkflow 'checkout' waitForCallback: 'yes' is not allowed; expected true or false/ },
        { why: "no secret", args: checkoutArgs({ callbackSecret: undefined as unknown as string }), message: /config PaymentWorkflow 'checkout' callbackSecret: missing; give the HMAC key shared with the payment service, at least 16 characters, as a secret/ },
        { why: "a short secret", args: checkoutArgs({ callbackSecret: "short" }), message: /config PaymentWorkflow 'checkout' callbackSecret: '\(too short\)' is not allowed/ },
    ];
    for (const { why, args, message } of refused) {
        it(`refuses ${why}, registering nothing`, async () => {
            const { error, registered } = await evaluateFailing("aws", () => new PaymentWorkflow("checkout", args));
            assert.match(error.message, message);
            assert.ok(!error.message.includes("'short'"), "a secret is never echoed");
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing is registered, not even the component");
        });
    }

    it("checks a secret given as an output once it is known, without echoing it", async () => {
        const { error } = await evaluateFailing("aws", () => new PaymentWorkflow("checkout", checkoutArgs({ callbackSecret: pulumi.secret("tiny") })));
        assert.match(error.message, /config PaymentWorkflow 'checkout' callbackSecret: '\(too short\)' is not allowed/);
        assert.ok(!error.message.includes("tiny"));
    });

    it("refuses a name its payments table cannot take, registering nothing", async () => {
        const { error, registered } = await evaluateFailing("aws", () => new PaymentWorkflow("9checkout", checkoutArgs()));
        assert.match(error.message, /config Table '9checkout-payments' name: '9checkout-payments' is not allowed/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
    });

});
