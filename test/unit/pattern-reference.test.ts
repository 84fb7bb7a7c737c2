// The EventBridge pattern reference, operator by operator, as a table: the documented examples
// (event, pattern, matches or not), each row citing the section of the AWS documentation it comes
// from, run through the validator and the matcher the local bus uses (local/events/event-runtime.ts
// calls matchesPattern). Then the documented limits and validation errors.
//
// Sources (docs.aws.amazon.com/eventbridge/latest/userguide/...):
//   OPS  = eb-create-pattern-operators.html (the operator summary table)
//   CF   = content-filtering-with-event-patterns.html, by section: prefix, prefix ignoring case,
//          suffix, suffix ignoring case, anything-but, equals-ignore-case, wildcard, numeric,
//          IP address, exists, complex example, $or ("Or matching")
//   ARR  = eb-event-patterns-arrays.html
//   EP   = eb-event-patterns.html (empty and null values, the EC2 example)
//   API  = PutRule / pipes Filter "EventPattern ... Maximum length of 4096" (quota "Event pattern
//          size": 2,048 by default)
//   RULER = github.com/aws/event-ruler README (what the service runs; wildcard escapes, lists
//          inside anything-but)
import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/config";
import { matchesPattern, orCombinations, parsePattern, OR_COMBINATIONS_LIMIT, PATTERN_SIZE_LIMIT } from "../../components/events/pattern";

/** The EC2 event the documentation's examples are written against (EP), with `detail` replaced. */
const ec2 = (detail: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "111122223333",
    time: "2017-10-02T18:43:48Z",
    region: "us-west-1",
    resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    detail,
    ...overrides,
});

type Row = [section: string, event: Record<string, unknown>, pattern: object, matches: boolean];

const rows: Row[] = [
    // Equals, empty, null (OPS "Equals", "Empty", "Null"; EP)
    ["OPS Equals", ec2({ Name: "Alice" }), { detail: { Name: ["Alice"] } }, true],
    ["OPS Equals", ec2({ Name: "alice" }), { detail: { Name: ["Alice"] } }, false],
    ["EP EC2 example", ec2({ "instance-id": "i-1234567890abcdef0", state: "terminated" }), { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["terminated"] } }, true],
    ["EP EC2 example", ec2({ state: "running" }), { source: ["aws.ec2"], detail: { state: ["terminated"] } }, false],
    ["OPS And", ec2({ Location: "New York", Day: "Monday" }), { detail: { Location: ["New York"], Day: ["Monday"] } }, true],
    ["OPS And", ec2({ Location: "New York", Day: "Tuesday" }), { detail: { Location: ["New York"], Day: ["Monday"] } }, false],
    ["OPS Empty", ec2({ LastName: "" }), { detail: { LastName: [""] } }, true],
    ["OPS Empty: null is not empty", ec2({ LastName: null }), { detail: { LastName: [""] } }, false],
    ["OPS Null", ec2({ UserID: null }), { detail: { UserID: [null] } }, true],
    ["OPS Null: empty is not null", ec2({ UserID: "" }), { detail: { UserID: [null] } }, false],
    ["OPS Null: a missing field is not null", ec2({}), { detail: { UserID: [null] } }, false],
    // Arrays (ARR): any value of the pattern meets any element of the event
    ["ARR", ec2({}, { resources: ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate", "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] }),
        { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f", "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"] }, true],
    ["ARR: empty intersection", ec2({}, { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-other"] }),
        { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] }, false],
    // Prefix (CF prefix; OPS "Begins with")
    ["CF prefix", ec2({}), { time: [{ prefix: "2017-10-02" }] }, true],
    ["CF prefix", ec2({}, { time: "2017-10-03T00:00:00Z" }), { time: [{ prefix: "2017-10-02" }] }, false],
    ["OPS Begins with", ec2({ Region: "us-east-1" }), { detail: { Region: [{ prefix: "us-" }] } }, true],
    ["OPS Begins with: strings only", ec2({ Region: 1 }), { detail: { Region: [{ prefix: "1" }] } }, false],
    ["CF prefix ignoring case", ec2({ service: "EventBridge" }), { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, true],
    ["CF prefix ignoring case", ec2({ service: "EVENTBRIDGE" }), { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, true],
    ["CF prefix ignoring case", ec2({ service: "eventbridge" }), { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, true],
    ["CF prefix ignoring case", ec2({ service: "S3" }), { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } }, false],
    // Suffix (CF suffix; OPS "Ends with")
    ["CF suffix", ec2({}, { FileName: "image.png" }), { FileName: [{ suffix: ".png" }] }, true],
    ["CF suffix: case-sensitive", ec2({}, { FileName: "image.PNG" }), { FileName: [{ suffix: ".png" }] }, false],
    ["CF suffix ignoring case", ec2({ FileName: "image.PNG" }), { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } }, true],
    ["OPS Ends with (ignore case)", ec2({ service: "EvenTBRIDGE" }), { detail: { service: [{ suffix: { "equals-ignore-case": "tbridge" } }] } }, true],
    ["OPS Ends with (ignore case)", ec2({ service: "EventBus" }), { detail: { service: [{ suffix: { "equals-ignore-case": "tbridge" } }] } }, false],
    // Equals ignoring case (CF equals-ignore-case)
    ["CF equals-ignore-case", ec2({}), { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] }, true],
    ["OPS Equals (ignore case)", ec2({ Name: "ALICE" }), { detail: { Name: [{ "equals-ignore-case": "alice" }] } }, true],
    ["OPS Equals (ignore case)", ec2({ Name: "Alicia" }), { detail: { Name: [{ "equals-ignore-case": "alice" }] } }, false],
    // Wildcard (CF wildcard; OPS "Wildcard")
    ["OPS Wildcard", ec2({ FileName: "dir/image.png" }), { detail: { FileName: [{ wildcard: "dir/*.png" }] } }, true],
    ["CF wildcard: * spans /", ec2({ FileName: "dir/sub/image.png" }), { detail: { FileName: [{ wildcard: "dir/*.png" }] } }, true],
    ["OPS Wildcard", ec2({ FileName: "other/image.png" }), { detail: { FileName: [{ wildcard: "dir/*.png" }] } }, false],
    ["CF wildcard: anchored", ec2({ FileName: "dir/image.png.bak" }), { detail: { FileName: [{ wildcard: "dir/*.png" }] } }, false],
    ["CF wildcard: several", ec2({ EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/orders" }), { detail: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] } }, true],
    ["CF wildcard: several", ec2({ EventBusArn: "arn:aws:events:eu-west-1:123456789012:event-bus/orders" }), { detail: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] } }, false],
    ["RULER wildcard: \\* is a star", ec2({ Key: "a*b" }), { detail: { Key: [{ wildcard: "a\\*b" }] } }, true],
    ["RULER wildcard: \\* is a star", ec2({ Key: "axxb" }), { detail: { Key: [{ wildcard: "a\\*b" }] } }, false],
    ["RULER wildcard: \\\\ is a backslash", ec2({ Key: "a\\b" }), { detail: { Key: [{ wildcard: "a\\\\*" }] } }, true],
    // Anything-but (CF anything-but; OPS "Anything-but", "Not")
    ["CF anything-but string", ec2({ state: "running" }), { detail: { state: [{ "anything-but": "initializing" }] } }, true],
    ["CF anything-but string", ec2({ state: "initializing" }), { detail: { state: [{ "anything-but": "initializing" }] } }, false],
    ["CF anything-but number", ec2({ "x-limit": 124 }), { detail: { "x-limit": [{ "anything-but": 123 }] } }, true],
    ["CF anything-but number", ec2({ "x-limit": 123 }), { detail: { "x-limit": [{ "anything-but": 123 }] } }, false],
    ["CF anything-but list of strings", ec2({ state: "pending" }), { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, true],
    ["CF anything-but list of strings", ec2({ state: "overloaded" }), { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } }, false],
    ["CF anything-but list of numbers", ec2({ "x-limit": 301 }), { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, true],
    ["CF anything-but list of numbers", ec2({ "x-limit": 200 }), { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, false],
    ["OPS Not", ec2({ Weather: "Sunny" }), { detail: { Weather: [{ "anything-but": ["Raining"] }] } }, true],
    ["OPS Not", ec2({ Weather: "Raining" }), { detail: { Weather: [{ "anything-but": ["Raining"] }] } }, false],
    ["RULER anything-but needs the field", ec2({}), { detail: { state: [{ "anything-but": "initializing" }] } }, false],
    ["CF anything-but prefix", ec2({ state: "running" }), { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, true],
    ["CF anything-but prefix", ec2({ state: "initializing" }), { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, false],
    ["OPS Anything-but (begins with)", ec2({ Region: "eu-west-1" }), { detail: { Region: [{ "anything-but": { prefix: "us-" } }] } }, true],
    ["OPS Anything-but (begins with)", ec2({ Region: "us-west-1" }), { detail: { Region: [{ "anything-but": { prefix: "us-" } }] } }, false],
    ["RULER anything-but list of prefixes", ec2({ state: "running" }), { detail: { state: [{ "anything-but": { prefix: ["init", "error"] } }] } }, true],
    ["RULER anything-but list of prefixes", ec2({ state: "initializing" }), { detail: { state: [{ "anything-but": { prefix: ["init", "error"] } }] } }, false],
    ["RULER anything-but list of prefixes", ec2({ state: "error-42" }), { detail: { state: [{ "anything-but": { prefix: ["init", "error"] } }] } }, false],
    ["RULER anything-but list of prefixes: another type is not excluded", ec2({ state: 7 }), { detail: { state: [{ "anything-but": { prefix: ["init", "error"] } }] } }, true],
    ["CF anything-but suffix", ec2({ FileName: "notes.md" }), { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } }, true],
    ["CF anything-but suffix", ec2({ FileName: "notes.txt" }), { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } }, false],
    ["OPS Anything-but (ends with)", ec2({ FileName: "photo.png" }), { detail: { FileName: [{ "anything-but": { suffix: ".png" } }] } }, false],
    ["RULER anything-but list of suffixes", ec2({ FileName: "photo.jpg" }), { detail: { FileName: [{ "anything-but": { suffix: [".png", ".gif"] } }] } }, true],
    ["RULER anything-but list of suffixes", ec2({ FileName: "photo.gif" }), { detail: { FileName: [{ "anything-but": { suffix: [".png", ".gif"] } }] } }, false],
    ["OPS Anything-but (ignore case)", ec2({ state: "INITIALIZING" }), { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } }, false],
    ["OPS Anything-but (ignore case)", ec2({ state: "running" }), { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } }, true],
    ["CF anything-but ignoring case, list", ec2({ state: "STOPPED" }), { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } }, false],
    ["CF anything-but ignoring case, list", ec2({ state: "pending" }), { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } }, true],
    ["OPS Anything-but using a wildcard", ec2({ FilePath: "/usr/lib/libc.so" }), { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, false],
    ["OPS Anything-but using a wildcard", ec2({ FilePath: "/usr/bin/ls" }), { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } }, true],
    ["CF anything-but wildcard, list", ec2({ FilePath: "/usr/bin/ls" }), { detail: { FilePath: [{ "anything-but": { wildcard: ["*/lib/*", "*/bin/*"] } }] } }, false],
    ["CF anything-but wildcard, list", ec2({ FilePath: "/etc/hosts" }), { detail: { FilePath: [{ "anything-but": { wildcard: ["*/lib/*", "*/bin/*"] } }] } }, true],
    // Numeric (CF numeric; OPS "Numeric (equals)", "Numeric (range)")
    ["CF numeric", ec2({ "c-count": 5, "d-count": 7, "x-limit": 301.8 }), { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } }, true],
    ["CF numeric", ec2({ "c-count": 6, "d-count": 7, "x-limit": 301.8 }), { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } }, false],
    ["OPS Numeric (equals)", ec2({ Price: 100 }), { detail: { Price: [{ numeric: ["=", 100] }] } }, true],
    ["OPS Numeric (equals): a string is not a number", ec2({ Price: "100" }), { detail: { Price: [{ numeric: ["=", 100] }] } }, false],
    ["OPS Numeric (range)", ec2({ Price: 20 }), { detail: { Price: [{ numeric: [">", 10, "<=", 20] }] } }, true],
    ["OPS Numeric (range)", ec2({ Price: 10 }), { detail: { Price: [{ numeric: [">", 10, "<=", 20] }] } }, false],
    // IP address (CF IP address matching)
    ["CF IP address", ec2({ sourceIPAddress: "10.0.0.255" }), { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } }, true],
    ["CF IP address", ec2({ sourceIPAddress: "10.0.1.0" }), { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } }, false],
    ["CF IP address: IPv6", ec2({ sourceIPAddress: "2001:db8::1" }), { detail: { sourceIPAddress: [{ cidr: "2001:db8::/64" }] } }, true],
    ["CF IP address: IPv6", ec2({ sourceIPAddress: "2001:db9::1" }), { detail: { sourceIPAddress: [{ cidr: "2001:db8::/64" }] } }, false],
    ["CF IP address: not an address", ec2({ sourceIPAddress: "example.com" }), { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } }, false],
    // Exists (CF exists; OPS "Exists", "Does not exist")
    ["CF exists", ec2({ state: "running" }), { detail: { state: [{ exists: true }] } }, true],
    ["CF exists", ec2({}), { detail: { state: [{ exists: true }] } }, false],
    ["OPS Does not exist", ec2({}), { detail: { ProductName: [{ exists: false }] } }, true],
    ["OPS Does not exist", ec2({ ProductName: "x" }), { detail: { ProductName: [{ exists: false }] } }, false],
    ["CF exists: leaf nodes only", ec2({ "c-count": { c1: 100 } }), { detail: { "c-count": [{ exists: true }] } }, false],
    ["CF exists: null is a value", ec2({ ProductName: null }), { detail: { ProductName: [{ exists: true }] } }, true],
    // Complex example (CF): several operators ANDed
    ["CF complex example", ec2({ state: "running", "c-count": 3, "d-count": 9, "x-limit": 42 }),
        { time: [{ prefix: "2017-10-02" }], detail: { state: [{ "anything-but": "initializing" }], "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ "anything-but": [100, 200, 300] }] } }, true],
    ["CF complex example", ec2({ state: "running", "c-count": 3, "d-count": 9, "x-limit": 200 }),
        { time: [{ prefix: "2017-10-02" }], detail: { state: [{ "anything-but": "initializing" }], "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ "anything-but": [100, 200, 300] }] } }, false],
    // $or (CF Or matching; OPS "Or", "Or (multiple fields)")
    ["OPS Or", ec2({ PaymentType: "Debit" }), { detail: { PaymentType: ["Credit", "Debit"] } }, true],
    ["OPS Or (multiple fields)", ec2({ Location: "Boston", Day: "Monday" }), { detail: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] } }, true],
    ["OPS Or (multiple fields)", ec2({ Location: "Boston", Day: "Sunday" }), { detail: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] } }, false],
    ["CF $or", ec2({ "c-count": 9, "d-count": 12, "x-limit": 301.8 }), { detail: { $or: [{ "c-count": [{ numeric: [">", 0, "<=", 5] }] }, { "d-count": [{ numeric: ["<", 10] }] }, { "x-limit": [{ numeric: ["=", 3.018e2] }] }] } }, true],
    ["CF $or", ec2({ "c-count": 9, "d-count": 12, "x-limit": 1 }), { detail: { $or: [{ "c-count": [{ numeric: [">", 0, "<=", 5] }] }, { "d-count": [{ numeric: ["<", 10] }] }, { "x-limit": [{ numeric: ["=", 3.018e2] }] }] } }, false],
    ["CF $or with fields outside", ec2({ metricName: "ReadLatency" }, { source: "aws.cloudwatch" }), { source: ["aws.cloudwatch"], $or: [{ "detail-type": ["CPUUtilization"] }, { detail: { metricName: ["CPUUtilization", "ReadLatency"] } }] }, true],
    ["CF $or with fields outside", ec2({ metricName: "ReadLatency" }), { source: ["aws.cloudwatch"], $or: [{ "detail-type": ["CPUUtilization"] }, { detail: { metricName: ["CPUUtilization", "ReadLatency"] } }] }, false],
    ["CF $or nested in $or", ec2({ source: "aws.cloudwatch", metricName: "ReadLatency", namespace: "AWS/ES" }),
        { detail: { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization"] }, { $or: [{ namespace: ["AWS/EC2"] }, { namespace: ["AWS/ES"] }] }] } }, true],
];

describe("EventBridge pattern reference: documented examples, validated and matched", () => {
    for (const [section, event, pattern, expected] of rows) {
        it(`[${section}] ${JSON.stringify(pattern)} ${expected ? "matches" : "does not match"}`, () => {
            const parsed = parsePattern(JSON.stringify(pattern), "test pattern");
            assert.equal(matchesPattern(parsed, event), expected);
        });
    }
});

type Invalid = [section: string, name: string, json: string, message: RegExp];

const invalid: Invalid[] = [
    ["CF wildcard", "consecutive wildcards", '{"detail": {"FileName": [{"wildcard": "dir/**.png"}]}}', /detail\.FileName: wildcard "dir\/\*\*\.png": consecutive \* are not allowed/],
    ["CF anything-but wildcard", "consecutive wildcards inside anything-but", '{"detail": {"FilePath": [{"anything-but": {"wildcard": ["*/lib/*", "**"]}}]}}', /detail\.FilePath: wildcard "\*\*": consecutive \* are not allowed/],
    ["CF anything-but", "a mixed list", '{"detail": {"x": [{"anything-but": ["a", 1]}]}}', /detail\.x: anything-but takes a non-empty list of all strings or all numbers/],
    ["RULER anything-but", "an empty list of prefixes", '{"detail": {"s": [{"anything-but": {"prefix": []}}]}}', /detail\.s: anything-but takes .*\{"prefix": non-empty string or strings\}/],
    ["RULER anything-but", "an empty prefix in a list", '{"detail": {"s": [{"anything-but": {"prefix": ["init", ""]}}]}}', /detail\.s: anything-but takes .*\{"prefix": non-empty string or strings\}/],
    ["RULER anything-but", "a number among suffixes", '{"detail": {"s": [{"anything-but": {"suffix": [".png", 1]}}]}}', /\{"suffix": non-empty string or strings\}/],
    ["RULER anything-but", "a numeric range", '{"detail": {"s": [{"anything-but": {"numeric": [">", 1]}}]}}', /anything-but takes a string, a number/],
    ["RULER anything-but", "a prefix ignoring case", '{"detail": {"s": [{"anything-but": {"prefix": {"equals-ignore-case": "a"}}}]}}', /anything-but takes a string, a number/],
    ["CF numeric", "a range with an operator and no number", '{"detail": {"c-count": [{"numeric": [">", 0, "<="]}]}}', /detail\.c-count: numeric needs pairs of operator and number/],
    ["CF IP address", "a block without a prefix length", '{"detail": {"ip": [{"cidr": "10.0.0.0"}]}}', /detail\.ip: cidr takes an IPv4 or IPv6 block/],
    ["CF exists", "exists on a value", '{"detail": {"state": [{"exists": "true"}]}}', /detail\.state: exists takes true or false/],
    ["CF Or matching", "$or inside a field's values", '{"detail": {"state": [{"$or": [{"a": ["1"]}, {"b": ["2"]}]}]}}', /detail\.state: unknown operator '\$or'/],
    ["CF Or matching", "$or with one alternative", '{"detail": {"$or": [{"a": ["1"]}]}}', /detail\.\$or: \$or needs an array of at least 2 objects/],
];

describe("EventBridge pattern reference: documented validation errors", () => {
    for (const [section, name, json, message] of invalid) {
        it(`[${section}] refuses ${name}`, () => refuses(json, message));
    }
});

/** A pattern whose `$or`s (one per level of nesting) have the given numbers of alternatives. */
function nestedOrs(counts: number[]): Record<string, unknown> {
    const [first, ...rest] = counts;
    const alternatives = Array.from({ length: first }, (_, i) => ({ [`f${i}`]: [i] }));
    return rest.length === 0 ? { $or: alternatives } : { $or: alternatives, n: nestedOrs(rest) };
}

describe("EventBridge pattern limits", () => {
    it("counts $or combinations: alternatives add up, sibling and nested $or multiply", () => {
        assert.equal(orCombinations({ source: ["a"] }), 1);
        assert.equal(orCombinations(nestedOrs([3])), 3);
        assert.equal(orCombinations(nestedOrs([3, 4])), 12);
        assert.equal(orCombinations({ $or: [{ a: ["1"] }, { $or: [{ b: ["1"] }, { c: ["1"] }, { d: ["1"] }] }] }), 4);
        assert.equal(orCombinations({ detail: nestedOrs([2]), other: nestedOrs([5]) }), 10);
    });

    it(`[CF Or matching] takes exactly ${OR_COMBINATIONS_LIMIT} combinations of $or`, () => {
        const pattern = nestedOrs([10, 10, 10]);
        assert.equal(orCombinations(pattern), 1000);
        assert.doesNotThrow(() => parsePattern(JSON.stringify(pattern), "p"));
    });

    it(`[CF Or matching] refuses ${OR_COMBINATIONS_LIMIT + 1} combinations of $or, naming the count and the limit`, () => {
        const pattern = nestedOrs([7, 11, 13]);
        refuses(JSON.stringify(pattern), /pattern: its \$or alternatives expand into 1001 combinations; EventBridge allows at most 1,000 \(nested or sibling \$or multiply\): split it into several subscriptions/);
    });

    it("[CF Or matching] evaluates a large $or the local bus will meet", () => {
        const parsed = parsePattern(JSON.stringify(nestedOrs([10, 10, 10])), "p");
        assert.equal(matchesPattern(parsed, { f3: 3, n: { f9: 9, n: { f0: 0 } } }), true);
        assert.equal(matchesPattern(parsed, { f3: 3, n: { f9: 9, n: { f0: 1 } } }), false);
    });

    it(`[API] takes a pattern of ${PATTERN_SIZE_LIMIT} characters and refuses one longer`, () => {
        const fill = (n: number) => JSON.stringify({ source: ["x".repeat(n)] });
        const base = fill(0).length;
        assert.doesNotThrow(() => parsePattern(fill(PATTERN_SIZE_LIMIT - base), "p"));
        refuses(fill(PATTERN_SIZE_LIMIT - base + 1), /pattern: is 4097 characters as JSON; EventBridge takes at most 4096 \(2,048 unless the account's "Event pattern size" quota is raised\)/);
    });

    it("[API] measures the pattern as it is sent (components/aws/async-task.ts: JSON.stringify), not the whitespace it was written with", () => {
        const spaced = `{${" ".repeat(200)}"source": [${" ".repeat(200)}"${"x".repeat(4000)}"${" ".repeat(200)}]}`;
        assert.ok(spaced.length > PATTERN_SIZE_LIMIT);
        assert.doesNotThrow(() => parsePattern(spaced, "p"));
    });
});

function refuses(json: string, message: RegExp): void {
    assert.throws(() => parsePattern(json, "AsyncTask 'ship' subscribe.pattern"), (err: Error) => {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
        assert.match(err.message, /^config AsyncTask 'ship' subscribe\.pattern: /);
        assert.match(err.message, message);
        return true;
    });
}
