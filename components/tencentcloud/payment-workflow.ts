// PaymentWorkflow on Tencent Cloud: a STANDARD ASW state machine (./dynamic/asw-state-machine.ts:
// ASW has no Terraform resource) running the one definition (components/payment/definition.ts),
// as a CAM role that ASW assumes and that may invoke exactly the workflow's task functions.
//
// How a state reaches a function: ASW's Task node calls any cloud API; SCF's is the one form ASW
// documents for it, `qrn:qcs:asw:{region}:{AppId}:sdk:json:qcloud:scf:Invoke/{function}/{version|alias}/{namespace}`
// ("Task 节点", 服务调用, ASW docs, cloud.tencent.com/document/product/1272). The state's input is
// the function's event, its return value the state's result, as a Lambda's under Step Functions
// (the SCF adapter's task handler takes the event as the input: functions/runtime/adapters/tencentcloud.ts).
// No ASW document found names the errors of SCF's own invoke (throttling and the like), so only
// TransientError is retried; an invoke failure of SCF itself is caught as any failure.
//
// The role's trust: the service `asw.qcloud.com`, as Tencent's Serverless Framework toolkit makes
// ASW roles (serverless-tencent/tencent-component-toolkit, src/modules/asw createRole). ASW gets it
// as `qcs::cam::uin/<owner uin>:roleName/<role>` (the SDK's RoleResource example).
//
// What ASW lacks, and so this realisation:
// - No task tokens: the API (2020-07-22) has no SendTaskSuccess and TCSL documents no
//   `.waitForTaskToken`. `waitForCallback` is refused before anything registers; the workflow polls
//   the payment record, which the callback route keeps, every waitSeconds.
// - No delete: see ./dynamic/asw-state-machine.ts (the flow is retired, and `pulumi destroy` says so).
// - Logs: only CLS delivery on or off, with neither a retention (the stack's logRetentionDays has
//   nowhere to go) nor a way to leave execution data out. Off: no payment data in logs, as on AWS;
//   ASW keeps every execution's history itself (DescribeExecutionHistory, the console).
// - Alarms: Cloud Monitor's product metrics (the QCE/* namespaces) document none for ASW, so there
//   is no policy on failed or timed-out executions: `spec.alarms` has nothing of the workflow's own
//   to watch. A failed execution fails in one of its task functions (every state is an SCF Invoke),
//   and each of those has its Error alarm (the component gives them the workflow's `alarms`).
//
// Starters may StartExecution and DescribeExecution on this flow. CAM's resource string for an ASW
// flow is not in the documentation found (no CAM page for ASW); it is written here as CAM's
// six-segment form with the flow's id, `qcs::asw:<region>:uin/<owner uin>:stateMachine/<flowId>`
// (flowStarterResource): if ASW authorises otherwise, StartExecution answers
// AuthFailure.UnauthorizedOperation naming the resource it checked, and this one function changes.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { parseFlowResource } from "../../functions/runtime/clients/tencentcloud/payments";
import { ConfigError, LIVE_ALIAS, target } from "../config";
import { paymentDefinition, taskRoles, type DefinitionTarget, type TaskRole } from "../payment/definition";
import type { PaymentWorkflowRealisation, PaymentWorkflowSpec } from "../provider";
import { AswStateMachine } from "./dynamic/asw-state-machine";
import { SCF_NAMESPACE } from "./function";
import { assumeRoleBy, camPolicyDocument } from "./policy";
import { CamPolicy, CamRole, CamRolePolicyAttachment, getPackage } from "./sdk";

/** The service principal ASW assumes roles as. */
export const ASW_SERVICE = "asw.qcloud.com";
/** What each state invokes: the task function's alias `live`, as every other caller here. */
export const TASK_QUALIFIER = LIVE_ALIAS;
/**
 * A flow name's prefix: letters, digits, `-` and `_`, a letter first, at most 52 (60 with the
 * provider's 8-character suffix). The published API states no naming rule; this conservative one
 * is what ASW's own examples follow, and flowNamePrefix makes every stack and workflow name fit it.
 */
export const FLOW_PREFIX = { pattern: /^[A-Za-z][A-Za-z0-9_-]{0,51}$/, max: 52 };

/** Refuses what ASW cannot do, before the PaymentWorkflow registers anything. */
export function checkTencentPaymentWorkflow(spec: Pick<PaymentWorkflowSpec, "name" | "definition">): void {
    if (spec.definition.waitForCallback) {
        throw new ConfigError(
            `PaymentWorkflow '${spec.name}' waitForCallback`,
            true,
            "Tencent Cloud's workflow service (ASW) has no task-token callback (no SendTaskSuccess in its API, no .waitForTaskToken in TCSL); " +
            "leave waitForCallback off there: the workflow checks the payment record, which the callback keeps, every waitSeconds",
        );
    }
}

/**
 * `<stack>-<name>`, so two stacks of the app in one account and region never collide; `pw-` first
 * when that does not start with a letter, shortened with a hash when longer than FLOW_PREFIX allows.
 */
export function flowNamePrefix(stack: string, name: string): string {
    const sanitised = `${stack}-${name}`.replace(/[^A-Za-z0-9_-]+/g, "-");
    const full = /^[A-Za-z]/.test(sanitised) ? sanitised : `pw-${sanitised}`;
    if (full.length <= FLOW_PREFIX.max) return full;
    return `${full.slice(0, FLOW_PREFIX.max - 9)}-${createHash("sha256").update(full).digest("hex").slice(0, 8)}`;
}

export function tencentPaymentWorkflow(parent: pulumi.Resource, spec: PaymentWorkflowSpec): PaymentWorkflowRealisation {
    const opts = { parent };
    const region = target().region;
    const account = accountIds();
    const roles = taskRoles(spec.definition);
    // Each name once its alias exists (read through the alias's id): the states invoke the alias.
    const functionNames = pulumi.all(Object.fromEntries(roles.map((role) => {
        const task = taskOf(spec, role);
        return [role, pulumi.all([task.functionName, task.aliasId]).apply(([name]) => name)];
    }))) as pulumi.Output<Record<TaskRole, string>>;
    const functionResources = pulumi.all(roles.map((role) => taskOf(spec, role).resourceId));

    const role = new CamRole(`${spec.name}-role`, {
        document: assumeRoleBy(ASW_SERVICE),
        description: `Execution role of payment workflow ${spec.name}`,
        consoleLogin: false,
    }, opts);
    const policy = new CamPolicy(`${spec.name}-policy`, {
        document: camPolicyDocument(functionResources.apply((resources) => [{ actions: ["scf:InvokeFunction"], resources: [...new Set(resources)].sort() }])),
        description: `Payment workflow ${spec.name} may invoke its task functions`,
    }, opts);
    const attachment = new CamRolePolicyAttachment(`${spec.name}-policy-attachment`, { roleId: role.id, policyId: policy.id }, opts);

    // Created once its role may invoke the functions: the first execution may come right after.
    const machine = new AswStateMachine(spec.name, {
        region,
        namePrefix: flowNamePrefix(pulumi.getStack(), spec.name),
        displayName: `Payment workflow ${spec.name}`,
        description: `Payment workflow ${spec.name} (serverless-blocks): request, wait, check, up to ${spec.definition.maxRounds} rounds, notify once`,
        type: "STANDARD",
        definition: pulumi.all([functionNames, account.appId]).apply(([names, appId]) => JSON.stringify(paymentDefinition(spec.definition, tencentTarget(region, appId, names)))),
        roleResource: pulumi.interpolate`qcs::cam::uin/${account.ownerUin}:roleName/${role.name}`,
        enableCls: false,
    }, { parent, dependsOn: [attachment] });

    const flow = pulumi.all([machine.resourceId, account.ownerUin]).apply(([resourceId, uin]) => flowStarterResource(region, resourceId, uin));
    spec.links({
        workflowId: machine.resourceId,
        start: [{ actions: ["asw:DescribeExecution", "asw:StartExecution"], resources: [flow] }],
        // The payments table is reached with MySQL's own authentication: no CAM action (./table.ts).
        read: [],
        // No callback mode on ASW (checkTencentPaymentWorkflow).
        resume: [],
    });
    return { resourceId: machine.resourceId };
}

/** How the definition's states reach SCF: ASW's Invoke of the function's alias `live` in this project's namespace. */
export function tencentTarget(region: string, appId: string, functionNames: Record<TaskRole, string>): DefinitionTarget {
    return {
        resource: (role) => {
            const name = functionNames[role];
            if (!name) throw new Error(`the payment workflow has no ${role} function`);
            return `qrn:qcs:asw:${region}:${appId}:sdk:json:qcloud:scf:Invoke/${name}/${TASK_QUALIFIER}/${SCF_NAMESPACE}`;
        },
        serviceErrors: [],
        // No waitForToken: ASW has no task tokens.
    };
}

/** The flow as a CAM resource, by the id in ASW's resource name (see the top of this file). */
export function flowStarterResource(region: string, flowResource: string, ownerUin: string): string {
    const { flowId } = parseFlowResource(flowResource);
    return `qcs::asw:${region}:uin/${ownerUin}:stateMachine/${flowId}`;
}

/** ASW's resource strings name the AppId; CAM's name the root account (a sub-account may be deploying). */
function accountIds(): { appId: pulumi.Output<string>; ownerUin: pulumi.Output<string> } {
    const info = pulumi.output(pulumi.runtime.invoke("tencentcloud:index/getUserInfo:getUserInfo", {}, {}, getPackage()));
    return { appId: info.apply((i) => String(i.appId)), ownerUin: info.apply((i) => String(i.ownerUin)) };
}

function taskOf(spec: PaymentWorkflowSpec, role: TaskRole) {
    const task = spec.tasks[role];
    if (!task) throw new Error(`PaymentWorkflow '${spec.name}': the component made no ${role} function, which the definition runs`);
    return task;
}
