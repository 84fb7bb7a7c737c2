// EventBridge schedule expressions: what is accepted (and what the clouds read from it), what is
// refused with which message, and when each runs next (UTC).
import * as assert from "node:assert/strict";
import { ConfigError } from "../../components/config";
import { CRON_FIELDS, nextRun, parseSchedule, Schedule } from "../../components/events/schedule";

const WHERE = "AsyncTask 'report' schedule";
const at = (iso: string) => new Date(iso);
const parse = (expression: string) => parseSchedule(expression, WHERE);

describe("schedule expressions", () => {
    describe("rate", () => {
        const valid: [string, number][] = [
            ["rate(1 minute)", 60],
            ["rate(5 minutes)", 300],
            ["rate(1 hour)", 3600],
            ["rate(12 hours)", 43200],
            ["rate(1 day)", 86400],
            ["rate(7 days)", 604800],
        ];
        for (const [expression, seconds] of valid) {
            it(`accepts ${expression}`, () => {
                assert.deepEqual(parse(expression), { kind: "rate", expression, seconds });
            });
        }

        const invalid: [string, RegExp][] = [
            ["rate(1 minutes)", /with the value 1 the unit is singular: rate\(1 minute\)/],
            ["rate(5 minute)", /with a value above 1 the unit is plural: rate\(5 minutes\)/],
            ["rate(0 minutes)", /rate value '0' must be a positive whole number/],
            ["rate(-5 minutes)", /rate value '-5' must be a positive whole number/],
            ["rate(1.5 hours)", /rate value '1.5' must be a positive whole number/],
            ["rate(5 seconds)", /rate unit 'seconds' is not one of minute, minutes, hour, hours, day, days/],
            ["rate(5 weeks)", /rate unit 'weeks'/],
            ["rate(5)", /rate needs a value and a unit/],
        ];
        for (const [expression, message] of invalid) {
            it(`refuses ${expression}`, () => assertRefused(expression, message));
        }

        it("runs a rate after the previous run", () => {
            assert.equal(nextRun(parse("rate(5 minutes)"), at("2026-01-01T10:00:30Z")).toISOString(), "2026-01-01T10:05:30.000Z");
        });
    });

    describe("cron", () => {
        it("keeps the expression and each field's text, by the names the clouds read", () => {
            const schedule = parse("cron(0/15 8-17 ? * MON-FRI *)") as Extract<Schedule, { kind: "cron" }>;
            assert.equal(schedule.kind, "cron");
            assert.equal(schedule.expression, "cron(0/15 8-17 ? * MON-FRI *)");
            assert.deepEqual(CRON_FIELDS, ["minutes", "hours", "dayOfMonth", "month", "dayOfWeek", "year"]);
            assert.deepEqual(schedule.fields, { minutes: "0/15", hours: "8-17", dayOfMonth: "?", month: "*", dayOfWeek: "MON-FRI", year: "*" });
        });

        // [expression, after, the next run(s)]
        const runs: [string, string, string[]][] = [
            ["cron(0 10 * * ? *)", "2026-03-01T09:59:00Z", ["2026-03-01T10:00:00.000Z", "2026-03-02T10:00:00.000Z"]],
            ["cron(0 10 * * ? *)", "2026-03-01T10:00:00Z", ["2026-03-02T10:00:00.000Z"]],
            ["cron(15 12 * * ? *)", "2026-12-31T12:15:00Z", ["2027-01-01T12:15:00.000Z"]],
            ["cron(0/15 * * * ? *)", "2026-03-01T10:07:00Z", ["2026-03-01T10:15:00.000Z", "2026-03-01T10:30:00.000Z", "2026-03-01T10:45:00.000Z", "2026-03-01T11:00:00.000Z"]],
            ["cron(5/20 * * * ? *)", "2026-03-01T10:50:00Z", ["2026-03-01T11:05:00.000Z", "2026-03-01T11:25:00.000Z"]],
            ["cron(0 18 ? * MON-FRI *)", "2026-11-27T18:00:00Z", ["2026-11-30T18:00:00.000Z", "2026-12-01T18:00:00.000Z"]], // Fri 27 Nov -> Mon 30
            ["cron(0 8 1 * ? *)", "2026-01-15T00:00:00Z", ["2026-02-01T08:00:00.000Z", "2026-03-01T08:00:00.000Z"]],
            ["cron(0 9 ? * 2,4 *)", "2026-11-27T00:00:00Z", ["2026-11-30T09:00:00.000Z", "2026-12-02T09:00:00.000Z"]], // 2 = MON, 4 = WED
            ["cron(0 0 L * ? *)", "2028-02-01T00:00:00Z", ["2028-02-29T00:00:00.000Z", "2028-03-31T00:00:00.000Z"]], // leap year
            ["cron(0 0 LW * ? *)", "2026-05-01T00:00:00Z", ["2026-05-29T00:00:00.000Z"]], // 31 May 2026 is a Sunday
            ["cron(0 0 15W * ? *)", "2026-08-01T00:00:00Z", ["2026-08-14T00:00:00.000Z"]], // 15 Aug 2026 is a Saturday
            ["cron(0 0 1W * ? *)", "2026-08-01T00:00:00Z", ["2026-08-03T00:00:00.000Z"]], // 1 Aug 2026 is a Saturday: Monday the 3rd
            ["cron(0 12 ? * 6L *)", "2026-11-01T00:00:00Z", ["2026-11-27T12:00:00.000Z", "2026-12-25T12:00:00.000Z"]], // last Friday
            ["cron(0 12 ? * 3#2 *)", "2026-11-01T00:00:00Z", ["2026-11-10T12:00:00.000Z", "2026-12-08T12:00:00.000Z"]], // second Tuesday
            ["cron(0 12 ? * FRI#5 *)", "2026-01-01T00:00:00Z", ["2026-01-30T12:00:00.000Z", "2026-05-29T12:00:00.000Z"]], // months with 5 Fridays
            ["cron(0 12 ? * L *)", "2026-11-27T00:00:00Z", ["2026-11-28T12:00:00.000Z", "2026-12-05T12:00:00.000Z"]], // L alone: Saturday
            ["cron(30 6 29 FEB ? *)", "2026-03-01T00:00:00Z", ["2028-02-29T06:30:00.000Z", "2032-02-29T06:30:00.000Z"]],
            ["cron(0 0 1 1 ? 2030-2031)", "2026-01-01T00:00:00Z", ["2030-01-01T00:00:00.000Z", "2031-01-01T00:00:00.000Z"]],
            ["cron(0 0 1 jan,jul ? *)", "2026-02-01T00:00:00Z", ["2026-07-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]],
        ];
        for (const [expression, after, expected] of runs) {
            it(`runs ${expression} after ${after} at ${expected.join(", ")}`, () => {
                const schedule = parse(expression);
                let previous = at(after);
                for (const want of expected) {
                    previous = nextRun(schedule, previous);
                    assert.equal(previous.toISOString(), want);
                }
            });
        }

        it("ends when the years run out", () => {
            assert.throws(() => nextRun(parse("cron(0 0 1 1 ? 2030)"), at("2030-01-01T00:00:00Z")), /has no run after 2030-01-01T00:00:00.000Z/);
        });

        const invalid: [string, RegExp][] = [
            ["cron(0 10 * * *)", /cron needs 6 fields \(minutes hours day-of-month month day-of-week year\), got 5/],
            ["cron(0 10 * * * *)", /exactly one of day-of-month and day-of-week must be \? .*got day-of-month '\*' and day-of-week '\*'/],
            ["cron(0 10 ? * ? *)", /exactly one of day-of-month and day-of-week must be \?/],
            ["cron(60 10 * * ? *)", /cron minutes '60': '60' is not a value 0-59/],
            ["cron(0 24 * * ? *)", /cron hours '24': '24' is not a value 0-23/],
            ["cron(0 10 0 * ? *)", /cron day-of-month '0': '0' is not a value 1-31/],
            ["cron(0 10 * 13 ? *)", /cron month '13': '13' is not a value 1-12 or JAN-DEC/],
            ["cron(0 10 ? * 8 *)", /cron day-of-week '8': '8' is not a value 1-7 or SUN-SAT/],
            ["cron(0 10 ? * MONDAY *)", /'MONDAY' is not a value 1-7 or SUN-SAT/],
            ["cron(0 10 * * ? 1969)", /cron year '1969': '1969' is not a value 1970-2199/],
            ["cron(0 10 ? * 1/2 *)", /cron day-of-week '1\/2': increments \(\/\) are not allowed in this field/],
            ["cron(0/0 10 * * ? *)", /the increment after \/ must be a positive whole number/],
            ["cron(0 17-9 * * ? *)", /cron hours '17-9': a range goes from low to high/],
            ["cron(0 10 ? * 3#6 *)", /the instance after # is 1-5/],
            ["cron(0 10 ? * 3#1,6#3 *)", /n#k \(e\.g\. 3#2\) stand alone in the field/],
            ["cron(0 10 L,15 * ? *)", /L, LW and nW \(e\.g\. 15W\) stand alone in the field/],
            ["cron(0 10 1,,2 * ? *)", /empty item in the list/],
            ["cron(0 0 31 2 ? *)", /this cron never matches a date between 1970 and 2199/],
            ["every 5 minutes", /expected rate\(value unit\), e\.g\. rate\(5 minutes\), or cron\(/],
        ];
        for (const [expression, message] of invalid) {
            it(`refuses ${expression}`, () => assertRefused(expression, message));
        }
    });
});

function assertRefused(expression: string, message: RegExp): void {
    assert.throws(() => parse(expression), (err: Error) => {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
        assert.ok(err.message.startsWith(`config ${WHERE}: '${expression}' is not allowed; `), err.message);
        assert.match(err.message, message);
        return true;
    });
}
