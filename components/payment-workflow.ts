// PaymentWorkflow: a payment carried through a workflow service (Step Functions on AWS, ASW on
// Tencent Cloud, the local executor): record it, request it from the payment service,
// wait, check, loop until a final status or the last round, then notify once. The payment service
// calls back on a public route whose HMAC signature is checked; its reports update the payment
// record idempotently. One definition for every cloud: ./payment/definition.ts.
// The component makes the payments Table, the task Functions, the callback BusinessApi; the cloud
// makes the workflow itself. Everything is checked here, before the component registers.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { SERVES_ENV } from "../functions/payments/names";
import { PACKAGE_ROOT } from "./build/package-root";
import { BusinessApi, checkBusinessApiArgs } from "./business-api";
import { ConfigError, provider, target, wholeInRange } from "./cloud";
import { checkFunctionArgs, Function, type FunctionArgs } from "./function";
import { Link, linkVariable } from "./link";
import { taskRoles, type DefinitionOptions, type TaskRole } from "./payment/definition";
import type { PaymentTaskFunction, PaymentWorkflowLinkFacts, PaymentWorkflowSpec } from "./provider";
import { checkTableArgs, Table } from "./table";

export interface PaymentWorkflowArgs {
    /**
     * Sends the payment request to the payment service: a task (`onTask(...)` from
     * `functions/runtime`) receiving `{ paymentId, orderId, userId, amount, currency }`. Use the
     * payment id as the service's idempotency key: a retried request must not charge twice. Throw
     * `TransientError` to be retried with backoff; any other error fails the payment.
     *
     * @example request: { handler: "functions/payments/charge.handler", environment: { PSP_URL: "https://psp.example.com" } }
     */
    request: FunctionArgs;
    /**
     * Sends the completion notice, once per payment: a task receiving the payment with its final
     * `status` (`succeeded`, `failed` or `timed_out`) and, when not succeeded, a `reason`.
     *
     * @example notify: { handler: "functions/payments/notify.handler", link: [live.link] }
     */
    notify: FunctionArgs;
    /**
     * Asks the payment service for the status before each check, for services that do not call
     * back (or as a second source): a task receiving the payment and returning
     * `{ status: "succeeded" | "failed" | "processing" }`. Default: none; the payment record,
     * which the callback keeps, is read.
     */
    check?: FunctionArgs;
    /** Seconds between checks (callback mode: the longest wait for a callback per round), 1 to 3600. Default 10. */
    waitSeconds?: number;
    /** Checks before the payment is marked `timed_out` (and the notice says so), 1 to 100. Default 30. */
    maxRounds?: number;
    /**
     * The HMAC-SHA256 key shared with the payment service, which signs each callback: header
     * `x-payment-signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<raw body>">`. Give a secret
     * (e.g. `config.requireSecret("paymentCallbackSecret")`); a plain string needs 16 characters.
     */
    callbackSecret: pulumi.Input<string>;
    /** Seconds a callback's signed time may be from now, 30 to 900: older ones are refused as replays. Default 300. */
    callbackToleranceSeconds?: number;
    /**
     * Wait for the callback instead of only polling: each round's wait ends as soon as the
     * callback reports a final status (AWS: `.waitForTaskToken`), or after `waitSeconds`. Default false.
     */
    waitForCallback?: boolean;
    /**
     * Where the workflow's alarms go (failed and timed-out executions) and its functions' (errors,
     * throttles): an Alarms' `target`. No alarms without it.
     */
    alarms?: pulumi.Input<AlarmTarget>;
}

export const WAIT_SECONDS = { min: 1, max: 3600, default: 10 };
export const MAX_ROUNDS = { min: 1, max: 100, default: 30 };
export const CALLBACK_TOLERANCE_SECONDS = { min: 30, max: 900, default: 300 };
/** A shorter HMAC key is guessable; the payment service's own keys are far longer. */
export const MIN_SECRET_LENGTH = 16;
export const CALLBACK_ROUTE = "POST /payments/callback";

/** The built-in tasks and the callback (functions/payments). */
const BUILT_IN: Record<"record" | "await" | "status" | "finish" | "callback", string> = {
    record: path.join(PACKAGE_ROOT, "functions", "payments", "record-payment.handler"),
    await: path.join(PACKAGE_ROOT, "functions", "payments", "await-callback.handler"),
    status: path.join(PACKAGE_ROOT, "functions", "payments", "check-status.handler"),
    finish: path.join(PACKAGE_ROOT, "functions", "payments", "finish.handler"),
    callback: path.join(PACKAGE_ROOT, "functions", "payments", "callback.handler"),
};
const BUILT_IN_DESCRIPTIONS: Record<"record" | "await" | "status" | "finish", string> = {
    record: "records payments before they are requested",
    await: "keeps the token of the wait for a callback",
    status: "checks the status of payments",
    finish: "decides outcomes and claims the notice",
};

/**
 * A payment workflow: request, wait, check, loop, notify once; a signed callback route.
 *
 * @example
 * const checkout = new PaymentWorkflow("checkout", {
 *     request: { handler: "functions/payments/charge.handler" },
 *     notify: { handler: "functions/payments/notify.handler", link: [live.link] },
 *     callbackSecret: config.requireSecret("paymentCallbackSecret"),
 * });
 * new Function("pay", { handler: "functions/orders/pay.handler", link: [checkout.link] });
 * // in pay: await payments("checkout").start({ paymentId, orderId, userId, amount: 1250, currency: "EUR" });
 * export const paymentCallbackUrl = checkout.callbackUrl; // give it to the payment service
 */
export class PaymentWorkflow extends pulumi.ComponentResource {
    /** Where the payment service reports statuses: `POST <url>` (public; signed). */
    public readonly callbackUrl!: pulumi.Output<string>;
    /** The workflow's identifier: the state machine's ARN on AWS, the ASW flow's resource on Tencent Cloud, `local:workflow:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Give it to a Function's `link` to start and read payments: `payments("<name>").start(...)`, `.status(id)`. */
    public readonly link!: pulumi.Output<Link>;
    /** The payment records' table name. */
    public readonly paymentsTable!: pulumi.Output<string>;

    constructor(name: string, args: PaymentWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = checkPaymentWorkflowArgs(name, args);
        const cloud = provider();
        cloud.checkPaymentWorkflow?.(checked.spec);
        super("serverless-blocks:index:PaymentWorkflow", name, {}, opts);
        const parent = { parent: this };

        const records = new Table(`${name}-payments`, { partitionKey: "paymentId" }, parent);
        const steps = stepsLink(name, records);
        const tasks: PaymentWorkflowSpec["tasks"] = {};
        for (const role of taskRoles(checked.spec.definition)) tasks[role] = taskFunction(name, role, checked.functions, steps, this, args.alarms);

        let starter: pulumi.Output<Link> | undefined;
        let callback: pulumi.Output<Link> | undefined;
        const realised = cloud.paymentWorkflow(this, {
            ...checked.spec,
            tasks,
            table: records.link,
            links: (facts) => {
                starter = starterLink(name, records, facts);
                callback = callbackLink(name, records, facts, checked.secret, checked.toleranceSeconds);
            },
        });
        if (!starter || !callback) throw new Error(`PaymentWorkflow '${name}': the realisation made no links (call spec.links once)`);

        const api = new BusinessApi(`${name}-callback`, {
            routes: { [CALLBACK_ROUTE]: { handler: BUILT_IN.callback, public: true, link: [callback], description: `Payment callbacks of ${name}` } },
            alarms: args.alarms,
        }, parent);
        const callbackUrl = pulumi.interpolate`${api.url}/payments/callback`;
        Object.assign(this, {
            callbackUrl,
            resourceId: realised.resourceId,
            // Starters also pass the callback URL on to the request task (it names it to the payment service).
            link: pulumi.all([starter, callbackUrl]).apply(([link, url]): Link => ({
                ...link,
                environment: { ...link.environment, [linkVariable("payments", name, "callback_url")]: url },
            })),
            paymentsTable: records.tableName,
        });
        this.registerOutputs({ callbackUrl: this.callbackUrl, resourceId: this.resourceId, link: this.link, paymentsTable: this.paymentsTable });
    }
}

interface CheckedArgs {
    spec: Omit<PaymentWorkflowSpec, "tasks" | "table" | "links">;
    functions: { request: FunctionArgs; notify: FunctionArgs; check?: FunctionArgs };
    secret: pulumi.Output<string>;
    toleranceSeconds: number;
}

/** Validates the args (and what the component will make of them) before anything registers. */
export function checkPaymentWorkflowArgs(name: string, args: PaymentWorkflowArgs): CheckedArgs {
    const stack = target();
    const where = `PaymentWorkflow '${name}'`;
    if (args === undefined || args === null || typeof args !== "object") throw new ConfigError(where, args, "expected { request, notify, callbackSecret, ... }");
    const functions = {
        request: userFunction(name, "request", args.request, true)!,
        notify: userFunction(name, "notify", args.notify, true)!,
        check: userFunction(name, "check", args.check, false),
    };
    if (args.waitForCallback !== undefined && typeof args.waitForCallback !== "boolean") throw new ConfigError(`${where} waitForCallback`, args.waitForCallback, "expected true or false");
    const definition: DefinitionOptions = {
        name,
        waitSeconds: wholeInRange(`${where} waitSeconds`, args.waitSeconds, WAIT_SECONDS),
        maxRounds: wholeInRange(`${where} maxRounds`, args.maxRounds, MAX_ROUNDS),
        waitForCallback: args.waitForCallback === true,
        askProvider: functions.check !== undefined,
    };
    const toleranceSeconds = wholeInRange(`${where} callbackToleranceSeconds`, args.callbackToleranceSeconds, CALLBACK_TOLERANCE_SECONDS);
    // What the component makes from the name must be valid too: the table and the callback API.
    checkTableArgs(`${name}-payments`, { partitionKey: "paymentId" });
    checkBusinessApiArgs(`${name}-callback`, { routes: { [CALLBACK_ROUTE]: { handler: BUILT_IN.callback, public: true } } });
    for (const role of ["record", "await", "status", "finish"] as const) checkFunctionArgs(`${name}-${role}`, { handler: BUILT_IN[role] });
    return {
        spec: { name, definition, protect: stack.protect, logRetentionDays: stack.logRetentionDays, alarms: args.alarms === undefined ? undefined : pulumi.output(args.alarms) },
        functions,
        secret: checkSecret(where, args.callbackSecret),
        toleranceSeconds,
    };
}

function userFunction(workflow: string, role: "request" | "notify" | "check", given: FunctionArgs | undefined, required: boolean): FunctionArgs | undefined {
    const where = `PaymentWorkflow '${workflow}' ${role}`;
    if (given === undefined && !required) return undefined;
    if (given === undefined || given === null || typeof given !== "object") {
        throw new ConfigError(where, given, 'expected the task function: { handler: "functions/...handler" } (a module exporting onTask(...)) or { code: closure(onTask(...)) }');
    }
    try {
        checkFunctionArgs(`${workflow}-${role}`, given);
    } catch (error) {
        if (error instanceof Error) error.message = `${where}: ${error.message}`;
        throw error;
    }
    return given;
}

/** The HMAC key, as a secret whatever it came as; a plain string is checked now, an output when known. */
function checkSecret(where: string, secret: pulumi.Input<string> | undefined): pulumi.Output<string> {
    const key = `${where} callbackSecret`;
    const advice = `give the HMAC key shared with the payment service, at least ${MIN_SECRET_LENGTH} characters, as a secret (e.g. config.requireSecret("paymentCallbackSecret"))`;
    if (secret === undefined || secret === null) throw new ConfigError(key, undefined, advice);
    if (typeof secret === "string" && secret.length < MIN_SECRET_LENGTH) throw new ConfigError(key, "(too short)", advice);
    if (typeof secret !== "string" && !pulumi.Output.isInstance(secret) && !(secret instanceof Promise)) throw new ConfigError(key, typeof secret, advice);
    return pulumi.secret(pulumi.output(secret).apply((value) => {
        if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) throw new ConfigError(key, "(too short)", advice);
        return value;
    }));
}

/**
 * The built-in tasks' link: the payments table, and which workflow they serve
 * (SB_PAYMENTS_SERVES, SB_PAYMENTS_<NAME>_TABLE). No workflow id: the workflow is made after them.
 */
function stepsLink(name: string, records: Table): pulumi.Output<Link> {
    return records.link.apply((table): Link => ({
        type: "payments",
        name,
        environment: { ...table.environment, [SERVES_ENV]: name, [linkVariable("payments", name, "table")]: table.name },
        permissions: table.permissions,
        resources: table.resources,
    })) as pulumi.Output<Link>;
}

function taskFunction(name: string, role: TaskRole, user: CheckedArgs["functions"], steps: pulumi.Output<Link>, parent: pulumi.Resource, alarms: pulumi.Input<AlarmTarget> | undefined): PaymentTaskFunction {
    const fn = new Function(`${name}-${role}`, { alarms, ...taskArgs(name, role, user, steps) }, { parent });
    return { functionName: fn.functionName, resourceId: fn.resourceId, alias: fn.alias, aliasId: fn.aliasId };
}

/** The user's function for request, check and notify; a built-in one, linked to the table, for the others. */
function taskArgs(name: string, role: TaskRole, user: CheckedArgs["functions"], steps: pulumi.Output<Link>): FunctionArgs {
    if (role === "request" || role === "check" || role === "notify") {
        const given = user[role]!;
        return { ...given, description: given.description ?? `Payment workflow ${name} ${role}` };
    }
    // Plain words: SCF descriptions allow letters, digits, spaces, commas and full stops.
    return { handler: BUILT_IN[role], link: [steps], description: `Payment workflow ${name}, ${BUILT_IN_DESCRIPTIONS[role]}` };
}

/** The component's `link`: start and read payments (SB_PAYMENTS_<NAME>_TABLE and _WORKFLOW, the table's variables). */
function starterLink(name: string, records: Table, facts: PaymentWorkflowLinkFacts): pulumi.Output<Link> {
    return records.link.apply((table): Link => ({
        type: "payments",
        name,
        environment: {
            ...table.environment,
            [linkVariable("payments", name, "table")]: table.name,
            [linkVariable("payments", name, "workflow")]: facts.workflowId,
        },
        permissions: [...facts.start, ...facts.read],
        // The table's placement (a Tencent table's VPC and subnet): a function reading it runs there.
        resources: table.resources,
    })) as pulumi.Output<Link>;
}

/** The callback's link: the table, the HMAC key (a secret) and tolerance, and in callback mode the resume permission. */
function callbackLink(name: string, records: Table, facts: PaymentWorkflowLinkFacts, secret: pulumi.Output<string>, toleranceSeconds: number): pulumi.Output<Link> {
    return records.link.apply((table): Link => ({
        type: "payments",
        name,
        environment: {
            ...table.environment,
            [SERVES_ENV]: name,
            [linkVariable("payments", name, "table")]: table.name,
            [linkVariable("payments", name, "secret")]: secret,
            [linkVariable("payments", name, "tolerance")]: String(toleranceSeconds),
        },
        permissions: [...table.permissions, ...facts.resume],
        resources: table.resources,
    })) as pulumi.Output<Link>;
}
