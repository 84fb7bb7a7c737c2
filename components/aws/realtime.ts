// Realtime on AWS: an API Gateway v2 WebSocket API. Per function of the Realtime ($connect,
// $disconnect, $default, each message action): a Lambda (its Function), an AWS_PROXY integration,
// the route, and a permission letting only this API's route invoke only that Lambda. Message
// routes have a `$default` route response, so a handler's return value goes back to the sender.
// `$connect` is guarded by a Lambda REQUEST authorizer (`<name>-authorizer`) that verifies the
// client's token (query parameter or subprotocol) before the connection opens: API Gateway
// answers 401 itself when the token is missing, and the authorizer when it is not valid; the
// verified claims reach the $connect function in the authorizer's context. One stage, `live`,
// deployed automatically, with JSON access logs (never the query string: tokens travel there),
// throttling and detailed metrics. Functions linked to the Realtime may post to and close
// connections of this stage only (execute-api:ManageConnections on its @connections paths).
// Integrations, the authorizer and their permissions name each Function's `live` alias. No X-Ray
// on the API: API Gateway traces REST APIs only, not WebSocket APIs (API Gateway developer guide,
// "Trace user requests to REST APIs using X-Ray"); the functions trace themselves.
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_ROOT } from "../build/package-root";
import { Function, TIMEOUT_SECONDS } from "../function";
import type { Link, LinkPermission } from "../link";
import type { RealtimeFunctionSpec, RealtimeRealisation, RealtimeSpec } from "../provider";
import { realtimeFunctionArgs } from "../realtime";

/** The one stage clients connect to: `wss://<api>.execute-api.<region>.amazonaws.com/live`. */
export const REALTIME_STAGE = "live";
/** API Gateway waits at most 29 s for a WebSocket integration (its hard limit). */
export const WEBSOCKET_INTEGRATION_TIMEOUT_MS = 29_000;
/** Where API Gateway looks for the token before calling the authorizer (a missing source is a 401 without a call). */
export const IDENTITY_SOURCES: Record<RealtimeSpec["tokenFrom"], string> = {
    query: "route.request.querystring.token",
    protocol: "route.request.header.Sec-WebSocket-Protocol",
};
/** The connect handler the authorizer is built from; the AWS adapter answers the authorizer's events itself. */
const AUTHORIZER_HANDLER = path.join(PACKAGE_ROOT, "functions", "realtime", "accept.handler");

/**
 * One JSON line per connect, message and disconnect: enough to follow a connection (its id and
 * user) to its functions' logs. No query string or header is logged: the token travels there.
 */
export const REALTIME_ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    eventType: "$context.eventType",
    routeKey: "$context.routeKey",
    connectionId: "$context.connectionId",
    messageId: "$context.messageId",
    userId: "$context.authorizer.principalId",
    status: "$context.status",
    integrationLatency: "$context.integrationLatency",
    error: "$context.error.message",
    authorizerError: "$context.authorizer.error",
});

export function awsRealtime(parent: pulumi.Resource, spec: RealtimeSpec): RealtimeRealisation {
    const opts = { parent };
    const api = new aws.apigatewayv2.Api(spec.name, {
        protocolType: "WEBSOCKET",
        routeSelectionExpression: `$request.body.${spec.routeField}`,
        description: `WebSocket API ${spec.name}: ${spec.functions.map((f) => f.route).join(", ")}`.slice(0, 1024),
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    // The link first: every function of the Realtime takes it (store and push). The API's
    // endpoint is wss://<host>; the Management API of a stage is https://<host>/<stage>.
    const host = api.apiEndpoint.apply((endpoint) => endpoint.replace(/^[a-z]+:\/\//, ""));
    const link = spec.link(pulumi.interpolate`https://${host}/${REALTIME_STAGE}`, [pushPermission(api)]);

    const authorizer = connectAuthorizer(parent, spec, api, link);
    const routes = spec.functions.map((fn) => addRoute(parent, spec, api, fn, link, authorizer));

    const accessLogs = new aws.cloudwatch.LogGroup(`${spec.name}-access-logs`, {
        name: `/serverless-blocks/${pulumi.getStack()}/${spec.name}/access`,
        retentionInDays: spec.logRetentionDays,
    }, opts);
    new aws.apigatewayv2.Stage(`${spec.name}-stage`, {
        apiId: api.id,
        name: REALTIME_STAGE,
        autoDeploy: true,
        accessLogSettings: { destinationArn: accessLogs.arn, format: REALTIME_ACCESS_LOG_FORMAT },
        defaultRouteSettings: {
            throttlingBurstLimit: spec.throttle.burstLimit,
            throttlingRateLimit: spec.throttle.rateLimit,
            detailedMetricsEnabled: true,
        },
    }, { parent, dependsOn: routes });

    return { url: pulumi.interpolate`wss://${host}/${REALTIME_STAGE}`, resourceId: api.arn };
}

/** Post to and close connections of this API's stage, nothing else (not other stages, not GET @connections). */
function pushPermission(api: aws.apigatewayv2.Api): LinkPermission {
    return {
        actions: ["execute-api:ManageConnections"],
        resources: [
            pulumi.interpolate`${api.executionArn}/${REALTIME_STAGE}/POST/@connections/*`,
            pulumi.interpolate`${api.executionArn}/${REALTIME_STAGE}/DELETE/@connections/*`,
        ],
    };
}

interface ConnectAuthorizer {
    authorizer: aws.apigatewayv2.Authorizer;
    permission: aws.lambda.Permission;
}

/**
 * The REQUEST authorizer of `$connect`. Its function has the token settings only: it reads no
 * connection and pushes nothing, so it does not take the Realtime's own link.
 */
function connectAuthorizer(parent: pulumi.Resource, spec: RealtimeSpec, api: aws.apigatewayv2.Api, self: pulumi.Output<Link>): ConnectAuthorizer {
    const opts = { parent };
    const name = `${spec.name}-authorizer`;
    // An action named `authorizer` (which would clash with this name) is refused by checkRealtimeArgs.
    // Its alarms go where the Realtime's other functions' go (the component gives them all the same).
    const alarms = spec.functions.find((f) => f.route === "$connect")?.function.alarms;
    const verifier: RealtimeFunctionSpec = {
        route: "$connect",
        functionName: name,
        function: { handler: AUTHORIZER_HANDLER, description: `Realtime ${spec.name} verifies connecting tokens`, alarms },
        timeout: TIMEOUT_SECONDS.default,
    };
    const args = realtimeFunctionArgs(spec, verifier, self);
    const fn = new Function(name, { ...args, link: (args.link ?? []).filter((link) => link !== self) }, opts);

    const authorizer = new aws.apigatewayv2.Authorizer(name, {
        apiId: api.id,
        name,
        authorizerType: "REQUEST",
        authorizerUri: invokeUri(fn.aliasId),
        identitySources: [IDENTITY_SOURCES[spec.tokenFrom]],
    }, opts);
    const permission = new aws.lambda.Permission(`${name}-permission`, {
        function: fn.functionName,
        qualifier: fn.alias,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/authorizers/${authorizer.id}`,
    }, opts);
    return { authorizer, permission };
}

function addRoute(parent: pulumi.Resource, spec: RealtimeSpec, api: aws.apigatewayv2.Api, route: RealtimeFunctionSpec, self: pulumi.Output<Link>, connect: ConnectAuthorizer): aws.apigatewayv2.Route {
    const opts = { parent };
    const name = route.functionName;
    const fn = new Function(name, realtimeFunctionArgs(spec, route, self), opts);

    // WebSocket APIs send Lambda proxy events in payload format 1.0, their only format.
    const integration = new aws.apigatewayv2.Integration(`${name}-integration`, {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: invokeUri(fn.aliasId),
        timeoutMilliseconds: Math.min(WEBSOCKET_INTEGRATION_TIMEOUT_MS, route.timeout * 1000),
        description: `${route.route} -> ${name}`,
    }, opts);

    // Only this API's route (any stage) may invoke this Lambda.
    const permission = new aws.lambda.Permission(`${name}-permission`, {
        function: fn.functionName,
        qualifier: fn.alias,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/${route.route}`,
    }, opts);

    const isConnect = route.route === "$connect";
    const isMessage = !isConnect && route.route !== "$disconnect";
    // After the permissions: a connection routed before they exist would fail with a 500.
    const created = new aws.apigatewayv2.Route(`${name}-route`, {
        apiId: api.id,
        routeKey: route.route,
        target: pulumi.interpolate`integrations/${integration.id}`,
        ...(isConnect
            ? { authorizationType: "CUSTOM", authorizerId: connect.authorizer.id }
            : { authorizationType: "NONE" }),
        // A message's handler answers the sender through the route response.
        ...(isMessage ? { routeResponseSelectionExpression: "$default" } : {}),
    }, { parent, dependsOn: isConnect ? [permission, connect.permission] : [permission] });

    if (isMessage) {
        new aws.apigatewayv2.RouteResponse(`${name}-route-response`, {
            apiId: api.id,
            routeId: created.id,
            routeResponseKey: "$default",
        }, opts);
    }
    return created;
}

/**
 * The URI API Gateway invokes a Lambda by (WebSocket integrations and authorizers take only this
 * form), from the function's ARN: arn:<partition>:lambda:<region>:<account>:function:<name>,
 * qualified by an alias (`:<alias>`) to invoke that alias.
 */
export function invokeUri(functionArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(functionArn).apply((arn) => {
        const [, partition, , region] = arn.split(":");
        return `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
    });
}
