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
 */
import { createHash, randomUUID } from "node:crypto";
import { jwtSettingsFromEnv, verifyBearer } from "../auth/jwt";
import { instanceLedger, judgeAttempt, REDRIVE_TIME_ATTRIBUTE, type AttemptLedger, type AttemptSettings } from "../clients/tencentcloud/attempts";
import { cmqDeadLetterSender, DEAD_LETTER_ENV, type DeadLetterSender } from "../clients/tencentcloud/dead-letter";
import { corsSettingsFromEnv, withCors } from "../cors";
import type { EventHandler, HubEvent } from "../events";
import { assertTaggedHandler, isHttpHandler, unexpectedEventError, type Handler } from "../handler";
import { createHttpRequest, http, runHttp, type HttpHandler, type HttpRequest, type NormalizedResponse } from "../http";
import { firstString, isObject, stringRecord } from "./event-values";
import { withRoles } from "./route-roles";

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
}

/** The API Gateway integrated response ("集成响应") an SCF function returns. */
export interface ScfHttpResponse {
  isBase64Encoded: boolean;
  statusCode: number;
  /** One string per name, except `set-cookie` with several cookies: an array, one header each. */
  headers: Record<string, string | string[]>;
  body: string;
}

export type ScfHandler<R> = (event: unknown, context?: ScfContext) => Promise<R>;

const ADAPTER = "toScf";

export function toScf(handler: HttpHandler, options?: ScfAdapterOptions): ScfHandler<ScfHttpResponse>;
export function toScf(handler: EventHandler, options?: ScfAdapterOptions): ScfHandler<void>;
export function toScf(handler: Handler, options?: ScfAdapterOptions): ScfHandler<ScfHttpResponse | void>;
export function toScf(handler: Handler, options: ScfAdapterOptions = {}): ScfHandler<ScfHttpResponse | void> {
  assertTaggedHandler(handler, ADAPTER);
  if (isHttpHandler(handler)) {
    const guarded = withAuthorization(withRoles(handler));
    return async (event, context) => {
      const request = readApiGatewayEvent(event, context);
      return toIntegratedResponse(withCors(await runHttp(guarded, request), request.headers.origin, corsSettingsFromEnv()));
    };
  }
  // Errors propagate on purpose: SCF's async retries and the DLQ depend on the invocation failing.
  return async (event, context) => {
    const deadLetters = deadLetterSettings(options);
    if (!deadLetters) return handler(readHubEvent(event));
    await runWithDeadLetters(handler, event, context, deadLetters, options);
  };
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
    await handler(readHubEvent(event));
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

/** What identifies one event across SCF's attempts: the CloudEvent id, a timer firing, else the request. */
function attemptKey(event: unknown, context: ScfContext | undefined): string {
  if (isObject(event) && typeof event.id === "string" && typeof event.specversion === "string") return event.id;
  if (isTimerEvent(event)) return timerEventId(event);
  if (context?.request_id) return context.request_id;
  return createHash("sha256").update(JSON.stringify(event) ?? "undefined").digest("hex");
}

/** When the event's retry window started, in ms: a redrive's time, else the event's own. */
function eventAgeBase(event: unknown): number | undefined {
  if (!isObject(event)) return undefined;
  const redriven = Number(event[REDRIVE_TIME_ATTRIBUTE]);
  if (Number.isFinite(redriven) && redriven > 0) return redriven;
  const time = isTimerEvent(event) ? event.Time : event.time;
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

function readApiGatewayEvent(event: unknown, context: ScfContext | undefined): HttpRequest {
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
    requestId:
      firstString(requestContext.requestId, headerValue(headers, "x-scf-request-id"), context?.request_id) ??
      randomUUID(),
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
    detail: cloudEventData(event.data, event.datacontenttype),
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
