// EventBridge event patterns: validated at plan time for every cloud (a bad pattern stops the
// plan naming the path and the problem) and matched by the local bus with EventBridge's
// semantics, as documented for content filtering and implemented by aws/event-ruler:
// - every field named in the pattern must match (AND); any value in a field's array may (OR);
// - a field whose event value is an array matches if any of its elements does;
// - nested objects in an array are matched element by element (no mixing of two elements);
// - `exists` looks at leaf values only: an object is not a leaf, an empty array has none;
// - `anything-but` matches any present value not excluded, including values of other types;
// - `numeric` compares JSON numbers only (a string "5" is not a number), within ±5e9;
// - `anything-but` excludes a value, a list of values, or (strings only) a prefix, a suffix, a
//   value in any case or a wildcard, each of them also as a list of alternatives to exclude;
// - `$or` multiplies into combinations (one alternative per `$or`): at most 1,000 per pattern;
// - a pattern is at most 4,096 characters (EventPattern's API maximum; 2,048 by default quota).
// Sources: docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html,
// eb-event-patterns-arrays.html, content-filtering-with-event-patterns.html ("Or matching" for the
// $or combinations), the PutRule / pipes Filter API references (EventPattern length) and
// github.com/aws/event-ruler (README, JsonRuleCompiler).
import { BlockList, isIP } from "node:net";
import { ConfigError } from "../config";

/** A parsed, validated event pattern (EventBridge JSON). */
export type EventPattern = { [key: string]: unknown };

/** The match operators the pattern language has, as objects inside a field's array. */
export const PATTERN_OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"] as const;

/** EventBridge's documented numeric range for `numeric` matching. */
export const NUMERIC_LIMIT = 5e9;

/** EventBridge's limit on the combinations a pattern's `$or`s expand into. */
export const OR_COMBINATIONS_LIMIT = 1000;

/** The longest EventPattern the API takes (the default quota is 2,048; it can be raised to this). */
export const PATTERN_SIZE_LIMIT = 4096;

const NUMERIC_LOWER = [">", ">="];
const NUMERIC_UPPER = ["<", "<="];

class PatternError extends Error {
    constructor(readonly path: string, readonly offending: unknown, readonly problem: string) {
        super(`${path}: ${problem}`);
    }
}

/**
 * Parses and validates an EventBridge event pattern, throwing ConfigError(where, ...) that names
 * the path and the problem, e.g. `detail.total: numeric needs pairs of operator and number, got [">"]`.
 *
 * @example parsePattern('{"detail-type": ["OrderPlaced"]}', "AsyncTask 'ship' subscribe.pattern")
 */
export function parsePattern(json: string, where: string): EventPattern {
    let parsed: unknown;
    try {
        parsed = JSON.parse(json);
    } catch (err) {
        throw new ConfigError(where, clip(String(json)), `not valid JSON (${(err as Error).message}); expected an object such as {"detail-type": ["OrderPlaced"]}`);
    }
    try {
        if (!isPlainObject(parsed)) throw new PatternError("pattern", parsed, `must be a JSON object such as {"detail-type": ["OrderPlaced"]}, got ${show(parsed)}`);
        checkObject(parsed, "");
        const size = JSON.stringify(parsed).length;
        if (size > PATTERN_SIZE_LIMIT) {
            throw new PatternError("pattern", parsed, `is ${size} characters as JSON; EventBridge takes at most ${PATTERN_SIZE_LIMIT} (2,048 unless the account's "Event pattern size" quota is raised): split it into several subscriptions`);
        }
        const combinations = orCombinations(parsed);
        if (combinations > OR_COMBINATIONS_LIMIT) {
            throw new PatternError("pattern", parsed, `its $or alternatives expand into ${combinations} combinations; EventBridge allows at most ${OR_COMBINATIONS_LIMIT.toLocaleString("en-US")} (nested or sibling $or multiply): split it into several subscriptions`);
        }
    } catch (err) {
        if (!(err instanceof PatternError)) throw err;
        throw new ConfigError(where, clip(show(err.offending)), err.message);
    }
    return parsed as EventPattern;
}

function checkObject(node: Record<string, unknown>, path: string): void {
    const keys = Object.keys(node);
    if (keys.length === 0) throw new PatternError(path || "pattern", node, "empty objects are not allowed; name at least one field");
    for (const key of keys) {
        const value = node[key];
        const at = join(path, key);
        if (key === "$or") {
            checkOr(value, at);
        } else if (Array.isArray(value)) {
            if (value.length === 0) throw new PatternError(at, value, "empty arrays are not allowed; list the values to match");
            value.forEach((condition, i) => checkCondition(condition, at, i));
        } else if (isPlainObject(value)) {
            checkObject(value, at);
        } else {
            throw new PatternError(at, value, `must be an array of values to match (e.g. [${show(value)}]) or an object of nested fields, got ${show(value)}`);
        }
    }
}

/**
 * How many plain patterns a pattern's `$or`s expand into: one alternative chosen per `$or`, so
 * the alternatives of one `$or` add up and `$or`s side by side or nested multiply.
 */
export function orCombinations(node: Record<string, unknown>): number {
    let total = 1;
    for (const [key, value] of Object.entries(node)) {
        if (key === "$or" && Array.isArray(value)) total *= value.reduce((sum: number, alternative) => sum + orCombinations(alternative as Record<string, unknown>), 0);
        else if (isPlainObject(value)) total *= orCombinations(value);
    }
    return total;
}

function checkOr(value: unknown, at: string): void {
    if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
        throw new PatternError(at, value, `$or needs an array of at least 2 objects, each a pattern of its own, got ${show(value)}`);
    }
    value.forEach((alternative, i) => checkObject(alternative as Record<string, unknown>, `${at}[${i}]`));
}

function checkCondition(condition: unknown, at: string, index: number): void {
    if (condition === null || ["string", "number", "boolean"].includes(typeof condition)) return;
    if (!isPlainObject(condition)) {
        throw new PatternError(at, condition, `values to match are strings, numbers, true, false, null or an operator object, got ${show(condition)} at [${index}]`);
    }
    const ops = Object.keys(condition);
    if (ops.length !== 1) {
        throw new PatternError(at, condition, `an operator object has exactly one key (one of ${PATTERN_OPERATORS.join(", ")}), got ${show(condition)}`);
    }
    const op = ops[0];
    const arg = condition[op];
    switch (op) {
        case "prefix":
        case "suffix":
            if (typeof arg === "string") return;
            if (isPlainObject(arg) && Object.keys(arg).length === 1 && typeof arg["equals-ignore-case"] === "string") return;
            throw new PatternError(at, condition, `${op} takes a string or {"equals-ignore-case": string}, got ${show(arg)}`);
        case "equals-ignore-case":
            if (typeof arg !== "string") throw new PatternError(at, condition, `equals-ignore-case takes a string, got ${show(arg)}`);
            return;
        case "wildcard":
            if (typeof arg !== "string") throw new PatternError(at, condition, `wildcard takes a string, got ${show(arg)}`);
            checkWildcard(arg, at, condition);
            return;
        case "exists":
            if (typeof arg !== "boolean") throw new PatternError(at, condition, `exists takes true or false, got ${show(arg)}`);
            return;
        case "numeric":
            checkNumeric(arg, at, condition);
            return;
        case "anything-but":
            checkAnythingBut(arg, at, condition);
            return;
        case "cidr":
            if (typeof arg !== "string" || !parseCidr(arg)) throw new PatternError(at, condition, `cidr takes an IPv4 or IPv6 block such as "10.0.0.0/24", got ${show(arg)}`);
            return;
        default:
            throw new PatternError(at, condition, `unknown operator '${op}'; allowed: ${PATTERN_OPERATORS.join(", ")}`);
    }
}

function checkNumeric(arg: unknown, at: string, condition: unknown): void {
    const shape = `allowed: ["=", n], [">" or ">=", n], ["<" or "<=", n], [">" or ">=", low, "<" or "<=", high]`;
    if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) {
        throw new PatternError(at, condition, `numeric needs pairs of operator and number, got ${show(arg)}; ${shape}`);
    }
    for (let i = 0; i < arg.length; i += 2) {
        const [op, n] = [arg[i], arg[i + 1]];
        if (typeof op !== "string" || !["=", ...NUMERIC_LOWER, ...NUMERIC_UPPER].includes(op)) {
            throw new PatternError(at, condition, `numeric operator ${show(op)} is not one of =, >, >=, <, <=`);
        }
        if (typeof n !== "number" || !Number.isFinite(n)) throw new PatternError(at, condition, `numeric ${op} needs a number, got ${show(n)}`);
        if (Math.abs(n) > NUMERIC_LIMIT) throw new PatternError(at, condition, `numeric values must be within -5e9 and 5e9 (EventBridge's limit), got ${n}`);
    }
    const [first, , second, , third] = arg as [string, number, string?, number?, unknown?];
    const valid =
        (arg.length === 2) ||
        (arg.length === 4 && NUMERIC_LOWER.includes(first) && NUMERIC_UPPER.includes(second!));
    if (!valid || third !== undefined) throw new PatternError(at, condition, `${show(arg)} is not a valid range; ${shape}`);
    if (arg.length === 4 && !((arg[1] as number) < (arg[3] as number))) {
        throw new PatternError(at, condition, `numeric range ${show(arg)} is empty: the lower bound must be below the upper bound`);
    }
}

function checkAnythingBut(arg: unknown, at: string, condition: unknown): void {
    if (typeof arg === "string" || (typeof arg === "number" && Number.isFinite(arg))) return;
    if (Array.isArray(arg)) {
        const allStrings = arg.length > 0 && arg.every((v) => typeof v === "string");
        const allNumbers = arg.length > 0 && arg.every((v) => typeof v === "number" && Number.isFinite(v));
        if (!allStrings && !allNumbers) throw new PatternError(at, condition, `anything-but takes a non-empty list of all strings or all numbers, got ${show(arg)}`);
        return;
    }
    if (isPlainObject(arg) && Object.keys(arg).length === 1) {
        const [op] = Object.keys(arg);
        const inner = arg[op];
        if ((op === "prefix" || op === "suffix") && (nonEmpty(inner) || (Array.isArray(inner) && inner.length > 0 && inner.every(nonEmpty)))) return;
        if (op === "equals-ignore-case" && (typeof inner === "string" || (Array.isArray(inner) && inner.length > 0 && inner.every((v) => typeof v === "string")))) return;
        if (op === "wildcard" && (typeof inner === "string" || (Array.isArray(inner) && inner.length > 0 && inner.every((v) => typeof v === "string")))) {
            for (const w of typeof inner === "string" ? [inner] : (inner as string[])) checkWildcard(w, at, condition);
            return;
        }
    }
    throw new PatternError(at, condition, `anything-but takes a string, a number, a list of strings or numbers, or one of {"prefix": non-empty string or strings}, {"suffix": non-empty string or strings}, {"equals-ignore-case": string or strings}, {"wildcard": string or strings}; got ${show(arg)}`);
}

function nonEmpty(value: unknown): value is string {
    return typeof value === "string" && value.length > 0;
}

function checkWildcard(text: string, at: string, condition: unknown): void {
    let previousStar = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "\\") {
            const next = text[i + 1];
            if (next !== "*" && next !== "\\") throw new PatternError(at, condition, `wildcard ${show(text)}: a backslash may only escape * or \\ (at character ${i + 1})`);
            i++;
            previousStar = false;
        } else if (c === "*") {
            if (previousStar) throw new PatternError(at, condition, `wildcard ${show(text)}: consecutive * are not allowed`);
            previousStar = true;
        } else {
            previousStar = false;
        }
    }
}

/**
 * Whether `event` (EventBridge envelope: `{ id, source, "detail-type", time, detail, ... }`)
 * matches `pattern`, a pattern returned by parsePattern.
 */
export function matchesPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
    return matchObject(pattern, event);
}

function matchObject(pattern: Record<string, unknown>, node: unknown): boolean {
    // An array of objects: the whole sub-pattern must match within one element.
    if (Array.isArray(node)) return node.some((element) => matchObject(pattern, element));
    const fields = isPlainObject(node) ? node : undefined;
    for (const [key, expected] of Object.entries(pattern)) {
        if (key === "$or" && Array.isArray(expected)) {
            if (!expected.some((alternative) => matchObject(alternative as Record<string, unknown>, node))) return false;
            continue;
        }
        const present = fields !== undefined && Object.prototype.hasOwnProperty.call(fields, key);
        const value = present ? fields![key] : undefined;
        const ok = Array.isArray(expected) ? matchLeaf(expected, present ? leavesOf(value) : []) : matchObject(expected as Record<string, unknown>, value);
        if (!ok) return false;
    }
    return true;
}

/** A field's leaf values: arrays are flattened, objects are not leaves. */
function leavesOf(value: unknown): unknown[] {
    if (Array.isArray(value)) return value.flatMap(leavesOf);
    if (isPlainObject(value)) return [];
    return [value];
}

function matchLeaf(conditions: unknown[], leaves: unknown[]): boolean {
    return conditions.some((condition) => {
        if (isPlainObject(condition) && "exists" in condition) return condition.exists ? leaves.length > 0 : leaves.length === 0;
        return leaves.some((leaf) => matchValue(condition, leaf));
    });
}

function matchValue(condition: unknown, value: unknown): boolean {
    if (!isPlainObject(condition)) return condition === value;
    const [op] = Object.keys(condition);
    const arg = condition[op];
    switch (op) {
        case "prefix":
            return typeof value === "string" && (typeof arg === "string" ? value.startsWith(arg) : fold(value).startsWith(fold(ignoreCase(arg))));
        case "suffix":
            return typeof value === "string" && (typeof arg === "string" ? value.endsWith(arg) : fold(value).endsWith(fold(ignoreCase(arg))));
        case "equals-ignore-case":
            return typeof value === "string" && fold(value) === fold(arg as string);
        case "wildcard":
            return typeof value === "string" && wildcardRegExp(arg as string).test(value);
        case "numeric":
            return typeof value === "number" && inRange(arg as (string | number)[], value);
        case "cidr":
            return typeof value === "string" && inCidr(arg as string, value);
        case "anything-but":
            return !excludedBy(arg, value);
        default:
            return false;
    }
}

function excludedBy(arg: unknown, value: unknown): boolean {
    if (Array.isArray(arg)) return arg.some((excluded) => excluded === value);
    if (!isPlainObject(arg)) return arg === value;
    if (typeof value !== "string") return false; // string operators cannot exclude a number, true, false or null
    const [op] = Object.keys(arg);
    const inner = arg[op];
    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : [v as string]);
    switch (op) {
        case "prefix":
            return list(inner).some((p) => value.startsWith(p));
        case "suffix":
            return list(inner).some((s) => value.endsWith(s));
        case "equals-ignore-case":
            return list(inner).some((v) => fold(v) === fold(value));
        case "wildcard":
            return list(inner).some((w) => wildcardRegExp(w).test(value));
        default:
            return false;
    }
}

function inRange(spec: (string | number)[], value: number): boolean {
    for (let i = 0; i < spec.length; i += 2) {
        const [op, n] = [spec[i] as string, spec[i + 1] as number];
        const ok = op === "=" ? value === n : op === ">" ? value > n : op === ">=" ? value >= n : op === "<" ? value < n : value <= n;
        if (!ok) return false;
    }
    return true;
}

function ignoreCase(arg: unknown): string {
    return (arg as Record<string, string>)["equals-ignore-case"];
}

function fold(text: string): string {
    return text.toLowerCase();
}

const wildcards = new Map<string, RegExp>();

function wildcardRegExp(text: string): RegExp {
    let re = wildcards.get(text);
    if (!re) {
        let source = "";
        for (let i = 0; i < text.length; i++) {
            const c = text[i];
            if (c === "\\") source += escapeRegExp(text[++i]);
            else if (c === "*") source += ".*";
            else source += escapeRegExp(c);
        }
        re = new RegExp(`^${source}$`, "s");
        wildcards.set(text, re);
    }
    return re;
}

function escapeRegExp(c: string): string {
    return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

const cidrs = new Map<string, { list: BlockList; family: "ipv4" | "ipv6" }>();

function parseCidr(text: string): { list: BlockList; family: "ipv4" | "ipv6" } | undefined {
    const cached = cidrs.get(text);
    if (cached) return cached;
    const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
    if (!match) return undefined;
    const version = isIP(match[1]);
    const prefix = Number(match[2]);
    if (version === 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
    const family = version === 4 ? "ipv4" : "ipv6";
    const list = new BlockList();
    list.addSubnet(match[1], prefix, family);
    const parsed = { list, family } as const;
    cidrs.set(text, parsed);
    return parsed;
}

function inCidr(block: string, value: string): boolean {
    const cidr = parseCidr(block);
    const version = isIP(value);
    if (!cidr || version === 0 || (version === 4) !== (cidr.family === "ipv4")) return false;
    return cidr.list.check(value, cidr.family);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
    return path ? `${path}.${key}` : key;
}

function show(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}

function clip(text: string): string {
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
