// BusinessApi: HTTP routes, each served by its own function. API Gateway v2 (HTTP API) on AWS,
// an API Gateway service on Tencent Cloud, the local runtime's HTTP server under `/api` locally.
// Every route needs a valid token unless marked `public: true`; `roles` narrows it to callers
// whose token's `roles` claim holds one of them.
// Everything is validated here, before the component registers: a bad route key registers nothing.
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { ROLES_ENV } from "../functions/runtime/adapters/route-roles";
import { ConfigError, provider, target, wholeInRange } from "./cloud";
import { checkFunctionArgs, FunctionArgs } from "./function";
import type { Link } from "./link";
import type { ApiCorsSpec, ApiJwtSpec, ApiRouteSpec, BusinessApiSpec } from "./provider";

/** One route's function: the same fields as a Function's args, plus who may call it. */
export interface ApiRoute {
    /**
     * The handler: a module path relative to the project plus an export made with `http(...)`.
     *
     * @example "functions/users/register.handler"
     */
    handler?: string;
    /**
     * Inline code instead of a handler file: an archive made by `closure(...)`.
     *
     * @example closure(http(async (req) => ({ id: req.params.id })))
     */
    code?: pulumi.asset.Archive;
    /** Memory in MB: 128 to 3072 in steps of 128. Default 256. */
    memory?: number;
    /** Timeout in seconds, 1 to 30 (an API gateway answers within 30 s). Default 10. */
    timeout?: number;
    /** Extra environment variables. Names starting with `SB_` are reserved for links. */
    environment?: { [key: string]: pulumi.Input<string> };
    /**
     * Components the route's function uses.
     *
     * @example link: [users.link, hub.link]
     */
    link?: pulumi.Input<Link>[];
    /** A description shown in the cloud console. */
    description?: string;
    /** Instances kept warm for this latency-critical route, 0 to 100 (billed while idle). Default 0. */
    provisionedConcurrency?: number;
    /**
     * Serve callers without a token. Default false: a route requires a valid JWT (the API's `jwt`
     * settings) in `Authorization: Bearer <token>`, answering 401 otherwise, and its claims reach
     * the handler as `req.claims`.
     *
     * @example public: true   // e.g. a health check, or sign-in itself
     */
    public?: boolean;
    /**
     * Only callers whose token's `roles` claim holds at least one of these; others get 403
     * (`{"error":{"code":"forbidden",...}}`). Not on a public route. Names are letters, digits,
     * `_`, `-`, `.` and `:`.
     *
     * @example roles: ["admin"]
     */
    roles?: string[];
}

/** Who issues the tokens that authorized routes accept (an OpenID Connect issuer). */
export interface ApiJwt {
    /**
     * The issuer URL, exactly as in the tokens' `iss` claim; https.
     *
     * @example issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
     */
    issuer: pulumi.Input<string>;
    /**
     * Accepted audiences: a token's `aud` (or, without `aud`, its `client_id`) must be one of them.
     *
     * @example audience: ["4f8a2k9m1c3example"]
     */
    audience: pulumi.Input<string>[];
    /**
     * Where the issuer publishes its signing keys, for targets that verify tokens in the function
     * (Tencent Cloud, local). Default: issuer + "/.well-known/jwks.json".
     *
     * @example jwksUrl: "https://auth.example.com/keys"
     */
    jwksUrl?: pulumi.Input<string>;
}

/** Cross-origin access for browsers. */
export interface ApiCors {
    /**
     * Origins allowed to call the API from a browser: scheme, host and port, no path. `["*"]`
     * allows any origin, and only without credentials.
     *
     * @example allowOrigins: ["https://shop.example.com", "http://localhost:5173"]
     */
    allowOrigins: string[];
    /** Methods allowed; default: the methods the routes use. */
    allowMethods?: string[];
    /** Request headers allowed; default `authorization` and `content-type`. */
    allowHeaders?: string[];
    /** Let browsers send cookies and the Authorization header's credentials. Default false. */
    allowCredentials?: boolean;
    /** Seconds a browser may cache a preflight answer, 0 to 86400. Default 600. */
    maxAge?: number;
}

/** Request rate limits, per route on AWS, for the whole released service on Tencent Cloud. */
export interface ApiThrottle {
    /** Requests that may arrive at once above the rate (AWS only), 0 to 5000. Default 100. */
    burstLimit?: number;
    /** Steady requests per second, 1 to 10000. Default 50. */
    rateLimit?: number;
}

export interface BusinessApiArgs {
    /**
     * `"METHOD /path/{param}"` to the route's function. METHOD is GET, POST, PUT, PATCH or
     * DELETE; a path starts with "/", its segments are letters, digits, `-`, `_`, `.` or a
     * `{param}`; two routes may not differ only in their parameters' names. Routes need a token
     * unless `public: true`.
     *
     * @example routes: { "GET /health": { handler: "functions/health.handler", public: true }, "GET /orders": { handler: "functions/orders/list.handler" }, "DELETE /orders/{id}": { handler: "functions/orders/delete.handler", roles: ["admin"] } }
     */
    routes: { [routeKey: string]: ApiRoute };
    /** Browser access from other origins. No CORS unless given. */
    cors?: ApiCors;
    /**
     * Who issues the tokens routes accept; required unless every route is `public: true`.
     *
     * @example jwt: auth.jwt
     * @example jwt: { issuer: "https://auth.example.com", audience: ["shop"] }
     */
    jwt?: pulumi.Input<ApiJwt>;
    /** Rate limits; default 100 burst, 50 requests per second. */
    throttle?: ApiThrottle;
    /**
     * Where the API's alarms go (5xx rate, latency) and its route functions' (errors, throttles):
     * an Alarms' `target`. No alarms without it.
     *
     * @example alarms: alarms.target
     */
    alarms?: pulumi.Input<AlarmTarget>;
}

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** API Gateway HTTP APIs give up on an integration after 30 s; a longer function timeout would only waste money. */
export const ROUTE_TIMEOUT_SECONDS = { min: 1, max: 30 };
export const THROTTLE = {
    burstLimit: { min: 0, max: 5000, default: 100 },
    rateLimit: { min: 1, max: 10000, default: 50 },
};
export const CORS_MAX_AGE = { min: 0, max: 86400, default: 600 };
const CORS_DEFAULT_HEADERS = ["authorization", "content-type"];
/** Clients read the request id of a failed call (the 500 body names it too). */
const CORS_EXPOSE_HEADERS = ["x-request-id"];
const CORS_METHODS = [...ROUTE_METHODS, "HEAD", "OPTIONS"];

const ROUTE_KEY = /^([A-Z]+) (\S+)$/;
const LITERAL_SEGMENT = /^[A-Za-z0-9._-]+$/;
const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const ORIGIN = /^https?:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;
/** Role names: no space, comma or bracket, so they survive AWS's rendering of an array claim ("[a b]"). */
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * An HTTP API whose routes each run their own function.
 *
 * @example
 * const api = new BusinessApi("api", {
 *     routes: {
 *         "GET /health": { handler: "functions/health.handler", public: true },
 *         "GET /users/{id}": { handler: "functions/users/get.handler", link: [users.link] },
 *         "DELETE /users/{id}": { handler: "functions/users/delete.handler", link: [users.link], roles: ["admin"] },
 *     },
 *     cors: { allowOrigins: ["https://shop.example.com"] },
 *     jwt: { issuer: "https://auth.example.com", audience: ["shop"] },
 * });
 * export const apiUrl = api.url;
 */
export class BusinessApi extends pulumi.ComponentResource {
    /** The base URL routes are served under, without a trailing slash. */
    public readonly url!: pulumi.Output<string>;
    /** The API's ARN on AWS, its `qcs::apigw:` service on Tencent Cloud, `local:api:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;

    constructor(name: string, args: BusinessApiArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = checkBusinessApiArgs(name, args);
        const cloud = provider();
        cloud.checkBusinessApi?.(spec);
        super("serverless-blocks:index:BusinessApi", name, {}, opts);
        const realised = cloud.businessApi(this, spec);
        Object.assign(this, { url: realised.url, resourceId: realised.resourceId });
        this.registerOutputs({ url: this.url, resourceId: this.resourceId });
    }
}

/**
 * What a route with `roles` adds to its function: the roles in SB_API_ROLES, for the adapter to
 * check against the verified token (no gateway checks a claim's value). No permissions. Undefined
 * for a route without roles.
 */
export function routeRolesLink(api: string, route: ApiRouteSpec): Link | undefined {
    if (route.roles.length === 0) return undefined;
    return { type: "api", name: api, environment: { [ROLES_ENV]: JSON.stringify(route.roles) }, permissions: [] };
}

/** The function that serves `routeKey`: "POST /users/{id}" of api "shop" is "shop-post-users-id". */
export function routeFunctionName(api: string, routeKey: string): string {
    const { method, path } = splitRouteKey(api, routeKey);
    const words = path.split("/").filter(Boolean).map((segment) =>
        segment.replace(/[{}]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""));
    return [api, method.toLowerCase(), ...words.filter(Boolean)].join("-");
}

/** Validates the args and normalises them into the spec every cloud realises; throws ConfigError naming the key. */
export function checkBusinessApiArgs(name: string, args: BusinessApiArgs): BusinessApiSpec {
    const stack = target();
    const where = `BusinessApi '${name}'`;
    const keys = Object.keys(args.routes ?? {});
    if (keys.length === 0) {
        throw new ConfigError(`${where} routes`, undefined, 'give at least one route, e.g. { "GET /health": { handler: "functions/health.handler" } }');
    }
    const routes = keys.map((key) => checkRoute(name, key, args.routes[key], args.alarms));
    refuseDuplicates(where, routes);
    const jwt = args.jwt === undefined || args.jwt === null ? undefined : checkJwt(where, args.jwt);
    const authenticated = routes.find((route) => route.auth);
    if (authenticated && !jwt) {
        throw new ConfigError(`${where} jwt`, undefined, `route "${authenticated.key}" needs a token (routes do unless public): give \`jwt\` (e.g. auth.jwt) or mark the route \`public: true\``);
    }
    return {
        name,
        routes,
        cors: args.cors === undefined ? undefined : checkCors(where, args.cors, routes),
        jwt,
        throttle: checkThrottle(where, args.throttle),
        protect: stack.protect,
        logRetentionDays: stack.logRetentionDays,
        alarms: args.alarms === undefined ? undefined : pulumi.output(args.alarms),
    };
}

function checkRoute(api: string, key: string, route: ApiRoute | undefined, alarms: pulumi.Input<AlarmTarget> | undefined): ApiRouteSpec {
    const { method, path, params } = splitRouteKey(api, key);
    const where = `BusinessApi '${api}' routes["${key}"]`;
    if (route === undefined || route === null || typeof route !== "object") {
        throw new ConfigError(where, route, "expected the route's function: { handler: \"functions/...handler\" } or { code: closure(...) }");
    }
    const { public: isPublic, roles, ...functionArgs } = route;
    if ("auth" in functionArgs) {
        throw new ConfigError(`${where}.auth`, (functionArgs as { auth?: unknown }).auth, "`auth` is gone: routes need a token unless `public: true`; drop `auth`, and mark open routes `public: true`");
    }
    if (isPublic !== undefined && typeof isPublic !== "boolean") throw new ConfigError(`${where}.public`, isPublic, "expected true or false");
    const checkedRoles = checkRoles(where, roles, isPublic === true);
    const timeout = functionArgs.timeout;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < ROUTE_TIMEOUT_SECONDS.min || timeout > ROUTE_TIMEOUT_SECONDS.max)) {
        throw new ConfigError(`${where}.timeout`, timeout, `expected a whole number of seconds from ${ROUTE_TIMEOUT_SECONDS.min} to ${ROUTE_TIMEOUT_SECONDS.max}: API Gateway stops waiting after 30 s`);
    }
    const functionName = routeFunctionName(api, key);
    let checked: ReturnType<typeof checkFunctionArgs>;
    try {
        checked = checkFunctionArgs(functionName, functionArgs);
    } catch (error) {
        if (error instanceof Error) error.message = `${where}: ${error.message}`;
        throw error;
    }
    return { key, method, path, params, functionName, function: { alarms, ...functionArgs } as FunctionArgs, timeout: checked.timeout, auth: isPublic !== true, roles: checkedRoles };
}

function checkRoles(where: string, roles: string[] | undefined, isPublic: boolean): string[] {
    if (roles === undefined || roles === null) return [];
    if (isPublic) throw new ConfigError(`${where}.roles`, Array.isArray(roles) ? roles.join(", ") : roles, "a public route has no token to take roles from; drop `roles` or `public: true`");
    if (!Array.isArray(roles) || roles.length === 0) throw new ConfigError(`${where}.roles`, roles, 'list at least one role, e.g. roles: ["admin"], or leave `roles` out');
    for (const role of roles) {
        if (typeof role !== "string" || !ROLE.test(role)) throw new ConfigError(`${where}.roles`, role, "a role is 1 to 64 letters, digits, '_', '-', '.' or ':'");
    }
    return [...new Set(roles)];
}

function splitRouteKey(api: string, key: string): { method: string; path: string; params: string[] } {
    const where = `BusinessApi '${api}' route key`;
    const match = ROUTE_KEY.exec(key);
    if (!match) throw new ConfigError(where, key, `expected "METHOD /path", e.g. "GET /users/{id}", with METHOD one of ${ROUTE_METHODS.join(", ")}`);
    const [, method, path] = match;
    if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
        throw new ConfigError(where, key, `the method must be one of ${ROUTE_METHODS.join(", ")}`);
    }
    if (!path.startsWith("/") || (path !== "/" && path.endsWith("/")) || path.includes("//")) {
        throw new ConfigError(where, key, "the path starts with '/', has no empty segment and no trailing '/'");
    }
    const params: string[] = [];
    for (const segment of path.split("/").slice(1).filter(Boolean)) {
        const param = PARAM_SEGMENT.exec(segment)?.[1];
        if (param !== undefined) {
            if (params.includes(param)) throw new ConfigError(where, key, `parameter {${param}} appears twice`);
            params.push(param);
        } else if (!LITERAL_SEGMENT.test(segment) || segment === "." || segment === "..") {
            throw new ConfigError(where, key, `segment '${segment}' is not allowed: segments are letters, digits, '-', '_', '.' or a {param} (a letter or '_' first)`);
        }
    }
    return { method, path, params };
}

/** Two keys that differ only in parameter names would match the same requests; two names would deploy one function. */
function refuseDuplicates(where: string, routes: ApiRouteSpec[]): void {
    const byShape = new Map<string, string>();
    const byFunction = new Map<string, string>();
    for (const route of routes) {
        const shape = `${route.method} ${route.path.replace(/\{[^}]+\}/g, "{}")}`;
        const same = byShape.get(shape);
        if (same !== undefined) throw new ConfigError(`${where} route key`, route.key, `it matches the same requests as "${same}"`);
        byShape.set(shape, route.key);
        const clash = byFunction.get(route.functionName);
        if (clash !== undefined) {
            throw new ConfigError(`${where} route key`, route.key, `its function would be named '${route.functionName}' like the function of "${clash}"; rename a path segment`);
        }
        byFunction.set(route.functionName, route.key);
    }
}

/** Rate limits with their defaults, checked. */
export function checkThrottle(where: string, throttle: ApiThrottle | undefined): BusinessApiSpec["throttle"] {
    return {
        burstLimit: wholeInRange(`${where} throttle.burstLimit`, throttle?.burstLimit, THROTTLE.burstLimit),
        rateLimit: wholeInRange(`${where} throttle.rateLimit`, throttle?.rateLimit, THROTTLE.rateLimit),
    };
}

/**
 * The token settings. Given as an output (another component's, e.g. `auth.jwt`), they are
 * checked once known, the same way.
 */
export function checkJwt(where: string, given: pulumi.Input<ApiJwt>): ApiJwtSpec {
    if (!pulumi.Output.isInstance(given) && !isPromise(given)) return checkJwtValues(where, given as ApiJwt);
    const checked = pulumi.output(given).apply((jwt) => {
        const spec = checkJwtValues(where, jwt as ApiJwt);
        return pulumi.output({ issuer: spec.issuer, audience: spec.audience, jwksUrl: spec.jwksUrl });
    });
    return { issuer: checked.issuer, audience: checked.audience, jwksUrl: checked.jwksUrl };
}

function isPromise(value: unknown): value is Promise<unknown> {
    return typeof (value as Promise<unknown> | undefined)?.then === "function";
}

function checkJwtValues(where: string, jwt: ApiJwt): ApiJwtSpec {
    if (jwt === null || typeof jwt !== "object") throw new ConfigError(`${where} jwt`, jwt, "expected { issuer, audience }, e.g. auth.jwt");
    if (jwt.issuer === undefined || jwt.issuer === "") throw new ConfigError(`${where} jwt.issuer`, undefined, "give the token issuer's URL, e.g. https://auth.example.com");
    if (typeof jwt.issuer === "string") httpsUrl(`${where} jwt.issuer`, jwt.issuer);
    if (!Array.isArray(jwt.audience) || jwt.audience.length === 0) {
        throw new ConfigError(`${where} jwt.audience`, jwt.audience, "give at least one accepted audience (the client id tokens are issued for)");
    }
    for (const audience of jwt.audience) {
        if (audience === "" || audience === null || audience === undefined) throw new ConfigError(`${where} jwt.audience`, audience, "audiences are non-empty strings");
    }
    if (typeof jwt.jwksUrl === "string") httpsUrl(`${where} jwt.jwksUrl`, jwt.jwksUrl);
    const jwksUrl = jwt.jwksUrl ?? pulumi.output(jwt.issuer).apply((issuer) => `${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`);
    return { issuer: jwt.issuer, audience: jwt.audience, jwksUrl };
}

/** https, or plain http on this machine (a local issuer for the local target). */
function httpsUrl(key: string, value: string): void {
    let url: URL | undefined;
    try {
        url = new URL(value);
    } catch {
        url = undefined;
    }
    const loopback = url?.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
    if (url?.protocol !== "https:" && !loopback) throw new ConfigError(key, value, "expected an https:// URL (http only on localhost)");
}

function checkCors(where: string, cors: ApiCors, routes: ApiRouteSpec[]): ApiCorsSpec {
    const origins = cors.allowOrigins;
    if (!Array.isArray(origins) || origins.length === 0) {
        throw new ConfigError(`${where} cors.allowOrigins`, origins, 'list the origins allowed, e.g. ["https://shop.example.com"]');
    }
    const credentials = cors.allowCredentials ?? false;
    if (typeof credentials !== "boolean") throw new ConfigError(`${where} cors.allowCredentials`, credentials, "expected true or false");
    for (const origin of origins) {
        if (origin === "*") {
            if (origins.length !== 1) throw new ConfigError(`${where} cors.allowOrigins`, origins.join(", "), '"*" allows every origin: give it alone, or list origins');
            if (credentials) throw new ConfigError(`${where} cors.allowOrigins`, "*", "browsers refuse credentials with a wildcard origin; list the origins");
        } else if (!ORIGIN.test(origin)) {
            throw new ConfigError(`${where} cors.allowOrigins`, origin, "an origin is scheme://host[:port] in lower case, no path or trailing '/', e.g. https://shop.example.com");
        }
    }
    const methods = cors.allowMethods ?? [...new Set(routes.map((route) => route.method))].sort();
    for (const method of methods) {
        if (!CORS_METHODS.includes(method)) throw new ConfigError(`${where} cors.allowMethods`, method, `allowed values: ${CORS_METHODS.join(", ")}`);
    }
    const headers = (cors.allowHeaders ?? CORS_DEFAULT_HEADERS).map((header) => {
        if (typeof header !== "string" || !HEADER_NAME.test(header) || header === "*") {
            throw new ConfigError(`${where} cors.allowHeaders`, header, "header names are tokens such as content-type; list them rather than '*'");
        }
        return header.toLowerCase();
    });
    return {
        allowOrigins: [...origins],
        allowMethods: [...methods],
        allowHeaders: headers,
        exposeHeaders: [...CORS_EXPOSE_HEADERS],
        allowCredentials: credentials,
        maxAge: wholeInRange(`${where} cors.maxAge`, cors.maxAge, CORS_MAX_AGE),
    };
}
