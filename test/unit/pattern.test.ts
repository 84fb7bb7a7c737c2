// The EventBridge pattern language, table-driven: every operator matching and not matching, the
// array and nesting rules, and invalid patterns with the message a user would read.
import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/config";
import { matchesPattern, parsePattern } from "../../components/events/pattern";

/** An event in EventBridge's envelope, as the local bus matches it. */
const event = (detail: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "OrderPlaced",
    source: "shop.orders",
    account: "000000000000",
    time: "2026-11-27T10:00:00.000Z",
    region: "local",
    resources: ["arn:local:order/1", "arn:local:customer/7"],
    detail,
    ...overrides,
});

const order = event({
    total: 120.5,
    count: 3,
    state: "paid",
    currency: "EUR",
    file: "invoice-2026.PDF",
    ip: "10.0.0.33",
    note: "",
    coupon: null,
    express: true,
    tags: ["gift", "priority"],
    items: [{ sku: "A-1", qty: 2 }, { sku: "B-2", qty: 1 }],
    customer: { tier: "gold", country: "DE" },
});

type Row = [name: string, pattern: object, matches: boolean];

const rows: Row[] = [
    // exact values
    ["exact string", { "detail-type": ["OrderPlaced"] }, true],
    ["exact string, other value", { "detail-type": ["OrderShipped"] }, false],
    ["exact: any of the listed values", { source: ["shop.payments", "shop.orders"] }, true],
    ["exact number", { detail: { count: [3] } }, true],
    ["exact number written differently (3.0e0)", { detail: { count: [3.0e0] } }, true],
    ["exact number, other value", { detail: { count: [4] } }, false],
    ["a number does not match its string", { detail: { count: ["3"] } }, false],
    ["exact true", { detail: { express: [true] } }, true],
    ["exact false", { detail: { express: [false] } }, false],
    ["exact null", { detail: { coupon: [null] } }, true],
    ["null is not the empty string", { detail: { coupon: [""] } }, false],
    ["empty string", { detail: { note: [""] } }, true],
    ["empty string is not null", { detail: { note: [null] } }, false],
    ["missing field never matches a value", { detail: { missing: ["x"] } }, false],
    // arrays in the event
    ["event array: any element", { resources: ["arn:local:customer/7"] }, true],
    ["event array: no element", { resources: ["arn:local:order/2"] }, false],
    ["event array of scalars in detail", { detail: { tags: ["priority"] } }, true],
    ["array of objects: a field of one element", { detail: { items: { sku: ["B-2"] } } }, true],
    ["array of objects: two fields of one element", { detail: { items: { sku: ["A-1"], qty: [2] } } }, true],
    ["array of objects: fields of different elements do not combine", { detail: { items: { sku: ["A-1"], qty: [1] } } }, false],
    // nesting and AND
    ["nested object", { detail: { customer: { tier: ["gold"] } } }, true],
    ["nested object, other value", { detail: { customer: { tier: ["silver"] } } }, false],
    ["all fields must match (AND)", { source: ["shop.orders"], detail: { state: ["refunded"] } }, false],
    ["an object where the pattern expects a value", { detail: { customer: ["gold"] } }, false],
    // prefix / suffix / equals-ignore-case
    ["prefix", { source: [{ prefix: "shop." }] }, true],
    ["prefix, no", { source: [{ prefix: "billing." }] }, false],
    ["prefix is for strings only", { detail: { count: [{ prefix: "3" }] } }, false],
    ["prefix ignoring case", { detail: { file: [{ prefix: { "equals-ignore-case": "INVOICE" } }] } }, true],
    ["prefix ignoring case, no", { detail: { file: [{ prefix: { "equals-ignore-case": "receipt" } }] } }, false],
    ["suffix", { detail: { file: [{ suffix: ".PDF" }] } }, true],
    ["suffix is case-sensitive", { detail: { file: [{ suffix: ".pdf" }] } }, false],
    ["suffix ignoring case", { detail: { file: [{ suffix: { "equals-ignore-case": ".pdf" } }] } }, true],
    ["equals-ignore-case", { detail: { currency: [{ "equals-ignore-case": "eur" }] } }, true],
    ["equals-ignore-case, no", { detail: { currency: [{ "equals-ignore-case": "usd" }] } }, false],
    // wildcard
    ["wildcard", { detail: { file: [{ wildcard: "invoice-*.PDF" }] } }, true],
    ["wildcard, several stars", { source: [{ wildcard: "*.*" }] }, true],
    ["wildcard, no", { detail: { file: [{ wildcard: "receipt-*" }] } }, false],
    ["wildcard is anchored at both ends", { detail: { file: [{ wildcard: "invoice" }] } }, false],
    ["wildcard with an escaped star matches a star only", { detail: { file: [{ wildcard: "invoice\\*" }] } }, false],
    // anything-but
    ["anything-but string", { detail: { state: [{ "anything-but": "refunded" }] } }, true],
    ["anything-but string, excluded", { detail: { state: [{ "anything-but": "paid" }] } }, false],
    ["anything-but list", { detail: { state: [{ "anything-but": ["paid", "refunded"] }] } }, false],
    ["anything-but number", { detail: { count: [{ "anything-but": 4 }] } }, true],
    ["anything-but numbers, excluded", { detail: { count: [{ "anything-but": [1, 2, 3] }] } }, false],
    ["anything-but matches a value of another type", { detail: { count: [{ "anything-but": "3" }] } }, true],
    ["anything-but needs the field", { detail: { missing: [{ "anything-but": "x" }] } }, false],
    ["anything-but on an array: one element not excluded is enough", { detail: { tags: [{ "anything-but": "gift" }] } }, true],
    ["anything-but prefix", { source: [{ "anything-but": { prefix: "billing." } }] }, true],
    ["anything-but prefix, excluded", { source: [{ "anything-but": { prefix: "shop." } }] }, false],
    ["anything-but suffix", { detail: { file: [{ "anything-but": { suffix: ".PNG" } }] } }, true],
    ["anything-but suffix, excluded", { detail: { file: [{ "anything-but": { suffix: ".PDF" } }] } }, false],
    ["anything-but equals-ignore-case, excluded", { detail: { currency: [{ "anything-but": { "equals-ignore-case": ["usd", "eur"] } }] } }, false],
    ["anything-but equals-ignore-case", { detail: { currency: [{ "anything-but": { "equals-ignore-case": "usd" } }] } }, true],
    ["anything-but wildcard, excluded", { detail: { file: [{ "anything-but": { wildcard: "*.PDF" } }] } }, false],
    ["anything-but wildcard", { detail: { file: [{ "anything-but": { wildcard: "*.PNG" } }] } }, true],
    // numeric
    ["numeric >", { detail: { total: [{ numeric: [">", 100] }] } }, true],
    ["numeric > at the bound", { detail: { total: [{ numeric: [">", 120.5] }] } }, false],
    ["numeric >= at the bound", { detail: { total: [{ numeric: [">=", 120.5] }] } }, true],
    ["numeric <", { detail: { total: [{ numeric: ["<", 100] }] } }, false],
    ["numeric <=", { detail: { count: [{ numeric: ["<=", 3] }] } }, true],
    ["numeric =", { detail: { count: [{ numeric: ["=", 3] }] } }, true],
    ["numeric range inside", { detail: { count: [{ numeric: [">", 0, "<=", 5] }] } }, true],
    ["numeric range outside", { detail: { total: [{ numeric: [">", 0, "<=", 100] }] } }, false],
    ["numeric on a string never matches", { detail: { state: [{ numeric: [">", 0] }] } }, false],
    // exists
    ["exists true", { detail: { coupon: [{ exists: true }] } }, true],
    ["exists true, missing", { detail: { missing: [{ exists: true }] } }, false],
    ["exists false, missing", { detail: { missing: [{ exists: false }] } }, true],
    ["exists false, present", { detail: { state: [{ exists: false }] } }, false],
    ["exists looks at leaves: an object is not one", { detail: { customer: [{ exists: false }] } }, true],
    ["exists false when the parent is missing too", { nothing: { here: [{ exists: false }] } }, true],
    // cidr
    ["cidr", { detail: { ip: [{ cidr: "10.0.0.0/24" }] } }, true],
    ["cidr, outside", { detail: { ip: [{ cidr: "10.0.1.0/24" }] } }, false],
    // mixing conditions in one array is OR
    ["conditions in one array are alternatives", { detail: { state: ["refunded", { prefix: "pa" }] } }, true],
    // $or
    ["$or: one alternative matches", { $or: [{ source: ["billing"] }, { detail: { state: ["paid"] } }] }, true],
    ["$or: none matches", { $or: [{ source: ["billing"] }, { detail: { state: ["refunded"] } }] }, false],
    ["$or nested in detail, with AND outside", { source: ["shop.orders"], detail: { $or: [{ count: [{ numeric: [">", 10] }] }, { express: [true] }] } }, true],
    ["$or with AND outside failing", { source: ["billing"], detail: { $or: [{ count: [3] }, { express: [true] }] } }, false],
    ["$or inside $or", { $or: [{ source: ["x"] }, { $or: [{ source: ["y"] }, { "detail-type": ["OrderPlaced"] }] }] }, true],
];

describe("event pattern matching (EventBridge semantics)", () => {
    for (const [name, pattern, expected] of rows) {
        it(`${expected ? "matches" : "does not match"}: ${name}`, () => {
            const parsed = parsePattern(JSON.stringify(pattern), "test pattern");
            assert.equal(matchesPattern(parsed, order), expected, JSON.stringify(pattern));
        });
    }
});

type Invalid = [name: string, json: string, message: RegExp];

const invalid: Invalid[] = [
    ["not JSON", "{detail-type: x}", /not valid JSON/],
    ["not an object", '["OrderPlaced"]', /must be a JSON object such as/],
    ["empty pattern", "{}", /empty objects are not allowed/],
    ["a bare value instead of an array", '{"source": "shop"}', /source: must be an array of values to match \(e\.g\. \["shop"\]\)/],
    ["empty array", '{"source": []}', /source: empty arrays are not allowed/],
    ["empty nested object", '{"detail": {}}', /detail: empty objects are not allowed/],
    ["an array inside the values", '{"source": [["a"]]}', /source: values to match are strings, numbers, true, false, null or an operator object/],
    ["unknown operator", '{"source": [{"contains": "x"}]}', /source: unknown operator 'contains'; allowed: prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr/],
    ["two operators in one object", '{"source": [{"prefix": "a", "suffix": "b"}]}', /exactly one key/],
    ["numeric with an operator only", '{"detail": {"total": [{"numeric": [">"]}]}}', /detail\.total: numeric needs pairs of operator and number, got \[">"\]/],
    ["numeric with a bad operator", '{"detail": {"total": [{"numeric": ["!=", 1]}]}}', /numeric operator "!=" is not one of =, >, >=, <, <=/],
    ["numeric with a string bound", '{"detail": {"total": [{"numeric": [">", "1"]}]}}', /numeric > needs a number, got "1"/],
    ["numeric range upper bound first", '{"detail": {"total": [{"numeric": ["<", 10, ">", 0]}]}}', /is not a valid range/],
    ["numeric empty range", '{"detail": {"total": [{"numeric": [">", 10, "<", 5]}]}}', /is empty: the lower bound must be below the upper bound/],
    ["numeric beyond EventBridge's limit", '{"detail": {"total": [{"numeric": [">", 6e9]}]}}', /within -5e9 and 5e9/],
    ["exists with a string", '{"detail": {"a": [{"exists": "yes"}]}}', /detail\.a: exists takes true or false, got "yes"/],
    ["prefix with a number", '{"source": [{"prefix": 1}]}', /prefix takes a string or \{"equals-ignore-case": string\}, got 1/],
    ["wildcard with consecutive stars", '{"source": [{"wildcard": "a**b"}]}', /consecutive \* are not allowed/],
    ["wildcard with a bad escape", '{"source": [{"wildcard": "a\\\\b"}]}', /a backslash may only escape \* or \\/],
    ["anything-but with mixed types", '{"source": [{"anything-but": ["a", 1]}]}', /anything-but takes a non-empty list of all strings or all numbers/],
    ["anything-but with an empty prefix", '{"source": [{"anything-but": {"prefix": ""}}]}', /anything-but takes a string, a number/],
    ["anything-but with null", '{"source": [{"anything-but": null}]}', /anything-but takes a string, a number/],
    ["$or with one alternative", '{"$or": [{"source": ["a"]}]}', /\$or: \$or needs an array of at least 2 objects/],
    ["$or with a bad alternative", '{"$or": [{"source": ["a"]}, {"source": "b"}]}', /\$or\[1\]\.source: must be an array of values/],
    ["cidr that is not a block", '{"detail": {"ip": [{"cidr": "10.0.0.300/8"}]}}', /cidr takes an IPv4 or IPv6 block/],
];

describe("event pattern validation", () => {
    for (const [name, json, message] of invalid) {
        it(`refuses ${name}`, () => {
            assert.throws(() => parsePattern(json, "AsyncTask 'ship' subscribe.pattern"), (err: Error) => {
                assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
                assert.match(err.message, /^config AsyncTask 'ship' subscribe\.pattern: /);
                assert.match(err.message, message);
                return true;
            });
        });
    }

    it("names the offending part and what is allowed in one message", () => {
        assert.throws(
            () => parsePattern('{"detail": {"total": [{"numeric": [">"]}]}}', "AsyncTask 'ship' subscribe.pattern"),
            { message: `config AsyncTask 'ship' subscribe.pattern: '{"numeric":[">"]}' is not allowed; detail.total: numeric needs pairs of operator and number, got [">"]; allowed: ["=", n], [">" or ">=", n], ["<" or "<=", n], [">" or ">=", low, "<" or "<=", high]` },
        );
    });

    it("returns the pattern as parsed, ready for the clouds to serialise", () => {
        const json = '{"source":[{"prefix":"shop."}],"detail":{"total":[{"numeric":[">",100]}]}}';
        assert.equal(JSON.stringify(parsePattern(json, "p")), json);
    });
});
