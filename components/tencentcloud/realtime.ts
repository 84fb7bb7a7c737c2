// Realtime on Tencent Cloud: an API Gateway service (https, public) holding one WEBSOCKET API whose
// backend is SCF: the register function (`$connect`: token check, then the connect handler), the
// transport function (`$default`: every message) and the cleanup function (`$disconnect`), as SCF
// "WebSocket 原理介绍 / 使用方法" describes them (cloud.tencent.com/document/product/583/31437 and
// 583/32552); then the service's release. Clients connect to `wss://<service>/release/websocket`.
//
// What differs from AWS (components/aws/realtime.ts):
// - No authorizer: the register function verifies the token itself (the adapter,
//   functions/runtime/adapters/tencentcloud.ts) and answers errNo 0 to accept, the HTTP status to
//   refuse. The token belongs in the subprotocol (`tokenFrom: "protocol"`): the documented register
//   event carries Sec-WebSocket-Protocol but no query string, so a `token` query parameter is read
//   only if the gateway passes the query on (not documented).
// - No route selection by the gateway: one transport function gets every message. So the
//   `$default` function is the router: it knows its Realtime's route functions (SB_SOCKET_ROUTES,
//   `{ action: functionName }`), may invoke exactly those (each route Function's link grants
//   `scf:InvokeFunction` on it alone), calls the one a message names synchronously with the
//   portable delivery, and relays the outcome that function returns. Its timeout is raised to
//   outlast the slowest route's.
// - No reply channel: the gateway ignores what the transport function returns; replies are pushed
//   to the sender through the push address, and a close is a pushed "closing" (it carries no close
//   code: the client sees the gateway's own close).
// - The API's backend timeout is the idle timeout: the gateway closes a connection that sends
//   nothing for that long (583/32552, "后端超时"). It is set to the platform's 10 minutes.
// - Throttling: `releaseLimit` on the service (requests per second of the whole release), as a
//   BusinessApi's. Per-connection limits are the adapters', through the connection store.
//
// The WEBSOCKET API is not tencentcloud_api_gateway_api: terraform-provider-tencentcloud v1.83.25
// (resource_tc_api_gateway_api.go, create and update) sends the three
// `service_config_websocket_*_function_*` inputs to CreateApi / ModifyApi only for TSF backends, so
// for this SCF backend it would create the API without the register (token check) and cleanup
// functions. It is a Pulumi dynamic resource instead (./dynamic/websocket-api.ts) that calls API
// Gateway's API 3.0 itself: CreateApi / ModifyApi with Protocol WEBSOCKET, ServiceType SCF and the
// nine ServiceWebsocket{Register,Transport,Cleanup}Function{Name,Namespace,Qualifier} fields,
// DescribeApi, DeleteApi. It signs with the keys the Terraform provider uses (`tencentcloud:secretId`
// / `secretKey` / `securityToken` config, else TENCENTCLOUD_SECRET_ID / _SECRET_KEY / _SECURITY_TOKEN)
// and is replaced only when its service or region changes. The release depends on it.
//
// Used from another language through the component provider (PulumiPlugin.yaml, run-plugin), the
// resource registers, but `pulumi up` runs it in the CLI's `pulumi-nodejs` plugin, which finds
// @pulumi/pulumi from the consuming program's folder: see ./dynamic/provider.ts (pulumi/pulumi#5455).
//
// Push address ("反向推送地址"): the API's `InternalDomain` in DescribeApi, now an output of the
// dynamic resource (`internalDomain`, read right after CreateApi, so it is in the stack's state).
// The functions still cannot be given it at deploy time: the API names them as its backends, so
// they exist before it, and writing it into their environment afterwards would be a second,
// out-of-band change to functions the Terraform provider manages (the next `pulumi up` would see
// drift and undo it). So the Realtime's link names the API, `tencent-apigw://<region>/<serviceId>/<apiName>`,
// and functions look the address up once per instance (DescribeApisStatus by name, then
// DescribeApi; functions/runtime/clients/tencentcloud/realtime.ts). The push address itself takes
// no credentials (an internal HTTP address); the push permission is that look-up, read-only:
// DescribeApisStatus and DescribeApi on this service and on the region's APIs (the API's id is not
// known when the functions are made).
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { pushEndpoint, SOCKET_ROUTES_ENV } from "../../functions/runtime/clients/tencentcloud/realtime";
import { SOCKET_LIMITS } from "../../functions/runtime/socket-limits";
import { target } from "../config";
import { Function, TIMEOUT_SECONDS } from "../function";
import type { Link, LinkPermission } from "../link";
import type { RealtimeFunctionSpec, RealtimeRealisation, RealtimeSpec } from "../provider";
import { REALTIME_TIMEOUT_SECONDS, realtimeFunctionArgs } from "../realtime";
import { accountUin } from "./account";
import { RELEASE_ENVIRONMENT } from "./business-api";
import { ApiGatewayWebSocketApi, type ApiGatewayWebSocketApiArgs, type ScfFunctionRefArgs } from "./dynamic/websocket-api";
import { aliasQualifier, SCF_NAMESPACE } from "./function";
import { GATEWAY_NAME_LIMITS, gatewayName, stackScoped } from "./names";
import { ApiGatewayService, ApiGatewayServiceRelease } from "./sdk";

/** The API's path: clients connect to `wss://<service domain>/release/websocket`. */
export const WEBSOCKET_PATH = "/websocket";
/** The gateway closes a connection idle this long (the API's backend timeout): the platform's limit. */
export const IDLE_TIMEOUT_SECONDS = SOCKET_LIMITS.idleSeconds;

export function tencentRealtime(parent: pulumi.Resource, spec: RealtimeSpec): RealtimeRealisation {
    const where = `Realtime '${spec.name}'`;
    // Everything Tencent-specific is checked before the first child registers.
    const serviceName = gatewayName(stackScoped(spec.name), GATEWAY_NAME_LIMITS.service, `${where} service name`, "shorten the Realtime's name");
    const apiName = gatewayName(`${spec.name}_websocket`, GATEWAY_NAME_LIMITS.api, `${where} API name`, "shorten the Realtime's name");

    const service = new ApiGatewayService(spec.name, {
        serviceName,
        serviceDesc: `Realtime ${spec.name} (serverless-blocks)`,
        protocol: "https",
        netTypes: ["OUTER"],
        ipVersion: "IPv4",
        releaseLimit: spec.throttle.rateLimit,
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const region = target().region;
    const serviceResource = pulumi.interpolate`qcs::apigw:${region}:uin/${accountUin()}:service/${service.id}`;
    // The link first: every function of the Realtime takes it (store and push).
    const link = spec.link(service.id.apply((id) => pushEndpoint(region, id, apiName)), [pushLookup(region, serviceResource)]);
    const functions = realtimeFunctions(parent, spec, link);

    const websocket: ApiGatewayWebSocketApiArgs = {
        region,
        serviceId: service.id,
        apiName,
        apiDesc: `WebSocket of Realtime ${spec.name}: ${spec.functions.map((f) => f.route).join(", ")}`.slice(0, 200),
        path: WEBSOCKET_PATH,
        timeout: IDLE_TIMEOUT_SECONDS,
        register: scfRef(functions.register),
        transport: scfRef(functions.transport),
        cleanup: scfRef(functions.cleanup),
    };
    const api = new ApiGatewayWebSocketApi(`${spec.name}-api`, websocket, { parent });

    new ApiGatewayServiceRelease(`${spec.name}-release`, {
        serviceId: service.id,
        environmentName: RELEASE_ENVIRONMENT,
        releaseDesc: releaseDescription(spec.name, websocket),
    }, { parent, dependsOn: [api], retainOnDelete: true });

    return {
        url: pulumi.interpolate`wss://${service.outerSubDomain}/${RELEASE_ENVIRONMENT}${WEBSOCKET_PATH}`,
        resourceId: serviceResource,
    };
}

/** What the gateway calls: the deployed function, this project's namespace, its alias `live`. */
function scfRef(fn: Function): ScfFunctionRefArgs {
    return { name: fn.functionName, namespace: SCF_NAMESPACE, qualifier: aliasQualifier(fn.aliasId) };
}

/** The read-only look-up of the push address (see the top of this file); the address itself takes no credentials. */
function pushLookup(region: string, serviceResource: pulumi.Output<string>): LinkPermission {
    return {
        actions: ["apigw:DescribeApi", "apigw:DescribeApisStatus"],
        resources: [serviceResource, pulumi.interpolate`qcs::apigw:${region}:uin/${accountUin()}:api/*`],
    };
}

interface RealtimeFunctions {
    register: Function;
    transport: Function;
    cleanup: Function;
}

/** The Realtime's functions: the routes' first, since the `$default` function (the router) names them. */
function realtimeFunctions(parent: pulumi.Resource, spec: RealtimeSpec, self: pulumi.Output<Link>): RealtimeFunctions {
    const opts = { parent };
    const own = (route: string) => spec.functions.find((f) => f.route === route)!;
    const routes = spec.functions
        .filter((f) => !f.route.startsWith("$"))
        .map((route) => ({ route, fn: new Function(route.functionName, realtimeFunctionArgs(spec, route, self), opts) }));
    const make = (fn: RealtimeFunctionSpec) => new Function(fn.functionName, realtimeFunctionArgs(spec, fn, self), opts);
    return {
        register: make(own("$connect")),
        cleanup: make(own("$disconnect")),
        transport: new Function(own("$default").functionName, routerArgs(spec, own("$default"), self, routes), opts),
    };
}

/**
 * The `$default` function's args: the Realtime's, plus its routes' function names and the
 * permission to invoke exactly those functions, and a timeout that outlasts the slowest route's
 * (it waits for the route's function), within the Realtime's limit.
 */
function routerArgs(spec: RealtimeSpec, router: RealtimeFunctionSpec, self: pulumi.Output<Link>, routes: { route: RealtimeFunctionSpec; fn: Function }[]) {
    const args = realtimeFunctionArgs(spec, router, self);
    if (routes.length === 0) return args;
    const names = pulumi.all(routes.map(({ route, fn }) => fn.functionName.apply((name) => [route.route, name] as const)));
    const table: Link = {
        type: "socket-routes",
        name: spec.name,
        environment: { [SOCKET_ROUTES_ENV]: names.apply((pairs) => JSON.stringify(Object.fromEntries(pairs))) },
        permissions: [],
    };
    // A Function's link grants scf:InvokeFunction on it alone; its name variable is dropped, SB_SOCKET_ROUTES has it.
    const invoke = routes.map(({ fn }) => fn.link.apply((link): Link => ({ ...link, environment: {} })));
    const slowest = Math.max(...routes.map(({ route }) => route.timeout));
    const timeout = Math.min(REALTIME_TIMEOUT_SECONDS.max, Math.max(args.timeout ?? TIMEOUT_SECONDS.default, slowest + 1));
    return { ...args, timeout, link: [...(args.link ?? []), table, ...invoke] };
}

/**
 * "serverless-blocks <name>: WebSocket API, definition <digest>": the digest covers the API's
 * inputs, so a changed backend (a function replaced, the path, the timeout) publishes again
 * (release_desc is ForceNew), and an unchanged program plans the same description.
 */
function releaseDescription(name: string, api: ApiGatewayWebSocketApiArgs): pulumi.Output<string> {
    return pulumi.output(api).apply((definition) => {
        const digest = crypto.createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 16);
        return `serverless-blocks ${name}: WebSocket API, definition ${digest}`;
    });
}
