// An ASW state machine (应用与服务编排工作流, Tencent Cloud's workflow service) as a Pulumi dynamic
// resource over ASW's API 3.0, asw 2020-07-22. terraform-provider-tencentcloud has no ASW resource
// (v1.83.25 vendors no asw SDK), so there is nothing to bind to.
//
// What the API has (tencentcloud-sdk-nodejs 4.1.313 services/asw/v20200722 and tencentcloud-sdk-go
// asw/v20200722 list the same nine actions): CreateFlowService, ModifyFlowService,
// DescribeFlowServiceDetail, DescribeFlowServices, StartExecution, StopExecution,
// DescribeExecution(s), DescribeExecutionHistory. What it lacks, and what this resource does then:
// - No delete in the published API. Tencent's own Serverless Framework toolkit calls an unpublished
//   `DeleteFlowService` { FlowServiceResource } (serverless-tencent/tencent-component-toolkit,
//   src/modules/asw), so delete calls that first. If the API answers `InvalidAction` (the action
//   does not exist), the flow is RETIRED instead: ModifyFlowService gives it a definition whose only
//   state fails at once (it invokes nothing: its role and functions are deleted next) and a
//   description saying so, and the provider says on stderr, which the CLI shows for the dynamic
//   provider plugin (pulumi sdk/go/common/resource/plugin/plugin.go, isDynamicPluginBinary: its
//   output is not hidden), that the flow is left and must be deleted in the ASW console. Refusing
//   the delete instead would block every destroy and every replacement for good.
// - Physical names: each resource gets `<namePrefix>-<7 hex>` at create, as Pulumi auto-names, so a
//   retired flow (it keeps its name) never collides with the next one, nor does a replacement
//   (created before the old one goes).
// - No execution data settings and no log retention: logging is EnableCLS on or off (to a CLS
//   topic ASW manages), nothing more; the input says which.
// - No task tokens (no SendTaskSuccess, no `.waitForTaskToken`): see components/tencentcloud/payment-workflow.ts.
//
// The request is the SDK's CreateFlowServiceRequest / ModifyFlowServiceRequest: Definition (JSON
// text), FlowServiceName, FlowServiceChineseName (display name), Description, Type (STANDARD or
// EXPRESS, ASW's names), RoleResource (`qcs::cam::uin/<uin>:roleName/<role>`, the SDK's example),
// IsNewRole false (the role is ours, ASW must not make one), EnableCLS. The resource id is ASW's
// FlowServiceResource (`qrn:qcs:asw:<region>:<appId>:http:json:flowmachine:<name>:<flowId>` in the
// API's examples), which StartExecution takes as StateMachineResourceName.
//
// Serialization rules (./provider.ts) hold here too: helpers are plain functions with names no
// global has, errors are plain Errors, `console` is the plugin's own. So does its limit: used from
// another language through the component package, `pulumi up` starts this provider only where
// @pulumi/pulumi resolves from the consuming program's folder (pulumi/pulumi#5455, ./provider.ts).
import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "./diff";
import { resourceInitError, tencentDynamicProvider, type TencentContext, type TencentProviderOptions, type TencentResourceKind } from "./provider";

/** The dynamic resource's type token. */
export const ASW_STATE_MACHINE_TYPE = "pulumi-nodejs:dynamic/tencentcloud:AswStateMachine";
export const ASW_API = { service: "asw", version: "2020-07-22" } as const;

/** ASW's two kinds (the SDK: "状态机类型（EXPRESS，STANDARD）"). */
export type AswFlowType = "STANDARD" | "EXPRESS";

export interface AswStateMachineInputs {
    region: string;
    /** The physical name is this plus `-` and 7 hex digits. */
    namePrefix: string;
    /** ASW's FlowServiceChineseName: what the console shows. */
    displayName: string;
    description: string;
    type: AswFlowType;
    /** The definition, JSON text (Amazon States Language as ASW's TCSL reads it). */
    definition: string;
    /** The role ASW runs the flow as: `qcs::cam::uin/<uin>:roleName/<role>`. */
    roleResource: string;
    /** Deliver the flow's logs to CLS. */
    enableCls: boolean;
}

export interface AswStateMachineOutputs extends AswStateMachineInputs {
    /** ASW's FlowServiceResource; also the resource's id. */
    resourceId: string;
    /** The physical name. */
    name: string;
}

const INPUTS = ["region", "namePrefix", "displayName", "description", "type", "definition", "roleResource", "enableCls"] as const;
/** A flow lives in one region; a new prefix means a new name (renaming is not documented). ModifyFlowService changes the rest. */
const REPLACING = ["region", "namePrefix"] as const;
/** The API 3.0 common error for an action that does not exist. */
const NO_SUCH_ACTION = "InvalidAction";
/** What the retired flow's only state fails with. */
export const RETIRED_ERROR = "StateMachineRetired";
export const RETIRED_DESCRIPTION = "RETIRED by Pulumi: removed from its stack; the ASW API has no delete. Delete it in the ASW console.";

/** `<prefix>-<7 random hex digits>`, as Pulumi auto-names. */
export function physicalName(prefix: string): string {
    return `${prefix}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

/** The body of CreateFlowService, and of ModifyFlowService with FlowServiceResource. */
export function flowRequest(inputs: AswStateMachineInputs, name: string): Record<string, unknown> {
    return {
        Definition: inputs.definition,
        FlowServiceName: name,
        FlowServiceChineseName: inputs.displayName,
        Description: inputs.description,
        Type: inputs.type,
        RoleResource: inputs.roleResource,
        IsNewRole: false,
        EnableCLS: inputs.enableCls,
    };
}

/** A definition that runs nothing: its only state fails, naming why. */
export function retiredDefinition(name: string): string {
    return JSON.stringify({
        Comment: `${name} was removed from its Pulumi stack; the ASW API has no delete, so it is retired`,
        StartAt: "Retired",
        States: { Retired: { Type: "Fail", Error: RETIRED_ERROR, Cause: "This state machine was removed from its Pulumi stack; delete it in the ASW console" } },
    });
}

/** DescribeFlowServiceDetail's answer, as far as it is read here (each field may be null). */
interface FlowDetail {
    FlowServiceName?: string | null;
    FlowServiceChineseName?: string | null;
    Description?: string | null;
    Type?: string | null;
    Definition?: string | null;
    RoleResource?: string | null;
    EnableCLS?: boolean | null;
}

/** ASW's not-found codes (`ResourceNotFound`, and any subcode). */
function flowGone(error: unknown): boolean {
    const code = (error as { code?: unknown } | undefined)?.code;
    return error instanceof Error && typeof code === "string" && code.startsWith("ResourceNotFound");
}

async function flowDetail(api: TencentContext, resourceId: string): Promise<FlowDetail | undefined> {
    try {
        return (await api.call("DescribeFlowServiceDetail", { FlowServiceResource: resourceId })) as FlowDetail;
    } catch (error) {
        if (flowGone(error)) return undefined;
        throw error;
    }
}

/** The same JSON, whatever its spacing or key order: ASW may hand the definition back reformatted. */
function sameDefinition(a: string, b: string): boolean {
    const canonicalJson = (text: string) => {
        try {
            return JSON.stringify(JSON.parse(text), (_key, v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v));
        } catch {
            return text;
        }
    };
    return canonicalJson(a) === canonicalJson(b);
}

/** The outputs: the flow as ASW describes it, the known values where it answers null. */
function flowOutputs(known: AswStateMachineInputs, resourceId: string, name: string, detail: FlowDetail): AswStateMachineOutputs {
    const definition = detail.Definition && !sameDefinition(detail.Definition, known.definition) ? detail.Definition : known.definition;
    return {
        region: known.region,
        namePrefix: known.namePrefix,
        displayName: detail.FlowServiceChineseName ?? known.displayName,
        description: detail.Description ?? known.description,
        type: (detail.Type as AswFlowType | null | undefined) ?? known.type,
        definition,
        roleResource: detail.RoleResource ?? known.roleResource,
        enableCls: detail.EnableCLS ?? known.enableCls,
        resourceId,
        name: detail.FlowServiceName ?? name,
    };
}

const inputsOf = (props: AswStateMachineInputs): AswStateMachineInputs =>
    Object.fromEntries(INPUTS.map((key) => [key, props[key]])) as unknown as AswStateMachineInputs;

/** The delete the API lacks: the flow stays, running nothing, and the CLI's output says so. */
async function retireFlow(api: TencentContext, resourceId: string, props: AswStateMachineOutputs): Promise<void> {
    const retired = { ...props, definition: retiredDefinition(props.name), description: RETIRED_DESCRIPTION, enableCls: false };
    try {
        await api.call("ModifyFlowService", { ...flowRequest(retired, props.name), FlowServiceResource: resourceId });
    } catch (error) {
        if (flowGone(error)) return;
        throw error;
    }
    console.warn(
        `warning: ASW state machine ${props.name} (${resourceId}, ${api.region}) was NOT deleted: the ASW API (asw 2020-07-22) has no delete ` +
        `(DeleteFlowService answered ${NO_SUCH_ACTION}). It is retired instead: its definition now fails at once and invokes nothing. ` +
        "Delete it in the ASW console (https://console.cloud.tencent.com/asw) once its last executions have ended.",
    );
}

export const aswStateMachineKind: TencentResourceKind<AswStateMachineInputs, AswStateMachineOutputs> = {
    kind: "ASW state machine",
    product: ASW_API,
    region: (props) => props.region,
    diff: (_id, olds, news) => diffInputs(olds, news, { inputs: INPUTS, replace: REPLACING }),
    async create(api, inputs) {
        const name = physicalName(inputs.namePrefix);
        const created = await api.call("CreateFlowService", flowRequest(inputs, name));
        const resourceId = created.FlowServiceResource as string | null | undefined;
        if (!resourceId) throw new Error(`asw CreateFlowService (${api.region}) answered without a FlowServiceResource (RequestId ${String(created.RequestId)})`);
        try {
            const detail = await flowDetail(api, resourceId);
            if (!detail) throw new Error(`DescribeFlowServiceDetail does not find ${resourceId} just created`);
            return { id: resourceId, outs: flowOutputs(inputs, resourceId, name, detail) };
        } catch (error) {
            throw resourceInitError(resourceId, { ...inputsOf(inputs), resourceId, name }, error);
        }
    },
    async read(api, id, props) {
        const detail = await flowDetail(api, id);
        return detail ? flowOutputs(props, id, props.name, detail) : undefined;
    },
    async update(api, id, olds, news) {
        // The name is kept: only a new prefix (a replacement) makes a new one.
        await api.call("ModifyFlowService", { ...flowRequest(news, olds.name), FlowServiceResource: id });
        const detail = await flowDetail(api, id);
        if (!detail) throw new Error(`DescribeFlowServiceDetail does not find ${id} after ModifyFlowService`);
        return flowOutputs(news, id, olds.name, detail);
    },
    async delete(api, id, props) {
        try {
            await api.call("DeleteFlowService", { FlowServiceResource: id });
            return;
        } catch (error) {
            if (flowGone(error)) return;
            const code = (error as { code?: unknown }).code;
            if (code !== NO_SUCH_ACTION) throw error;
        }
        await retireFlow(api, id, props);
    },
};

/** The provider; `endpoint` points it at a fake API (tests). */
export function aswStateMachineProvider(options: TencentProviderOptions = {}) {
    return tencentDynamicProvider(aswStateMachineKind, options);
}

/** One provider object for every such resource: the SDK serializes a provider object once. */
const provider = aswStateMachineProvider();

/** AswStateMachineInputs as resource inputs (see there). */
export type AswStateMachineArgs = { [K in keyof AswStateMachineInputs]: pulumi.Input<AswStateMachineInputs[K]> };

/** The state machine as a resource; outputs as AswStateMachineOutputs names them. */
export class AswStateMachine extends pulumi.dynamic.Resource {
    declare readonly resourceId: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly definition: pulumi.Output<string>;
    declare readonly roleResource: pulumi.Output<string>;

    constructor(name: string, args: AswStateMachineArgs, opts?: pulumi.CustomResourceOptions) {
        // Outputs the provider computes are registered as undefined inputs, so the SDK reads them back.
        super(provider, name, { ...args, resourceId: undefined, name: undefined }, opts, "tencentcloud", "AswStateMachine");
    }
}
