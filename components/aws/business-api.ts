// BusinessApi on AWS: an API Gateway v2 HTTP API. Per route: a Lambda (the route's Function), an
// AWS_PROXY integration with payload format 2.0 (what functions/runtime/adapters/aws.ts reads), the
// route, and a permission letting only this API's route invoke only that Lambda. One `$default`
// stage, deployed automatically, with JSON access logs and throttling; CORS answered by the
// gateway for the listed origins only; a JWT authorizer (issuer + audience) on every route not
// marked public. A route's `roles` are a claim's values, which the authorizer cannot check (its
// `authorizationScopes` match the token's scopes only): the function gets them in SB_API_ROLES and
// its adapter checks the verified claims (functions/runtime/adapters/route-roles.ts).
// Integrations and permissions name each Function's `live` alias. Given an Alarms: alarms on the
// API's 5xx rate and p95 latency (./api-alarms.ts). No X-Ray: API Gateway traces REST APIs only,
// not HTTP APIs (API Gateway developer guide, "Trace user requests to REST APIs using X-Ray");
// the route functions trace themselves (active tracing).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { routeRolesLink } from "../business-api";
import { Function } from "../function";
import type { ApiRouteSpec, BusinessApiRealisation, BusinessApiSpec } from "../provider";
import { apiAlarms } from "./api-alarms";

/** API Gateway waits at most 30 s for an HTTP API integration (its hard limit). */
export const INTEGRATION_TIMEOUT_MS = 30_000;

/** One JSON line per request: enough to trace a call to its function's logs by request id. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    routeKey: "$context.routeKey",
    path: "$context.path",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    authorizerError: "$context.authorizer.error",
});

export function awsBusinessApi(parent: pulumi.Resource, spec: BusinessApiSpec): BusinessApiRealisation {
    const opts = { parent };
    const api = new aws.apigatewayv2.Api(spec.name, {
        protocolType: "HTTP",
        description: `HTTP API ${spec.name}: ${spec.routes.map((r) => r.key).join(", ")}`.slice(0, 1024),
        corsConfiguration: spec.cors && {
            allowOrigins: spec.cors.allowOrigins,
            allowMethods: spec.cors.allowMethods,
            allowHeaders: spec.cors.allowHeaders,
            exposeHeaders: spec.cors.exposeHeaders,
            allowCredentials: spec.cors.allowCredentials,
            maxAge: spec.cors.maxAge,
        },
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const accessLogs = new aws.cloudwatch.LogGroup(`${spec.name}-access-logs`, {
        name: `/serverless-blocks/${pulumi.getStack()}/${spec.name}/access`,
        retentionInDays: spec.logRetentionDays,
    }, opts);

    const authorizer = spec.jwt && spec.routes.some((route) => route.auth) && new aws.apigatewayv2.Authorizer(`${spec.name}-jwt`, {
        apiId: api.id,
        name: `${spec.name}-jwt`,
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: spec.jwt.issuer, audiences: spec.jwt.audience },
    }, opts);

    for (const route of spec.routes) {
        addRoute(parent, spec.name, api, route, authorizer || undefined);
    }

    new aws.apigatewayv2.Stage(`${spec.name}-stage`, {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
        defaultRouteSettings: {
            throttlingBurstLimit: spec.throttle.burstLimit,
            throttlingRateLimit: spec.throttle.rateLimit,
            detailedMetricsEnabled: true,
        },
    }, opts);
    if (spec.alarms) apiAlarms(parent, spec.name, api.id, spec.alarms);

    return { url: api.apiEndpoint, resourceId: api.arn };
}

function addRoute(parent: pulumi.Resource, apiName: string, api: aws.apigatewayv2.Api, route: ApiRouteSpec, authorizer: aws.apigatewayv2.Authorizer | undefined): void {
    const opts = { parent };
    const name = route.functionName;
    const roles = routeRolesLink(apiName, route);
    const fn = new Function(name, {
        ...route.function,
        description: route.function.description ?? `Serves ${route.key}`,
        link: roles ? [...(route.function.link ?? []), roles] : route.function.link,
    }, opts);

    const integration = new aws.apigatewayv2.Integration(`${name}-integration`, {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: fn.aliasId,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: Math.min(INTEGRATION_TIMEOUT_MS, route.timeout * 1000),
        // "(public)" records `public: true` where policy checks see it (policy/rules/routes.ts).
        description: `${route.key} -> ${name}${route.auth ? "" : " (public)"}`,
    }, opts);

    // Only this API, only this method and path (any stage): the ARN API Gateway presents names the
    // request's actual path, so each {param} matches any one segment (SAM builds it the same way).
    const permission = new aws.lambda.Permission(`${name}-permission`, {
        function: fn.functionName,
        qualifier: fn.alias,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/${route.method}${permissionPath(route.path)}`,
    }, opts);

    // After the permission: a request routed before it exists would fail with a 500.
    new aws.apigatewayv2.Route(`${name}-route`, {
        apiId: api.id,
        routeKey: route.key,
        target: pulumi.interpolate`integrations/${integration.id}`,
        ...(route.auth && authorizer
            ? { authorizationType: "JWT", authorizerId: authorizer.id }
            : { authorizationType: "NONE" }),
    }, { parent, dependsOn: [permission] });
}

/** The route's path as it appears in an execute-api ARN: each `{param}` becomes `*`. */
export function permissionPath(path: string): string {
    return path.replace(/\{[^}]+\}/g, "*");
}
