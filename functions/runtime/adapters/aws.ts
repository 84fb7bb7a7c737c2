/**
 * AWS Lambda adapter: API Gateway HTTP API events (payload format 2.0) and EventBridge events
 * in, the portable contracts to the handler, the HTTP API 2.0 response shape out.
 * Shapes: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 *
 * Cookies: format 2.0 moves the request's Cookie headers into `cookies: string[]` and sends each
 * entry of the response's `cookies` as its own Set-Cookie header; `headers` carries one string per
 * name. A route's token is verified by the API's JWT authorizer, whose claims arrive in
 * requestContext.authorizer.jwt.claims; the route's `roles` are checked here (./route-roles.ts).
 */
import { randomUUID } from "node:crypto";
import type { EventHandler, HubEvent } from "../events";
import { assertTaggedHandler, isHttpHandler, unexpectedEventError, type Handler } from "../handler";
import { createHttpRequest, runHttp, type HttpHandler, type HttpRequest, type NormalizedResponse } from "../http";
import { firstString, isObject, stringRecord } from "./event-values";
import { withRoles } from "./route-roles";

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

export type LambdaHandler<R> = (event: unknown, context?: LambdaContext) => Promise<R>;

const ADAPTER = "toLambda";

export function toLambda(handler: HttpHandler): LambdaHandler<LambdaHttpResponse>;
export function toLambda(handler: EventHandler): LambdaHandler<void>;
export function toLambda(handler: Handler): LambdaHandler<LambdaHttpResponse | void>;
export function toLambda(handler: Handler): LambdaHandler<LambdaHttpResponse | void> {
  assertTaggedHandler(handler, ADAPTER);
  if (isHttpHandler(handler)) {
    const guarded = withRoles(handler);
    return async (event, context) => toHttpApiResponse(await runHttp(guarded, readHttpApiEvent(event, context)));
  }
  // Errors propagate on purpose: Lambda's async retries and the DLQ depend on the invocation failing.
  return async (event) => handler(readEventBridgeEvent(event));
}

function readHttpApiEvent(event: unknown, context: LambdaContext | undefined): HttpRequest {
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
    requestId: firstString(requestContext.requestId, context?.awsRequestId) ?? randomUUID(),
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
  return { id: event.id, source: event.source, type: event["detail-type"], time: event.time, detail: event.detail };
}

function parseQueryString(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    query[key] = key in query ? `${query[key]},${value}` : value;
  }
  return query;
}
