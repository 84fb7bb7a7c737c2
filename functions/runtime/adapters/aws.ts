/**
 * AWS Lambda adapter: API Gateway HTTP API events (payload format 2.0), API Gateway WebSocket
 * events (and the REQUEST authorizer of `$connect`) and EventBridge events in, the portable
 * contracts to the handler, the shape API Gateway expects out.
 * Shapes: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 *
 * Cookies: format 2.0 moves the request's Cookie headers into `cookies: string[]` and sends each
 * entry of the response's `cookies` as its own Set-Cookie header; `headers` carries one string per
 * name. A route's token is verified by the API's JWT authorizer, whose claims arrive in
 * requestContext.authorizer.jwt.claims; the route's `roles` are checked here (./route-roles.ts).
 *
 * WebSocket: one Lambda per route of a Realtime (components/aws/realtime.ts), plus its authorizer,
 * built from the connect handler: this adapter answers the authorizer's REQUEST events itself
 * (verify the token, Allow with the claims in the context, or "Unauthorized" for API Gateway's
 * 401) and hands every route event to ./socket.ts, which keeps the connection store.
 */
import { randomUUID } from "node:crypto";
import { takeEventMetadata, type EventHandler, type HubEvent } from "../events";
import { assertTaggedHandler, isHttpHandler, unexpectedEventError, type Handler } from "../handler";
import { isSocketHandler, type SocketHandler } from "../socket";
import { createHttpRequest, HttpError, runHttp, type HttpHandler, type HttpRequest, type NormalizedResponse } from "../http";
import { realtimeSettings, type RealtimeTransport } from "../clients/realtime";
import { firstString, isObject, stringRecord } from "./event-values";
import { withRoles } from "./route-roles";
import { runTask } from "./task";
import { correlationIdOf, newLogContext, withInvocationLog } from "../log";
import { httpSummary, withCorrelationHeader } from "./invocation-log";
import { isTaskHandler, type TaskHandler, type TaskJson } from "../workflow";
import { isS3Notification, readS3Notification } from "./s3-events";
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

/** The part of the Lambda context object this adapter reads. */
export interface LambdaContext {
  awsRequestId?: string;
}

/** The HTTP API payload format 2.0 response. */
export interface LambdaHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  /** HTTP API turns each entry into a `set-cookie` header. */
  cookies?: string[];
}

/** A WebSocket route's Lambda proxy response: the status of the upgrade ($connect), or a frame for the sender. */
export interface LambdaSocketResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What a REQUEST authorizer answers for a token it accepts: an Allow for this connect, and the claims. */
export interface LambdaAuthorizerResponse {
  principalId: string;
  policyDocument: { Version: "2012-10-17"; Statement: { Action: "execute-api:Invoke"; Effect: "Allow"; Resource: string }[] };
  /** Values must be strings, numbers or booleans: the claims travel as JSON text. */
  context: { claims: string };
}

export type LambdaSocketResult = LambdaSocketResponse | LambdaAuthorizerResponse;

export type LambdaHandler<R> = (event: unknown, context?: LambdaContext) => Promise<R>;

const ADAPTER = "toLambda";

export function toLambda(handler: HttpHandler): LambdaHandler<LambdaHttpResponse>;
export function toLambda(handler: EventHandler): LambdaHandler<void>;
export function toLambda(handler: SocketHandler): LambdaHandler<LambdaSocketResult>;
export function toLambda(handler: TaskHandler): LambdaHandler<TaskJson>;
export function toLambda(handler: Handler): LambdaHandler<LambdaHttpResponse | LambdaSocketResult | TaskJson | void>;
export function toLambda(handler: Handler): LambdaHandler<LambdaHttpResponse | LambdaSocketResult | TaskJson | void> {
  assertTaggedHandler(handler, ADAPTER);
  if (isHttpHandler(handler)) {
    const guarded = withRoles(handler);
    return async (event, context) => {
      const requestId = invocationId(event, context);
      const route = isObject(event) ? firstString(event.routeKey) : undefined;
      // An event of the wrong shape fails inside the log context: its error is logged with the ids.
      let correlationId = requestId;
      if (isObject(event)) correlationId = correlationIdOf(lowerCaseKeys(stringRecord(event.headers)), requestId);
      return withInvocationLog(newLogContext(requestId, correlationId, route), async () => {
        const request = readHttpApiEvent(event, requestId);
        return toHttpApiResponse(withCorrelationHeader(await runHttp(guarded, request), request.headers));
      }, httpSummary);
    };
  }
  if (isSocketHandler(handler)) return toSocketLambda(handler);
  // A workflow state: its input is the event, its JSON output the result; a TaskError's name is the error type the workflow matches.
  if (isTaskHandler(handler)) return async (event, context) => withInvocationLog(newLogContext(invocationId(event, context)), () => runTask(handler, event));
  // Errors propagate on purpose: Lambda's async retries and the DLQ depend on the invocation failing.
  return async (event, context) => {
    // The publisher's correlation id, carried in the detail (../events.ts), follows into this handler's lines.
    const carried = isObject(event) ? takeEventMetadata(event.detail).metadata.correlationId : undefined;
    return withInvocationLog(newLogContext(invocationId(event, context), carried), async () => {
      // A bucket's notification (FileUpload) carries records: each is one hub event, in order.
      if (isS3Notification(event)) {
        for (const record of readS3Notification(event)) await handler(record);
        return;
      }
      await handler(readEventBridgeEvent(event));
    });
  };
}

/** The invocation's id: API Gateway's request id (what x-request-id answers), else Lambda's. */
function invocationId(event: unknown, context: LambdaContext | undefined): string {
  const requestContext = isObject(event) && isObject(event.requestContext) ? event.requestContext : {};
  return firstString(requestContext.requestId, context?.awsRequestId) ?? randomUUID();
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}

function readHttpApiEvent(event: unknown, requestId: string): HttpRequest {
  const http = isObject(event) && isObject(event.requestContext) ? event.requestContext.http : undefined;
  if (!isObject(event) || typeof event.rawPath !== "string" || !isObject(http) || typeof http.method !== "string") {
    throw unexpectedEventError(
      ADAPTER,
      "an API Gateway HTTP API event, payload format 2.0 (rawPath, requestContext.http.method)",
      event,
    );
  }
  const requestContext = event.requestContext as Record<string, unknown>;
  const headers = stringRecord(event.headers);
  // Format 2.0 moves Cookie headers into `cookies`; handlers expect them where HTTP puts them.
  if (Array.isArray(event.cookies) && event.cookies.length > 0) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === "cookie") delete headers[name];
    headers.cookie = event.cookies.map(String).join("; ");
  }
  return createHttpRequest({
    method: http.method,
    path: event.rawPath,
    headers,
    // queryStringParameters is already decoded with duplicates comma-joined; absent without a query.
    query: isObject(event.queryStringParameters)
      ? stringRecord(event.queryStringParameters)
      : parseQueryString(typeof event.rawQueryString === "string" ? event.rawQueryString : ""),
    params: stringRecord(event.pathParameters),
    body: typeof event.body === "string" ? event.body : undefined,
    bodyIsBase64: event.isBase64Encoded === true,
    requestId,
    sourceIp: firstString(http.sourceIp),
    claims: jwtClaims(requestContext.authorizer),
  });
}

function jwtClaims(authorizer: unknown): Record<string, unknown> | undefined {
  if (!isObject(authorizer) || !isObject(authorizer.jwt) || !isObject(authorizer.jwt.claims)) return undefined;
  return { ...authorizer.jwt.claims };
}

function toHttpApiResponse(response: NormalizedResponse): LambdaHttpResponse {
  const result: LambdaHttpResponse = {
    statusCode: response.status,
    headers: response.headers,
    body: response.body,
    isBase64Encoded: response.isBase64,
  };
  // Format 2.0 documents `cookies` as the way to send Set-Cookie headers: one header per entry.
  if (response.cookies && response.cookies.length > 0) result.cookies = [...response.cookies];
  return result;
}

function readEventBridgeEvent(event: unknown): HubEvent {
  if (
    !isObject(event) ||
    typeof event.id !== "string" ||
    typeof event.source !== "string" ||
    typeof event["detail-type"] !== "string" ||
    typeof event.time !== "string"
  ) {
    throw unexpectedEventError(ADAPTER, "an EventBridge event (id, source, detail-type, time, detail)", event);
  }
  // EventBridge reports no attempt number to the target, so `attempt` stays unset.
  return { id: event.id, source: event.source, type: event["detail-type"], time: event.time, detail: takeEventMetadata(event.detail).detail };
}

function parseQueryString(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    query[key] = key in query ? `${query[key]},${value}` : value;
  }
  return query;
}

// ---- WebSocket (a Realtime's routes and its $connect authorizer) ----

export interface AwsSocketOptions extends SocketRunOptions {
  /** How connections are closed; by default the Management API of the Realtime's stage. */
  transport?: RealtimeTransport;
}

/** The socket handler as a Lambda: authorizer events answered here, route events through the handler's run (the connection store, limits, handler). */
export function toSocketLambda(handler: SocketHandler, options: AwsSocketOptions = {}): LambdaHandler<LambdaSocketResult> {
  return async (event, context) => withInvocationLog(newLogContext(invocationId(event, context)), async () => {
    if (isAuthorizerEvent(event)) return authorizeConnect(handler, event);
    const delivery = readWebSocketEvent(event, context);
    const settings = options.settings ?? socketSettingsFromEnv();
    const outcome = await handler.run(delivery, { settings, store: options.store });
    return toWebSocketResponse(outcome, delivery, settings, options.transport);
  });
}

interface AuthorizerEvent {
  type: "REQUEST";
  methodArn: string;
  headers?: unknown;
  queryStringParameters?: unknown;
  requestContext?: unknown;
}

function isAuthorizerEvent(event: unknown): event is AuthorizerEvent {
  return isObject(event) && event.type === "REQUEST" && typeof event.methodArn === "string";
}

/**
 * The $connect authorizer: the token where the Realtime says clients put it, verified as a
 * BusinessApi route's is. API Gateway answers the connect 401 when the authorizer fails with
 * exactly "Unauthorized"; any other failure (the issuer's keys unavailable: 503) is a 500, so a
 * broken issuer is not mistaken for bad tokens.
 */
async function authorizeConnect(handler: SocketHandler, event: AuthorizerEvent): Promise<LambdaAuthorizerResponse> {
  const requestId = isObject(event.requestContext) ? firstString(event.requestContext.requestId) : undefined;
  const headers = stringRecord(event.headers);
  const protocolHeader = Object.keys(headers).find((name) => name.toLowerCase() === "sec-websocket-protocol");
  const token = connectToken(process.env[TOKEN_SOURCE_ENV] ?? "query", stringRecord(event.queryStringParameters), protocolHeader && headers[protocolHeader]);
  let claims: Record<string, unknown>;
  try {
    claims = await handler.verify(token);
  } catch (error) {
    if (HttpError.is(error) && error.status === 401) throw unauthorized(requestId, error.message);
    throw error;
  }
  // The connection is the user's: a token naming no one would be refused at $connect anyway.
  if (typeof claims.sub !== "string" || claims.sub === "") throw unauthorized(requestId, "the token has no subject (sub)");
  return {
    principalId: claims.sub,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] },
    context: { claims: JSON.stringify(claims) },
  };
}

/** The client only sees 401; the reason goes to the authorizer's log (never the token). */
function unauthorized(requestId: string | undefined, reason: string): Error {
  console.warn(`[${requestId ?? "-"}] connection refused: ${reason}`);
  return new Error("Unauthorized");
}

const EVENT_KINDS = new Map<unknown, SocketDelivery["kind"]>([["CONNECT", "connect"], ["MESSAGE", "message"], ["DISCONNECT", "disconnect"]]);

function readWebSocketEvent(event: unknown, context: LambdaContext | undefined): SocketDelivery {
  const requestContext = isObject(event) && isObject(event.requestContext) ? event.requestContext : undefined;
  const kind = EVENT_KINDS.get(requestContext?.eventType);
  const connectionId = firstString(requestContext?.connectionId);
  if (!isObject(event) || !requestContext || !kind || !connectionId) {
    throw unexpectedEventError(
      ADAPTER,
      "an API Gateway WebSocket event (requestContext.eventType CONNECT, MESSAGE or DISCONNECT, with connectionId) or a REQUEST authorizer event (type, methodArn)",
      event,
    );
  }
  const requestId = firstString(requestContext.requestId, context?.awsRequestId) ?? randomUUID();
  if (kind === "connect") return { kind, connectionId, requestId, claims: authorizerClaims(requestContext.authorizer) };
  if (kind === "disconnect") return { kind, connectionId, requestId };
  return { kind, connectionId, requestId, text: frameText(event), route: firstString(requestContext.routeKey) };
}

/** The message's frame as text: API Gateway base64-encodes a binary frame. */
function frameText(event: Record<string, unknown>): string {
  if (typeof event.body !== "string") return "";
  return event.isBase64Encoded === true ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}

/** The claims the authorizer verified, from its context (JSON text); undefined makes runSocket refuse the connect. */
function authorizerClaims(authorizer: unknown): Record<string, unknown> | undefined {
  if (!isObject(authorizer) || typeof authorizer.claims !== "string") return undefined;
  try {
    const claims: unknown = JSON.parse(authorizer.claims);
    return isObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

async function toWebSocketResponse(outcome: SocketOutcome, delivery: SocketDelivery, settings: SocketSettings, transport: RealtimeTransport | undefined): Promise<LambdaSocketResponse> {
  if (outcome.refused) {
    const { status, message } = outcome.refused;
    // The body an HTTP route's error of that status has (the code from HttpError's own table).
    return { statusCode: status, body: JSON.stringify({ error: { code: new HttpError(status, message).code, message } }) };
  }
  if (outcome.close) {
    // DeleteConnection carries no close code: the client sees API Gateway's own close frame.
    console.warn(`[${delivery.requestId}] closing connection ${delivery.connectionId}: ${outcome.close.code} ${outcome.close.reason}`);
    await (transport ?? defaultTransport()).close(realtimeSettings(settings.realtime).endpoint, delivery.connectionId);
    return { statusCode: 200 };
  }
  // A browser drops a connection whose server does not choose one of the subprotocols it offered.
  if (delivery.kind === "connect" && process.env[TOKEN_SOURCE_ENV] === "protocol") {
    return { statusCode: 200, headers: { "Sec-WebSocket-Protocol": TOKEN_SUBPROTOCOL } };
  }
  return outcome.reply === undefined ? { statusCode: 200 } : { statusCode: 200, body: outcome.reply };
}

/** Required when first needed: HTTP and event functions never load the Management API client. */
function defaultTransport(): RealtimeTransport {
  return require("../clients/aws/realtime").awsRealtime;
}
