// Realtime on AWS: the WebSocket API and its route selection, per function its integration,
// route and permission, the $connect REQUEST authorizer, route responses on message routes, the
// `live` stage (throttling, access logs without the query string), the connections table, and
// what the Realtime's link grants (its table, ManageConnections on this stage only), as the
// in-process engine registers them with realistic ids. Then the args mistakes refused before
// anything registers, on every target.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Function, Realtime, type RealtimeArgs } from "../../components";
import { IDENTITY_SOURCES, REALTIME_ACCESS_LOG_FORMAT, REALTIME_STAGE } from "../../components/aws/realtime";
import { TABLE_ACTIONS } from "../../components/aws/table";
import { SOCKET_SETTINGS_ENV, TOKEN_SOURCE_ENV } from "../../functions/runtime/adapters/socket";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { CLOUDS, evaluate, evaluateFailing, json, type Evaluated } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ISSUER = "https://auth.example.com";
const JWT = { issuer: ISSUER, audience: ["shop-web"] };

const AWS = {
    api: "aws:apigatewayv2/api:Api",
    stage: "aws:apigatewayv2/stage:Stage",
    integration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    routeResponse: "aws:apigatewayv2/routeResponse:RouteResponse",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    permission: "aws:lambda/permission:Permission",
    lambda: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    table: "aws:dynamodb/table:Table",
    alias: "aws:lambda/alias:Alias",
};

/** Every function's role may send its X-Ray traces (active tracing); X-Ray takes no resource but `*`. */
const TRACES = { Effect: "Allow", Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: ["*"] };

/** Two message actions besides the three built-in routes. */
function liveArgs(overrides: Partial<RealtimeArgs> = {}): RealtimeArgs {
    return {
        jwt: JWT,
        routes: { say: { handler: HANDLER, timeout: 20 }, "typing.start": { handler: HANDLER } },
        ...overrides,
    };
}

function live(overrides: Partial<RealtimeArgs> = {}) {
    return () => {
        const realtime = new Realtime("live", liveArgs(overrides));
        return { url: realtime.url, resourceId: realtime.resourceId, connectionsTable: realtime.connectionsTable };
    };
}

/** Route key -> the name of its function. */
const ROUTES: Record<string, string> = {
    $connect: "live-connect",
    $disconnect: "live-disconnect",
    $default: "live-default",
    say: "live-say",
    "typing.start": "live-typing-start",
};

type Statement = { Effect: string; Action: string[]; Resource: string[] };
const statementsOf = (stack: Evaluated, fn: string): Statement[] => json(stack.one(AWS.rolePolicy, `${fn}-policy`).inputs.policy).Statement;
const variablesOf = (stack: Evaluated, fn: string): Record<string, string> =>
    (stack.one(AWS.lambda, fn).inputs.environment as { variables: Record<string, string> }).variables;

describe("Realtime on AWS", () => {
    let stack: Evaluated;
    let executionArn: string;
    before(async () => {
        stack = await evaluate("aws", live());
        executionArn = stack.one(AWS.api, "live").state.executionArn;
    });

    it("is one WebSocket API selecting a message's route by its action field", () => {
        const api = stack.one(AWS.api, "live");
        assert.equal(api.inputs.protocolType, "WEBSOCKET");
        assert.equal(api.inputs.routeSelectionExpression, "$request.body.action");
    });

    it("selects routes by the field asked for", async () => {
        const other = await evaluate("aws", live({ routeField: "type" }));
        assert.equal(other.one(AWS.api).inputs.routeSelectionExpression, "$request.body.type");
    });

    it("has a Lambda, an AWS_PROXY integration and a route per function, and nothing more", () => {
        const api = stack.one(AWS.api, "live");
        for (const [key, name] of Object.entries(ROUTES)) {
            const lambda = stack.one(AWS.lambda, name);
            const integration = stack.one(AWS.integration, `${name}-integration`);
            assert.equal(integration.inputs.apiId, api.state.id);
            assert.equal(integration.inputs.integrationType, "AWS_PROXY");
            assert.equal(integration.inputs.integrationMethod, "POST");
            assert.equal(integration.inputs.integrationUri, stack.one(AWS.alias, `${name}-alias`).state.invokeArn, "WebSocket integrations take the invoke URI of the Lambda's live alias");
            assert.equal(stack.one(AWS.alias, `${name}-alias`).inputs.functionName, lambda.state.name);
            assert.equal(integration.inputs.payloadFormatVersion, undefined, "WebSocket APIs have format 1.0 only");
            const route = stack.one(AWS.route, `${name}-route`);
            assert.equal(route.inputs.apiId, api.state.id);
            assert.equal(route.inputs.routeKey, key);
            assert.equal(route.inputs.target, `integrations/${integration.state.id}`);
            assert.equal(route.parent, "live");
        }
        assert.equal(stack.ofType(AWS.route).length, Object.keys(ROUTES).length);
        assert.equal(stack.ofType(AWS.integration).length, Object.keys(ROUTES).length);
        // The route functions and the authorizer's.
        assert.equal(stack.ofType(AWS.lambda).length, Object.keys(ROUTES).length + 1);
    });

    it("waits for a function as long as its timeout, at most API Gateway's 29 s", () => {
        assert.equal(stack.one(AWS.integration, "live-say-integration").inputs.timeoutMilliseconds, 20_000);
        assert.equal(stack.one(AWS.integration, "live-connect-integration").inputs.timeoutMilliseconds, 10_000);
        assert.equal(stack.one(AWS.lambda, "live-say").inputs.timeout, 20);
    });

    it("lets only this API's route invoke each Lambda, and opens a route only once that is allowed", () => {
        for (const [key, name] of Object.entries(ROUTES)) {
            const permission = stack.one(AWS.permission, `${name}-permission`);
            assert.equal(permission.inputs.principal, "apigateway.amazonaws.com");
            assert.equal(permission.inputs.action, "lambda:InvokeFunction");
            assert.equal(permission.inputs.function, stack.one(AWS.lambda, name).state.name);
            assert.equal(permission.inputs.sourceArn, `${executionArn}/*/${key}`);
            assert.ok(stack.one(AWS.route, `${name}-route`).dependsOn.includes(`${name}-permission`));
        }
    });

    it("verifies the token on $connect only, with a REQUEST authorizer invoked by this API only", () => {
        const authorizer = stack.one(AWS.authorizer, "live-authorizer");
        const fn = stack.one(AWS.lambda, "live-authorizer");
        assert.equal(authorizer.inputs.apiId, stack.one(AWS.api).state.id);
        assert.equal(authorizer.inputs.authorizerType, "REQUEST");
        assert.equal(authorizer.inputs.authorizerUri, stack.one(AWS.alias, "live-authorizer-alias").state.invokeArn);
        assert.deepEqual(authorizer.inputs.identitySources, ["route.request.querystring.token"]);

        const connect = stack.one(AWS.route, "live-connect-route");
        assert.equal(connect.inputs.authorizationType, "CUSTOM");
        assert.equal(connect.inputs.authorizerId, authorizer.state.id);
        assert.ok(connect.dependsOn.includes("live-authorizer-permission"), "no connect before the authorizer may run");
        for (const key of ["$disconnect", "$default", "say", "typing.start"]) {
            const route = stack.one(AWS.route, `${ROUTES[key]}-route`);
            assert.equal(route.inputs.authorizationType, "NONE", `${key}: API Gateway allows an authorizer on $connect only`);
            assert.equal(route.inputs.authorizerId, undefined);
        }

        const permission = stack.one(AWS.permission, "live-authorizer-permission");
        assert.equal(permission.inputs.function, fn.state.name);
        assert.equal(permission.inputs.principal, "apigateway.amazonaws.com");
        assert.equal(permission.inputs.sourceArn, `${executionArn}/authorizers/${authorizer.state.id}`);
    });

    it("builds the authorizer from the built-in connect handler with the token settings, and grants it nothing", () => {
        const env = variablesOf(stack, "live-authorizer");
        assert.equal(env[JWT_ENV.issuer], ISSUER);
        assert.deepEqual(JSON.parse(env[JWT_ENV.audience]), ["shop-web"]);
        assert.equal(env[JWT_ENV.jwksUrl], `${ISSUER}/.well-known/jwks.json`);
        assert.equal(env[TOKEN_SOURCE_ENV], "query");
        assert.equal(env.SB_REALTIME_LIVE_TABLE, undefined, "it reads no connection");
        const statements = statementsOf(stack, "live-authorizer");
        assert.deepEqual(statements.map((s) => s.Action), [["logs:CreateLogStream", "logs:PutLogEvents"], TRACES.Action], "its own logs and traces only");
    });

    it("takes the token from the subprotocol header when asked, so a missing one is refused by API Gateway", async () => {
        const protocol = await evaluate("aws", live({ tokenFrom: "protocol" }));
        assert.deepEqual(protocol.one(AWS.authorizer).inputs.identitySources, ["route.request.header.Sec-WebSocket-Protocol"]);
        assert.equal(variablesOf(protocol, "live-authorizer")[TOKEN_SOURCE_ENV], "protocol");
        assert.equal(variablesOf(protocol, "live-connect")[TOKEN_SOURCE_ENV], "protocol", "the connect function answers with the subprotocol");
        assert.deepEqual(IDENTITY_SOURCES, { query: "route.request.querystring.token", protocol: "route.request.header.Sec-WebSocket-Protocol" });
    });

    it("sends a message route's return value back to the sender: a $default route response", () => {
        for (const key of ["$default", "say", "typing.start"]) {
            const name = ROUTES[key];
            const route = stack.one(AWS.route, `${name}-route`);
            assert.equal(route.inputs.routeResponseSelectionExpression, "$default");
            const response = stack.one(AWS.routeResponse, `${name}-route-response`);
            assert.equal(response.inputs.apiId, stack.one(AWS.api).state.id);
            assert.equal(response.inputs.routeId, route.state.id);
            assert.equal(response.inputs.routeResponseKey, "$default");
        }
        for (const key of ["$connect", "$disconnect"]) {
            assert.equal(stack.one(AWS.route, `${ROUTES[key]}-route`).inputs.routeResponseSelectionExpression, undefined);
        }
        assert.equal(stack.ofType(AWS.routeResponse).length, 3);
    });

    it("deploys the live stage with default throttling, detailed metrics and JSON access logs that never hold the query string", async () => {
        const kept = await evaluate("aws", live(), { "serverless-blocks:logRetentionDays": "30" });
        const stage = kept.one(AWS.stage, "live-stage");
        const logs = kept.one(AWS.logGroup, "live-access-logs");
        assert.equal(stage.inputs.apiId, kept.one(AWS.api).state.id);
        assert.equal(stage.inputs.name, REALTIME_STAGE);
        assert.equal(stage.inputs.autoDeploy, true);
        assert.deepEqual(stage.inputs.defaultRouteSettings, { throttlingBurstLimit: 100, throttlingRateLimit: 50, detailedMetricsEnabled: true });
        assert.equal(logs.inputs.retentionInDays, 30);
        assert.equal(logs.inputs.name, "/serverless-blocks/test/live/access");
        assert.deepEqual(stage.inputs.accessLogSettings, { destinationArn: logs.state.arn, format: REALTIME_ACCESS_LOG_FORMAT });
        const format = JSON.parse(REALTIME_ACCESS_LOG_FORMAT) as Record<string, string>;
        assert.equal(format.connectionId, "$context.connectionId");
        assert.equal(format.eventType, "$context.eventType");
        assert.equal(format.userId, "$context.authorizer.principalId");
        for (const variable of Object.values(format)) {
            assert.doesNotMatch(variable, /querystring|request\.query|header|token/i, `${variable} could log a token`);
        }
    });

    it("throttles the stage as asked", async () => {
        const throttled = await evaluate("aws", live({ throttle: { burstLimit: 20, rateLimit: 5 } }));
        const settings = throttled.one(AWS.stage).inputs.defaultRouteSettings as Record<string, unknown>;
        assert.equal(settings.throttlingBurstLimit, 20);
        assert.equal(settings.throttlingRateLimit, 5);
    });

    it("keeps connections in its own table, expiring on expiresAt", () => {
        const table = stack.one(AWS.table, "live-connections");
        assert.equal(table.inputs.hashKey, "pk");
        assert.equal(table.inputs.rangeKey, "sk");
        assert.deepEqual(table.inputs.ttl, { attributeName: "expiresAt", enabled: true });
        assert.equal(stack.outputs.connectionsTable, table.state.name);
    });

    it("gives each of its functions the store, push on this stage only, and its settings", () => {
        const table = stack.one(AWS.table, "live-connections");
        for (const name of Object.values(ROUTES)) {
            assert.deepEqual(statementsOf(stack, name).slice(2), [
                { Effect: "Allow", Action: TABLE_ACTIONS, Resource: [table.state.arn] },
                { Effect: "Allow", Action: ["execute-api:ManageConnections"], Resource: [`${executionArn}/live/POST/@connections/*`, `${executionArn}/live/DELETE/@connections/*`] },
            ]);
            const env = variablesOf(stack, name);
            assert.deepEqual(JSON.parse(env[SOCKET_SETTINGS_ENV]), { realtime: "live", routeField: "action", perSecond: 10, burst: 20 });
            assert.equal(env[JWT_ENV.issuer], ISSUER);
        }
    });

    it("outputs the wss URL of its stage and the API's ARN, and protects the API in a protected stack", async () => {
        const protectedStack = await evaluate("aws", live(), { "serverless-blocks:protect": "true" });
        const api = protectedStack.one(AWS.api, "live");
        assert.equal(protectedStack.outputs.url, `wss://${api.state.id}.execute-api.us-east-1.amazonaws.com/live`);
        assert.equal(protectedStack.outputs.resourceId, `arn:aws:apigateway:us-east-1::/apis/${api.state.id}`);
        assert.equal(api.protect, true);
        assert.equal(api.retainOnDelete, true);
        assert.equal(stack.one(AWS.api).protect, false);
    });
});

describe("Realtime's link on AWS", () => {
    it("lets a linking Function post to and close this stage's connections and use its store, with nothing else", async () => {
        const stack = await evaluate("aws", () => {
            const realtime = new Realtime("live", { jwt: JWT });
            new Function("notify", { handler: HANDLER, link: [realtime.link] });
        });
        const apiId = stack.one(AWS.api, "live").state.id;
        const executionArn = stack.one(AWS.api, "live").state.executionArn;
        const table = stack.one(AWS.table, "live-connections");

        assert.deepEqual(statementsOf(stack, "notify"), [
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${stack.one(AWS.logGroup, "notify-logs").state.arn}:*`] },
            TRACES,
            { Effect: "Allow", Action: TABLE_ACTIONS, Resource: [table.state.arn] },
            { Effect: "Allow", Action: ["execute-api:ManageConnections"], Resource: [`${executionArn}/live/POST/@connections/*`, `${executionArn}/live/DELETE/@connections/*`] },
        ]);
        const env = variablesOf(stack, "notify");
        assert.equal(env.SB_REALTIME_LIVE_ENDPOINT, `https://${apiId}.execute-api.us-east-1.amazonaws.com/live`, "the stage's @connections endpoint");
        assert.equal(env.SB_REALTIME_LIVE_TABLE, "live-connections", "the connection Table's component, found by its own link's variables");
        assert.equal(env.SB_TABLE_LIVE_CONNECTIONS_NAME, table.state.name);
        assert.equal(env.SB_TABLE_LIVE_CONNECTIONS_TTL_ATTRIBUTE, "expiresAt");
        assert.equal(env[SOCKET_SETTINGS_ENV], undefined, "a pusher is no socket handler");
        assert.equal(env[JWT_ENV.issuer], undefined);
    });

    it("takes the token settings as another component's output (auth.jwt)", async () => {
        const stack = await evaluate("aws", () => new Realtime("live", { jwt: pulumi.output({ issuer: ISSUER, audience: ["shop-web"], jwksUrl: `${ISSUER}/keys` }) }));
        const env = variablesOf(stack, "live-authorizer");
        assert.equal(env[JWT_ENV.issuer], ISSUER);
        assert.equal(env[JWT_ENV.jwksUrl], `${ISSUER}/keys`);
    });
});

describe("Realtime on AWS, refused", () => {
    it("refuses an action whose function would be named like the $connect authorizer", async () => {
        const { error } = await evaluateFailing("aws", live({ routes: { authorizer: { handler: HANDLER } } }));
        assert.match(error.message, /config Realtime 'live' routes: 'authorizer' is not allowed; 'authorizer' names the function that checks tokens on connect; name the route otherwise/);
    });
});

describe("Realtime args", () => {
    const refused: { why: string; args: RealtimeArgs; message: RegExp }[] = [
        { why: "no jwt", args: { routes: { say: { handler: HANDLER } } } as unknown as RealtimeArgs, message: /config Realtime 'live' jwt: missing; connections need a token: give `jwt` \(e\.g\. auth\.jwt\)/ },
        { why: "a plain-http issuer", args: { jwt: { issuer: "http://auth.example.com", audience: ["x"] } }, message: /config Realtime 'live' jwt\.issuer: 'http:\/\/auth\.example\.com' is not allowed; expected an https:\/\/ URL/ },
        { why: "an action with a space", args: liveArgs({ routes: { "say hello": { handler: HANDLER } } }), message: /config Realtime 'live' routes: 'say hello' is not allowed; an action is 1 to 64 letters, digits, '_', '-' or '\.'/ },
        { why: "the built-in subscribe action", args: liveArgs({ routes: { subscribe: { handler: HANDLER } } }), message: /config Realtime 'live' routes: 'subscribe' is not allowed; 'subscribe' and 'unsubscribe' are built in \(topic subscriptions\)/ },
        { why: "the built-in unsubscribe action", args: liveArgs({ routes: { unsubscribe: { handler: HANDLER } } }), message: /routes: 'unsubscribe' is not allowed; 'subscribe' and 'unsubscribe' are built in/ },
        { why: "an unknown token source", args: liveArgs({ tokenFrom: "cookie" }), message: /config Realtime 'live' tokenFrom: 'cookie' is not allowed; allowed values: query, protocol/ },
        { why: "a route timeout of 30 s", args: liveArgs({ routes: { say: { handler: HANDLER, timeout: 30 } } }), message: /config Realtime 'live' routes\["say"\]\.timeout: '30' is not allowed; expected a whole number of seconds from 1 to 29: API Gateway stops waiting after 29 s/ },
        { why: "a connect timeout of 30 s", args: liveArgs({ onConnect: { handler: HANDLER, timeout: 30 } }), message: /config Realtime 'live' onConnect\.timeout: '30' is not allowed/ },
        { why: "a route field that is not a JSON name", args: liveArgs({ routeField: "1st" }), message: /config Realtime 'live' routeField: '1st' is not allowed; a JSON field name/ },
        { why: "two actions whose functions share a name", args: liveArgs({ routes: { "a.b": { handler: HANDLER }, "a-b": { handler: HANDLER } } }), message: /routes: 'a-b' is not allowed; its function would be named 'live-a-b' like the one of 'a\.b'/ },
        { why: "a message rate out of range", args: liveArgs({ messagesPerSecond: 0 }), message: /config Realtime 'live' messagesPerSecond: '0' is not allowed; expected a whole number from 1 to 1000/ },
        { why: "bad function args, named by route", args: liveArgs({ routes: { say: { handler: HANDLER, memory: 100 } } }), message: /Realtime 'live' routes\["say"\]: config Function 'live-say' memory: '100' is not allowed/ },
        { why: "a throttle out of range", args: liveArgs({ throttle: { rateLimit: 0 } }), message: /config Realtime 'live' throttle\.rateLimit: '0' is not allowed/ },
    ];

    for (const cloud of CLOUDS) {
        for (const { why, args, message } of refused) {
            it(`${cloud}: refuses ${why} before registering anything`, async () => {
                const { error, registered } = await evaluateFailing(cloud, () => new Realtime("live", args));
                assert.match(error.message, message);
                assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing is registered, not even the component");
            });
        }
    }
});
