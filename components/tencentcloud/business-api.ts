// BusinessApi on Tencent Cloud: an API Gateway service (https, public), one API per route backed by
// the route's SCF function with integrated responses (what functions/runtime/adapters/tencentcloud.ts
// returns), and the service's release to the `release` environment.
//
// Releases: APIs take effect only once the service is released again. The release's description
// carries a digest of every API's definition, and a changed description replaces the release
// (release_desc is ForceNew), which publishes again. The replaced release is retained rather than
// deleted: deleting one calls UnReleaseService, which would take the environment offline right
// after the new release went live; deleting the service unreleases its environments itself
// (resource_tc_api_gateway_service(_release).go, terraform-provider-tencentcloud).
//
// Authorization: the gateway's own auth types (SECRET, APP, OAUTH with one fixed public key) cannot
// check an issuer's rotating JWKS, so every route not marked public is passed through and the
// adapter verifies the bearer token (functions/runtime/auth/jwt.ts) with the settings this API's
// link puts in the function's environment, then the route's roles (SB_API_ROLES,
// functions/runtime/adapters/route-roles.ts).
//
// CORS: with `enableCors` the gateway answers preflight OPTIONS requests itself, with
// `Access-Control-Allow-Origin: *` (API Gateway CORS docs, cloud.tencent.com/document/product/628/41450);
// origin lists need its CORS plugin, which this project's provider extract does not include. So
// for listed origins the adapter sets the response's CORS headers for allowed origins only
// (functions/runtime/cors.ts), and the preflight answer stays the gateway's.
//
// Rate limit: `releaseLimit` on the service (QPS of the whole release environment). Per-API limits
// are not used: the provider's update of an API's release_limit sends the prepub value instead.
//
// Alarms (given `alarms`): backend 5xx and latency of the release environment (./api-alarms.ts).
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { ROLES_ENV } from "../../functions/runtime/adapters/route-roles";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { CORS_ENV } from "../../functions/runtime/cors";
import { ConfigError, target } from "../config";
import { Function } from "../function";
import type { Link } from "../link";
import type { ApiRouteSpec, BusinessApiRealisation, BusinessApiSpec } from "../provider";
import { accountUin } from "./account";
import { apiAlarms } from "./api-alarms";
import { aliasQualifier, SCF_NAMESPACE } from "./function";
import { GATEWAY_NAME_LIMITS, gatewayName, stackScoped } from "./names";
import { ApiGatewayApi, ApiGatewayService, ApiGatewayServiceRelease } from "./sdk";

/** Methods the provider accepts for an API's frontend (request_config_method). */
export const TENCENT_API_METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "ANY"];
export const RELEASE_ENVIRONMENT = "release";

/** What API Gateway cannot take, refused before the BusinessApi registers; the names it will use. */
export function checkTencentBusinessApi(spec: BusinessApiSpec): { serviceName: string; apiNames: Map<string, string> } {
    const where = `BusinessApi '${spec.name}'`;
    for (const route of spec.routes) {
        if (!TENCENT_API_METHODS.includes(route.method)) {
            throw new ConfigError(`${where} route key`, route.key, `Tencent Cloud API Gateway serves ${TENCENT_API_METHODS.join(", ")}; use PUT or POST for partial updates`);
        }
    }
    const serviceName = gatewayName(stackScoped(spec.name), GATEWAY_NAME_LIMITS.service, `${where} service name`, "shorten the component name or the route's path");
    const apiNames = new Map(spec.routes.map((route) => [route.key, gatewayName(route.functionName, GATEWAY_NAME_LIMITS.api, `${where} routes["${route.key}"] API name`, "shorten the component name or the route's path")]));
    return { serviceName, apiNames };
}

export function tencentBusinessApi(parent: pulumi.Resource, spec: BusinessApiSpec): BusinessApiRealisation {
    const where = `BusinessApi '${spec.name}'`;
    const { serviceName, apiNames } = checkTencentBusinessApi(spec);
    const opts = { parent };

    const service = new ApiGatewayService(spec.name, {
        serviceName,
        serviceDesc: `BusinessApi ${spec.name} (serverless-blocks)`,
        protocol: "https",
        netTypes: ["OUTER"],
        ipVersion: "IPv4",
        releaseLimit: spec.throttle.rateLimit,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const apis = spec.routes.map((route) => addApi(parent, spec, route, service, apiNames.get(route.key)!));

    new ApiGatewayServiceRelease(`${spec.name}-release`, {
        serviceId: service.id,
        environmentName: RELEASE_ENVIRONMENT,
        releaseDesc: releaseDescription(spec.name, apis),
    }, { parent, dependsOn: apis, retainOnDelete: true });
    if (spec.alarms) apiAlarms(parent, spec.name, service.id, RELEASE_ENVIRONMENT, spec.alarms);

    const region = target().region;
    return {
        url: pulumi.interpolate`https://${service.outerSubDomain}/${RELEASE_ENVIRONMENT}`,
        resourceId: pulumi.interpolate`qcs::apigw:${region}:uin/${accountUin()}:service/${service.id}`,
    };
}

function addApi(parent: pulumi.Resource, spec: BusinessApiSpec, route: ApiRouteSpec, service: ApiGatewayService, apiName: string): ApiGatewayApi {
    const name = route.functionName;
    const settings = routeSettingsLink(spec, route);
    const fn = new Function(name, {
        ...route.function,
        description: route.function.description ?? `Serves ${route.key}`,
        link: settings ? [...(route.function.link ?? []), settings] : route.function.link,
    }, { parent });

    return new ApiGatewayApi(`${name}-api`, {
        serviceId: service.id,
        apiName,
        // "(public)" records `public: true` where policy checks see it (policy/rules/routes.ts).
        apiDesc: `${route.key} -> function ${name}${route.auth ? " (bearer token checked by the function)" : " (public)"}`,
        protocol: "HTTP",
        authType: "NONE",
        // The provider enables the gateway's CORS unless told otherwise.
        enableCors: spec.cors !== undefined,
        requestConfigPath: route.path,
        requestConfigMethod: route.method,
        requestParameters: route.params.map((param) => ({ name: param, position: "PATH", type: "string", required: true, desc: `path parameter ${param}` })),
        serviceConfigType: "SCF",
        serviceConfigScfFunctionName: fn.functionName,
        serviceConfigScfFunctionNamespace: SCF_NAMESPACE,
        // The alias `live`: a new version (or a canary, a rollback) reaches the route through it, and
        // since the qualifier stays the same the gateway needs no new release for it.
        serviceConfigScfFunctionQualifier: aliasQualifier(fn.aliasId),
        serviceConfigScfFunctionType: "EVENT",
        serviceConfigScfIsIntegratedResponse: true,
        serviceConfigTimeout: route.timeout,
        responseType: "JSON",
    }, { parent });
}

/**
 * What the route's function must know that the gateway does not do for it: the token settings
 * (routes not public), the roles (routes with roles) and the origins allowed (listed origins).
 * No permissions: it only sets variables.
 */
function routeSettingsLink(spec: BusinessApiSpec, route: ApiRouteSpec): Link | undefined {
    const environment: Link["environment"] = {};
    if (route.auth && spec.jwt) {
        environment[JWT_ENV.issuer] = spec.jwt.issuer;
        environment[JWT_ENV.audience] = pulumi.output(spec.jwt.audience).apply((audience) => JSON.stringify(audience));
        environment[JWT_ENV.jwksUrl] = spec.jwt.jwksUrl;
    }
    if (route.roles.length > 0) environment[ROLES_ENV] = JSON.stringify(route.roles);
    const cors = spec.cors;
    if (cors && !cors.allowOrigins.includes("*")) {
        environment[CORS_ENV] = JSON.stringify({ allowOrigins: cors.allowOrigins, allowCredentials: cors.allowCredentials, exposeHeaders: cors.exposeHeaders });
    }
    if (Object.keys(environment).length === 0) return undefined;
    return { type: "api", name: spec.name, environment, permissions: [] };
}

/**
 * "serverless-blocks <api>: <n> APIs, definition <digest>": the digest covers every API's inputs,
 * so a changed route (method, path, function, timeout, CORS, a route added or removed) publishes
 * again, and an unchanged program plans the same description.
 */
function releaseDescription(api: string, apis: ApiGatewayApi[]): pulumi.Output<string> {
    const definitions = apis.map((a) => pulumi.output({
        name: a.apiName, method: a.requestConfigMethod, path: a.requestConfigPath, parameters: a.requestParameters,
        cors: a.enableCors, fn: a.serviceConfigScfFunctionName, qualifier: a.serviceConfigScfFunctionQualifier,
        timeout: a.serviceConfigTimeout, description: a.apiDesc,
    }));
    return pulumi.all(definitions).apply((all) => {
        const digest = crypto.createHash("sha256").update(JSON.stringify(all)).digest("hex").slice(0, 16);
        return `serverless-blocks ${api}: ${apis.length} APIs, definition ${digest}`;
    });
}
