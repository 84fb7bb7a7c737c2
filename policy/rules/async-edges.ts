// Every asynchronous edge retries and keeps what still fails: nobody waits on an async call, so an
// event that fails without a dead-letter target is lost without a trace.
//   AWS: EventBridge targets carry a retry policy and a dead-letter queue; a Lambda that EventBridge,
//   S3 or SNS invokes asynchronously has an event invoke config with retries and an on-failure
//   destination (or its own dead-letter config); an SQS queue a Lambda consumes has a redrive policy.
//   Tencent: an SCF function that EB or an async trigger (COS, timer, CMQ) invokes has an event
//   invoke config with retries, and its adapter's dead-letter queue (the provider has no input for
//   SCF's own; components/tencentcloud/async-task.ts) named in its environment.
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { asArray, AWS, dependsOn, ENV, environmentOf, ofTypes, refersTo, TENCENT, violation } from "./support";

/** SCF triggers that invoke asynchronously (SCF "sync and async invocation": COS, timer, CMQ, CKafka...). */
const ASYNC_SCF_TRIGGERS = new Set(["cos", "timer", "cmq", "ckafka", "cls", "eb"]);

/** The Lambda `ref` (an ARN, a name, or the qualified ARN) points at. */
function lambdaNamed(lambdas: PolicyResource[], ref: unknown): PolicyResource | undefined {
    if (typeof ref !== "string") return undefined;
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
    const unqualified = ref.split(":").length === 8 ? ref.slice(0, ref.lastIndexOf(":")) : ref;
    return lambdas.find((fn) => refersTo(ref, fn, ["arn", "name", "id"]) || refersTo(unqualified, fn, ["arn", "name", "id"]));
}

function checkAws(resources: PolicyResource[], report: ReportViolation): void {
    const lambdas = ofTypes(resources, AWS.lambda);
    const invokeConfigs = ofTypes(resources, AWS.invokeConfig);
    const asyncLambdas = new Map<string, { fn: PolicyResource; by: string }>();
    const invokedAsync = (fn: PolicyResource | undefined, by: string) => { if (fn && !asyncLambdas.has(fn.urn)) asyncLambdas.set(fn.urn, { fn, by }); };

    for (const target of ofTypes(resources, AWS.eventTarget)) {
        if (!target.props.deadLetterConfig?.arn) {
            report(violation(`EventBridge target ${target.name} has no dead-letter queue`, "set deadLetterConfig.arn to an SQS queue (and let events.amazonaws.com send to it)"), target.urn);
        }
        const retry = target.props.retryPolicy;
        if (!retry || retry.maximumRetryAttempts === undefined || retry.maximumEventAgeInSeconds === undefined) {
            report(violation(`EventBridge target ${target.name} has no explicit retry policy`, "set retryPolicy { maximumRetryAttempts, maximumEventAgeInSeconds }"), target.urn);
        }
        invokedAsync(lambdaNamed(lambdas, target.props.arn), `EventBridge target ${target.name}`);
    }
    for (const notification of ofTypes(resources, AWS.bucketNotification)) {
        for (const entry of asArray<any>(notification.props.lambdaFunctions)) invokedAsync(lambdaNamed(lambdas, entry?.lambdaFunctionArn), `bucket notification ${notification.name}`);
    }
    for (const subscription of ofTypes(resources, AWS.snsSubscription)) {
        if (subscription.props.protocol === "lambda") invokedAsync(lambdaNamed(lambdas, subscription.props.endpoint), `SNS subscription ${subscription.name}`);
    }
    for (const { fn, by } of asyncLambdas.values()) {
        const configs = invokeConfigs.filter((c) => lambdaNamed([fn], c.props.functionName) || dependsOn(c, fn));
        const onFailure = configs.some((c) => c.props.destinationConfig?.onFailure?.destination) || !!fn.props.deadLetterConfig?.targetArn;
        if (!onFailure) {
            report(violation(`Lambda ${fn.name} is invoked asynchronously (${by}) but failed events go nowhere`, "add an aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure (an SQS queue), as AsyncTask does"), fn.urn);
        }
        if (!configs.some((c) => typeof c.props.maximumRetryAttempts === "number")) {
            report(violation(`Lambda ${fn.name} is invoked asynchronously (${by}) without explicit retries`, "set maximumRetryAttempts (1 or 2) and maximumEventAgeInSeconds on its FunctionEventInvokeConfig"), fn.urn);
        }
    }
    for (const config of invokeConfigs) {
        if (config.props.maximumRetryAttempts === 0) {
            report(violation(`event invoke config ${config.name} turns retries off (maximumRetryAttempts 0)`, "allow 1 or 2 retries; make the handler idempotent instead"), config.urn);
        }
    }
    // A queue a Lambda consumes: what fails maxReceiveCount times moves to its dead-letter queue.
    for (const mapping of ofTypes(resources, AWS.eventSourceMapping)) {
        const queue = ofTypes(resources, AWS.queue).find((q) => refersTo(mapping.props.eventSourceArn, q, ["arn"]));
        if (queue && !queue.props.redrivePolicy) {
            report(violation(`SQS queue ${queue.name} feeds a Lambda (${mapping.name}) but has no redrive policy`, "set redrivePolicy { deadLetterTargetArn, maxReceiveCount } on the queue"), queue.urn);
        }
    }
}

/** The SCF function an EB target names: `qcs::scf:<region>:uin/<uin>:namespace/<ns>/function/<name>/<qualifier>`. */
function scfNameOfTarget(resourceDescription: unknown): string | undefined {
    const match = /function\/([^/]+)/.exec(String(resourceDescription ?? ""));
    return match?.[1];
}

function checkTencent(resources: PolicyResource[], report: ReportViolation): void {
    const functions = ofTypes(resources, TENCENT.scfFunction);
    const invokeConfigs = ofTypes(resources, TENCENT.invokeConfig);
    const byName = (name: unknown) => functions.find((fn) => refersTo(name, fn, ["name", "id", "functionName"]));
    const asyncFunctions = new Map<string, { fn: PolicyResource; by: string }>();
    const invokedAsync = (fn: PolicyResource | undefined, by: string) => { if (fn && !asyncFunctions.has(fn.urn)) asyncFunctions.set(fn.urn, { fn, by }); };

    for (const target of ofTypes(resources, TENCENT.ebTarget)) {
        if (target.props.type === "scf") invokedAsync(byName(scfNameOfTarget(target.props.targetDescription?.resourceDescription)), `EB target ${target.name}`);
    }
    for (const trigger of ofTypes(resources, TENCENT.scfTrigger)) {
        if (ASYNC_SCF_TRIGGERS.has(trigger.props.type)) invokedAsync(byName(trigger.props.functionName), `${trigger.props.type} trigger ${trigger.name}`);
    }
    for (const { fn, by } of asyncFunctions.values()) {
        const configs = invokeConfigs.filter((c) => refersTo(c.props.functionName, fn, ["name", "id", "functionName"]) || dependsOn(c, fn));
        const retries = configs.flatMap((c) => asArray<any>(c.props.asyncTriggerConfig?.retryConfigs)).map((r) => r?.retryNum);
        if (!retries.some((n) => typeof n === "number" && n >= 1)) {
            report(violation(`SCF function ${fn.name} is invoked asynchronously (${by}) without explicit retries`, "add a ScfFunctionEventInvokeConfig with asyncTriggerConfig.retryConfigs [{ retryNum: 1 or 2 }] and msgTtl, as AsyncTask does"), fn.urn);
        }
        if (!environmentOf(fn)[ENV.deadLetterQueue]) {
            report(violation(`SCF function ${fn.name} is invoked asynchronously (${by}) but has no dead-letter queue`, `link a TDMQ CMQ dead-letter queue (${ENV.deadLetterQueue} in its environment), as AsyncTask does`), fn.urn);
        }
    }
    for (const config of invokeConfigs) {
        const retries = asArray<any>(config.props.asyncTriggerConfig?.retryConfigs).map((r) => r?.retryNum);
        if (retries.includes(0)) {
            report(violation(`event invoke config ${config.name} turns retries off (retryNum 0)`, "allow 1 or 2 retries; make the handler idempotent instead"), config.urn);
        }
    }
}

export const asyncEdgesRetryAndDeadLetter: StackValidationPolicy = {
    name: "async-edges-retry-and-dead-letter",
    description: "Every asynchronous edge (EventBridge/EB targets, S3/COS notifications, SNS, timers, queues) retries and has a dead-letter target.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        checkAws(args.resources, reportViolation);
        checkTencent(args.resources, reportViolation);
    },
};
