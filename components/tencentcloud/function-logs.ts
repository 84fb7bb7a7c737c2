// Where an SCF function's logs go, and for how long: a CLS topic of its own, whose `period` is the
// function's logRetentionDays, in one CLS logset per stack.
//
// - A topic per function: retention is a topic's setting (CLS CreateTopic `Period`, days 1-3600;
//   3640 keeps logs forever), a Function may set its own logRetentionDays, and a function's logs are
//   searched on their own. The function names it with `clsLogsetId` and `clsTopicId`, which the
//   provider requires together (resource_tc_scf_function.go, CheckIfSetTogether).
// - A logset per stack: a logset only groups topics (it has no retention), and its name must be
//   unique in the region (tencentcloud_cls_logset), so the stack's name is in it. In a component
//   provider (another language's program) there is no stack resource: the functions of one
//   constructed component share a logset named after it, as ./network.ts shares the table network.
// Without a topic of ours SCF delivers to a default logset and topic it creates (SCF "日志投递配置"),
// whose retention this program would not set.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PROJECT } from "../config";
import { constructedRoot } from "./network";
import { ClsLogset, ClsTopic } from "./sdk";

/** CLS keeps a topic's logs 1 to 3600 days (CreateTopic `Period`; 3640 would keep them forever). */
export const CLS_PERIOD_DAYS = { min: 1, max: 3600 };
const LOGSET_NAME = "functions";

/** The retention as a CLS period, or a ConfigError: 3653 days (ten years) is beyond what CLS keeps. */
export function clsPeriod(fn: string, days: number): number {
    if (!Number.isInteger(days) || days < CLS_PERIOD_DAYS.min || days > CLS_PERIOD_DAYS.max) {
        throw new ConfigError(`Function '${fn}' logRetentionDays`, days, `Tencent Cloud CLS keeps logs ${CLS_PERIOD_DAYS.min} to ${CLS_PERIOD_DAYS.max} days; choose 3288 or less`);
    }
    return days;
}

/** One logset per evaluation of the program (keyed by its Stack resource), or per constructed component. */
const logsets = new WeakMap<object, ClsLogset>();

export function stackLogset(parent: pulumi.Resource): ClsLogset {
    const stack = pulumi.runtime.getStackResource();
    const owner = stack ? { resource: stack as object, name: LOGSET_NAME } : constructedRoot(parent, "logs");
    let logset = logsets.get(owner.resource);
    if (!logset) {
        logset = new ClsLogset(owner.name, { logsetName: `${PROJECT}-${pulumi.getStack()}-${owner.name}` });
        logsets.set(owner.resource, logset);
    }
    return logset;
}

/** The function's own topic, keeping its logs `period` days (checked with clsPeriod). */
export function functionLogTopic(parent: pulumi.Resource, fn: string, period: number): { logsetId: pulumi.Output<string>; topicId: pulumi.Output<string> } {
    const logset = stackLogset(parent);
    const topic = new ClsTopic(`${fn}-logs`, {
        logsetId: logset.id,
        topicName: fn,
        period,
        describes: `Logs of function ${fn}`,
    }, { parent });
    return { logsetId: logset.id, topicId: topic.id };
}
