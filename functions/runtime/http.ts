/**
 * The portable HTTP contract: what an HTTP handler receives and returns, the error a handler
 * throws to answer 4xx, and `runHttp`, the one place that turns a handler's outcome into a
 * response. Cloud adapters only translate shapes around it, so every target answers the same.
 */
import { parseCookies } from "./cookies";

/** An HTTP request, the same on every target. */
export interface HttpRequest {
  /** Upper-case method, e.g. "GET". */
  method: string;
  /** Request path without the query string, e.g. "/users/42". */
  path: string;
  /**
   * Header names are lower-cased; repeated headers are joined with ",". `cookie` is one header,
   * pairs joined with "; ", on every target (AWS's payload 2.0 sends cookies apart; the adapter
   * puts them back).
   */
  headers: Record<string, string>;
  /** Decoded query parameters; repeated keys are joined with ",". */
  query: Record<string, string>;
  /** Route parameters, e.g. `{ id: "42" }` for "/users/{id}". */
  params: Record<string, string>;
  /**
   * Body as decoded text (a base64 body from the gateway is decoded); absent when empty, and
   * absent when the body is not text (see `bytes`).
   */
  body?: string;
  /**
   * The body's exact bytes when its content type is not text (an image, a PDF,
   * application/octet-stream: anything but text/*, JSON, XML, form data or no content type);
   * absent otherwise. A gateway's base64 is decoded to these bytes, never to a UTF-8 string.
   */
  bytes?: Buffer;
  /** The platform's request id; also sent back as the `x-request-id` header. */
  requestId: string;
  sourceIp?: string;
  /** Verified token claims when the route has an authorizer. */
  claims?: Record<string, unknown>;
  /**
   * The request's cookies by name, parsed from the `cookie` header (see parseCookies). Every
   * adapter sets it, and `http(...)` hands its handler a request that has it; optional here only
   * so a hand-built request need not repeat the header.
   *
   * @example req.cookies.refresh
   */
  cookies?: Record<string, string>;
}

/** What an `http(...)` handler receives: an HttpRequest whose cookies are parsed. */
export type HttpHandlerRequest = HttpRequest & { cookies: Record<string, string> };

/**
 * What a handler may return to control the response.
 * `body`: a string is sent as is (text/plain unless a content-type is set); a Buffer or
 * Uint8Array is sent as bytes (base64 on the wire); anything else is sent as JSON.
 */
export interface HttpResponse {
  /** Defaults to 200. */
  status?: number;
  /**
   * Response headers. An array sends `set-cookie` as one header per value (build each with
   * `setCookie`); any other header's values are joined with ", ".
   *
   * @example headers: { "set-cookie": [setCookie("refresh", token, { path: "/auth" }), setCookie("csrf", csrf)] }
   */
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

/** A response ready for any wire format: adapters only rename these fields. */
export interface NormalizedResponse {
  status: number;
  /** Lower-cased names, one value each; always includes `x-request-id`; never `set-cookie`. */
  headers: Record<string, string>;
  /** `Set-Cookie` values, each to be sent as its own header; absent when none. */
  cookies?: string[];
  body: string;
  /** True when `body` holds base64-encoded bytes. */
  isBase64: boolean;
}

export interface HttpErrorOptions {
  /** Machine-readable code; defaults to one derived from the status, e.g. "not_found". */
  code?: string;
  /** JSON-serialisable detail for the client, e.g. which fields failed validation. */
  details?: unknown;
  cause?: unknown;
}

// A registry symbol rather than `instanceof` alone: a bundle may hold two copies of this module.
const HTTP_ERROR_BRAND = Symbol.for("serverless-blocks.HttpError");

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  410: "gone",
  412: "precondition_failed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable_entity",
  429: "too_many_requests",
};

/**
 * Thrown by a handler to answer with a client error. Its message is shown to the client,
 * so it must not contain secrets.
 *
 * @example throw new HttpError(404, "order 42 not found");
 * @example throw new HttpError(422, "invalid order", { code: "invalid_order", details: { field: "qty" } });
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  readonly [HTTP_ERROR_BRAND] = true;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${String(status)}`);
    }
    this.name = "HttpError";
    this.status = status;
    this.code = options.code ?? CODE_BY_STATUS[status] ?? `http_${status}`;
    if (options.details !== undefined) this.details = options.details;
  }

  static is(value: unknown): value is HttpError {
    return value instanceof HttpError || (isRecord(value) && value[HTTP_ERROR_BRAND] === true);
  }
}

/**
 * Deepest JSON nesting a body may have: deeper is never a real request, and recursive code
 * after the parse (schema checks, structured clone to a worker) would overflow its stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `text` opens more than `limit` arrays/objects inside each other (a scan, no parse). */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Parses the request body as JSON. Throws HttpError(400) naming the problem, so a handler
 * never turns bad client input into a 500. The result is not validated against `T`.
 */
export function jsonBody<T = unknown>(req: HttpRequest): T {
  if (req.body === undefined || req.body.trim() === "") {
    throw new HttpError(400, "body is required", { code: "missing_body" });
  }
  if (jsonNestingExceeds(req.body, MAX_JSON_DEPTH)) {
    throw new HttpError(400, `body is nested more than ${MAX_JSON_DEPTH} levels deep`, { code: "too_deep" });
  }
  try {
    return JSON.parse(req.body) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, `body is not valid JSON: ${reason}`, { code: "invalid_json" });
  }
}

export type HttpHandlerFunction = (
  req: HttpHandlerRequest,
) => Promise<HttpResponse | unknown> | HttpResponse | unknown;

/** A function tagged as an HTTP handler; create it with `http(...)`. */
export type HttpHandler = ((req: HttpRequest) => Promise<unknown>) & { readonly kind: "http" };

/**
 * Marks a function as an HTTP handler. Return an HttpResponse to control status, headers and
 * body, or any other value to answer 200 with it as JSON.
 *
 * @example export const handler = http(async (req) => ({ id: req.params.id }));
 */
export function http(fn: HttpHandlerFunction): HttpHandler {
  // A wrapper, not the caller's function: tagging must not mutate a function used elsewhere.
  const tagged = async (req: HttpRequest): Promise<unknown> =>
    fn(req.cookies ? (req as HttpHandlerRequest) : { ...req, cookies: parseCookies(req.headers.cookie) });
  return Object.defineProperty(tagged, "kind", { value: "http", enumerable: true }) as HttpHandler;
}

/** The fields adapters read from their cloud's event, before normalisation. */
export interface HttpRequestParts {
  method: string;
  path: string;
  headers?: Record<string, string | undefined>;
  query?: Record<string, string>;
  params?: Record<string, string | undefined>;
  body?: string | null;
  bodyIsBase64?: boolean;
  /** The body as bytes already (the local gateway, across a worker boundary: a Uint8Array). */
  bytes?: Uint8Array;
  requestId: string;
  sourceIp?: string;
  claims?: Record<string, unknown>;
}

/** Builds an HttpRequest that keeps the contract's promises (lower-case headers, parsed cookies, decoded body). */
export function createHttpRequest(parts: HttpRequestParts): HttpHandlerRequest {
  const headers = lowerCaseHeaders(parts.headers ?? {});
  const request: HttpHandlerRequest = {
    method: parts.method.toUpperCase(),
    path: parts.path === "" ? "/" : parts.path,
    headers,
    query: { ...(parts.query ?? {}) },
    params: definedEntries(parts.params ?? {}),
    requestId: parts.requestId,
    cookies: parseCookies(headers.cookie),
  };
  const raw = parts.bytes && parts.bytes.length > 0
    ? Buffer.from(parts.bytes)
    : parts.body !== undefined && parts.body !== null && parts.body !== ""
      ? parts.bodyIsBase64 ? Buffer.from(parts.body, "base64") : parts.body
      : undefined;
  if (raw !== undefined) {
    if (isTextContent(headers["content-type"])) request.body = typeof raw === "string" ? raw : raw.toString("utf8");
    else request.bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
  }
  if (parts.sourceIp) request.sourceIp = parts.sourceIp;
  if (parts.claims) request.claims = parts.claims;
  return request;
}

/**
 * Whether a body of this content type is text: none given, text/*, JSON, XML, JavaScript, form
 * data (url-encoded or multipart, whose parts a handler parses as text), or a charset parameter.
 */
export function isTextContent(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === "") return true;
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (/;\s*charset=/i.test(contentType)) return true;
  return type.startsWith("text/") || /^application\/(json|xml|javascript|x-www-form-urlencoded|graphql)$/.test(type) || /\+(json|xml)$/.test(type) || type === "multipart/form-data";
}

/**
 * Calls the handler and turns its result or error into a response:
 * HttpError -> its status with `{"error":{"code","message","details"?}}`;
 * any other error -> 500 with no internal detail (logged with the request id);
 * an HttpResponse -> as given; any other value -> 200 JSON; nothing -> 204.
 */
export async function runHttp(handler: HttpHandler, req: HttpRequest): Promise<NormalizedResponse> {
  let response: NormalizedResponse;
  try {
    const result = await handler(req);
    // Serialising is inside the try: a body JSON.stringify rejects is a handler bug, hence a 500.
    response = isHttpResponse(result) ? encodeResponse(result) : encodePlainValue(result);
  } catch (error) {
    response = HttpError.is(error) ? encodeHttpError(error) : encodeInternalError(error, req.requestId);
  }
  response.headers["x-request-id"] = req.requestId;
  return response;
}

function encodePlainValue(value: unknown): NormalizedResponse {
  if (value === undefined) return { status: 204, headers: {}, body: "", isBase64: false };
  return encodeResponse({ status: 200, body: value });
}

function encodeResponse(response: HttpResponse): NormalizedResponse {
  const { headers, cookies } = responseHeaders(response.headers ?? {});
  const status = response.status ?? 200;
  const withCookies = (encoded: NormalizedResponse): NormalizedResponse => (cookies.length > 0 ? { ...encoded, cookies } : encoded);
  const { body } = response;
  if (body === undefined || body === null) {
    return withCookies({ status, headers, body: "", isBase64: false });
  }
  if (typeof body === "string") {
    headers["content-type"] ??= "text/plain; charset=utf-8";
    return withCookies({ status, headers, body, isBase64: false });
  }
  if (body instanceof Uint8Array) {
    headers["content-type"] ??= "application/octet-stream";
    return withCookies({ status, headers, body: Buffer.from(body).toString("base64"), isBase64: true });
  }
  headers["content-type"] ??= "application/json; charset=utf-8";
  return withCookies({ status, headers, body: toJson(body), isBase64: false });
}

/**
 * A handler's headers as every wire format can carry them: names lower-cased, `set-cookie` values
 * apart (each becomes its own header), any other array joined with ", " (one value per name, as
 * HTTP allows for list-valued headers); names differing only in case are merged.
 */
function responseHeaders(given: Record<string, string | string[] | undefined>): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    const key = name.toLowerCase();
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    if (key === "set-cookie") cookies.push(...values);
    else if (values.length > 0) headers[key] = key in headers ? `${headers[key]}, ${values.join(", ")}` : values.join(", ");
  }
  return { headers, cookies };
}

function encodeHttpError(error: HttpError): NormalizedResponse {
  const payload: { code: string; message: string; details?: unknown } = {
    code: error.code,
    message: error.message,
  };
  if (error.details !== undefined && isJsonSerialisable(error.details)) payload.details = error.details;
  return jsonError(error.status, payload);
}

function encodeInternalError(error: unknown, requestId: string): NormalizedResponse {
  // The cause goes to the log only: messages and stacks can reveal internals to a caller.
  console.error(`[${requestId}] unhandled error in HTTP handler:`, error);
  return jsonError(500, { code: "internal", message: "internal error", requestId });
}

function jsonError(status: number, error: Record<string, unknown>): NormalizedResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ error }),
    isBase64: false,
  };
}

const RESPONSE_KEYS = new Set(["status", "headers", "body"]);

/**
 * An object whose only keys are status/headers/body, with a valid status and string headers.
 * Anything else a handler returns is data, so `{ status: "active" }` is sent as JSON.
 */
function isHttpResponse(value: unknown): value is HttpResponse {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => RESPONSE_KEYS.has(key))) return false;
  const { status, headers } = value;
  const statusOk = status === undefined || (Number.isInteger(status) && Number(status) >= 100 && Number(status) <= 599);
  const headersOk =
    headers === undefined ||
    (isPlainObject(headers) &&
      Object.values(headers).every((v) => typeof v === "string" || (Array.isArray(v) && v.every((item) => typeof item === "string"))));
  return statusOk && headersOk;
}

function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`response body of type ${typeof value} cannot be sent as JSON`);
  return json;
}

function isJsonSerialisable(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}

function lowerCaseHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    const key = name.toLowerCase();
    result[key] = key in result ? `${result[key]},${value}` : String(value);
  }
  return result;
}

function definedEntries(record: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined && value !== null) result[key] = String(value);
  }
  return result;
}

function isRecord(value: unknown): value is Record<PropertyKey, unknown> {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
