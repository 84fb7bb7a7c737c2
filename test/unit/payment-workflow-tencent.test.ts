// PaymentWorkflow on Tencent Cloud, as the in-process engine registers it with realistic ids: the
// one definition with ASW's SCF Invoke resources (valid Amazon States Language by asl-validator),
// a STANDARD ASW state machine (a dynamic resource: ASW has no Terraform resource) running as a
// CAM role that ASW assumes and that may invoke exactly the task functions, the starters' ASW
// permissions on this flow alone, and callback mode refused before anything registers (ASW has
// no task tokens).
import * as assert from "node:assert/strict";
import { PaymentWorkflow, type PaymentWorkflowArgs } from "../../components";
import { paymentDefinition, STATES, TASK_RETRY, taskRoles, type DefinitionOptions, type TaskRole } from "../../components/payment/definition";
import { ASW_STATE_MACHINE_TYPE } from "../../components/tencentcloud/dynamic/asw-state-machine";
import { ASW_SERVICE, FLOW_PREFIX, flowNamePrefix, flowStarterResource, TASK_QUALIFIER, tencentTarget } from "../../components/tencentcloud/payment-workflow";
import { parseFlowResource } from "../../functions/runtime/clients/tencentcloud/payments";
import { evaluate, evaluateFailing, json, type Evaluated } from "../harness";

// asl-validator ships no types; it adds QueryLanguage to the definition it is given, so it gets a copy.
type AslResult = { isValid: boolean; errors: { Message: string }[]; errorsText(separator?: string): string };
const aslValidator: (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => AslResult = require("asl-validator");

const SECRET = "whsec-0123456789abcdef-never-in-clear";
const FIXTURES = "test/fixtures/functions";
const UIN = "100000000001";
const APP_ID = "1250000000";
const REGION = "ap-guangzhou";
const TC = {
    machine: ASW_STATE_MACHINE_TYPE,
    role: "tencentcloud:index/camRole:CamRole",
    policy: "tencentcloud:index/camPolicy:CamPolicy",
    attachment: "tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment",
    scf: "tencentcloud:index/scfFunction:ScfFunction",
    fn: "serverless-blocks:index:Function",
    sfn: "aws:sfn/stateMachine:StateMachine",
};
const OPTIONS: DefinitionOptions = { name: "checkout", waitSeconds: 10, maxRounds: 30, waitForCallback: false, askProvider: false };
/** ASW's documented form for invoking SCF from a Task node (ASW docs, "Task 节点", 服务调用). */
const SCF_INVOKE = /^qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke\/([A-Za-z0-9_-]+)\/live\/default$/;

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

/**
 * Valid Amazon States Language, paths included. A Task's Resource is an ASW QRN, not an AWS ARN, so
 * the validator's ARN format check is off; with it on, the Resources are all it objects to.
 */
function assertValid(def: unknown): void {
    const result = aslValidator(JSON.parse(JSON.stringify(def)), { checkPaths: true, checkArn: false });
    assert.ok(result.isValid, `asl-validator: ${result.isValid || result.errorsText("\n")}`);
    const strict = aslValidator(JSON.parse(JSON.stringify(def)));
    assert.ok(strict.errors.length > 0);
    for (const error of strict.errors) assert.match(error.Message, /^\/States\/[^/]+\/Resource is invalid/);
}

/** The deployed SCF names of the workflow's task functions, by role (the component's Function children). */
function taskFunctionNames(stack: Evaluated): Record<string, string> {
    return Object.fromEntries(stack.childrenOf("checkout").filter((r) => r.type === TC.fn).map((fn) => [fn.name.replace("checkout-", ""), stack.one(TC.scf, fn.name).state.name]));
}

const scfResource = (name: string) => `qcs::scf:${REGION}:uin/${UIN}:namespace/default/function/${name}`;
const policyOf = (stack: Evaluated, name: string) => json(stack.one(TC.policy, name).inputs.document) as { version: string; statement: { effect: string; action: string[]; resource: string[] }[] };

describe("PaymentWorkflow definition on Tencent Cloud (ASW)", () => {
    const names = Object.fromEntries(["record", "request", "await", "check", "status", "finish", "notify"].map((role) => [role, `checkout-${role}-0a1b2c3`])) as Record<TaskRole, string>;
    const target = tencentTarget(REGION, APP_ID, names);

    for (const askProvider of [false, true]) {
        it(`is valid Amazon States Language with ASW's SCF Invoke resources${askProvider ? ", with a check function" : ""}`, () => {
            const def = paymentDefinition({ ...OPTIONS, askProvider }, target);
            assertValid(def);
            const tasks = Object.values(def.States).filter((s) => s.Type === "Task");
            assert.ok(tasks.length >= 5);
            for (const task of tasks) {
                const invoked = SCF_INVOKE.exec(String(task.Resource));
                assert.ok(invoked, `${task.Resource} is ASW's SCF Invoke form`);
                assert.ok(Object.values(names).includes(invoked[1]));
                assert.deepEqual(task.Retry, [{ ErrorEquals: ["TransientError"], ...TASK_RETRY }], "no Lambda error names: ASW names none for SCF's own invoke");
            }
            assert.ok(!JSON.stringify(def).includes("arn:"), "nothing of AWS");
        });
    }

    it("names each role's function, its alias live, in the default namespace", () => {
        assert.equal(target.resource("finish"), `qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/checkout-finish-0a1b2c3/${TASK_QUALIFIER}/default`);
        const def = paymentDefinition(OPTIONS, target);
        assert.equal(def.States[STATES.record].Resource, target.resource("record"));
        assert.equal(def.States[STATES.notify].Resource, target.resource("notify"));
        assert.throws(() => tencentTarget(REGION, APP_ID, {} as Record<TaskRole, string>).resource("status"), /the payment workflow has no status function/);
    });

    it("cannot wait for a task token: ASW has none", () => {
        assert.equal(target.waitForToken, undefined);
        assert.throws(() => paymentDefinition({ ...OPTIONS, waitForCallback: true }, target), /this target cannot wait for a callback's task token/);
    });
});

describe("PaymentWorkflow on Tencent Cloud", () => {
    let stack: Evaluated;
    before(async () => {
        stack = await evaluate("tencentcloud", checkout({ waitSeconds: 15, maxRounds: 12 }));
    });

    it("is a STANDARD ASW state machine running the definition over its own functions, no Step Functions", () => {
        const machine = stack.one(TC.machine, "checkout");
        assert.equal(machine.parent, "checkout");
        assert.equal(stack.ofType(TC.sfn).length, 0);
        const { __provider, ...inputs } = machine.inputs;
        assert.match(String(__provider), /^\[provider code: \d+ characters, sha256 [0-9a-f]+\]$/, "the serialized provider, as pulumi.dynamic.Resource registers it (the engine shows its size)");
        const role = stack.one(TC.role, "checkout-role");
        const names = taskFunctionNames(stack);
        assert.deepEqual(Object.keys(names).sort(), ["finish", "notify", "record", "request", "status"]);
        const expected = paymentDefinition({ ...OPTIONS, waitSeconds: 15, maxRounds: 12 }, tencentTarget(REGION, APP_ID, names as Record<TaskRole, string>));
        assert.deepEqual(inputs, {
            region: REGION,
            namePrefix: "test-checkout",
            displayName: "Payment workflow checkout",
            description: "Payment workflow checkout (serverless-blocks): request, wait, check, up to 12 rounds, notify once",
            type: "STANDARD",
            definition: JSON.stringify(expected),
            roleResource: `qcs::cam::uin/${UIN}:roleName/${role.state.name}`,
            enableCls: false,
        });
        assertValid(json(inputs.definition));
        for (const name of Object.values(names)) assert.ok(String(inputs.definition).includes(`scf:Invoke/${name}/live/default`), name);
        assert.ok(!String(inputs.definition).includes(stack.one(TC.scf, "checkout-callback-post-payments-callback").state.name), "not the callback: the flow never invokes it");
        assert.ok(machine.dependsOn.includes("checkout-policy-attachment"), "created once its role may invoke the functions");
    });

    it("has realistic outputs in update mode: ASW's resource name and the physical name", () => {
        const machine = stack.one(TC.machine, "checkout");
        assert.match(machine.state.name, /^test-checkout-[0-9a-f]{7}$/);
        assert.equal(machine.state.id, machine.state.resourceId);
        assert.equal(machine.state.resourceId, `qrn:qcs:asw:${REGION}:${APP_ID}:http:json:flowmachine:${machine.state.name}:${parseFlowResource(machine.state.resourceId).flowId}`);
        assert.equal(stack.outputs.resourceId, machine.state.resourceId);
    });

    it("runs as a role ASW assumes, which may invoke exactly the workflow's task functions", async () => {
        const withCheck = await evaluate("tencentcloud", checkout({ check: { handler: `${FIXTURES}/payment-check.handler` } }));
        for (const [evaluated, roles] of [[stack, 5], [withCheck, 6]] as const) {
            const role = evaluated.one(TC.role, "checkout-role");
            assert.equal(role.parent, "checkout");
            assert.deepEqual(json(role.inputs.document), { version: "2.0", statement: [{ action: "name/sts:AssumeRole", effect: "allow", principal: { service: [ASW_SERVICE] } }] });
            assert.equal(ASW_SERVICE, "asw.qcloud.com");
            assert.equal(role.inputs.consoleLogin, false);
            const names = Object.values(taskFunctionNames(evaluated));
            assert.equal(names.length, roles);
            assert.deepEqual(policyOf(evaluated, "checkout-policy"), {
                version: "2.0",
                statement: [{ effect: "allow", action: ["scf:InvokeFunction"], resource: names.map(scfResource).sort() }],
            });
            const attachment = evaluated.one(TC.attachment, "checkout-policy-attachment");
            assert.equal(attachment.inputs.roleId, role.state.id);
            assert.equal(attachment.inputs.policyId, evaluated.one(TC.policy, "checkout-policy").state.id);
        }
    });

    it("links starters to start and read executions of this flow alone; the payments table needs no CAM action", () => {
        const machine = stack.one(TC.machine);
        const { flowId } = parseFlowResource(machine.state.resourceId);
        const link = stack.outputs.link;
        assert.deepEqual(link.permissions, [
            { actions: ["asw:DescribeExecution", "asw:StartExecution"], resources: [`qcs::asw:${REGION}:uin/${UIN}:stateMachine/${flowId}`] },
        ]);
        assert.equal(flowStarterResource(REGION, machine.state.resourceId, UIN), link.permissions[0].resources[0]);
        assert.equal(link.environment.SB_PAYMENTS_CHECKOUT_WORKFLOW, machine.state.resourceId);
        assert.equal(link.environment.SB_PAYMENTS_CHECKOUT_TABLE, "checkout-payments");
        assert.ok(link.resources.vpcId, "a starter runs in the table's network");
    });

    it("gives the callback no ASW action: there is no wait to resume", () => {
        const statements = policyOf(stack, "checkout-callback-post-payments-callback-policy").statement;
        assert.ok(!JSON.stringify(statements).includes("asw:"), JSON.stringify(statements));
        for (const builtIn of ["record", "status", "finish"]) {
            assert.ok(!JSON.stringify(policyOf(stack, `checkout-${builtIn}-policy`)).includes("asw:"), builtIn);
        }
    });

    it("runs only the functions its mode needs", () => {
        assert.deepEqual(Object.keys(taskFunctionNames(stack)).sort(), [...taskRoles({ waitForCallback: false, askProvider: false })].sort());
    });
});

describe("PaymentWorkflow args on Tencent Cloud", () => {
    it("refuses waitForCallback before anything registers, saying why and what to do", async () => {
        const { error, registered } = await evaluateFailing("tencentcloud", () => new PaymentWorkflow("checkout", checkoutArgs({ waitForCallback: true })));
        assert.equal(error.name, "ConfigError");
        assert.match(error.message, /^config PaymentWorkflow 'checkout' waitForCallback: 'true' is not allowed; Tencent Cloud's workflow service \(ASW\) has no task-token callback/);
        assert.match(error.message, /leave waitForCallback off there: the workflow checks the payment record, which the callback keeps, every waitSeconds/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing is registered, not even the component");
    });

    it("names the flow after the stack and the workflow, within the narrowest name rule", () => {
        assert.equal(flowNamePrefix("test", "checkout"), "test-checkout");
        assert.equal(flowNamePrefix("eu.prod", "checkout"), "eu-prod-checkout", "a stack's '.' is no name character");
        assert.equal(flowNamePrefix("2026-prod", "checkout"), "pw-2026-prod-checkout", "a letter first");
        const long = flowNamePrefix("customer-a-production-eu-central", "checkout-with-a-long-name");
        assert.equal(long.length, FLOW_PREFIX.max);
        assert.match(long, FLOW_PREFIX.pattern);
        assert.match(long, /^customer-a-production-eu-central-checkout-w-[0-9a-f]{8}$/);
        assert.notEqual(long, flowNamePrefix("customer-a-production-eu-central", "checkout-with-a-long-nam3"), "shortened names stay distinct");
    });
});
