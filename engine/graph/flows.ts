// The flows between resources and components: each rule reads one kind of wiring resource (an
// event rule, a route, a bucket notification, a state machine, a function's link variables) and
// finds what it points at by the identifiers the cloud gave the other side (ARN, id, name).
import { ACCESS_CONTROL, environmentOf, linkOwners, LinkOwner, linkVerb, roleStatements } from "./links";
import type { Flow, FlowKind, GraphResource } from "./model";
import { parseJson, References, valuesOf } from "./references";

const FUNCTIONS = ["aws:lambda/function:Function", "tencentcloud:index/scfFunction:ScfFunction", "serverless-blocks:local:Function"];
const QUEUES = ["aws:sqs/queue:Queue", "tencentcloud:index/tcmqQueue:TcmqQueue"];
const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "tencentcloud:index/cosBucket:CosBucket"];
const BUSES = ["aws:cloudwatch/eventBus:EventBus", "tencentcloud:index/ebEventBus:EbEventBus", "serverless-blocks:local:Hub"];
const RULES = ["aws:cloudwatch/eventRule:EventRule", "tencentcloud:index/ebEventRule:EbEventRule"];
const INTEGRATIONS = ["aws:apigatewayv2/integration:Integration"];
const STATE_MACHINES = ["aws:sfn/stateMachine:StateMachine", "pulumi-nodejs:dynamic/tencentcloud:AswStateMachine", "serverless-blocks:local:Workflow"];

class FlowSet {
    private readonly flows = new Map<string, Flow>();

    add(from: GraphResource | string | undefined, to: GraphResource | string | undefined, kind: FlowKind, label: string): void {
        if (!from || !to) return;
        const f = typeof from === "string" ? from : from.urn;
        const t = typeof to === "string" ? to : to.urn;
        if (f === t) return;
        const key = JSON.stringify([f, t, kind]);
        const known = this.flows.get(key);
        // One edge per pair and kind: a function two workflow states run gets both states' names.
        const labels = new Set([...(known ? known.label.split(", ") : []), label]);
        this.flows.set(key, { from: f, to: t, kind, label: [...labels].sort().join(", ") });
    }

    has(from: string, to: string, kind: FlowKind): boolean {
        return this.flows.has(JSON.stringify([from, to, kind]));
    }

    sorted(): Flow[] {
        const key = (f: Flow) => [f.from, f.to, f.kind, f.label].join("\u0000");
        return [...this.flows.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    }
}

/** "detail-type: UserSignedUp" from an event pattern (JSON text or object). */
export function patternLabel(pattern: unknown): string {
    let value = pattern;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            return "events";
        }
    }
    if (!value || typeof value !== "object") return "events";
    const parts = Object.entries(value as Record<string, unknown>).map(([key, v]) =>
        Array.isArray(v) && v.every((x) => typeof x === "string") ? `${key}: ${v.join(" | ")}` : `${key}: …`,
    );
    return parts.length ? parts.join("; ") : "all events";
}

/** The Task states of an Amazon States Language definition (also inside Parallel and Map states). */
function taskStates(definition: any, found: { state: string; text: string }[] = []): { state: string; text: string }[] {
    for (const [state, s] of Object.entries<any>(definition?.States ?? {})) {
        if (s?.Type === "Task") found.push({ state, text: JSON.stringify([s.Resource, s.Parameters ?? s.Arguments ?? null]) });
        for (const branch of s?.Branches ?? []) taskStates(branch, found);
        if (s?.Iterator) taskStates(s.Iterator, found);
        if (s?.ItemProcessor) taskStates(s.ItemProcessor, found);
    }
    return found;
}

/** How resources nest, as the model worked it out. */
export interface Nesting {
    isComponent(urn: string): boolean;
    /** Every component around a resource or component, nearest first. */
    enclosing(urn: string): string[];
}

/** Every flow among `resources`. */
export function flowsOf(resources: readonly GraphResource[], nesting: Nesting): Flow[] {
    const refs = new References(resources);
    const flows = new FlowSet();
    const of = (types: readonly string[]) => refs.ofTypes(types).map((r) => ({ r, v: valuesOf(r) }));

    // Events: hub -> rule (by pattern) -> function, and failures -> dead-letter queue.
    for (const { r, v } of of(RULES)) flows.add(refs.find(v.eventBusName ?? v.eventBusId, BUSES), r, "subscribe", patternLabel(v.eventPattern));
    for (const { v } of of(["aws:cloudwatch/eventTarget:EventTarget"])) {
        const fn = refs.find(v.arn, FUNCTIONS);
        flows.add(refs.find(v.rule, RULES), fn, "trigger", "runs");
        flows.add(fn, refs.find(v.deadLetterConfig?.arn, QUEUES), "dead-letter", "dead letters");
    }
    for (const { v } of of(["tencentcloud:index/ebEventTarget:EbEventTarget"])) {
        flows.add(refs.find(v.ruleId, RULES), refs.find(v.targetDescription?.resourceDescription, FUNCTIONS), "trigger", "runs");
    }
    for (const { v } of of(["aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"])) {
        flows.add(refs.find(v.functionName, FUNCTIONS), refs.find(v.destinationConfig?.onFailure?.destination, QUEUES), "dead-letter", "dead letters");
    }
    for (const { v } of of(["aws:lambda/eventSourceMapping:EventSourceMapping"])) {
        flows.add(refs.find(v.eventSourceArn, QUEUES), refs.find(v.functionName, FUNCTIONS), "trigger", "runs");
    }
    for (const { r, v } of of(["serverless-blocks:local:Task"])) {
        if (v.subscription) flows.add(refs.find(v.subscription.busName, BUSES), r, "subscribe", patternLabel(v.subscription.pattern));
        flows.add(r, refs.find(v.functionName, FUNCTIONS), "trigger", "runs");
    }

    // Routes: an HTTP or WebSocket route -> its function.
    for (const { r, v } of of(["aws:apigatewayv2/route:Route"])) {
        const integration = refs.find(v.target, INTEGRATIONS);
        if (integration) flows.add(r, refs.find(valuesOf(integration).integrationUri, FUNCTIONS), "route", String(v.routeKey ?? r.name));
    }
    for (const { r, v } of of(["aws:apigatewayv2/authorizer:Authorizer"])) flows.add(r, refs.find(v.authorizerUri, FUNCTIONS), "route", "authorizer");
    for (const { r, v } of of(["tencentcloud:index/apiGatewayApi:ApiGatewayApi"])) {
        flows.add(r, refs.find(v.serviceConfigScfFunctionName, FUNCTIONS), "route", `${v.requestConfigMethod ?? ""} ${v.requestConfigPath ?? ""}`.trim() || r.name);
    }
    for (const { r, v } of of(["pulumi-nodejs:dynamic/tencentcloud:ApiGatewayWebSocketApi"])) {
        for (const [field, route] of [["register", "$connect"], ["transport", "$default"], ["cleanup", "$disconnect"]]) flows.add(r, refs.find(v[field]?.name, FUNCTIONS), "route", route);
    }
    for (const { r, v } of of(["serverless-blocks:local:Api"])) {
        for (const route of v.routes ?? []) flows.add(r, refs.find(route.functionName, FUNCTIONS), "route", String(route.key));
    }
    for (const { r, v } of of(["serverless-blocks:local:Realtime"])) {
        for (const [route, fn] of Object.entries(v.functions ?? {})) flows.add(r, refs.find(fn, FUNCTIONS), "route", route);
    }

    // Uploads: a new object in the bucket -> the processor.
    for (const { v } of of(["aws:s3/bucketNotification:BucketNotification"])) {
        const bucket = refs.find(v.bucket, BUCKETS);
        for (const n of v.lambdaFunctions ?? []) {
            flows.add(bucket, refs.find(n.lambdaFunctionArn, FUNCTIONS), "upload", `${(n.events ?? []).join(", ")}${n.filterPrefix ? ` ${n.filterPrefix}*` : ""}`.trim() || "objects");
        }
    }
    for (const { r, v } of of(["tencentcloud:index/scfTrigger:ScfTrigger"])) {
        // A timer trigger is a schedule: it runs its function as a rule would.
        if (v.type === "timer") flows.add(r, refs.find(v.functionName, FUNCTIONS), "trigger", `schedule ${v.triggerDesc ?? ""}`.trim());
        if (v.type !== "cos") continue;
        const desc = parseJson(v.triggerDesc);
        const label = `${desc?.event ?? "objects"}${desc?.filter?.Prefix ? ` ${desc.filter.Prefix}*` : ""}`;
        flows.add(refs.find(v.triggerName, BUCKETS), refs.find(v.functionName, FUNCTIONS), "upload", label);
    }
    for (const { r, v } of of(["serverless-blocks:local:Upload"])) flows.add(r, refs.find(v.processorFunction, FUNCTIONS), "upload", "ObjectCreated");

    // Workflows: each Task state -> the function it runs.
    for (const { r, v } of of(STATE_MACHINES)) {
        for (const { state, text } of taskStates(parseJson(v.definition))) flows.add(r, refs.find(text, FUNCTIONS), "workflow", state);
    }

    // Links and dead letters a function's own variables name.
    const owners = linkOwners(resources, nesting.isComponent);
    const prefixes = [...owners.keys()].sort((a, b) => b.length - a.length);
    for (const { r } of of(FUNCTIONS)) {
        const env = environmentOf(r);
        flows.add(r, refs.find(env.SB_DEAD_LETTER_QUEUE, QUEUES), "dead-letter", "dead letters");
        const byOwner = new Map<string, { owner: LinkOwner; prefix: string; keys: string[] }>();
        for (const key of Object.keys(env).sort()) {
            const prefix = prefixes.find((p) => key.startsWith(p));
            if (!prefix) continue;
            const owner = owners.get(prefix)!;
            const entry = byOwner.get(`${owner.component} ${prefix}`) ?? { owner, prefix, keys: [] };
            entry.keys.push(key);
            byOwner.set(`${owner.component} ${prefix}`, entry);
        }
        // A function inside a component uses that component by construction: no edge to draw.
        const own = new Set(nesting.enclosing(r.urn));
        for (const { owner, prefix, keys } of byOwner.values()) {
            if (!own.has(owner.component)) flows.add(r, owner.component, "link", linkVerb(owner.type, keys, env, prefix));
        }
    }

    // What a function's role may do, where no link variable says so already (a link without
    // variables, a hand-written policy): the components whose resources its statements name.
    for (const { r, v } of of(FUNCTIONS)) {
        const own = new Set(nesting.enclosing(r.urn));
        const actions = new Map<string, Set<string>>();
        for (const statement of roleStatements(refs, v.role)) {
            for (const resource of statement.resources) {
                const target = refs.findAny(resource, ACCESS_CONTROL);
                const component = target && target.urn !== r.urn ? (nesting.isComponent(target.urn) ? target.urn : nesting.enclosing(target.urn)[0]) : undefined;
                if (!component || own.has(component) || flows.has(r.urn, component, "link")) continue;
                actions.set(component, new Set([...(actions.get(component) ?? []), ...statement.actions]));
            }
        }
        for (const [component, allowed] of actions) {
            const list = [...allowed].sort();
            flows.add(r, component, "permission", list.length > 2 ? `${list.slice(0, 2).join(", ")} +${list.length - 2}` : list.join(", "));
        }
    }
    return flows.sorted();
}
