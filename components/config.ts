// The stack's configuration, read and checked in one place, and the error every check throws.
// A leaf module (it imports only the Pulumi SDK), so that checks, event patterns, site rules and
// the cloud realisations can use it without importing the realisations back (cloud.ts does).
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "serverless-blocks";
export const CLOUDS = ["aws", "tencentcloud", "local"] as const;
export type CloudName = (typeof CLOUDS)[number];

/** CloudWatch Logs accepts only these retention periods; Tencent CLS accepts any of them too. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface Target {
    cloud: CloudName;
    /** The provider's region (`aws:region`, `tencentcloud:region`); "local" for the local target. */
    region: string;
    /** Protect stateful resources from deletion (prod). */
    protect: boolean;
    /** Default log retention for functions, in days. */
    logRetentionDays: number;
    /** How functions are released: canary share and pinned versions (`serverless-blocks:canary`, `:pinnedVersions`). */
    release: ReleaseConfig;
}

/**
 * Every function publishes an immutable version per change and is invoked only through its `live`
 * alias. A canary sends `percent` of a named function's traffic to its new version, the rest to the
 * previous one; a pin (written by `npm run rollback`) holds the alias on a version until removed.
 * A canary names its functions because a deploy cannot see which versions it changes (the alias's
 * current version lives in the cloud, not in the program): splitting an unchanged function between
 * its last two versions would send most of its traffic back to older code.
 */
export interface ReleaseConfig {
    /** The functions in canary and the share (1-99) of their traffic the new version takes. */
    canary?: { percent: number; functions: string[] };
    /** Function name to the version its alias stays on (digits, as both clouds number versions). */
    pinnedVersions: { [functionName: string]: string };
}

/** The alias every caller (route, rule, trigger, workflow, linked function) invokes. */
export const LIVE_ALIAS = "live";

const REGION_KEY: Record<CloudName, string | undefined> = {
    aws: "aws:region",
    tencentcloud: "tencentcloud:region",
    local: undefined,
};

/**
 * A configuration mistake, named by key, value and what is allowed. A RunError, so Pulumi's
 * launcher reports just this message, without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(key: string, value: unknown, allowed: string) {
        super(`config ${key}: ${value === undefined ? "missing" : `'${String(value)}' is not allowed`}; ${allowed}`);
        this.name = "ConfigError";
    }
}

/** Reads and validates the stack's target; throws ConfigError before any resource is registered. */
export function target(): Target {
    const config = new pulumi.Config(PROJECT);
    const cloud = config.get("cloud") ?? "local";
    if (!(CLOUDS as readonly string[]).includes(cloud)) {
        throw new ConfigError(`${PROJECT}:cloud`, cloud, `allowed values: ${CLOUDS.join(", ")}`);
    }
    const name = cloud as CloudName;
    const regionKey = REGION_KEY[name];
    const region = regionKey ? pulumi.runtime.getConfig(regionKey) : "local";
    if (!region) {
        throw new ConfigError(regionKey!, undefined, `set it with \`pulumi config set ${regionKey} <region>\` (e.g. ${name === "aws" ? "us-east-1" : "ap-guangzhou"})`);
    }
    const retention = readInteger(config, "logRetentionDays") ?? 14;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
        throw new ConfigError(`${PROJECT}:logRetentionDays`, retention, `allowed values: ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const protect = config.get("protect") ?? "false";
    if (protect !== "true" && protect !== "false") {
        throw new ConfigError(`${PROJECT}:protect`, protect, "allowed values: true, false");
    }
    return { cloud: name, region, protect: protect === "true", logRetentionDays: retention, release: readRelease(config) };
}

function readRelease(config: pulumi.Config): ReleaseConfig {
    const given = readObject(config, "canary");
    let canary: ReleaseConfig["canary"];
    if (given !== undefined) {
        const { percent, functions } = (given ?? {}) as { percent?: unknown; functions?: unknown };
        const keys = typeof given === "object" && given !== null && !Array.isArray(given) ? Object.keys(given) : ["?"];
        const names = Array.isArray(functions) && functions.length > 0 && functions.every((f) => typeof f === "string" && f !== "");
        if (keys.some((k) => k !== "percent" && k !== "functions") || !Number.isInteger(percent) || (percent as number) < 1 || (percent as number) > 99 || !names) {
            throw new ConfigError(`${PROJECT}:canary`, JSON.stringify(given), "expected { \"percent\": <a whole number from 1 to 99>, \"functions\": [\"<name of a function this release changes>\", ...] }; remove the key to promote the new versions to all traffic");
        }
        canary = { percent: percent as number, functions: functions as string[] };
    }
    const pins = readObject(config, "pinnedVersions") ?? {};
    if (typeof pins !== "object" || pins === null || Array.isArray(pins)) {
        throw new ConfigError(`${PROJECT}:pinnedVersions`, JSON.stringify(pins), "expected { \"<function name>\": \"<version>\" }, as `npm run rollback` writes it");
    }
    for (const [fn, version] of Object.entries(pins)) {
        if (typeof version !== "string" || !/^[1-9]\d{0,9}$/.test(version)) {
            throw new ConfigError(`${PROJECT}:pinnedVersions.${fn}`, JSON.stringify(version), "expected a published version number as a string, e.g. \"3\"");
        }
    }
    return { canary, pinnedVersions: pins as { [functionName: string]: string } };
}

function readObject(config: pulumi.Config, key: string): unknown {
    const raw = config.get(key);
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        throw new ConfigError(`${PROJECT}:${key}`, raw, "expected a JSON object (set it with `pulumi config set --path` or as YAML in Pulumi.<stack>.yaml)");
    }
}

/** A whole number within `range` (its default when not given); a ConfigError naming `key` and the range otherwise. */
export function wholeInRange(key: string, value: number | undefined, range: { min: number; max: number; default: number }): number {
    const v = value ?? range.default;
    if (!Number.isInteger(v) || v < range.min || v > range.max) {
        throw new ConfigError(key, v, `expected a whole number from ${range.min} to ${range.max}`);
    }
    return v;
}

function readInteger(config: pulumi.Config, key: string): number | undefined {
    const raw = config.get(key);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new ConfigError(`${PROJECT}:${key}`, raw, "expected a whole number");
    return Number(raw);
}
