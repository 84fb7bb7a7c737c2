// Every log group expires: CloudWatch keeps logs forever unless told, and a Lambda whose log group
// the program does not declare gets one Lambda creates itself, with no retention at all.
import type { StackValidationPolicy } from "@pulumi/policy";
import { AWS, ofTypes, TENCENT, violation } from "./support";

/** CLS keeps a topic's logs forever at period 3640 (CLS CreateTopic, `Period`: 1-3600, 3640 = permanent). */
const CLS_FOREVER = 3640;

export const logRetention: StackValidationPolicy = {
    name: "log-retention",
    description: "Every log group has a retention (CloudWatch retentionInDays, CLS topic period), including the group each Lambda writes to.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const groups = ofTypes(args.resources, AWS.logGroup);
        for (const group of groups) {
            const days = group.props.retentionInDays;
            if (typeof days !== "number" || days <= 0) {
                reportViolation(violation(`log group ${group.props.name ?? group.name} keeps logs forever (no retentionInDays)`, "set retentionInDays (serverless-blocks:logRetentionDays sets it for the components)"), group.urn);
            }
        }
        for (const topic of ofTypes(args.resources, TENCENT.clsTopic)) {
            const period = topic.props.period;
            if (typeof period !== "number" || period <= 0 || period >= CLS_FOREVER) {
                reportViolation(violation(`CLS topic ${topic.props.topicName ?? topic.name} keeps logs forever`, "set period to the days to keep (1-3600)"), topic.urn);
            }
        }
        // A Lambda logs to loggingConfig.logGroup, else to /aws/lambda/<name>: that group must be declared here.
        const declared = new Set(groups.map((g) => g.props.name).filter((n): n is string => typeof n === "string"));
        for (const fn of ofTypes(args.resources, AWS.lambda)) {
            const group = fn.props.loggingConfig?.logGroup ?? (typeof fn.props.name === "string" ? `/aws/lambda/${fn.props.name}` : undefined);
            if (group !== undefined && !declared.has(group)) {
                reportViolation(violation(`Lambda ${fn.name} logs to ${group}, which the stack does not declare: Lambda creates it without retention`, "declare an aws.cloudwatch.LogGroup with that name and retentionInDays (and point loggingConfig.logGroup at it), as Function does"), fn.urn);
            }
        }
    },
};
