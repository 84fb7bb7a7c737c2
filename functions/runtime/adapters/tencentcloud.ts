/**
 * Tencent Cloud SCF adapter: API Gateway trigger events and EventBridge (EB) CloudEvents in,
 * the portable contracts to the handler, the API Gateway integrated response out.
 * Shapes: SCF "触发器事件消息结构汇总" (https://cloud.tencent.com/document/product/583/31927),
 * API Gateway Base64 encoding (https://cloud.tencent.com/document/product/628/51799),
 * EB event structure (https://cloud.tencent.com/document/product/1359/56075).
 */
import { randomUUID } from "node:crypto";
import type { EventHandler, HubEvent } from "../events";
import { assertTaggedHandler, isHttpHandler, unexpectedEventError, type Handler } from "../handler";
import { createHttpRequest, runHttp, type HttpHandler, type HttpRequest, type NormalizedResponse } from "../http";

/** The part of the SCF context object this adapter reads. */
export interface ScfContext {
  request_id?: string;
}

/** The API Gateway integrated response ("集成响应") an SCF function returns. */
export interface ScfHttpResponse {
  isBase64Encoded: boolean;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type ScfHandler<R> = (event: unknown, context?: ScfContext) => Promise<R>;

const ADAPTER = "toScf";

export function toScf(handler: HttpHandler): ScfHandler<ScfHttpResponse>;
export function toScf(handler: EventHandler): ScfHandler<void>;
export function toScf(handler: Handler): ScfHandler<ScfHttpResponse | void>;
export function toScf(handler: Handler): ScfHandler<ScfHttpResponse | void> {
  assertTaggedHandler(handler, ADAPTER);
  if (isHttpHandler(handler)) {
    return async (event, context) => toIntegratedResponse(await runHttp(handler, readApiGatewayEvent(event, context)));
  }
  // Errors propagate on purpose: SCF's async retries and the DLQ depend on the invocation failing.
  return async (event) => handler(readCloudEvent(event));
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
    // No claims: API Gateway forwards no verified JWT claims to the function in this event.
  });
}

function toIntegratedResponse(response: NormalizedResponse): ScfHttpResponse {
  return {
    isBase64Encoded: response.isBase64,
    statusCode: response.status,
    headers: response.headers,
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

function stringRecord(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && item !== null) result[key] = String(item);
  }
  return result;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === "string" && value !== "");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
