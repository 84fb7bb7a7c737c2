// Pushing on Tencent Cloud, and the `$default` router's calls to a Realtime's route functions.
//
// Push address ("反向推送地址"): API Gateway gives each WEBSOCKET API an internal HTTP address that
// SCF functions POST to (SCF "WebSocket 原理介绍 / How It Works", cloud.tencent.com/document/product/583/31437,
// 下行数据回调 / Downstream data callback):
//   { "websocket": { "action": "data send", "secConnectionID": "<id>", "dataType": "text", "data": "<text>" } }
//   { "websocket": { "action": "closing",   "secConnectionID": "<id>" } }
// and the gateway answers HTTP 200 with `{ "errNo": 0, "errMsg": "ok" }` when it took the frame.
// Documented failures: `errNo` other than 0 ("响应错误码 ... 为 0 表示成功", with `errMsg` the cause),
// and a status other than 200 ("系统故障", after which the gateway itself closes the client with a
// FIN). No separate code for an unknown or closed connection is documented, so a push the gateway
// refuses with errNo != 0 is taken as "this connection cannot receive": its id is returned as gone
// and the client forgets it (a live connection forgotten by mistake is told to connect again on
// its next message, by ../../adapters/socket.ts). A status other than 200, or no answer, is a
// failure and rejects: nothing is forgotten on a fault we cannot attribute.
//
// Where the address comes from: it is `InternalDomain` ("WEBSOCKET 回推地址") of API Gateway's
// DescribeApi (apigateway 2018-08-08), which the Terraform provider does not expose on the API
// resource. And it cannot be given to the functions at deploy time anyway: the API names them as
// its backends, so it exists only after them. So the Realtime's link names the API instead,
// `tencent-apigw://<region>/<serviceId>/<apiName>`, and the address is looked up once per
// instance (DescribeApisStatus by name, then DescribeApi) and kept. An `http(s)://` endpoint is
// taken as the push address itself.
//
// Route functions: a WEBSOCKET API has one transport function for every message (no route
// selection by the gateway), so the Realtime's `$default` function invokes a route's function
// synchronously (SCF Invoke, scf 2018-04-16, InvocationType RequestResponse) with the portable
// delivery under FORWARDED_DELIVERY_KEY and relays the outcome that function returns (Invoke's
// Result.RetMsg, the function's return value as JSON text; Result.ErrMsg when it failed).
import type { SocketDelivery, SocketOutcome } from "../../adapters/socket";
import type { RealtimeTransport } from "../realtime";
import { callApi3 } from "./api3";
import { credentialFromEnv, regionFromEnv, type TencentCredential } from "./credentials";

/** Set on a Realtime's `$default` function: JSON `{ "<action>": "<deployed function name>" }` of its message routes. */
export const SOCKET_ROUTES_ENV = "SB_SOCKET_ROUTES";
/** Where an invoked route function finds the delivery the `$default` function forwards. */
export const FORWARDED_DELIVERY_KEY = "sbSocketDelivery";
/** The scheme of the endpoint a Realtime's link names on Tencent Cloud. */
export const PUSH_ENDPOINT_SCHEME = "tencent-apigw:";
/** Posts in flight at once per push: a broadcast stays within the gateway's rate and the socket pool. */
export const PUSH_CONCURRENCY = 20;
/** How long one push waits for the gateway, ms. */
export const PUSH_TIMEOUT_MS = 5_000;
/** The SCF namespace every function of this project is in (components/tencentcloud/function.ts). */
const SCF_NAMESPACE = "default";

/** The Realtime's endpoint: the API whose push address functions look up. */
export function pushEndpoint(region: string, serviceId: string, apiName: string): string {
    return `${PUSH_ENDPOINT_SCHEME}//${region}/${serviceId}/${apiName}`;
}

/** How to reach the Tencent Cloud API (tests point it at a local server). */
export interface Api3Access {
    /** Default: `https://<service>.tencentcloudapi.com/`. */
    endpoint?: (service: string) => string;
    credential?: TencentCredential;
    fetch?: typeof fetch;
}

export interface TencentRealtimeOptions {
    /** Posts in flight at once. Default PUSH_CONCURRENCY. */
    concurrency?: number;
    fetch?: typeof fetch;
    /** For looking up push addresses. */
    api?: Api3Access;
}

/** The gateway's answer to a push. */
type PushAnswer = "taken" | "refused";

export function createTencentRealtime(options: TencentRealtimeOptions = {}): RealtimeTransport {
    const concurrency = options.concurrency ?? PUSH_CONCURRENCY;
    const send = options.fetch ?? fetch;
    const addresses = new Map<string, Promise<string>>();
    // One look-up per endpoint for the instance's life; a failed one is tried again next time.
    const addressOf = (endpoint: string): Promise<string> => {
        let address = addresses.get(endpoint);
        if (!address) {
            address = resolvePushAddress(endpoint, options.api);
            addresses.set(endpoint, address);
            address.catch(() => addresses.delete(endpoint));
        }
        return address;
    };

    return {
        async post(endpoint, connectionIds, payload) {
            const address = await addressOf(endpoint);
            const gone: string[] = [];
            const failures: unknown[] = [];
            // Every connection gets its push even when another fails: one fault must not stop a broadcast.
            await eachAtMost(connectionIds, concurrency, async (connectionId) => {
                try {
                    const answer = await push(send, address, { action: "data send", secConnectionID: connectionId, dataType: "text", data: payload });
                    if (answer === "refused") gone.push(connectionId);
                } catch (error) {
                    failures.push(error);
                }
            });
            if (failures.length > 0) {
                const first = failures[0] as Error;
                throw new AggregateError(failures, `push to ${failures.length} of ${connectionIds.length} connections failed (${first.message})`);
            }
            return gone;
        },
        async close(endpoint, connectionId) {
            // Refused: the gateway has no such connection any more, which is what closing wants.
            await push(send, await addressOf(endpoint), { action: "closing", secConnectionID: connectionId });
        },
    };
}

/** The transport `realtime(name)` uses on Tencent Cloud. */
export const tencentRealtime: RealtimeTransport = createTencentRealtime();

async function push(send: typeof fetch, address: string, websocket: Record<string, string>): Promise<PushAnswer> {
    const response = await send(address, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ websocket }),
        signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the push address answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    let answer: { errNo?: unknown; errMsg?: unknown };
    try {
        answer = JSON.parse(text);
    } catch {
        throw new Error(`the push address answered 200 without JSON: ${text.slice(0, 200)}`);
    }
    if (answer.errNo === 0) return "taken";
    console.warn(`push ${websocket.action} to ${websocket.secConnectionID} refused: errNo ${String(answer.errNo)} ${String(answer.errMsg ?? "")}`);
    return "refused";
}

/** The push address of `endpoint`: itself when it is an http(s) URL, else looked up from the API it names. */
export async function resolvePushAddress(endpoint: string, api: Api3Access = {}): Promise<string> {
    if (/^https?:\/\//i.test(endpoint)) return endpoint;
    const { region, serviceId, apiName } = parsePushEndpoint(endpoint);
    const call = (action: string, payload: Record<string, unknown>) => callApi3({
        service: "apigateway",
        version: "2018-08-08",
        action,
        region,
        payload,
        endpoint: api.endpoint?.("apigateway"),
        credential: api.credential ?? credentialFromEnv(),
        fetch: api.fetch,
    });
    const listed = await call("DescribeApisStatus", { ServiceId: serviceId, Limit: 100, Filters: [{ Name: "ApiName", Values: [apiName] }] });
    const apis = (listed.Result as { ApiIdStatusSet?: { ApiId?: string; ApiName?: string }[] } | undefined)?.ApiIdStatusSet ?? [];
    const apiId = apis.find((a) => a.ApiName === apiName)?.ApiId;
    if (!apiId) throw new Error(`API Gateway service ${serviceId} (${region}) has no API named ${apiName}: is the Realtime deployed?`);
    const described = await call("DescribeApi", { ServiceId: serviceId, ApiId: apiId });
    const domain = (described.Result as { InternalDomain?: string | null } | undefined)?.InternalDomain;
    if (!domain) throw new Error(`API ${apiId} of service ${serviceId} reports no push address (InternalDomain): is it a WEBSOCKET API?`);
    // The documented examples are http:// URLs; a bare host is given the same scheme.
    return /^https?:\/\//i.test(domain) ? domain : `http://${domain}`;
}

/** `tencent-apigw://<region>/<serviceId>/<apiName>` into its parts; throws naming the expected form. */
export function parsePushEndpoint(endpoint: string): { region: string; serviceId: string; apiName: string } {
    let url: URL | undefined;
    try {
        url = new URL(endpoint);
    } catch {
        url = undefined;
    }
    const [serviceId, apiName, ...rest] = (url?.pathname ?? "").split("/").filter(Boolean);
    if (!url || url.protocol !== PUSH_ENDPOINT_SCHEME || !url.hostname || !serviceId || !apiName || rest.length > 0) {
        throw new Error(`a Tencent Realtime endpoint is ${PUSH_ENDPOINT_SCHEME}//<region>/<serviceId>/<apiName> or the push address (http://...); got ${JSON.stringify(endpoint)}`);
    }
    return { region: url.hostname, serviceId, apiName };
}

/** How the `$default` function runs a route's function with a message and gets its outcome. */
export type RouteInvoker = (functionName: string, delivery: SocketDelivery) => Promise<SocketOutcome>;

/** The route functions of the `$default` function's Realtime (SB_SOCKET_ROUTES); none when unset. */
export function socketRoutesFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    const raw = env[SOCKET_ROUTES_ENV];
    if (!raw) return {};
    let routes: unknown;
    try {
        routes = JSON.parse(raw);
    } catch {
        routes = undefined;
    }
    if (typeof routes !== "object" || routes === null || Array.isArray(routes) || !Object.values(routes).every((v) => typeof v === "string" && v !== "")) {
        throw new Error(`${SOCKET_ROUTES_ENV} must map actions to function names (set by the Realtime); got ${JSON.stringify(raw)}`);
    }
    return routes as Record<string, string>;
}

/** Invokes a route's function synchronously with the delivery; resolves to the outcome it returned. */
export function scfRouteInvoker(api: Api3Access = {}): RouteInvoker {
    return async (functionName, delivery) => {
        const answer = await callApi3({
            service: "scf",
            version: "2018-04-16",
            action: "Invoke",
            region: regionFromEnv(),
            payload: {
                FunctionName: functionName,
                Namespace: SCF_NAMESPACE,
                // The alias every caller invokes (LIVE_ALIAS, components/cloud.ts).
                Qualifier: "live",
                InvocationType: "RequestResponse",
                ClientContext: JSON.stringify({ [FORWARDED_DELIVERY_KEY]: delivery }),
            },
            endpoint: api.endpoint?.("scf"),
            credential: api.credential ?? credentialFromEnv(),
            fetch: api.fetch,
        });
        const result = (answer.Result ?? {}) as { RetMsg?: string; ErrMsg?: string; FunctionRequestId?: string };
        if (result.ErrMsg) throw new Error(`route function ${functionName} failed (request ${result.FunctionRequestId ?? "-"}): ${result.ErrMsg.slice(0, 500)}`);
        return outcomeOf(functionName, result.RetMsg);
    };
}

function outcomeOf(functionName: string, retMsg: string | undefined): SocketOutcome {
    let outcome: unknown;
    try {
        outcome = JSON.parse(retMsg ?? "");
    } catch {
        outcome = undefined;
    }
    if (typeof outcome !== "object" || outcome === null || Array.isArray(outcome)) {
        throw new Error(`route function ${functionName} returned no socket outcome: ${String(retMsg).slice(0, 200)}`);
    }
    return outcome as SocketOutcome;
}

/** Runs `task` for every item, at most `limit` at once. */
async function eachAtMost<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) await task(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
