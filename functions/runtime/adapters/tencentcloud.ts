/**
 * Tencent Cloud SCF adapter: API Gateway trigger events, EventBridge (EB) CloudEvents and timer
 * trigger events in, the portable contracts to the handler, the API Gateway integrated response out.
 * Shapes: SCF "触发器事件消息结构汇总" (https://cloud.tencent.com/document/product/583/31927),
 * API Gateway Base64 encoding (https://cloud.tencent.com/document/product/628/51799),
 * EB event structure (https://cloud.tencent.com/document/product/1359/56075), timer trigger
 * event `{ Type: "Timer", TriggerName, Time, Message }` (https://cloud.tencent.com/document/product/583/9708).
 *
 * Dead letters (AsyncTask): SCF has no dead-letter input in the provider, so for an event handler
 * whose task set SB_DEAD_LETTER_QUEUE the adapter itself sends `{ event, error, attempts, time }`
 * to that TDMQ CMQ queue when a failed attempt is judged the last, then rethrows so that SCF
 * records the failure. SCF does not tell a function its attempt number: how the last attempt is
 * judged, and where that judgement can be wrong, is in ../clients/tencentcloud/attempts.ts. If
 * the queue refuses the dead letter, the handler's error is rethrown with the send error attached
 * as `deadLetterError` (and logged), never swallowed. Idempotency key for handlers: the event id.
 *
 * Set-Cookie: the integrated response's documented `headers` map one name to one string. Several
 * cookies go out as an array under `set-cookie`, the form Tencent's own Node.js bridge for API
 * Gateway (serverless-plus/tencent-serverless-http, src/index.js) returns: it joins every other
 * array header with "," and leaves set-cookie an array. One cookie stays a plain string.
 *
 * WebSocket (a Realtime, components/tencentcloud/realtime.ts): API Gateway calls the register
 * function (`$connect`) with `websocket.action` "connecting", the transport function (`$default`)
 * with every message ("data send"; an older Chinese page says "data recv": both are read) and the
 * cleanup function (`$disconnect`) with "closing" (SCF "WebSocket 原理介绍", cloud.tencent.com/document/product/583/31437).
 * No gateway checks tokens, so the register function verifies the client's token here (query
 * parameter or subprotocol) and answers `errNo` 0 to accept, the HTTP status to refuse. The
 * gateway ignores what the transport function returns, so a reply is pushed to the sender through
 * the push address, and a close is a pushed "closing". The gateway selects no route either: the
 * `$default` function invokes the function of a message's route itself (SB_SOCKET_ROUTES) and
 * relays the outcome it returns; that function is called with the portable delivery
 * (FORWARDED_DELIVERY_KEY) and returns its outcome. Everything else is ./socket.ts's.
 */
import { createHash, randomUUID } from "node:crypto";
import { jwtSettingsFromEnv, verifyBearer } from "../auth/jwt";
import { instanceLedger, judgeAttempt, REDRIVE_TIME_ATTRIBUTE, type AttemptLedger, type AttemptSettings } from "../clients/tencentcloud/attempts";
import { cmqDeadLetterSender, DEAD_LETTER_ENV, type DeadLetterSender } from "../clients/tencentcloud/dead-letter";
import { corsSettingsFromEnv, withCors } from "../cors";
import { takeEventMetadata, type EventHandler, type HubEvent } from "../events";
import { assertTaggedHandler, isHttpHandler, unexpectedEventError, type Handler } from "../handler";
import { isSocketHandler, type SocketErrorReply, type SocketHandler } from "../socket";
import { createHttpRequest, http, HttpError, runHttp, type HttpHandler, type HttpRequest, type NormalizedResponse } from "../http";
import { realtimeSettings, type RealtimeTransport } from "../clients/realtime";
import {
  FORWARDED_DELIVERY_KEY,
  scfRouteInvoker,
  socketRoutesFromEnv,
  tencentRealtime,
  type RouteInvoker,
} from "../clients/tencentcloud/realtime";
import { firstString, isObject, stringRecord } from "./event-values";
import { isCosNotification, readCosNotification } from "./cos-events";
import { withRoles } from "./route-roles";
import { runTask } from "./task";
import { correlationIdOf, newLogContext, withInvocationLog } from "../log";
import { httpSummary, withCorrelationHeader } from "./invocation-log";
import { isTaskHandler, type TaskHandler, type TaskJson } from "../workflow";
import {
  connectToken,
  socketSettingsFromEnv,
  TOKEN_SOURCE_ENV,
  TOKEN_SUBPROTOCOL,
  type SocketDelivery,
  type SocketOutcome,
  type SocketRunOptions,
  type SocketSettings,
} from "./socket";

/** The part of the SCF context object this adapter reads. */
export interface ScfContext {
  request_id?: string;
}

/** Dead-letter wiring, replaceable in tests; by default read from the task's environment. */
export interface ScfAdapterOptions {
  /** Sends a dead letter; default: the CMQ queue named by SB_DEAD_LETTER_QUEUE. */
  deadLetter?: DeadLetterSender;
  /** Attempts per event; default: this instance's ledger. */
  ledger?: AttemptLedger;
  /** The clock, in milliseconds. */
  now?: () => number;
  /** A Realtime function's wiring (store, push, route calls); by default from its environment. */
  socket?: ScfSocketOptions;
}

/** What a Realtime's functions use besides the handler, replaceable in tests. */
export interface ScfSocketOptions extends SocketRunOptions {
  /** Pushes replies and closes; default: the push address of the Realtime's link. */
  transport?: RealtimeTransport;
  /** How the `$default` function runs a route's function; default: SCF Invoke. */
  invoke?: RouteInvoker;
}

/** The API Gateway integrated response ("集成响应") an SCF function returns. */
export interface ScfHttpResponse {
  isBase64Encoded: boolean;
  statusCode: number;
  /** One string per name, except `set-cookie` with several cookies: an array, one header each. */
  headers: Record<string, string | string[]>;
  body: string;
}

/** The register function's answer: `errNo` 0 accepts the connection; any other refuses it, `errMsg` saying why. */
export interface ScfWebSocketRegisterResponse {
  errNo: number;
  errMsg: string;
  websocket: {
    action: "connecting";
    secConnectionID: string;
    /** One of the subprotocols the client offered (a browser drops a connection whose server chooses none). */
    secWebSocketProtocol?: string;
  };
}

/** The transport and cleanup functions' answer: the gateway reads only the call's success. */
export interface ScfWebSocketAck {
  errNo: 0;
  errMsg: "ok";
}

/** What a Realtime's function returns: to the gateway, or (a route's function) the outcome to the `$default` function. */
export type ScfSocketResult = ScfWebSocketRegisterResponse | ScfWebSocketAck | SocketOutcome;

export type ScfHandler<R> = (event: unknown, context?: ScfContext) => Promise<R>;

const ADAPTER = "toScf";

export function toScf(handler: HttpHandler, options?: ScfAdapterOptions): ScfHandler<ScfHttpResponse>;
export function toScf(handler: EventHandler, options?: ScfAdapterOptions): ScfHandler<void>;
export function toScf(handler: SocketHandler, options?: ScfAdapterOptions): ScfHandler<ScfSocketResult>;
export function toScf(handler: TaskHandler, options?: ScfAdapterOptions): ScfHandler<TaskJson>;
export function toScf(handler: Handler, options?: ScfAdapterOptions): ScfHandler<ScfHttpResponse | ScfSocketResult | TaskJson | void>;
export function toScf(handler: Handler, options: ScfAdapterOptions = {}): ScfHandler<ScfHttpResponse | ScfSocketResult | TaskJson | void> {
  assertTaggedHandler(handler, ADAPTER);
  if (isHttpHandler(handler)) {
    const guarded = withAuthorization(withRoles(handler));
    return async (event, context) => {
      const requestId = apiRequestId(event, context);
      const headers = isObject(event) ? lowerCaseKeys(stringRecord(event.headers)) : {};
      // An event of the wrong shape fails inside the log context: its error is logged with the ids.
      return withInvocationLog(newLogContext(requestId, correlationIdOf(headers, requestId), apiRoute(event)), async () => {
        const request = readApiGatewayEvent(event, requestId);
        const response = withCorrelationHeader(await runHttp(guarded, request), request.headers);
        return toIntegratedResponse(withCors(response, request.headers.origin, corsSettingsFromEnv()));
      }, httpSummary);
    };
  }
  if (isSocketHandler(handler)) return toSocketScf(handler, options.socket);
  // A workflow state: its input is the event, its JSON output the result; a TaskError's name is the error type the workflow matches.
  if (isTaskHandler(handler)) return async (event, context) => withInvocationLog(newLogContext(scfRequestId(context)), () => runTask(handler, event));
  // Errors propagate on purpose: SCF's async retries and the DLQ depend on the invocation failing.
  return async (event, context) => withInvocationLog(newLogContext(scfRequestId(context), carriedCorrelationId(event)), async () => {
    const deadLetters = deadLetterSettings(options);
    if (!deadLetters) return runEach(handler, event);
    await runWithDeadLetters(handler, event, context, deadLetters, options);
  });
}

function scfRequestId(context: ScfContext | undefined): string {
  return firstString(context?.request_id) ?? randomUUID();
}

/** The API Gateway request's id (what x-request-id answers), else SCF's. */
function apiRequestId(event: unknown, context: ScfContext | undefined): string {
  if (!isObject(event)) return scfRequestId(context);
  const requestContext = isObject(event.requestContext) ? event.requestContext : {};
  return firstString(requestContext.requestId, headerValue(stringRecord(event.headers), "x-scf-request-id"), context?.request_id) ?? randomUUID();
}

/** The route as the API declares it: the method and requestContext.path, the path's template (e.g. "/users/{id}"). */
function apiRoute(event: unknown): string | undefined {
  if (!isObject(event) || typeof event.httpMethod !== "string") return undefined;
  const template = isObject(event.requestContext) ? firstString(event.requestContext.path) : undefined;
  return `${event.httpMethod.toUpperCase()} ${template ?? firstString(event.path) ?? "/"}`;
}

/** The publisher's correlation id, carried in an EB event's data (../events.ts). */
function carriedCorrelationId(event: unknown): string | undefined {
  if (!isObject(event) || typeof event.specversion !== "string") return undefined;
  return takeEventMetadata(cloudEventData(event.data, event.datacontenttype)).metadata.correlationId;
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}

interface DeadLetterSettings extends AttemptSettings {
  send: DeadLetterSender;
}

/** The task's dead-letter queue and retry settings, or undefined for a function that is not an AsyncTask. */
function deadLetterSettings(options: ScfAdapterOptions): DeadLetterSettings | undefined {
  const env = process.env;
  const queue = env[DEAD_LETTER_ENV.queue];
  if (!queue) return undefined;
  const retries = Number(env[DEAD_LETTER_ENV.retries]);
  const maxEventAgeSeconds = Number(env[DEAD_LETTER_ENV.maxEventAge]);
  if (!Number.isInteger(retries) || retries < 0 || !Number.isFinite(maxEventAgeSeconds) || maxEventAgeSeconds <= 0) {
    throw new Error(`${ADAPTER}: ${DEAD_LETTER_ENV.retries} '${env[DEAD_LETTER_ENV.retries] ?? ""}' and ${DEAD_LETTER_ENV.maxEventAge} '${env[DEAD_LETTER_ENV.maxEventAge] ?? ""}' must be set by the task's dead-letter link`);
  }
  const region = env[DEAD_LETTER_ENV.region] || env.TENCENTCLOUD_REGION || "";
  return { retries, maxEventAgeSeconds, send: options.deadLetter ?? defaultSender(queue, region) };
}

const senders = new Map<string, DeadLetterSender>();

/** One sender (and SDK client) per queue for the life of the instance. */
function defaultSender(queue: string, region: string): DeadLetterSender {
  const key = `${region}/${queue}`;
  let sender = senders.get(key);
  if (!sender) senders.set(key, (sender = cmqDeadLetterSender(queue, region)));
  return sender;
}

async function runWithDeadLetters(
  handler: EventHandler,
  event: unknown,
  context: ScfContext | undefined,
  settings: DeadLetterSettings,
  options: ScfAdapterOptions,
): Promise<void> {
  const ledger = options.ledger ?? instanceLedger;
  const now = options.now ?? Date.now;
  const key = attemptKey(event, context);
  const attempt = ledger.count(key);
  try {
    // A malformed event fails the same way on every attempt: it is dead-lettered like any failure.
    await runEach(handler, event);
    ledger.forget(key);
  } catch (error) {
    const judgement = judgeAttempt({ attempt, settings, eventTimeMs: eventAgeBase(event), nowMs: now() });
    if (judgement.last && !ledger.isDeadLettered(key)) {
      const message = error instanceof Error ? error.message : String(error);
      try {
        await settings.send({ event, error: message, attempts: attempt, time: new Date(now()).toISOString() });
        ledger.markDeadLettered(key);
        console.error(`${ADAPTER}: event ${key} dead-lettered (${judgement.reason}): ${message}`);
      } catch (sendError) {
        console.error(`${ADAPTER}: event ${key} failed (${judgement.reason}) and could not be dead-lettered:`, sendError);
        throw attachDeadLetterError(error, sendError);
      }
    }
    throw error;
  }
}

function attachDeadLetterError(error: unknown, sendError: unknown): unknown {
  if (error instanceof Error) return Object.assign(error, { deadLetterError: sendError });
  return Object.assign(new Error(String(error)), { deadLetterError: sendError });
}

/** The handler for each hub event the invocation carries: one, or a COS notification's records in order. */
async function runEach(handler: EventHandler, event: unknown): Promise<void> {
  for (const hubEvent of readHubEvents(event)) await handler(hubEvent);
}

function readHubEvents(event: unknown): HubEvent[] {
  return isCosNotification(event) ? readCosNotification(event) : [readHubEvent(event)];
}

/** A COS notification's events, or none when it cannot be read (the handler then fails on it). */
function cosEvents(event: unknown): HubEvent[] {
  if (!isCosNotification(event)) return [];
  try {
    return readCosNotification(event);
  } catch {
    return [];
  }
}

/** What identifies one event across SCF's attempts: the CloudEvent id, a COS notification's, a timer firing, else the request. */
function attemptKey(event: unknown, context: ScfContext | undefined): string {
  if (isObject(event) && typeof event.id === "string" && typeof event.specversion === "string") return event.id;
  const cos = cosEvents(event);
  if (cos.length > 0) return cos.map((e) => e.id).join(",");
  if (isTimerEvent(event)) return timerEventId(event);
  if (context?.request_id) return context.request_id;
  return createHash("sha256").update(JSON.stringify(event) ?? "undefined").digest("hex");
}

/** When the event's retry window started, in ms: a redrive's time, else the event's own. */
function eventAgeBase(event: unknown): number | undefined {
  if (!isObject(event)) return undefined;
  const redriven = Number(event[REDRIVE_TIME_ATTRIBUTE]);
  if (Number.isFinite(redriven) && redriven > 0) return redriven;
  const cos = cosEvents(event);
  const time = cos.length > 0 ? cos[0].time : isTimerEvent(event) ? event.Time : event.time;
  if (time === undefined || time === null || time === "") return undefined;
  const millis = typeof time === "number" ? time : /^\d+$/.test(String(time)) ? Number(time) : Date.parse(String(time));
  return Number.isFinite(millis) ? millis : undefined;
}

/** EB CloudEvents and timer events both reach event handlers as a HubEvent. */
function readHubEvent(event: unknown): HubEvent {
  return isTimerEvent(event) ? readTimerEvent(event) : readCloudEvent(event);
}

interface TimerEvent {
  Type: "Timer";
  TriggerName: string;
  Time: string;
  Message?: string;
}

function isTimerEvent(event: unknown): event is TimerEvent {
  return isObject(event) && event.Type === "Timer" && typeof event.TriggerName === "string" && typeof event.Time === "string";
}

function timerEventId(event: TimerEvent): string {
  return `timer:${event.TriggerName}:${event.Time}`;
}

/** A schedule firing, as EventBridge names one ("Scheduled Event"); its id is the trigger and the fire time. */
function readTimerEvent(event: TimerEvent): HubEvent {
  const millis = Date.parse(event.Time);
  if (!Number.isFinite(millis)) throw new TypeError(`${ADAPTER}: timer event Time ${JSON.stringify(event.Time)} is not a date`);
  return {
    id: timerEventId(event),
    source: "tencentcloud.scf.timer",
    type: "Scheduled Event",
    time: new Date(millis).toISOString(),
    detail: {},
  };
}

/**
 * BusinessApi routes that are not `public` carry their API's token settings (SB_API_JWT_*, set by
 * the Tencent realisation's link): API Gateway passes the request through, and the token is
 * verified here before the handler runs (../auth/jwt.ts), a refusal being a 401 JSON error; then
 * the route's roles, if any (./route-roles.ts), a 403.
 */
function withAuthorization(handler: HttpHandler): HttpHandler {
  return http(async (req) => {
    const settings = jwtSettingsFromEnv();
    return handler(settings ? { ...req, claims: await verifyBearer(req.headers, settings) } : req);
  });
}

function readApiGatewayEvent(event: unknown, requestId: string): HttpRequest {
  if (!isObject(event) || typeof event.httpMethod !== "string" || typeof event.path !== "string") {
    throw unexpectedEventError(
      ADAPTER,
      "an API Gateway trigger event (httpMethod, path, headers, queryString, requestContext)",
      event,
    );
  }
  const requestContext = isObject(event.requestContext) ? event.requestContext : {};
  const headers = stringRecord(event.headers);
  return createHttpRequest({
    method: event.httpMethod,
    // `path` is the request's path; requestContext.path is the API's template, e.g. "/users/{id}".
    path: event.path,
    headers,
    // `queryString` holds the whole query; queryStringParameters only the parameters the API declares.
    query: queryRecord(isObject(event.queryString) ? event.queryString : event.queryStringParameters),
    params: stringRecord(event.pathParameters),
    body: typeof event.body === "string" ? event.body : undefined,
    // Set when the API enables Base64 encoding of request bodies (for binary uploads).
    bodyIsBase64: event.isBase64Encoded === true,
    requestId,
    sourceIp: firstString(requestContext.sourceIp),
    // No claims here: withAuthorization verifies the bearer token itself.
  });
}

function toIntegratedResponse(response: NormalizedResponse): ScfHttpResponse {
  const headers: ScfHttpResponse["headers"] = { ...response.headers };
  const cookies = response.cookies ?? [];
  if (cookies.length > 0) headers["set-cookie"] = cookies.length === 1 ? cookies[0] : [...cookies];
  return {
    isBase64Encoded: response.isBase64,
    statusCode: response.status,
    headers,
    body: response.body,
  };
}

/**
 * EB delivers CloudEvents 1.0. Differences from EventBridge: the publisher's detail-type travels
 * as the CloudEvents `type` (hub.publish puts it there), the payload is `data` (documented both
 * as a JSON object and as a JSON string, so a string is parsed when datacontenttype says JSON),
 * and `time` is a UTC millisecond timestamp, as a number or a numeric string, not ISO text.
 */
function readCloudEvent(event: unknown): HubEvent {
  // EB's batch delivery to SCF wraps events in `{ EventList: [...] }` ("开启批量投递功能后,事件将以数组形式投递",
  // cloud.tencent.com/document/product/248/87558). AsyncTask targets keep it off so that each event is
  // attempted, retried and dead-lettered on its own; one arriving means the target was changed by hand.
  if (isObject(event) && Array.isArray(event.EventList)) {
    throw new TypeError(`${ADAPTER}: got an EB batch delivery (EventList of ${event.EventList.length} event(s)); an AsyncTask takes one event per invocation, so each is retried and dead-lettered alone: turn batch delivery off on the EB target (the task's deploy does)`);
  }
  if (
    !isObject(event) ||
    typeof event.specversion !== "string" ||
    typeof event.id !== "string" ||
    typeof event.source !== "string" ||
    typeof event.type !== "string"
  ) {
    throw unexpectedEventError(ADAPTER, "an EventBridge (EB) CloudEvent (specversion, id, source, type, time, data)", event);
  }
  return {
    id: event.id,
    source: event.source,
    type: event.type,
    time: cloudEventTimeToIso(event.time),
    detail: takeEventMetadata(cloudEventData(event.data, event.datacontenttype)).detail,
  };
}

function cloudEventTimeToIso(time: unknown): string {
  // `time` is optional in CloudEvents; without it the delivery time is the best we know.
  if (time === undefined || time === null || time === "") return new Date().toISOString();
  const millis =
    typeof time === "number" ? time : typeof time === "string" && /^\d+$/.test(time) ? Number(time) : Date.parse(String(time));
  if (!Number.isFinite(millis)) {
    throw new TypeError(`${ADAPTER}: EB event time ${JSON.stringify(time)} is neither a millisecond timestamp nor a date`);
  }
  return new Date(millis).toISOString();
}

function cloudEventData(data: unknown, contentType: unknown): unknown {
  if (typeof data !== "string" || typeof contentType !== "string" || !/json/i.test(contentType)) return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Query values arrive as strings, arrays for repeated keys, or `true` for a key without a value. */
function queryRecord(value: unknown): Record<string, string> {
  const query: Record<string, string> = {};
  if (!isObject(value)) return query;
  for (const [key, item] of Object.entries(value)) {
    if (Array.isArray(item)) query[key] = item.map(String).join(",");
    else if (typeof item === "boolean") query[key] = item ? "" : "false";
    else if (item !== undefined && item !== null) query[key] = String(item);
  }
  return query;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const match = Object.keys(headers).find((key) => key.toLowerCase() === name);
  return match === undefined ? undefined : headers[match];
}

// ---- WebSocket (a Realtime's register, transport and cleanup functions, and its route functions) ----

const WEBSOCKET_KINDS = new Map<unknown, SocketDelivery["kind"]>([
  ["connecting", "connect"],
  ["data send", "message"],
  ["data recv", "message"],
  ["closing", "disconnect"],
]);

/** The transport and cleanup functions' answer (API Gateway reads only the status). */
const ACK: ScfWebSocketAck = { errNo: 0, errMsg: "ok" };

/** The socket handler as an SCF function: whichever of the Realtime's functions it is, by the event it gets. */
function toSocketScf(handler: SocketHandler, options: ScfSocketOptions = {}): ScfHandler<ScfSocketResult> {
  return async (event, context) => withInvocationLog(newLogContext(socketRequestId(event, context)), () => runSocketScf(handler, options, event, context));
}

/** The delivery's id: the register event's requestContext.requestId, a forwarded delivery's, else SCF's. */
function socketRequestId(event: unknown, context: ScfContext | undefined): string {
  if (!isObject(event)) return scfRequestId(context);
  const forwarded = isObject(event[FORWARDED_DELIVERY_KEY]) ? (event[FORWARDED_DELIVERY_KEY] as Record<string, unknown>) : {};
  const requestContext = isObject(event.requestContext) ? event.requestContext : {};
  return firstString(forwarded.requestId, requestContext.requestId, context?.request_id) ?? randomUUID();
}

async function runSocketScf(handler: SocketHandler, options: ScfSocketOptions, event: unknown, context: ScfContext | undefined): Promise<ScfSocketResult> {
  const settings = options.settings ?? socketSettingsFromEnv();
  const run: SocketRunOptions = { settings, store: options.store };
  // A route's function, called by the `$default` function: the outcome goes back to it, which relays it.
  const forwarded = forwardedDelivery(event);
  if (forwarded) return handler.run(forwarded, run);

  const { delivery, offeredProtocols, query } = readWebSocketEvent(event, context);
  if (delivery.kind === "connect") return register(handler, delivery, offeredProtocols, query, run);
  if (delivery.kind === "disconnect") {
    await handler.run(delivery, run);
    return ACK;
  }
  const outcome = await routeMessage(handler, delivery, settings, run, options.invoke ?? scfRouteInvoker());
  // A failed push fails the call: the gateway then closes the client, which connects again.
  await relay(outcome, delivery, settings, options.transport ?? tencentRealtime);
  return ACK;
}

interface TencentSocketEvent {
  delivery: SocketDelivery;
  /** Sec-WebSocket-Protocol as the client sent it (connect only). */
  offeredProtocols?: string;
  /** The handshake's query parameters, when the gateway passes them on (connect only). */
  query: Record<string, string>;
}

function readWebSocketEvent(event: unknown, context: ScfContext | undefined): TencentSocketEvent {
  const websocket = isObject(event) && isObject(event.websocket) ? event.websocket : undefined;
  const kind = WEBSOCKET_KINDS.get(websocket?.action);
  const connectionId = firstString(websocket?.secConnectionID);
  if (!isObject(event) || !websocket || !kind || !connectionId) {
    throw unexpectedEventError(
      ADAPTER,
      'an API Gateway WebSocket event (websocket.action "connecting", "data send" or "closing", with secConnectionID)',
      event,
    );
  }
  // Only the register event carries requestContext; the others are identified by SCF's request id.
  const requestContext = isObject(event.requestContext) ? event.requestContext : {};
  const requestId = firstString(requestContext.requestId, context?.request_id) ?? randomUUID();
  const delivery: SocketDelivery = { kind, connectionId, requestId };
  if (kind === "message") delivery.text = frameText(websocket.dataType, websocket.data);
  return {
    delivery,
    offeredProtocols: firstString(websocket.secWebSocketProtocol),
    // Not in the documented register event; read where the API Gateway trigger puts a query.
    query: queryRecord(isObject(event.queryString) ? event.queryString : event.queryStringParameters),
  };
}

/** A frame's text: "binary" frames arrive base64-encoded, "text" ones as the string sent. */
function frameText(dataType: unknown, data: unknown): string {
  if (dataType === "binary") return Buffer.from(String(data ?? ""), "base64").toString("utf8");
  if (typeof data === "string") return data;
  return data === undefined || data === null ? "" : JSON.stringify(data);
}

/** The delivery the `$default` function forwards to a route's function, or undefined for any other event. */
function forwardedDelivery(event: unknown): SocketDelivery | undefined {
  const forwarded = isObject(event) ? event[FORWARDED_DELIVERY_KEY] : undefined;
  if (forwarded === undefined) return undefined;
  if (
    !isObject(forwarded) ||
    forwarded.kind !== "message" ||
    typeof forwarded.connectionId !== "string" ||
    typeof forwarded.requestId !== "string" ||
    typeof forwarded.text !== "string"
  ) {
    throw new TypeError(`${ADAPTER}: a forwarded socket delivery has kind "message", connectionId, requestId and text; got ${JSON.stringify(forwarded)?.slice(0, 200)}`);
  }
  return { kind: "message", connectionId: forwarded.connectionId, requestId: forwarded.requestId, text: forwarded.text, route: firstString(forwarded.route) };
}

/**
 * The register function: the token where the Realtime says clients put it, verified as a
 * BusinessApi route's is, then the connect handler. A refusal is `errNo` = the HTTP status, which
 * the gateway turns into a failed handshake; the reason goes to the log, never the token.
 */
async function register(
  handler: SocketHandler,
  delivery: SocketDelivery,
  offeredProtocols: string | undefined,
  query: Record<string, string>,
  run: SocketRunOptions,
): Promise<ScfWebSocketRegisterResponse> {
  const answer = (errNo: number, errMsg: string, protocol?: string): ScfWebSocketRegisterResponse => ({
    errNo,
    errMsg,
    websocket: { action: "connecting", secConnectionID: delivery.connectionId, ...(protocol ? { secWebSocketProtocol: protocol } : {}) },
  });
  let claims: Record<string, unknown>;
  try {
    claims = await handler.verify(connectToken(process.env[TOKEN_SOURCE_ENV] ?? "query", query, offeredProtocols));
  } catch (error) {
    if (!HttpError.is(error)) throw error;
    console.warn(`[${delivery.requestId}] connection ${delivery.connectionId} refused: ${error.message}`);
    return answer(error.status, error.message);
  }
  const outcome = await handler.run({ ...delivery, claims }, run);
  if (outcome.refused) return answer(outcome.refused.status, outcome.refused.message);
  return answer(0, "ok", chosenProtocol(offeredProtocols));
}



/**
 * The one subprotocol the gateway hands back: "bearer" when offered (never the token after it),
 * else the client's first. A browser drops a connection whose server chooses none of its offers.
 */
function chosenProtocol(offered: string | undefined): string | undefined {
  const protocols = (offered ?? "").split(",").map((p) => p.trim()).filter(Boolean);
  return protocols.includes(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : protocols[0];
}

/**
 * The transport function: a message whose route has a function of its own goes to that function
 * (the gateway has one transport function for every message); any other is this handler's. A
 * route function that cannot be called is the sender's internal error, as a failing handler is.
 */
async function routeMessage(
  handler: SocketHandler,
  delivery: SocketDelivery,
  settings: SocketSettings,
  run: SocketRunOptions,
  invoke: RouteInvoker,
): Promise<SocketOutcome> {
  const action = messageAction(delivery.text ?? "", settings.routeField);
  const routes = socketRoutesFromEnv();
  const functionName = action !== undefined && Object.prototype.hasOwnProperty.call(routes, action) ? routes[action] : undefined;
  if (!functionName) return handler.run(delivery, run);
  try {
    return await invoke(functionName, { ...delivery, route: action });
  } catch (error) {
    console.error(`[${delivery.requestId}] route ${action} (function ${functionName}) could not be called:`, error);
    const reply: SocketErrorReply = { error: { code: "internal", message: "internal error", requestId: delivery.requestId } };
    return { reply: JSON.stringify(reply) };
  }
}

/** The message's route field, when it is a JSON object naming one. */
function messageAction(text: string, routeField: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const action = isObject(body) ? body[routeField] : undefined;
  return typeof action === "string" && action !== "" ? action : undefined;
}

/** A reply is pushed to the sender; a close is a pushed "closing" (which carries no close code). */
async function relay(outcome: SocketOutcome, delivery: SocketDelivery, settings: SocketSettings, transport: RealtimeTransport): Promise<void> {
  const endpoint = realtimeSettings(settings.realtime).endpoint;
  if (outcome.reply !== undefined) {
    const gone = await transport.post(endpoint, [delivery.connectionId], outcome.reply);
    if (gone.length > 0) console.warn(`[${delivery.requestId}] the reply found connection ${delivery.connectionId} gone`);
  }
  if (outcome.close) {
    console.warn(`[${delivery.requestId}] closing connection ${delivery.connectionId}: ${outcome.close.code} ${outcome.close.reason}`);
    await transport.close(endpoint, delivery.connectionId);
  }
}
