// CORS names its origins: `*` lets any web page call the API (or write to the bucket) from a
// visitor's browser. A resource meant to be open to every site is listed in the policy's config.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asArray, AWS, ENV, environmentOf, ofTypes, refersTo, TENCENT, violation } from "./support";

interface CorsConfig {
    /** Logical names of resources allowed to answer any origin, each for a stated reason. */
    allowAnyOrigin: string[];
}

/** The origins each CORS-bearing resource allows; undefined when it has no CORS at all. */
function originsOf(resource: PolicyResource, functions: PolicyResource[]): string[] | undefined {
    switch (resource.type) {
        case AWS.api:
            return resource.props.corsConfiguration ? asArray<string>(resource.props.corsConfiguration.allowOrigins) : undefined;
        case AWS.bucketCors:
        case AWS.bucketCorsV2:
            return asArray<any>(resource.props.corsRules).flatMap((rule) => asArray<string>(rule?.allowedOrigins));
        case TENCENT.cosBucket:
            return resource.props.corsRules ? asArray<any>(resource.props.corsRules).flatMap((rule) => asArray<string>(rule?.allowedOrigins)) : undefined;
        case TENCENT.apiGatewayApi: {
            // With enableCors the gateway answers preflights with "*" itself; the actual response's
            // origins are the function's (SB_API_CORS), and without that setting any origin gets an answer.
            if (resource.props.enableCors !== true) return undefined;
            const fn = functions.find((f) => refersTo(resource.props.serviceConfigScfFunctionName, f, ["name", "functionName", "id"]));
            const settings = fn && environmentOf(fn)[ENV.cors];
            if (typeof settings !== "string") return ["*"];
            try {
                return asArray<string>(JSON.parse(settings).allowOrigins);
            } catch {
                return ["*"];
            }
        }
        default:
            return undefined;
    }
}

export const corsNamedOrigins: StackValidationPolicy = {
    name: "cors-named-origins",
    description: "CORS allows named origins, not '*', unless the resource is listed in allowAnyOrigin.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowAnyOrigin: { type: "array", items: { type: "string" }, default: [], description: "Logical names of resources that may allow any origin ('*')." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { allowAnyOrigin = [] } = args.getConfig<Partial<CorsConfig>>();
        const functions = ofTypes(args.resources, TENCENT.scfFunction);
        for (const resource of args.resources) {
            const origins = originsOf(resource, functions);
            if (!origins?.includes("*") || allowAnyOrigin.includes(resource.name)) continue;
            reportViolation(violation(`${resource.name} (${resource.type}) allows CORS requests from any origin ('*')`,
                `list the origins (e.g. cors.allowOrigins: ["https://shop.example.com"]), or add "${resource.name}" to this policy's allowAnyOrigin config if every site may call it`), resource.urn);
        }
    },
};
