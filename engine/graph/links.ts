// What a function uses: the components its link variables (SB_<TYPE>_<NAME>_<KEY>) name, and
// the resources its role's IAM or CAM policies allow it to act on.
import { linkVariableName } from "../../functions/runtime/clients/target";
import type { GraphResource } from "./model";
import { parseJson, References, valuesOf } from "./references";

/** A function's environment: Lambda's `environment.variables`, SCF's `environment`, a local function's. */
export function environmentOf(r: GraphResource): Record<string, unknown> {
    const env = valuesOf(r).environment;
    if (!env || typeof env !== "object") return {};
    return (env.variables && typeof env.variables === "object" ? env.variables : env) as Record<string, unknown>;
}

/** What a function does with a component it links, by the link's type. */
export function linkVerb(type: string, keys: string[], env: Record<string, unknown>, prefix: string): string {
    switch (type) {
        case "hub":
            return "publishes";
        case "table":
            return env[`${prefix}ACCESS`] === "read" ? "reads" : "reads, writes";
        case "mailer":
            return "sends mail";
        case "realtime":
            return "pushes";
        case "payments":
            return "starts payments";
        case "function":
            return "invokes";
        default:
            return keys.length ? `uses (${type})` : "uses";
    }
}

export interface LinkOwner {
    component: string;
    type: string;
}

/**
 * Which component each link-variable prefix (SB_TABLE_ORDERS_) belongs to, from the links the
 * components registered as outputs. A component may pass on another's link (Realtime hands out its
 * connections table's variables): the component named as the link is the owner.
 */
export function linkOwners(resources: readonly GraphResource[], isComponent: (urn: string) => boolean): Map<string, LinkOwner> {
    const owners = new Map<string, LinkOwner & { exact: boolean }>();
    const visit = (value: unknown, holder: GraphResource, depth: number) => {
        if (!value || typeof value !== "object" || depth > 4) return;
        const v = value as Record<string, unknown>;
        if (typeof v.type === "string" && typeof v.name === "string" && v.environment && typeof v.environment === "object") {
            const prefix = linkVariableName(v.type, v.name, "");
            const exact = holder.name === v.name;
            const known = owners.get(prefix);
            if (!known || (exact && !known.exact)) owners.set(prefix, { component: holder.urn, type: v.type, exact });
        }
        for (const child of Object.values(v)) visit(child, holder, depth + 1);
    };
    const components = resources.filter((r) => isComponent(r.urn)).sort((a, b) => (a.urn < b.urn ? -1 : 1));
    for (const c of components) visit(c.outputs, c, 0);
    return owners;
}

/** Roles and policies: what grants access, never what is accessed. */
export const ACCESS_CONTROL = new Set([
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "tencentcloud:index/camRole:CamRole",
    "tencentcloud:index/camPolicy:CamPolicy",
    "tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment",
]);

/** The allow statements of the policies on a function's role (IAM inline or attached; CAM attached). */
export function roleStatements(refs: References, roleRef: unknown): { actions: string[]; resources: string[] }[] {
    const role = refs.find(roleRef, ["aws:iam/role:Role", "tencentcloud:index/camRole:CamRole"]);
    if (!role) return [];
    const documents: unknown[] = [];
    for (const p of refs.ofTypes(["aws:iam/rolePolicy:RolePolicy"])) if (refs.find(valuesOf(p).role, ["aws:iam/role:Role"]) === role) documents.push(valuesOf(p).policy);
    for (const a of refs.ofTypes(["aws:iam/rolePolicyAttachment:RolePolicyAttachment"])) {
        if (refs.find(valuesOf(a).role, ["aws:iam/role:Role"]) !== role) continue;
        const policy = refs.find(valuesOf(a).policyArn, ["aws:iam/policy:Policy"]);
        if (policy) documents.push(valuesOf(policy).policy);
    }
    for (const a of refs.ofTypes(["tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment"])) {
        if (valuesOf(a).roleId !== valuesOf(role).id) continue;
        const policy = refs.ofTypes(["tencentcloud:index/camPolicy:CamPolicy"]).find((p) => valuesOf(p).id === valuesOf(a).policyId);
        if (policy) documents.push(valuesOf(policy).document);
    }
    const list = (x: unknown): string[] => (Array.isArray(x) ? x.filter((i): i is string => typeof i === "string") : typeof x === "string" ? [x] : []);
    return documents.flatMap((d) => {
        const doc = parseJson(d);
        // IAM spells it Statement, CAM statement; a single statement may stand alone.
        const raw = doc?.Statement ?? doc?.statement;
        const statements: any[] = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? [raw] : [];
        return statements
            .filter((s) => String(s?.Effect ?? s?.effect ?? "").toLowerCase() === "allow")
            .map((s) => ({ actions: list(s.Action ?? s.action).map((a) => a.replace(/^name\//, "")), resources: list(s.Resource ?? s.resource) }));
    });
}
