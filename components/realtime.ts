// Realtime: a WebSocket endpoint whose connections are signed-in users. API Gateway v2 WebSocket
// on AWS, an API Gateway WEBSOCKET API on Tencent Cloud, the local runtime's `/ws/<name>` locally.
// A connection presents an access token (the `token` query parameter, or the subprotocol) and is
// refused with 401 before it opens without a valid one. Messages are JSON; their route field
// (`action`) picks a route's function; `subscribe`/`unsubscribe` join topics. Functions linked
// to it push: `realtime(name).send(connectionId | { userId }, data)`, `.broadcast(topic, data)`.
// Connections live in the Realtime's own Table (expiring with the platform's 2-hour limit).
// Everything is checked here, before the component registers.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { JWT_ENV } from "../functions/runtime/auth/jwt";
import { SOCKET_SETTINGS_ENV, TOKEN_SOURCE_ENV, type SocketSettings } from "../functions/runtime/adapters/socket";
import { CONNECTION_TABLE_KEYS } from "../functions/runtime/clients/realtime-store";
import { BUILT_IN_ACTIONS } from "../functions/runtime/socket-limits";
import { PACKAGE_ROOT } from "./build/package-root";
import { checkJwt, checkThrottle, type ApiJwt, type ApiThrottle } from "./business-api";
import { ConfigError, provider, target, wholeInRange } from "./cloud";
import { checkFunctionArgs, type FunctionArgs } from "./function";
import { Link, LinkPermission, linkVariable } from "./link";
import type { RealtimeFunctionSpec, RealtimeSpec } from "./provider";
import { Table } from "./table";

/** One of the Realtime's functions: the same fields as a Function's args, with a shorter timeout. */
export interface RealtimeHandler {
    /**
     * The handler: a module path relative to the project plus an export made with `onSocket(...)`.
     *
     * @example "functions/chat/say.handler"
     */
    handler?: string;
    /** Inline code instead of a handler file: an archive made by `closure(onSocket(...))`. */
    code?: pulumi.asset.Archive;
    /** Memory in MB: 128 to 3072 in steps of 128. Default 256. */
    memory?: number;
    /** Timeout in seconds, 1 to 29 (API Gateway waits 29 s for a WebSocket integration). Default 10. */
    timeout?: number;
    /** Extra environment variables. Names starting with `SB_` are reserved for links. */
    environment?: { [key: string]: pulumi.Input<string> };
    /** Components the function uses, e.g. `[orders.link]`. */
    link?: pulumi.Input<Link>[];
    /** A description shown in the cloud console. */
    description?: string;
}

export interface RealtimeArgs {
    /**
     * Who issues the access tokens connections present.
     *
     * @example jwt: auth.jwt
     */
    jwt: pulumi.Input<ApiJwt>;
    /** Runs when a client connects, after its token was verified; throw an HttpError to refuse (403). Default: accept. */
    onConnect?: RealtimeHandler;
    /** Runs when a connection ends (the store has forgotten it already). Default: nothing. */
    onDisconnect?: RealtimeHandler;
    /** Messages no route takes. Default: an `unknown_action` error reply. */
    onMessage?: RealtimeHandler;
    /**
     * Message routes: a message whose route field equals the key runs that function; its return
     * value is sent back to the sender. Keys are letters, digits, `_`, `-`, `.`; `subscribe` and
     * `unsubscribe` are built in (topic subscriptions).
     *
     * @example routes: { say: { handler: "functions/chat/say.handler", link: [messages.link] } }
     */
    routes?: { [action: string]: RealtimeHandler };
    /** The JSON field of a message that names its route. Default `action`. */
    routeField?: string;
    /**
     * Where clients put their access token: `query` (`wss://...?token=<jwt>`, the default) or
     * `protocol` (`new WebSocket(url, ["bearer", token])`: kept out of URLs and their logs).
     */
    tokenFrom?: string;
    /** Messages per second each connection may send, 1 to 1000. Default 10. */
    messagesPerSecond?: number;
    /** Messages a connection may send at once above its rate, 1 to 1000. Default 20. */
    messageBurst?: number;
    /** Rate limits of the whole endpoint (AWS stage throttling); default 100 burst, 50 messages per second. */
    throttle?: ApiThrottle;
    /** Where its functions' alarms (errors, throttles) go: an Alarms' `target`. No alarms without it. */
    alarms?: pulumi.Input<AlarmTarget>;
}

export const TOKEN_SOURCES = ["query", "protocol"] as const;
export const REALTIME_TIMEOUT_SECONDS = { min: 1, max: 29 };
export const MESSAGES_PER_SECOND = { min: 1, max: 1000, default: 10 };
export const MESSAGE_BURST = { min: 1, max: 1000, default: 20 };
const ACTION = /^[A-Za-z0-9_.-]{1,64}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The built-in handlers for what the user leaves out (functions/realtime). */
const BUILT_IN = {
    connect: path.join(PACKAGE_ROOT, "functions", "realtime", "accept.handler"),
    disconnect: path.join(PACKAGE_ROOT, "functions", "realtime", "ignore.handler"),
    message: path.join(PACKAGE_ROOT, "functions", "realtime", "unknown-action.handler"),
};

/**
 * A WebSocket endpoint for signed-in users, with push from any linked function.
 *
 * @example
 * const live = new Realtime("live", {
 *     jwt: auth.jwt,
 *     routes: { say: { handler: "functions/chat/say.handler" } },
 * });
 * new AsyncTask("notify", { handler: "functions/orders/notify.handler", link: [live.link], subscribe: { ... } });
 * // in notify: await realtime("live").send({ userId }, { type: "order", order });
 */
export class Realtime extends pulumi.ComponentResource {
    /** Where clients connect: `wss://...` (`ws://127.0.0.1:<port>/ws/<name>` locally). */
    public readonly url!: pulumi.Output<string>;
    /** The WebSocket API's ARN on AWS, its `qcs::apigw:` service on Tencent Cloud, `local:realtime:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Give it to a Function's `link` to push: `realtime("<name>").send(...)`, `.broadcast(...)`. */
    public readonly link!: pulumi.Output<Link>;
    /** The connection store's table name. */
    public readonly connectionsTable!: pulumi.Output<string>;

    constructor(name: string, args: RealtimeArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = checkRealtimeArgs(name, args);
        super("serverless-blocks:index:Realtime", name, {}, opts);
        const connections = new Table(`${name}-connections`, { ...CONNECTION_TABLE_KEYS }, { parent: this });
        let link: pulumi.Output<Link> | undefined;
        const spec: RealtimeSpec = {
            ...checked,
            connections: connections.link,
            link: (endpoint, push) => (link = realtimeLink(name, connections, endpoint, push)),
        };
        const realised = provider().realtime(this, spec);
        if (!link) throw new Error(`Realtime '${name}': the realisation made no link (call spec.link once)`);
        Object.assign(this, { url: realised.url, resourceId: realised.resourceId, link, connectionsTable: connections.tableName });
        this.registerOutputs({ url: this.url, resourceId: this.resourceId, link: this.link, connectionsTable: this.connectionsTable });
    }
}

/** Validates the args into the spec every cloud realises (without the store, which the component adds). */
export function checkRealtimeArgs(name: string, args: RealtimeArgs): Omit<RealtimeSpec, "connections" | "link"> {
    const stack = target();
    const where = `Realtime '${name}'`;
    if (args === undefined || args === null || typeof args !== "object") throw new ConfigError(where, args, "expected { jwt: auth.jwt, ... }");
    if (args.jwt === undefined || args.jwt === null) throw new ConfigError(`${where} jwt`, undefined, "connections need a token: give `jwt` (e.g. auth.jwt)");
    const routeField = args.routeField ?? "action";
    if (typeof routeField !== "string" || !FIELD.test(routeField)) throw new ConfigError(`${where} routeField`, routeField, "a JSON field name: letters, digits and _, not starting with a digit");
    const tokenFrom = args.tokenFrom ?? "query";
    if (!(TOKEN_SOURCES as readonly string[]).includes(tokenFrom)) throw new ConfigError(`${where} tokenFrom`, tokenFrom, `allowed values: ${TOKEN_SOURCES.join(", ")}`);
    const routes = Object.keys(args.routes ?? {}).map((action) => {
        if (!ACTION.test(action)) throw new ConfigError(`${where} routes`, action, "an action is 1 to 64 letters, digits, '_', '-' or '.'");
        if ((BUILT_IN_ACTIONS as readonly string[]).includes(action)) throw new ConfigError(`${where} routes`, action, `'${BUILT_IN_ACTIONS.join("' and '")}' are built in (topic subscriptions); name the route otherwise`);
        // Its function would take the name of the one that checks tokens on AWS (`<name>-authorizer`).
        if (action.toLowerCase() === "authorizer") throw new ConfigError(`${where} routes`, action, "'authorizer' names the function that checks tokens on connect; name the route otherwise");
        return fn(name, action, `${name}-${action.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`, args.routes![action], args.alarms);
    });
    const own = [
        fn(name, "$connect", `${name}-connect`, args.onConnect ?? { handler: BUILT_IN.connect, description: "Accepts connections with a valid token" }, args.alarms),
        fn(name, "$disconnect", `${name}-disconnect`, args.onDisconnect ?? { handler: BUILT_IN.disconnect, description: "Forgets ended connections" }, args.alarms),
        fn(name, "$default", `${name}-default`, args.onMessage ?? { handler: BUILT_IN.message, description: "Answers subscriptions and unknown actions" }, args.alarms),
    ];
    const names = new Map<string, string>();
    for (const route of [...own, ...routes]) {
        const clash = names.get(route.functionName);
        if (clash !== undefined) throw new ConfigError(`${where} routes`, route.route, `its function would be named '${route.functionName}' like the one of '${clash}'; rename the action`);
        names.set(route.functionName, route.route);
    }
    return {
        name,
        functions: [...own, ...routes],
        routeField,
        tokenFrom: tokenFrom as RealtimeSpec["tokenFrom"],
        // The token and throttle rules are the BusinessApi's: checked by the same code.
        jwt: checkJwt(where, args.jwt),
        messagesPerSecond: wholeInRange(`${where} messagesPerSecond`, args.messagesPerSecond, MESSAGES_PER_SECOND),
        messageBurst: wholeInRange(`${where} messageBurst`, args.messageBurst, MESSAGE_BURST),
        throttle: checkThrottle(where, args.throttle),
        protect: stack.protect,
        logRetentionDays: stack.logRetentionDays,
    };
}

function fn(realtime: string, route: string, functionName: string, given: RealtimeHandler | undefined, alarms: pulumi.Input<AlarmTarget> | undefined): RealtimeFunctionSpec {
    const where = `Realtime '${realtime}' ${route.startsWith("$") ? { $connect: "onConnect", $disconnect: "onDisconnect", $default: "onMessage" }[route] : `routes["${route}"]`}`;
    if (given === undefined || given === null || typeof given !== "object") throw new ConfigError(where, given, 'expected the function: { handler: "functions/...handler" } or { code: closure(...) }');
    const timeout = given.timeout;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < REALTIME_TIMEOUT_SECONDS.min || timeout > REALTIME_TIMEOUT_SECONDS.max)) {
        throw new ConfigError(`${where}.timeout`, timeout, `expected a whole number of seconds from ${REALTIME_TIMEOUT_SECONDS.min} to ${REALTIME_TIMEOUT_SECONDS.max}: API Gateway stops waiting after 29 s`);
    }
    let checked: ReturnType<typeof checkFunctionArgs>;
    try {
        checked = checkFunctionArgs(functionName, given);
    } catch (error) {
        if (error instanceof Error) error.message = `${where}: ${error.message}`;
        throw error;
    }
    return { route, functionName, function: { alarms, ...given } as FunctionArgs, timeout: checked.timeout };
}

/**
 * The Realtime's link: its connection table's access and variables, the endpoint, and the push
 * permission on this endpoint only. `SB_REALTIME_<NAME>_TABLE` names the table for the client.
 */
function realtimeLink(name: string, connections: Table, endpoint: pulumi.Input<string>, push: LinkPermission[]): pulumi.Output<Link> {
    return connections.link.apply((table): Link => ({
        type: "realtime",
        name,
        environment: {
            ...table.environment,
            [linkVariable("realtime", name, "table")]: table.name,
            [linkVariable("realtime", name, "endpoint")]: endpoint,
        },
        permissions: [...table.permissions, ...push],
        resources: table.resources,
    })) as pulumi.Output<Link>;
}

/**
 * The Function args of one of the Realtime's functions: the given ones plus the Realtime's own
 * link (store and push), its settings, and the token settings (for the function that checks
 * tokens on connect where no gateway does). Realisations make each function with these.
 */
export function realtimeFunctionArgs(spec: RealtimeSpec, fn: RealtimeFunctionSpec, self: pulumi.Input<Link>): FunctionArgs {
    const settings: SocketSettings = { realtime: spec.name, routeField: spec.routeField, perSecond: spec.messagesPerSecond, burst: spec.messageBurst };
    const socket: Link = {
        type: "socket",
        name: spec.name,
        environment: {
            [SOCKET_SETTINGS_ENV]: JSON.stringify(settings),
            [JWT_ENV.issuer]: spec.jwt.issuer,
            [JWT_ENV.audience]: pulumi.output(spec.jwt.audience).apply((audience) => JSON.stringify(audience)),
            [JWT_ENV.jwksUrl]: spec.jwt.jwksUrl,
            [TOKEN_SOURCE_ENV]: spec.tokenFrom,
        },
        permissions: [],
    };
    return {
        ...fn.function,
        // Plain words: SCF descriptions allow letters, digits, spaces, commas and full stops.
        description: fn.function.description ?? `Realtime ${spec.name} ${fn.route.startsWith("$") ? fn.route.slice(1) : `action ${fn.route}`}`,
        link: [...(fn.function.link ?? []), self, socket],
    };
}
