// BusinessApi on AWS and Tencent Cloud: per route the function, its integration (API) and
// permission, the authorizer on every route not public, roles for the adapter, stage / release,
// CORS and throttling, as the in-process engine registers them with realistic ids; and the
// mistakes refused at plan time.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { BusinessApi, routeFunctionName, type BusinessApiArgs } from "../../components";
import { ACCESS_LOG_FORMAT } from "../../components/aws/business-api";
import { ROLES_ENV } from "../../functions/runtime/adapters/route-roles";
import { JWT_ENV } from "../../functions/runtime/auth/jwt";
import { CORS_ENV } from "../../functions/runtime/cors";
import { CLOUDS, evaluate, evaluateFailing, type Evaluated } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ISSUER = "https://auth.example.com";
const ORIGIN = "https://shop.example.com";

const AWS = {
    api: "aws:apigatewayv2/api:Api",
    stage: "aws:apigatewayv2/stage:Stage",
    integration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    authorizer: "aws:apigatewayv2/authorizer:Authorizer",
    permission: "aws:lambda/permission:Permission",
    lambda: "aws:lambda/function:Function",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
};
const TC = {
    service: "tencentcloud:index/apiGatewayService:ApiGatewayService",
    api: "tencentcloud:index/apiGatewayApi:ApiGatewayApi",
    release: "tencentcloud:index/apiGatewayServiceRelease:ApiGatewayServiceRelease",
    fn: "tencentcloud:index/scfFunction:ScfFunction",
};

/** A public route, an authenticated route (the default) with a parameter, and a public route with two parameters. */
function shopArgs(overrides: Partial<BusinessApiArgs> = {}): BusinessApiArgs {
    return {
        routes: {
            "POST /users": { handler: HANDLER, public: true },
            "GET /users/{id}": { handler: HANDLER, timeout: 20 },
            "PUT /orders/{orderId}/items/{sku}": { handler: HANDLER, memory: 512, public: true },
        },
        jwt: { issuer: ISSUER, audience: ["shop-web", "shop-app"] },
        ...overrides,
    };
}

function shop(overrides: Partial<BusinessApiArgs> = {}) {
    return () => {
        const api = new BusinessApi("shop", shopArgs(overrides));
        return { url: api.url, resourceId: api.resourceId };
    };
}

const envOf = (stack: Evaluated, fn: string) => stack.one(TC.fn, fn).inputs.environment as Record<string, string>;

describe("BusinessApi route names", () => {
    it("names each route's function after the API, the method and the path's words", () => {
        assert.equal(routeFunctionName("shop", "POST /users/{id}"), "shop-post-users-id");
        assert.equal(routeFunctionName("shop", "PUT /orders/{orderId}/items/{sku}"), "shop-put-orders-orderid-items-sku");
        assert.equal(routeFunctionName("shop", "GET /v1.0/health_check"), "shop-get-v1-0-health-check");
        assert.equal(routeFunctionName("shop", "GET /"), "shop-get");
    });
});

describe("BusinessApi on AWS", () => {
    it("is one HTTP API with a Lambda, an AWS_PROXY integration (payload 2.0) and a route per route key", async () => {
        const stack = await evaluate("aws", shop());
        const api = stack.one(AWS.api, "shop");
        assert.equal(api.inputs.protocolType, "HTTP");
        for (const [key, timeout] of [["POST /users", 10], ["GET /users/{id}", 20], ["PUT /orders/{orderId}/items/{sku}", 10]] as const) {
            const name = routeFunctionName("shop", key);
            const lambda = stack.one(AWS.lambda, name);
            const integration = stack.one(AWS.integration, `${name}-integration`);
            assert.equal(integration.inputs.apiId, api.state.id);
            assert.equal(integration.inputs.integrationType, "AWS_PROXY");
            assert.equal(integration.inputs.payloadFormatVersion, "2.0");
            assert.equal(integration.inputs.integrationMethod, "POST");
            assert.equal(integration.inputs.integrationUri, `${lambda.state.arn}:live`, "the live alias");
            assert.equal(integration.inputs.timeoutMilliseconds, timeout * 1000);
            const route = stack.one(AWS.route, `${name}-route`);
            assert.equal(route.inputs.routeKey, key);
            assert.equal(route.inputs.target, `integrations/${integration.state.id}`);
            assert.equal(route.parent, "shop");
        }
        assert.equal(stack.ofType(AWS.route).length, 3);
        assert.equal(stack.one(AWS.lambda, "shop-put-orders-orderid-items-sku").inputs.memorySize, 512);
    });

    it("lets only this API's route invoke each Lambda: method and path, parameters as one segment", async () => {
        const stack = await evaluate("aws", shop());
        const executionArn = stack.one(AWS.api, "shop").state.executionArn;
        assert.match(executionArn, /^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]{10}$/);
        const expected: Record<string, string> = {
            "shop-post-users": "POST/users",
            "shop-get-users-id": "GET/users/*",
            "shop-put-orders-orderid-items-sku": "PUT/orders/*/items/*",
        };
        for (const [name, methodPath] of Object.entries(expected)) {
            const permission = stack.one(AWS.permission, `${name}-permission`);
            assert.equal(permission.inputs.principal, "apigateway.amazonaws.com");
            assert.equal(permission.inputs.action, "lambda:InvokeFunction");
            assert.equal(permission.inputs.function, stack.one(AWS.lambda, name).state.name);
            assert.equal(permission.inputs.sourceArn, `${executionArn}/*/${methodPath}`);
            // The route goes live only once the Lambda accepts the API's calls.
            assert.ok(stack.one(AWS.route, `${name}-route`).dependsOn.includes(`${name}-permission`));
        }
    });

    it("checks JWTs (issuer, audiences) with an authorizer on every route not marked public", async () => {
        const stack = await evaluate("aws", shop());
        const authorizer = stack.one(AWS.authorizer, "shop-jwt");
        assert.equal(authorizer.inputs.authorizerType, "JWT");
        assert.deepEqual(authorizer.inputs.identitySources, ["$request.header.Authorization"]);
        assert.deepEqual(authorizer.inputs.jwtConfiguration, { issuer: ISSUER, audiences: ["shop-web", "shop-app"] });
        const authorized = stack.one(AWS.route, "shop-get-users-id-route");
        assert.equal(authorized.inputs.authorizationType, "JWT");
        assert.equal(authorized.inputs.authorizerId, authorizer.state.id);
        for (const name of ["shop-post-users", "shop-put-orders-orderid-items-sku"]) {
            const route = stack.one(AWS.route, `${name}-route`);
            assert.equal(route.inputs.authorizationType, "NONE");
            assert.equal(route.inputs.authorizerId, undefined);
        }
    });

    it("authenticates a route by default", async () => {
        const stack = await evaluate("aws", () => new BusinessApi("orders", {
            routes: { "GET /orders": { handler: HANDLER } },
            jwt: { issuer: ISSUER, audience: ["shop"] },
        }));
        const route = stack.one(AWS.route, "orders-get-orders-route");
        assert.equal(route.inputs.authorizationType, "JWT");
        assert.equal(route.inputs.authorizerId, stack.one(AWS.authorizer, "orders-jwt").state.id);
    });

    it("has no authorizer when every route is public and no jwt is given", async () => {
        const stack = await evaluate("aws", () => new BusinessApi("open", { routes: { "GET /health": { handler: HANDLER, public: true } } }));
        assert.deepEqual(stack.ofType(AWS.authorizer), []);
        assert.equal(stack.one(AWS.route).inputs.authorizationType, "NONE");
    });

    it("takes the token settings as another component's output (auth.jwt)", async () => {
        const stack = await evaluate("aws", () => new BusinessApi("orders", {
            routes: { "GET /orders": { handler: HANDLER } },
            jwt: pulumi.output({ issuer: ISSUER, audience: ["shop"], jwksUrl: `${ISSUER}/keys` }),
        }));
        assert.deepEqual(stack.one(AWS.authorizer, "orders-jwt").inputs.jwtConfiguration, { issuer: ISSUER, audiences: ["shop"] });
        assert.equal(stack.one(AWS.route).inputs.authorizationType, "JWT");
    });

    it("checks token settings given as an output once they are known", async () => {
        const { error } = await evaluateFailing("aws", () => new BusinessApi("orders", {
            routes: { "GET /orders": { handler: HANDLER } },
            jwt: pulumi.output({ issuer: "http://auth.example.com", audience: ["shop"] }),
        }));
        assert.match(error.message, /config BusinessApi 'orders' jwt\.issuer: 'http:\/\/auth\.example\.com' is not allowed; expected an https:\/\/ URL/);
    });

    it("gives a route's roles to its function (SB_API_ROLES) for the adapter to check, and no other function", async () => {
        const stack = await evaluate("aws", shop({
            routes: { ...shopArgs().routes, "DELETE /users/{id}": { handler: HANDLER, roles: ["admin", "support"] } },
        }));
        const variables = (name: string) => (stack.one(AWS.lambda, name).inputs.environment as { variables: Record<string, string> }).variables;
        assert.deepEqual(JSON.parse(variables("shop-delete-users-id")[ROLES_ENV]), ["admin", "support"]);
        assert.equal(stack.one(AWS.route, "shop-delete-users-id-route").inputs.authorizationType, "JWT");
        for (const name of ["shop-get-users-id", "shop-post-users"]) assert.equal(variables(name)[ROLES_ENV], undefined);
    });

    it("deploys a $default stage with JSON access logs (kept as the stack says) and default throttling", async () => {
        const stack = await evaluate("aws", shop(), { "serverless-blocks:logRetentionDays": "30" });
        const stage = stack.one(AWS.stage, "shop-stage");
        const logs = stack.one(AWS.logGroup, "shop-access-logs");
        assert.equal(stage.inputs.name, "$default");
        assert.equal(stage.inputs.autoDeploy, true);
        assert.equal(logs.inputs.retentionInDays, 30);
        assert.equal(logs.inputs.name, "/serverless-blocks/test/shop/access");
        assert.deepEqual(stage.inputs.accessLogSettings, { destinationArn: logs.state.arn, format: ACCESS_LOG_FORMAT });
        const format = JSON.parse(ACCESS_LOG_FORMAT);
        assert.equal(format.requestId, "$context.requestId");
        assert.equal(format.status, "$context.status");
        assert.deepEqual(stage.inputs.defaultRouteSettings, { throttlingBurstLimit: 100, throttlingRateLimit: 50, detailedMetricsEnabled: true });
    });

    it("throttles as asked", async () => {
        const stack = await evaluate("aws", shop({ throttle: { burstLimit: 20, rateLimit: 5 } }));
        const settings = stack.one(AWS.stage).inputs.defaultRouteSettings as Record<string, unknown>;
        assert.equal(settings.throttlingBurstLimit, 20);
        assert.equal(settings.throttlingRateLimit, 5);
    });

    it("has no CORS unless asked, and then only the listed origins", async () => {
        const none = await evaluate("aws", shop());
        assert.equal(none.one(AWS.api).inputs.corsConfiguration, undefined);

        const stack = await evaluate("aws", shop({ cors: { allowOrigins: [ORIGIN, "http://localhost:5173"], allowCredentials: true } }));
        assert.deepEqual(stack.one(AWS.api).inputs.corsConfiguration, {
            allowOrigins: [ORIGIN, "http://localhost:5173"],
            allowMethods: ["GET", "POST", "PUT"],
            allowHeaders: ["authorization", "content-type"],
            exposeHeaders: ["x-request-id"],
            allowCredentials: true,
            maxAge: 600,
        });
    });

    it("allows any origin only when told so, without credentials", async () => {
        const stack = await evaluate("aws", shop({ cors: { allowOrigins: ["*"], allowMethods: ["GET"], maxAge: 60 } }));
        const cors = stack.one(AWS.api).inputs.corsConfiguration as Record<string, unknown>;
        assert.deepEqual(cors.allowOrigins, ["*"]);
        assert.deepEqual(cors.allowMethods, ["GET"]);
        assert.equal(cors.allowCredentials, false);
        assert.equal(cors.maxAge, 60);
    });

    it("outputs the endpoint and the API's ARN, and protects the API in a protected stack", async () => {
        const stack = await evaluate("aws", shop(), { "serverless-blocks:protect": "true" });
        const api = stack.one(AWS.api, "shop");
        assert.equal(stack.outputs.url, `https://${api.state.id}.execute-api.us-east-1.amazonaws.com`);
        assert.equal(stack.outputs.resourceId, `arn:aws:apigateway:us-east-1::/apis/${api.state.id}`);
        assert.equal(api.protect, true);
        assert.equal(api.retainOnDelete, true);
    });
});

describe("BusinessApi on Tencent Cloud", () => {
    it("is an https, public API Gateway service limited to the rate asked", async () => {
        const stack = await evaluate("tencentcloud", shop({ throttle: { rateLimit: 30 } }));
        const service = stack.one(TC.service, "shop");
        assert.equal(service.inputs.serviceName, "test_shop", "named after the stack and the component");
        assert.equal(service.inputs.protocol, "https");
        assert.deepEqual(service.inputs.netTypes, ["OUTER"]);
        assert.equal(service.inputs.releaseLimit, 30);
        assert.match(service.state.id, /^service-[0-9a-f]{8}$/);
        assert.ok(service.packageRef, "registered against the parameterized tencentcloud package");
        assert.equal(stack.outputs.url, `https://${service.state.id}-1250000000.gz.apigw.tencentcs.com/release`);
        assert.equal(stack.outputs.resourceId, `qcs::apigw:ap-guangzhou:uin/100000000001:service/${service.state.id}`);
    });

    it("has one API per route, integrated with the route's SCF function, path parameters declared", async () => {
        const stack = await evaluate("tencentcloud", shop());
        const service = stack.one(TC.service, "shop");
        const expected = [
            { key: "POST /users", method: "POST", path: "/users", params: [], timeout: 10 },
            { key: "GET /users/{id}", method: "GET", path: "/users/{id}", params: ["id"], timeout: 20 },
            { key: "PUT /orders/{orderId}/items/{sku}", method: "PUT", path: "/orders/{orderId}/items/{sku}", params: ["orderId", "sku"], timeout: 10 },
        ];
        assert.equal(stack.ofType(TC.api).length, expected.length);
        for (const route of expected) {
            const name = routeFunctionName("shop", route.key);
            const api = stack.one(TC.api, `${name}-api`);
            const fn = stack.one(TC.fn, name);
            assert.equal(api.inputs.serviceId, service.state.id);
            assert.equal(api.inputs.requestConfigMethod, route.method);
            assert.equal(api.inputs.requestConfigPath, route.path);
            assert.deepEqual((api.inputs.requestParameters as { name: string; position: string; required: boolean }[]).map((p) => [p.name, p.position, p.required]),
                route.params.map((p) => [p, "PATH", true]));
            assert.equal(api.inputs.serviceConfigType, "SCF");
            assert.equal(api.inputs.serviceConfigScfFunctionName, fn.state.name);
            assert.equal(api.inputs.serviceConfigScfFunctionNamespace, "default");
            assert.equal(api.inputs.serviceConfigScfFunctionQualifier, "live");
            assert.equal(api.inputs.serviceConfigScfFunctionType, "EVENT");
            assert.equal(api.inputs.serviceConfigScfIsIntegratedResponse, true);
            assert.equal(api.inputs.serviceConfigTimeout, route.timeout);
            assert.equal(api.inputs.authType, "NONE");
            assert.equal(api.inputs.enableCors, false, "the provider's default (true) would answer any origin");
            assert.match(api.state.id, /^api-[0-9a-f]{8}$/);
        }
    });

    it("gives every route not public the token settings (authenticated by default), and no public one", async () => {
        const stack = await evaluate("tencentcloud", shop());
        const env = envOf(stack, "shop-get-users-id");
        assert.equal(env[JWT_ENV.issuer], ISSUER);
        assert.deepEqual(JSON.parse(env[JWT_ENV.audience]), ["shop-web", "shop-app"]);
        assert.equal(env[JWT_ENV.jwksUrl], `${ISSUER}/.well-known/jwks.json`);
        for (const name of ["shop-post-users", "shop-put-orders-orderid-items-sku"]) {
            assert.equal(envOf(stack, name)[JWT_ENV.issuer], undefined);
        }
    });

    it("gives a route's roles to its function beside the token settings", async () => {
        const stack = await evaluate("tencentcloud", shop({
            routes: { ...shopArgs().routes, "DELETE /users/{id}": { handler: HANDLER, roles: ["admin"] } },
        }));
        const env = envOf(stack, "shop-delete-users-id");
        assert.deepEqual(JSON.parse(env[ROLES_ENV]), ["admin"]);
        assert.equal(env[JWT_ENV.issuer], ISSUER);
        assert.equal(envOf(stack, "shop-get-users-id")[ROLES_ENV], undefined);
    });

    it("takes the token settings as another component's output (auth.jwt)", async () => {
        const stack = await evaluate("tencentcloud", shop({ jwt: pulumi.output({ issuer: ISSUER, audience: ["shop-web"], jwksUrl: `${ISSUER}/keys` }) }));
        const env = envOf(stack, "shop-get-users-id");
        assert.equal(env[JWT_ENV.issuer], ISSUER);
        assert.deepEqual(JSON.parse(env[JWT_ENV.audience]), ["shop-web"]);
        assert.equal(env[JWT_ENV.jwksUrl], `${ISSUER}/keys`);
    });

    it("uses the JWKS URL given", async () => {
        const stack = await evaluate("tencentcloud", shop({ jwt: { issuer: ISSUER, audience: ["a"], jwksUrl: "https://keys.example.com/jwks" } }));
        assert.equal(envOf(stack, "shop-get-users-id")[JWT_ENV.jwksUrl], "https://keys.example.com/jwks");
    });

    it("enables the gateway's CORS when asked, and has the functions answer listed origins only", async () => {
        const stack = await evaluate("tencentcloud", shop({ cors: { allowOrigins: [ORIGIN] } }));
        for (const api of stack.ofType(TC.api)) assert.equal(api.inputs.enableCors, true);
        for (const name of ["shop-post-users", "shop-get-users-id"]) {
            assert.deepEqual(JSON.parse(envOf(stack, name)[CORS_ENV]), { allowOrigins: [ORIGIN], allowCredentials: false, exposeHeaders: ["x-request-id"] });
        }
        const any = await evaluate("tencentcloud", shop({ cors: { allowOrigins: ["*"] } }));
        assert.equal(envOf(any, "shop-post-users")[CORS_ENV], undefined, "the gateway's own CORS answers any origin");
    });

    it("releases the service after its APIs, to the release environment, never unpublishing a replaced release", async () => {
        const stack = await evaluate("tencentcloud", shop());
        const release = stack.one(TC.release, "shop-release");
        assert.equal(release.inputs.serviceId, stack.one(TC.service).state.id);
        assert.equal(release.inputs.environmentName, "release");
        assert.match(String(release.inputs.releaseDesc), /^serverless-blocks shop: 3 APIs, definition [0-9a-f]{16}$/);
        for (const api of stack.ofType(TC.api)) assert.ok(release.dependsOn.includes(api.name), `${api.name} before the release`);
        assert.equal(release.retainOnDelete, true);
        assert.match(release.state.id, /^service-[0-9a-f]{8}#release#2026\d{10}$/);
    });

    it("describes the release the same way for the same program, and differently when an API changes", async () => {
        const description = async (args: Partial<BusinessApiArgs>) =>
            (await evaluate("tencentcloud", shop(args))).one(TC.release).inputs.releaseDesc;
        const first = await description({});
        assert.equal(await description({}), first);
        const changedTimeout = await description({
            routes: { ...shopArgs().routes, "POST /users": { handler: HANDLER, timeout: 25 } },
        });
        assert.notEqual(changedTimeout, first);
        const addedRoute = await description({ routes: { ...shopArgs().routes, "DELETE /users/{id}": { handler: HANDLER } } });
        assert.notEqual(addedRoute, first);
        assert.notEqual(await description({ cors: { allowOrigins: [ORIGIN] } }), first);
    });

    it("refuses PATCH, which the gateway does not serve, before registering any cloud resource", async () => {
        const { error, registered } = await evaluateFailing("tencentcloud", () =>
            new BusinessApi("shop", { routes: { "PATCH /users/{id}": { handler: HANDLER, public: true } } }));
        assert.match(error.message, /BusinessApi 'shop' route key: 'PATCH \/users\/\{id\}' is not allowed; Tencent Cloud API Gateway serves GET, POST, PUT, DELETE, HEAD, ANY/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "not even the component");
    });
});

describe("BusinessApi mistakes, refused at plan time on every target", () => {
    const refused: { why: string; args: BusinessApiArgs; message: RegExp }[] = [
        { why: "no routes", args: { routes: {} }, message: /BusinessApi 'shop' routes: missing; give at least one route/ },
        { why: "an unknown method", args: { routes: { "FETCH /users": { handler: HANDLER } } }, message: /route key: 'FETCH \/users' is not allowed; the method must be one of GET, POST, PUT, PATCH, DELETE/ },
        { why: "a key without a path", args: { routes: { "GET": { handler: HANDLER } } }, message: /route key: 'GET' is not allowed; expected "METHOD \/path"/ },
        { why: "a lower-case method", args: { routes: { "get /users": { handler: HANDLER } } }, message: /route key: 'get \/users' is not allowed/ },
        { why: "a trailing slash", args: { routes: { "GET /users/": { handler: HANDLER } } }, message: /'GET \/users\/' is not allowed; the path starts with '\/', has no empty segment and no trailing '\/'/ },
        { why: "a greedy parameter", args: { routes: { "GET /files/{path+}": { handler: HANDLER } } }, message: /segment '\{path\+\}' is not allowed/ },
        { why: "a repeated parameter", args: { routes: { "GET /a/{id}/b/{id}": { handler: HANDLER } } }, message: /parameter \{id\} appears twice/ },
        {
            why: "routes differing only in parameter names",
            args: { routes: { "GET /users/{id}": { handler: HANDLER }, "GET /users/{userId}": { handler: HANDLER } } },
            message: /route key: 'GET \/users\/\{userId\}' is not allowed; it matches the same requests as "GET \/users\/\{id\}"/,
        },
        {
            why: "two routes whose functions would share a name",
            args: { routes: { "GET /users/{id}": { handler: HANDLER }, "GET /users/id": { handler: HANDLER } } },
            message: /its function would be named 'shop-get-users-id' like the function of "GET \/users\/\{id\}"/,
        },
        {
            why: "a route needing a token (the default) without jwt",
            args: { routes: { "GET /health": { handler: HANDLER, public: true }, "GET /me": { handler: HANDLER } } },
            message: /BusinessApi 'shop' jwt: missing; route "GET \/me" needs a token \(routes do unless public\): give `jwt` \(e\.g\. auth\.jwt\) or mark the route `public: true`/,
        },
        { why: "roles on a public route", args: { routes: { "GET /a": { handler: HANDLER, public: true, roles: ["admin"] } } }, message: /routes\["GET \/a"\]\.roles: 'admin' is not allowed; a public route has no token to take roles from/ },
        { why: "an empty roles list", args: { routes: { "GET /a": { handler: HANDLER, roles: [] } }, jwt: { issuer: ISSUER, audience: ["x"] } }, message: /routes\["GET \/a"\]\.roles: '' is not allowed; list at least one role/ },
        { why: "a role with a space", args: { routes: { "GET /a": { handler: HANDLER, roles: ["super user"] } }, jwt: { issuer: ISSUER, audience: ["x"] } }, message: /routes\["GET \/a"\]\.roles: 'super user' is not allowed; a role is 1 to 64 letters/ },
        { why: "a public flag that is not a boolean", args: { routes: { "GET /a": { handler: HANDLER, public: "yes" as unknown as boolean } } }, message: /routes\["GET \/a"\]\.public: 'yes' is not allowed; expected true or false/ },
        {
            why: "the removed auth flag",
            args: { routes: { "GET /a": { handler: HANDLER, auth: true } as never } },
            message: /routes\["GET \/a"\]\.auth: 'true' is not allowed; `auth` is gone: routes need a token unless `public: true`/,
        },
        { why: "a route timeout over 30 s", args: { routes: { "POST /import": { handler: HANDLER, timeout: 60 } } }, message: /routes\["POST \/import"\]\.timeout: '60' is not allowed; .*30 s/ },
        { why: "bad function args, named by route", args: { routes: { "POST /import": { handler: HANDLER, memory: 100 } } }, message: /routes\["POST \/import"\]: config Function 'shop-post-import' memory: '100' is not allowed/ },
        { why: "a plain-http issuer", args: { routes: { "GET /me": { handler: HANDLER } }, jwt: { issuer: "http://auth.example.com", audience: ["x"] } }, message: /jwt\.issuer: 'http:\/\/auth\.example\.com' is not allowed; expected an https:\/\/ URL/ },
        { why: "no audience", args: { routes: { "GET /me": { handler: HANDLER } }, jwt: { issuer: ISSUER, audience: [] } }, message: /jwt\.audience: '' is not allowed; give at least one accepted audience/ },
        { why: "a wildcard origin with credentials", args: { routes: { "GET /a": { handler: HANDLER, public: true } }, cors: { allowOrigins: ["*"], allowCredentials: true } }, message: /cors\.allowOrigins: '\*' is not allowed; browsers refuse credentials with a wildcard origin/ },
        { why: "a wildcard among origins", args: { routes: { "GET /a": { handler: HANDLER, public: true } }, cors: { allowOrigins: [ORIGIN, "*"] } }, message: /"\*" allows every origin: give it alone/ },
        { why: "an origin with a path", args: { routes: { "GET /a": { handler: HANDLER, public: true } }, cors: { allowOrigins: ["https://shop.example.com/app"] } }, message: /cors\.allowOrigins: 'https:\/\/shop\.example\.com\/app' is not allowed; an origin is scheme:\/\/host\[:port\]/ },
        { why: "a wildcard header", args: { routes: { "GET /a": { handler: HANDLER, public: true } }, cors: { allowOrigins: [ORIGIN], allowHeaders: ["*"] } }, message: /cors\.allowHeaders: '\*' is not allowed/ },
        { why: "a throttle out of range", args: { routes: { "GET /a": { handler: HANDLER, public: true } }, throttle: { rateLimit: 0 } }, message: /throttle\.rateLimit: '0' is not allowed; expected a whole number from 1 to 10000/ },
    ];

    for (const cloud of CLOUDS) {
        for (const { why, args, message } of refused) {
            it(`${cloud}: ${why}`, async () => {
                const { error, registered } = await evaluateFailing(cloud, () => new BusinessApi("shop", args));
                assert.match(error.message, message);
                assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing is registered, not even the component");
            });
        }
    }
});
