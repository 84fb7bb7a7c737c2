// Every route checks who calls it unless the program marked it public. Where the check happens:
//   AWS HTTP APIs: the gateway (route authorizationType JWT / AWS_IAM / CUSTOM). A route the
//   program marked `public: true` has authorizationType NONE and its integration's description
//   ends with "(public)" (components/aws/business-api.ts). WebSocket APIs authorise at $connect
//   only (API Gateway takes no authorizer on other WebSocket routes).
//   Tencent API Gateway: its auth types cannot check an issuer's rotating keys, so routes are
//   authType NONE and the function's adapter verifies the token with the settings in its
//   environment (SB_API_JWT_ISSUER ...); a public route's apiDesc ends with "(public)"
//   (components/tencentcloud/business-api.ts).
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AWS, ENV, environmentOf, ofTypes, PUBLIC_ROUTE_MARK, refersTo, TENCENT, violation } from "./support";

const GATEWAY_AUTH = new Set(["JWT", "AWS_IAM", "CUSTOM"]);

function markedPublic(description: unknown): boolean {
    return typeof description === "string" && description.trimEnd().endsWith(PUBLIC_ROUTE_MARK);
}

/** The integration a route targets: `integrations/<id>`. */
function integrationOf(resources: PolicyResource[], route: PolicyResource): PolicyResource | undefined {
    const target = String(route.props.target ?? "");
    const id = target.startsWith("integrations/") ? target.slice("integrations/".length) : undefined;
    return ofTypes(resources, AWS.integration).find((i) => id !== undefined && refersTo(id, i, ["id"]));
}

export const routesAuthenticated: StackValidationPolicy = {
    name: "routes-authenticated",
    description: "Every API route authenticates its caller (at the gateway, or in the function's adapter) unless the program marked it public.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const apis = ofTypes(args.resources, AWS.api);
        for (const route of ofTypes(args.resources, AWS.route)) {
            if (GATEWAY_AUTH.has(route.props.authorizationType)) continue;
            const api = apis.find((a) => refersTo(route.props.apiId, a, ["id"]));
            const key = String(route.props.routeKey ?? "");
            if (api?.props.protocolType === "WEBSOCKET" && key !== "$connect") continue;
            if (markedPublic(integrationOf(args.resources, route)?.props.description)) continue;
            reportViolation(violation(`route ${key} (${route.name}) is open to anyone (authorizationType ${route.props.authorizationType ?? "NONE"}) and not marked public`,
                key === "$connect" ? "give $connect a Lambda authorizer (Realtime's jwt does)" : "give the BusinessApi a `jwt` so the route gets the JWT authorizer, or mark the route `public: true` if it is meant to be open"), route.urn);
        }
        const functions = ofTypes(args.resources, TENCENT.scfFunction);
        for (const api of ofTypes(args.resources, TENCENT.apiGatewayApi)) {
            if (api.props.authType && api.props.authType !== "NONE") continue;
            const fn = functions.find((f) => refersTo(api.props.serviceConfigScfFunctionName, f, ["name", "functionName", "id"]));
            const checkedByFunction = !!fn && !!environmentOf(fn)[ENV.jwtIssuer];
            if (checkedByFunction || markedPublic(api.props.apiDesc)) continue;
            reportViolation(violation(`API ${api.props.apiName ?? api.name} (${api.props.requestConfigMethod} ${api.props.requestConfigPath}) is open to anyone: authType NONE and its function has no token settings (${ENV.jwtIssuer})`,
                "give the BusinessApi a `jwt` so the function's adapter verifies the bearer token, or mark the route `public: true` if it is meant to be open"), api.urn);
        }
    },
};
