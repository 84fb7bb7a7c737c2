// Stateful resources cannot be deleted by a mistaken `pulumi up` in production: `protect` (the
// components set it from serverless-blocks:protect). Stacks are production by name (policy config).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS, stackOfUrn, TENCENT, violation } from "./support";

/** Resources whose deletion loses data: tables, buckets, databases. */
export const STATEFUL_TYPES = new Set<string>([
    AWS.table, AWS.bucket, AWS.bucketV2, AWS.dbInstance, AWS.dbCluster,
    TENCENT.cosBucket, TENCENT.cynosdb, TENCENT.mysql,
]);

const PRODUCTION_STACKS = ["prod", "production"];

interface ProtectConfig {
    protectedStacks: string[];
}

export const statefulProtectedInProduction: ResourceValidationPolicy = {
    name: "stateful-protected-in-production",
    description: "Tables, buckets and databases are protected (`protect`) in production stacks.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            protectedStacks: { type: "array", items: { type: "string" }, default: PRODUCTION_STACKS, description: "Stacks whose stateful resources must be protected." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!STATEFUL_TYPES.has(args.type)) return;
        const stack = stackOfUrn(args.urn);
        const { protectedStacks = PRODUCTION_STACKS } = args.getConfig<Partial<ProtectConfig>>();
        if (!protectedStacks.includes(stack) || args.opts.protect) return;
        reportViolation(violation(`${args.name} (${args.type}) holds data but is not protected in stack ${stack}`,
            `set serverless-blocks:protect true for stack ${stack} (the components pass it on), or \`protect: true\` on the resource`));
    },
};
