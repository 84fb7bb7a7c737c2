// EventBridge event patterns (the language AsyncTask's `subscribe.pattern` is written in) translated
// into Tencent EventBridge (EB) rule patterns (事件模式), or refused at plan time: an operator EB
// does not document is an error naming it, never a silently wider rule.
//
// Facts (Tencent EB "事件模式" / "Event Pattern", cloud.tencent.com/document/product/1359/56084,
// tencentcloud.com/document/product/1108/42288, as published in Tencent's documentation source):
// - EB delivers CloudEvents 1.0: `id`, `source`, `type`, `subject`, `time` (milliseconds),
//   `region`, `datacontenttype`, `data`. EventBridge's `detail-type` is the CloudEvents `type`
//   (hub.publish puts it there) and `detail` is `data`.
// - Values in a field's array are OR, fields are AND; every field named must be in the event.
// - Documented matchers: exact values (strings, numbers, true, false, null; null is not ""),
//   `prefix`, `suffix`, `anything-but` (a value, and nested: "all match patterns can be nested",
//   e.g. {"anything-but": {"prefix": "init"}}), `contain` (substring), `array`, `cidr` (the
//   documented examples are IPv4).
// - Not documented, so refused here: `numeric`, `exists`, `equals-ignore-case`, `$or`, and an
//   `anything-but` list of several values, prefixes, suffixes or wildcards (excluding several is
//   an AND of exclusions on one field, which EB's one-array-per-field OR cannot say), and
//   `anything-but` ignoring case. A one-item list is the single value it holds. `wildcard` has
//   no EB operator; the wildcards that say exactly what exact/prefix/suffix/contain say are
//   translated to them, the others refused.
// - EventBridge matches an array-valued event field if any element matches; EB documents its
//   own `array` operator for arrays and does not say how plain values meet arrays: patterns on
//   fields that hold arrays may behave differently on Tencent Cloud.
import { ConfigError } from "../config";
import type { EventPattern } from "../events/pattern";

/** EventBridge envelope field -> Tencent EB CloudEvents field. */
export const FIELD_NAMES: Readonly<Record<string, string>> = {
    source: "source",
    "detail-type": "type",
    detail: "data",
    id: "id",
};

/** Envelope fields with no Tencent counterpart in the same format. */
const UNMAPPED_FIELDS: Readonly<Record<string, string>> = {
    time: "EB's time is a millisecond timestamp, not EventBridge's ISO text, so patterns on it mean something else",
    account: "EB events carry no account field",
    region: "EB region names differ from AWS's; the hub is regional anyway",
    resources: "EB events have no resources list",
    version: "EB events have no version field",
};

type TencentValue = string | number | boolean | null | Record<string, unknown>;

class Unsupported extends Error {
    constructor(readonly path: string, readonly offending: unknown, reason: string) {
        super(`${path}: ${reason}`);
    }
}

/**
 * Translates a validated EventBridge pattern into a Tencent EB event pattern, throwing
 * ConfigError(where, ...) naming the path and the operator EB lacks.
 *
 * @example toTencentPattern({ "detail-type": ["OrderPlaced"], detail: { sku: [{ prefix: "SHOE-" }] } }, "AsyncTask 'ship' subscribe.pattern")
 *          // => { type: ["OrderPlaced"], data: { sku: [{ prefix: "SHOE-" }] } }
 */
export function toTencentPattern(pattern: EventPattern, where: string): Record<string, unknown> {
    try {
        return translateTop(pattern);
    } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        throw new ConfigError(where, JSON.stringify(err.offending), `${err.message} (Tencent EB event patterns: cloud.tencent.com/document/product/1359/56084)`);
    }
}

function translateTop(pattern: EventPattern): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(pattern)) {
        if (key === "$or") throw new Unsupported(key, value, "$or is not supported by Tencent EB; subscribe one task per alternative");
        const field = FIELD_NAMES[key];
        if (!field) {
            const why = UNMAPPED_FIELDS[key] ?? "it is not an event envelope field (source, detail-type, detail, id)";
            throw new Unsupported(key, value, `field '${key}' cannot be matched on Tencent EB: ${why}`);
        }
        out[field] = key === "detail" && !Array.isArray(value) ? translateObject(value as Record<string, unknown>, key) : translateValues(value, key);
    }
    return out;
}

/** A nested object of fields (inside `detail`); keys keep their names. */
function translateObject(node: Record<string, unknown>, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
        const at = `${path}.${key}`;
        if (key === "$or") throw new Unsupported(at, value, "$or is not supported by Tencent EB; subscribe one task per alternative");
        out[key] = Array.isArray(value) ? translateValues(value, at) : translateObject(value as Record<string, unknown>, at);
    }
    return out;
}

function translateValues(values: unknown, path: string): TencentValue[] {
    if (!Array.isArray(values)) throw new Unsupported(path, values, "expected an array of values to match");
    return values.map((condition) => translateCondition(condition, path));
}

function translateCondition(condition: unknown, path: string): TencentValue {
    if (condition === null || typeof condition !== "object") return condition as TencentValue;
    const [op, arg] = Object.entries(condition as Record<string, unknown>)[0];
    switch (op) {
        case "prefix":
        case "suffix":
            if (typeof arg !== "string") throw new Unsupported(path, condition, `${op} with equals-ignore-case is not supported by Tencent EB (case-sensitive matching only)`);
            return { [op]: arg };
        case "cidr":
            if (typeof arg !== "string" || arg.includes(":")) throw new Unsupported(path, condition, "cidr on Tencent EB is documented for IPv4 blocks only");
            return { cidr: arg };
        case "anything-but":
            return { "anything-but": translateAnythingBut(arg, path, condition) };
        case "wildcard":
            return wildcardAsMatcher(arg as string, path, condition, "contain");
        case "numeric":
        case "exists":
        case "equals-ignore-case":
            throw new Unsupported(path, condition, `the '${op}' operator is not supported by Tencent EB`);
        default:
            throw new Unsupported(path, condition, `the '${op}' operator is not supported by Tencent EB`);
    }
}

function translateAnythingBut(arg: unknown, path: string, condition: unknown): TencentValue {
    if (typeof arg === "string" || typeof arg === "number") return arg;
    if (Array.isArray(arg)) {
        if (arg.length === 1) return arg[0] as TencentValue;
        throw new Unsupported(path, condition, "anything-but with a list of several values is not supported by Tencent EB (it documents a single value)");
    }
    const [op, listed] = Object.entries(arg as Record<string, unknown>)[0];
    if (Array.isArray(listed) && listed.length > 1 && (op === "prefix" || op === "suffix" || op === "wildcard")) {
        const several = op === "prefix" ? "prefixes" : op === "suffix" ? "suffixes" : "wildcards";
        throw new Unsupported(path, condition, `anything-but with a list of several ${several} is not supported by Tencent EB (it documents a single one; subscribe with one exclusion, or filter the rest in the task)`);
    }
    const inner = Array.isArray(listed) ? listed[0] : listed;
    if ((op === "prefix" || op === "suffix") && typeof inner === "string") return { [op]: inner };
    if (op === "wildcard" && typeof inner === "string") return wildcardAsMatcher(inner, path, condition, "none");
    if (op === "equals-ignore-case") throw new Unsupported(path, condition, "anything-but with 'equals-ignore-case' is not supported by Tencent EB (case-sensitive matching only)");
    throw new Unsupported(path, condition, `anything-but with '${op}' is not supported by Tencent EB`);
}

/**
 * A wildcard that is exactly an exact value, a prefix, a suffix or (outside anything-but) a
 * substring. `contain` is only used where EB documents it: directly in a field's array.
 */
function wildcardAsMatcher(text: string, path: string, condition: unknown, substring: "contain" | "none"): TencentValue {
    const parts = splitWildcard(text);
    if (parts.length === 1) return parts[0];
    if (parts.length === 2) {
        const [head, tail] = parts;
        if (head === "" && tail !== "") return { suffix: tail };
        if (head !== "" && tail === "") return { prefix: head };
    }
    if (parts.length === 3 && parts[0] === "" && parts[2] === "" && parts[1] !== "" && substring === "contain") return { contain: parts[1] };
    throw new Unsupported(path, condition, `wildcard '${text}' has no Tencent EB equivalent (only 'x', 'x*', '*x'${substring === "contain" ? " and '*x*'" : ""} translate exactly)`);
}

/** Splits on unescaped `*`, unescaping `\*` and `\\` (parsePattern has checked the escapes). */
function splitWildcard(text: string): string[] {
    const parts = [""];
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "\\") parts[parts.length - 1] += text[++i];
        else if (c === "*") parts.push("");
        else parts[parts.length - 1] += c;
    }
    return parts;
}
