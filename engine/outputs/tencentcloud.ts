// Realistic outputs of the Tencent Cloud resources: ids in the provider's formats. Composite ids
// join their parts with `#`, as terraform-provider-tencentcloud does (tccommon.FILED_SP).
import { autoName, digest, numericId, Realiser, ResourceFacts } from "./common";

/** A Tencent short id, e.g. `eb-1a2b3c4d`: a prefix and 8 characters, stable per URN. */
const shortId = (prefix: string, f: ResourceFacts, salt = "") => `${prefix}-${digest(f.urn + salt, 8)}`;

export const tencentRealisers: Record<string, Realiser> = {
    "tencentcloud:index/camRole:CamRole": (f) => ({ id: `4611686${numericId(f, 12)}`, state: { name: f.inputs.name ?? autoName(f) } }),
    "tencentcloud:index/camPolicy:CamPolicy": (f) => ({ id: numericId(f, 9), state: { name: f.inputs.name ?? autoName(f) } }),
    "tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment": (f) => ({
        id: `${f.inputs.roleId}#${f.inputs.policyId}`, state: {},
    }),
    "tencentcloud:index/scfFunction:ScfFunction": (f) => {
        const name = f.inputs.name ?? autoName(f, 60);
        const namespace = f.inputs.namespace ?? "default";
        return { id: `${namespace}+${name}`, state: { name, namespace, status: "Active", modifyTime: "2026-01-01 00:00:00" } };
    },
    // The bus's id is the EventBusId every EB API takes.
    "tencentcloud:index/ebEventBus:EbEventBus": (f) => ({ id: shortId("eb", f), state: {} }),
    "tencentcloud:index/ebEventRule:EbEventRule": (f) => {
        const ruleId = shortId("rule", f);
        return { id: `${f.inputs.eventBusId}#${ruleId}`, state: { ruleId } };
    },
    "tencentcloud:index/ebEventTarget:EbEventTarget": (f) => ({
        id: `${f.inputs.eventBusId}#${f.inputs.ruleId}#${shortId("target", f)}`,
        state: { batchEventCount: f.inputs.batchEventCount ?? 1, batchTimeout: f.inputs.batchTimeout ?? 0 },
    }),
    "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig": (f) => ({
        id: `${f.inputs.functionName}#${f.inputs.namespace ?? "default"}`, state: {},
    }),
    "tencentcloud:index/scfTrigger:ScfTrigger": (f) => ({
        id: `${f.inputs.functionName}#${f.inputs.namespace}#${f.inputs.triggerName}`,
        state: { availableStatus: "Available", addTime: "2026-01-01 00:00:00", modTime: "2026-01-01 00:00:00", triggerAttribute: f.inputs.triggerDesc },
    }),
    // A CMQ queue is named, not numbered: its name is its id.
    "tencentcloud:index/tcmqQueue:TcmqQueue": (f) => ({ id: f.inputs.queueName, state: {} }),
};
