// Function: the primitive every other component builds on. The same args deploy a Lambda on
// AWS, an SCF function on Tencent Cloud, or an in-process worker on the local target.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { ConfigError, LIVE_ALIAS, LOG_RETENTION_DAYS, provider, target } from "./cloud";
import { FunctionCode } from "./function-code";
import { Link, linkVariable } from "./link";

export interface FunctionArgs {
    /**
     * The handler, as a module path relative to the project plus an export name. The module
     * exports a portable handler made with `http(...)` or `onEvent(...)` from `functions/runtime`.
     *
     * @example "functions/users/register.handler"
     */
    handler?: string;
    /**
     * Inline code instead of a handler file: an archive made by `closure(...)`.
     *
     * @example closure(http(async () => ({ body: { ok: true } })))
     */
    code?: pulumi.asset.Archive;
    /** Memory in MB: 128 to 3072 in steps of 128 (what both clouds offer). Default 256. */
    memory?: number;
    /** Timeout in seconds, 1 to 900. Default 10. */
    timeout?: number;
    /** Extra environment variables. Names starting with `SB_` are reserved for links. */
    environment?: { [key: string]: pulumi.Input<string> };
    /** Log retention in days; defaults to the stack's `serverless-blocks:logRetentionDays`. */
    logRetentionDays?: number;
    /**
     * Components this function uses: it gets exactly the permissions they need, and their
     * names and endpoints as environment variables.
     *
     * @example link: [users.link, hub.link]
     */
    link?: pulumi.Input<Link>[];
    /** A description shown in the cloud console. */
    description?: string;
    /**
     * Instances kept initialised on the `live` alias, for latency-critical routes (AWS provisioned
     * concurrency, SCF provisioned concurrency); billed while idle. 0 to 100; default 0 (none).
     */
    provisionedConcurrency?: number;
    /**
     * Where this function's alarms go (errors and throttles): an Alarms' `target`. Components pass
     * their own `alarms` on to the functions they make. Without it the function has no alarms.
     *
     * @example alarms: alarms.target
     */
    alarms?: pulumi.Input<AlarmTarget>;
}

export const MEMORY_MB = { min: 128, max: 3072, step: 128, default: 256 };
export const TIMEOUT_SECONDS = { min: 1, max: 900, step: 1, default: 10 };
export const PROVISIONED_CONCURRENCY = { min: 0, max: 100, step: 1, default: 0 };
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by the cloud's runtime; a function cannot override them. */
const RESERVED_ENV = /^(AWS_|LAMBDA_|SCF_|TENCENTCLOUD_|_HANDLER$|SB_)/;

/**
 * A serverless function.
 *
 * @example
 * const register = new Function("register", {
 *     handler: "functions/users/register.handler",
 *     link: [users.link],
 * });
 */
export class Function extends pulumi.ComponentResource {
    /** The deployed function's name. */
    public readonly functionName!: pulumi.Output<string>;
    /** The cloud's identifier: an ARN on AWS, a `qcs::` resource on Tencent Cloud, `local:function:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Hand this to another Function's `link` to let it invoke this one. */
    public readonly link!: pulumi.Output<Link>;
    /** The alias every caller invokes (`live`): the function's published version, or a canary split. */
    public readonly alias!: pulumi.Output<string>;
    /** The alias's identifier: its ARN on AWS, the function's `qcs::scf` resource plus `/live` on Tencent Cloud (the qualified form EB targets take), `local:function:<name>:live` locally. */
    public readonly aliasId!: pulumi.Output<string>;

    constructor(name: string, args: FunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is checked before the component registers, so a mistake registers nothing.
        const checked = checkFunctionArgs(name, args);
        const cloud = provider();
        cloud.checkFunction?.({ name, ...checked });
        super("serverless-blocks:index:Function", name, {}, opts);

        const realised = cloud.function(this, {
            ...checked,
            name,
            linkCount: args.link?.length ?? 0,
            ...linked(name, args.environment ?? {}, args.link ?? []),
            description: args.description,
            alarms: args.alarms === undefined ? undefined : pulumi.output(args.alarms),
        });
        const link: Link = {
            type: "function",
            name,
            // Callers invoke the alias (AWS: FunctionName name + Qualifier; SCF: Qualifier): both given.
            environment: { [linkVariable("function", name, "name")]: realised.functionName, [linkVariable("function", name, "alias")]: realised.alias.name },
            permissions: [realised.invokePermission],
        };
        Object.assign(this, {
            functionName: realised.functionName,
            resourceId: realised.resourceId,
            link: pulumi.output(link),
            alias: pulumi.output(realised.alias.name),
            aliasId: realised.alias.id,
        });
        this.registerOutputs({ functionName: this.functionName, resourceId: this.resourceId, link: this.link, alias: this.alias, aliasId: this.aliasId });
    }
}

/**
 * Validates a Function's args (throwing ConfigError naming what is wrong); components that make
 * a Function call it first, so their own mistakes register nothing either.
 */
export function checkFunctionArgs(name: string, args: FunctionArgs) {
    const stack = target();
    const code = FunctionCode.from(name, args);
    const memory = inRange(name, "memory", args.memory, MEMORY_MB);
    const timeout = inRange(name, "timeout", args.timeout, TIMEOUT_SECONDS);
    const logRetentionDays = retention(name, args.logRetentionDays ?? stack.logRetentionDays);
    checkEnvironmentNames(name, args.environment ?? {});
    const provisionedConcurrency = inRange(name, "provisionedConcurrency", args.provisionedConcurrency, PROVISIONED_CONCURRENCY);
    const pinnedVersion = stack.release.pinnedVersions[name];
    const release: FunctionRelease = {
        alias: LIVE_ALIAS,
        canaryPercent: stack.release.canary?.functions.includes(name) ? stack.release.canary.percent : 0,
        ...(pinnedVersion === undefined ? {} : { pinnedVersion }),
        provisionedConcurrency,
    };
    return { code, memory, timeout, logRetentionDays, release };
}

/** How a function is released (ReleaseConfig in config.ts, applied to one function). */
export interface FunctionRelease {
    /** The alias every caller invokes: `live`. */
    alias: string;
    /** 0, or the share of traffic (1-99) the newest version takes while the previous one takes the rest. */
    canaryPercent: number;
    /** The version the alias stays on (a rollback's pin), overriding the newest and any canary. */
    pinnedVersion?: string;
    /** Instances kept initialised on the alias; 0 for none. */
    provisionedConcurrency: number;
}

function inRange(fn: string, key: string, value: number | undefined, range: typeof MEMORY_MB): number {
    const v = value ?? range.default;
    if (!Number.isInteger(v) || v < range.min || v > range.max || v % range.step !== 0) {
        const step = range.step > 1 ? ` in steps of ${range.step}` : "";
        throw new ConfigError(`Function '${fn}' ${key}`, v, `expected a whole number from ${range.min} to ${range.max}${step}`);
    }
    return v;
}

function retention(fn: string, days: number): number {
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
        throw new ConfigError(`Function '${fn}' logRetentionDays`, days, `allowed values: ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    return days;
}

function checkEnvironmentNames(fn: string, own: { [key: string]: unknown }): void {
    for (const key of Object.keys(own)) {
        if (!ENV_NAME.test(key) || RESERVED_ENV.test(key)) {
            throw new ConfigError(`Function '${fn}' environment`, key, "names are letters, digits and _, not starting with a digit, and not AWS_, LAMBDA_, SCF_, TENCENTCLOUD_ or SB_ (reserved)");
        }
    }
}

/** The user's variables plus every link's, and the links' permissions; refuses clashes. */
function linked(fn: string, own: { [key: string]: pulumi.Input<string> }, links: pulumi.Input<Link>[]) {
    const resolved = pulumi.output(links) as pulumi.Output<pulumi.Unwrap<Link>[]>;
    const environment = pulumi.all([pulumi.output(own), resolved]).apply(([vars, ls]) => {
        // The function's name is the default `source` of the events it publishes.
        const merged: Record<string, string> = { SB_EVENT_SOURCE: fn, ...vars };
        for (const link of ls) {
            for (const [key, value] of Object.entries(link.environment)) {
                if (key in merged) throw new ConfigError(`Function '${fn}' link ${link.type} '${link.name}'`, key, "each environment variable may be set once; is the same component linked twice?");
                merged[key] = value;
            }
        }
        return merged;
    });
    // Permissions and network identifiers are never secret, though a link carrying them may hold
    // one (a table's password): kept readable, so that plans show policies and placement.
    const permissions = pulumi.unsecret(resolved.apply((ls) => ls.flatMap((link) => link.permissions)));
    const network = pulumi.unsecret(resolved.apply((ls) => linkedNetwork(fn, ls)));
    return { environment, permissions, network };
}

/**
 * The VPC and subnet the links need the function in (a Tencent Cloud table's `resources.vpcId`
 * and `subnetId`): a function runs in one VPC, so links naming two are refused.
 */
function linkedNetwork(fn: string, links: pulumi.Unwrap<Link>[]): { vpcId: string; subnetId: string } | undefined {
    let network: { vpcId: string; subnetId: string; from: string } | undefined;
    for (const link of links) {
        const vpcId = link.resources?.vpcId;
        const subnetId = link.resources?.subnetId;
        if (!vpcId || !subnetId) continue;
        const from = `${link.type} '${link.name}'`;
        if (network && network.vpcId !== vpcId) {
            throw new ConfigError(`Function '${fn}' link`, from, `it is in VPC ${vpcId}, but ${network.from} is in VPC ${network.vpcId}; a function runs in one VPC: give the components one network (e.g. Table's \`network\`)`);
        }
        network ??= { vpcId, subnetId, from };
    }
    return network && { vpcId: network.vpcId, subnetId: network.subnetId };
}
