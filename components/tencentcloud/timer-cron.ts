// EventBridge schedules (UTC `rate(...)` / six-field `cron(...)`, parsed by events/schedule.ts)
// as the cron of an SCF timer trigger, or a ConfigError when SCF cannot say the same thing.
//
// SCF timer cron (定时触发器说明, cloud.tencent.com/document/product/583/9708): seven fields,
// `second minute hour day month week year`; second/minute/hour/month/year take `, - * /`, day
// also `? L W` (and `LW`), week also `? L #`; week is 0-6 or SUN-SAT with 0 = Sunday (EventBridge:
// 1-7, 1 = Sunday); year is 1970-2099 (EventBridge: 1970-2199). The page names no time zone for
// the timer; the expression is passed through in EventBridge's UTC terms.
// Rates become crons on clock boundaries: EventBridge counts a rate from the rule's creation, the
// cron from the top of the minute/hour/day, so the phase differs and the period is the same.
import { ConfigError } from "../config";
import type { CronFields, Schedule } from "../events/schedule";

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const SCF_LAST_YEAR = 2099;

/**
 * The SCF timer cron for `schedule`.
 *
 * @example scfTimerCron({ kind: "rate", expression: "rate(5 minutes)", seconds: 300 }, "AsyncTask 'report' schedule")  // "0 *\/5 * * * * *"
 * @example scfTimerCron(parseSchedule("cron(0 8 ? * MON-FRI *)", w), w)  // "0 0 8 ? * MON-FRI *"
 */
export function scfTimerCron(schedule: Schedule, where: string): string {
    return schedule.kind === "rate" ? rateAsCron(schedule.seconds, schedule.expression, where) : cronAsScf(schedule.fields, schedule.expression, where);
}

function rateAsCron(seconds: number, expression: string, where: string): string {
    const minutes = seconds / 60;
    const hours = seconds / 3600;
    if (Number.isInteger(minutes) && minutes < 60 && 60 % minutes === 0) return `0 ${minutes === 1 ? "*" : `*/${minutes}`} * * * * *`;
    if (Number.isInteger(hours) && hours < 24 && 24 % hours === 0) return `0 0 ${hours === 1 ? "*" : `*/${hours}`} * * * *`;
    if (seconds === 86400) return "0 0 0 * * * *";
    throw new ConfigError(where, expression, "an SCF timer runs on clock boundaries, so a rate must divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 minutes) or a day (1, 2, 3, 4, 6, 8 or 12 hours) or be rate(1 day); write a cron(...) for other periods");
}

function cronAsScf(fields: CronFields, expression: string, where: string): string {
    const beyond = (fields.year.match(/\d+/g) ?? []).map(Number).find((year) => year > SCF_LAST_YEAR);
    if (beyond !== undefined) {
        throw new ConfigError(where, expression, `SCF timers accept years 1970-${SCF_LAST_YEAR}; ${beyond} is beyond that`);
    }
    return ["0", fields.minutes, fields.hours, fields.dayOfMonth, fields.month, scfDayOfWeek(fields.dayOfWeek), fields.year].join(" ");
}

/** EventBridge day-of-week (1-7, 1 = SUN; `L` alone = SAT) in SCF's numbering (0-6, 0 = SUN). */
function scfDayOfWeek(text: string): string {
    if (text === "?" || text === "*") return text;
    if (text === "L") return "SAT";
    const last = /^(\w+)L$/.exec(text);
    if (last) return `${scfDayNumber(last[1])}L`; // SCF documents nL for numbers 0-6 only
    const nth = /^(\w+)#(\d+)$/.exec(text);
    if (nth) return `${scfDayNumber(nth[1])}#${nth[2]}`;
    return text.replace(/\d+/g, (n) => String(Number(n) - 1));
}

function scfDayNumber(day: string): number {
    const named = DAYS.indexOf(day.toUpperCase());
    return named >= 0 ? named : Number(day) - 1;
}
