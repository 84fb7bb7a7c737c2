// Functions run on a runtime the cloud still patches: a deprecated runtime gets no security fixes,
// and soon no updates to the function at all.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS, TENCENT, violation } from "./support";

/**
 * Lambda Node.js runtimes in standard support (Lambda Developer Guide, "Lambda runtimes"):
 * nodejs24.x until 2028-04-30, nodejs22.x until 2027-04-30. nodejs20.x left it on 2026-04-30
 * with Node.js 20's end of life, nodejs18.x on 2025-09-01. Non-Node runtimes the app does not use
 * are listed through the config when a stack needs one.
 */
export const LAMBDA_RUNTIMES = ["nodejs22.x", "nodejs24.x"];

/**
 * SCF Node.js runtimes: the newest the SCF API documents (CreateFunction `Runtime`) is Nodejs18.15,
 * which components/tencentcloud/function.ts uses; Nodejs16.13 and older have left Node.js support.
 */
export const SCF_RUNTIMES = ["Nodejs18.15"];

interface RuntimeConfig {
    lambdaRuntimes: string[];
    scfRuntimes: string[];
}

export const supportedRuntimes: ResourceValidationPolicy = {
    name: "supported-runtimes",
    description: "Lambda and SCF functions use a runtime in the cloud's supported list.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            lambdaRuntimes: { type: "array", items: { type: "string" }, default: LAMBDA_RUNTIMES, description: "Lambda runtime identifiers allowed." },
            scfRuntimes: { type: "array", items: { type: "string" }, default: SCF_RUNTIMES, description: "SCF runtimes allowed." },
        },
    },
    validateResource: (args, reportViolation) => {
        // The CLI hands over the schema's defaults; without a config at all, the same defaults.
        const config = args.getConfig<Partial<RuntimeConfig>>();
        const allowed = args.type === AWS.lambda ? config.lambdaRuntimes ?? LAMBDA_RUNTIMES : args.type === TENCENT.scfFunction ? config.scfRuntimes ?? SCF_RUNTIMES : undefined;
        if (!allowed) return;
        // A Lambda from a container image has no runtime to check.
        if (args.type === AWS.lambda && args.props.packageType === "Image") return;
        const runtime = args.props.runtime;
        if (typeof runtime === "string" && allowed.includes(runtime)) return;
        reportViolation(violation(`function ${args.name} runs on ${runtime === undefined ? "no runtime" : `'${runtime}'`}, which is not supported`,
            `use one of ${allowed.join(", ")} (the Function component picks the newest)`));
    },
};
