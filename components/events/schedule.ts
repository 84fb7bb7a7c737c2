// Schedules in EventBridge syntax, UTC: `rate(value unit)` and six-field `cron(...)`. Validated at
// plan time for every cloud; the local runtime runs them with nextRun. The rules, from the
// EventBridge user guide (eb-rate-expressions.html, eb-cron-expressions.html):
// - rate: a positive whole number and minute(s) | hour(s) | day(s), singular exactly for 1;
// - cron(minutes hours day-of-month month day-of-week year): minutes 0-59, hours 0-23,
//   day-of-month 1-31 with , - * ? / L W, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT
//   (1 = Sunday) with , - * ? L #, year 1970-2199; one of day-of-month and day-of-week is `?`.
// As in Quartz, whose syntax EventBridge's is: `L` alone in day-of-week is 7 (SAT); `5L` is the
// last Thursday; `3#2` the second Tuesday; `15W` the weekday nearest the 15th, `LW` the last
// weekday; these special forms stand alone in their field (so `#` appears at most once).
import { ConfigError } from "../config";

/** The six cron fields, in EventBridge's order. The AWS and Tencent realisations read them by these names. */
export const CRON_FIELDS = ["minutes", "hours", "dayOfMonth", "month", "dayOfWeek", "year"] as const;
export type CronFieldName = (typeof CRON_FIELDS)[number];
/** Each field's text as written, e.g. `{ minutes: "0", hours: "8", dayOfMonth: "*", month: "*", dayOfWeek: "?", year: "*" }`. */
export type CronFields = Record<CronFieldName, string>;

export type Schedule =
    | { kind: "rate"; expression: string; seconds: number }
    | { kind: "cron"; expression: string; fields: CronFields };

const RATE_UNITS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
    label: string;
    min: number;
    max: number;
    /** Names for values min, min+1, ... (months, weekdays). */
    names?: string[];
    /** Whether `/` increments are allowed. */
    steps: boolean;
}

const SPECS: Record<CronFieldName, FieldSpec> = {
    minutes: { label: "minutes", min: 0, max: 59, steps: true },
    hours: { label: "hours", min: 0, max: 23, steps: true },
    dayOfMonth: { label: "day-of-month", min: 1, max: 31, steps: true },
    month: { label: "month", min: 1, max: 12, names: MONTHS, steps: true },
    dayOfWeek: { label: "day-of-week", min: 1, max: 7, names: DAYS, steps: false },
    year: { label: "year", min: 1970, max: 2199, steps: true },
};

class ScheduleError extends Error {}

/**
 * Parses an EventBridge schedule expression, throwing ConfigError(where, expression, <the rule broken>).
 *
 * @example parseSchedule("rate(5 minutes)", "AsyncTask 'report' schedule")  // { kind: "rate", seconds: 300, ... }
 * @example parseSchedule("cron(0 8 ? * MON-FRI *)", "AsyncTask 'report' schedule")
 */
export function parseSchedule(expression: string, where: string): Schedule {
    try {
        if (typeof expression !== "string") throw new ScheduleError("expected a string such as rate(5 minutes) or cron(0 8 * * ? *)");
        const text = expression.trim();
        const rate = /^rate\((.*)\)$/s.exec(text);
        if (rate) return { kind: "rate", expression: text, seconds: rateSeconds(rate[1]) };
        const cron = /^cron\((.*)\)$/s.exec(text);
        if (cron) {
            const schedule: Schedule = { kind: "cron", expression: text, fields: cronFields(cron[1]) };
            if (!nextCronRun(compile(schedule.fields), new Date(Date.UTC(1970, 0, 1)) )) {
                throw new ScheduleError("this cron never matches a date between 1970 and 2199");
            }
            return schedule;
        }
        throw new ScheduleError("expected rate(value unit), e.g. rate(5 minutes), or cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 8 * * ? *)");
    } catch (err) {
        if (err instanceof ScheduleError) throw new ConfigError(where, expression, err.message);
        throw err;
    }
}

function rateSeconds(inner: string): number {
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(inner);
    if (!match) throw new ScheduleError("rate needs a value and a unit separated by a space, e.g. rate(5 minutes)");
    const [, valueText, unit] = match;
    if (!/^[1-9]\d*$/.test(valueText) || !Number.isSafeInteger(Number(valueText))) {
        throw new ScheduleError(`rate value '${valueText}' must be a positive whole number`);
    }
    const value = Number(valueText);
    const singular = unit.replace(/s$/, "");
    if (!(singular in RATE_UNITS)) throw new ScheduleError(`rate unit '${unit}' is not one of minute, minutes, hour, hours, day, days`);
    if (value === 1 && unit !== singular) throw new ScheduleError(`rate(1 ${unit}): with the value 1 the unit is singular: rate(1 ${singular})`);
    if (value !== 1 && unit === singular) throw new ScheduleError(`rate(${value} ${unit}): with a value above 1 the unit is plural: rate(${value} ${singular}s)`);
    return value * RATE_UNITS[singular];
}

function cronFields(inner: string): CronFields {
    const parts = inner.trim().split(/\s+/).filter(Boolean);
    if (parts.length !== 6) {
        throw new ScheduleError(`cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}: '${inner.trim()}'`);
    }
    const fields = Object.fromEntries(CRON_FIELDS.map((name, i) => [name, parts[i]])) as CronFields;
    const domAny = fields.dayOfMonth === "?";
    const dowAny = fields.dayOfWeek === "?";
    if (domAny === dowAny) {
        throw new ScheduleError(`exactly one of day-of-month and day-of-week must be ? (EventBridge cannot combine them), got day-of-month '${fields.dayOfMonth}' and day-of-week '${fields.dayOfWeek}'`);
    }
    compile(fields); // checks every field
    return fields;
}

/** A cron compiled to sets of allowed values and a function giving the matching days of a month. */
interface CompiledCron {
    minutes: number[];
    hours: number[];
    months: Set<number>;
    years: Set<number>;
    days(year: number, month: number): number[];
}

function compile(fields: CronFields): CompiledCron {
    return {
        minutes: [...plainField(fields.minutes, SPECS.minutes)].sort((a, b) => a - b),
        hours: [...plainField(fields.hours, SPECS.hours)].sort((a, b) => a - b),
        months: plainField(fields.month, SPECS.month),
        years: plainField(fields.year, SPECS.year),
        days: fields.dayOfMonth === "?" ? dayOfWeekRule(fields.dayOfWeek) : dayOfMonthRule(fields.dayOfMonth),
    };
}

/** `*`, values, names, ranges, lists and increments. */
function plainField(text: string, spec: FieldSpec): Set<number> {
    const values = new Set<number>();
    for (const item of text.split(",")) {
        if (item === "") throw new ScheduleError(`cron ${spec.label} '${text}': empty item in the list`);
        const [range, stepText, extra] = item.split("/");
        if (extra !== undefined) throw new ScheduleError(`cron ${spec.label} '${item}': one / at most`);
        let step = 1;
        if (stepText !== undefined) {
            if (!spec.steps) throw new ScheduleError(`cron ${spec.label} '${item}': increments (/) are not allowed in this field`);
            if (!/^[1-9]\d*$/.test(stepText)) throw new ScheduleError(`cron ${spec.label} '${item}': the increment after / must be a positive whole number`);
            step = Number(stepText);
        }
        let low: number;
        let high: number;
        if (range === "*") {
            [low, high] = [spec.min, spec.max];
        } else if (range.includes("-")) {
            const [a, b, more] = range.split("-");
            if (more !== undefined) throw new ScheduleError(`cron ${spec.label} '${item}': a range is low-high`);
            [low, high] = [value(a, spec, item), value(b, spec, item)];
            if (low > high) throw new ScheduleError(`cron ${spec.label} '${item}': a range goes from low to high`);
        } else {
            low = value(range, spec, item);
            high = stepText === undefined ? low : spec.max;
        }
        for (let v = low; v <= high; v += step) values.add(v);
    }
    return values;
}

function value(text: string, spec: FieldSpec, item: string): number {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) return spec.min + named;
    if (/^\d+$/.test(text)) {
        const n = Number(text);
        if (n >= spec.min && n <= spec.max) return n;
    }
    const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : "";
    throw new ScheduleError(`cron ${spec.label} '${item}': '${text}' is not a value ${spec.min}-${spec.max}${names}`);
}

function dayOfMonthRule(text: string): CompiledCron["days"] {
    if (text === "L") return (y, m) => [lastDay(y, m)];
    if (text === "LW") return (y, m) => [nearestWeekday(y, m, lastDay(y, m))];
    const weekday = /^(\d+)W$/.exec(text);
    if (weekday) {
        const day = value(weekday[1], SPECS.dayOfMonth, text);
        return (y, m) => (day <= lastDay(y, m) ? [nearestWeekday(y, m, day)] : []);
    }
    if (/[LW#?]/.test(text)) throw new ScheduleError(`cron day-of-month '${text}': L, LW and nW (e.g. 15W) stand alone in the field`);
    const days = [...plainField(text, SPECS.dayOfMonth)].sort((a, b) => a - b);
    return (y, m) => days.filter((d) => d <= lastDay(y, m));
}

function dayOfWeekRule(text: string): CompiledCron["days"] {
    const spec = SPECS.dayOfWeek;
    if (text === "L") return weekdays(new Set([7]));
    const last = /^(\w+)L$/.exec(text);
    if (last) {
        const dow = value(last[1], spec, text);
        return (y, m) => {
            const end = lastDay(y, m);
            return [end - ((weekdayOf(y, m, end) - dow + 7) % 7)];
        };
    }
    const nth = /^(\w+)#(\d+)$/.exec(text);
    if (nth) {
        const dow = value(nth[1], spec, text);
        const k = Number(nth[2]);
        if (k < 1 || k > 5) throw new ScheduleError(`cron day-of-week '${text}': the instance after # is 1-5`);
        return (y, m) => {
            const first = 1 + ((dow - weekdayOf(y, m, 1) + 7) % 7);
            const day = first + 7 * (k - 1);
            return day <= lastDay(y, m) ? [day] : [];
        };
    }
    if (/[LW#?]/.test(text)) throw new ScheduleError(`cron day-of-week '${text}': L, nL (e.g. 6L) and n#k (e.g. 3#2) stand alone in the field`);
    return weekdays(plainField(text, spec));
}

function weekdays(allowed: Set<number>): CompiledCron["days"] {
    return (y, m) => {
        const days: number[] = [];
        for (let d = 1; d <= lastDay(y, m); d++) if (allowed.has(weekdayOf(y, m, d))) days.push(d);
        return days;
    };
}

/** 1 = Sunday ... 7 = Saturday, as EventBridge numbers them. */
function weekdayOf(year: number, month: number, day: number): number {
    return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function lastDay(year: number, month: number): number {
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The weekday nearest `day` without leaving the month (Quartz's W). */
function nearestWeekday(year: number, month: number, day: number): number {
    const dow = weekdayOf(year, month, day);
    if (dow === 7) return day === 1 ? day + 2 : day - 1; // Saturday: Friday before, or Monday the 3rd
    if (dow === 1) return day === lastDay(year, month) ? day - 2 : day + 1; // Sunday: Monday after, or Friday before
    return day;
}

/** The first run strictly after `after`, in UTC; for a rate, `after` is the previous run. */
export function nextRun(schedule: Schedule, after: Date): Date {
    if (schedule.kind === "rate") return new Date(after.getTime() + schedule.seconds * 1000);
    const next = nextCronRun(compile(schedule.fields), after);
    if (!next) throw new Error(`schedule ${schedule.expression} has no run after ${after.toISOString()}`);
    return next;
}

function nextCronRun(cron: CompiledCron, after: Date): Date | undefined {
    const start = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
    const from = new Date(start);
    const [y0, m0, d0] = [from.getUTCFullYear(), from.getUTCMonth() + 1, from.getUTCDate()];
    for (let year = Math.max(y0, SPECS.year.min); year <= SPECS.year.max; year++) {
        if (!cron.years.has(year)) continue;
        for (let month = year === y0 ? m0 : 1; month <= 12; month++) {
            if (!cron.months.has(month)) continue;
            for (const day of cron.days(year, month)) {
                if (year === y0 && month === m0 && day < d0) continue;
                for (const hour of cron.hours) {
                    for (const minute of cron.minutes) {
                        const time = Date.UTC(year, month - 1, day, hour, minute);
                        if (time >= start) return new Date(time);
                    }
                }
            }
        }
    }
    return undefined;
}
