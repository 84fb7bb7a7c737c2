/**
 * What function code imports: the handler factories, the HTTP error and body helper, and the
 * contract types. Adapters are imported by the per-cloud bundle entries, not by handlers.
 */
export { http, HttpError, jsonBody } from "./http";
export type { HttpRequest, HttpHandlerRequest, HttpResponse, HttpErrorOptions, HttpHandler, HttpHandlerFunction } from "./http";
export { setCookie, parseCookies } from "./cookies";
export type { CookieOptions, SameSite } from "./cookies";
// A route's `roles` are checked before the handler runs; these let a handler check more itself.
export { claimRoles, requireRole } from "./adapters/route-roles";
export { onEvent } from "./events";
export type { HubEvent, EventHandler, EventHandlerFunction } from "./events";
export { onSocket, isSocketHandler, SOCKET_LIMITS } from "./socket";
export type { SocketEvent, SocketHandler, SocketHandlerFunction } from "./socket";
export { onTask, isTaskHandler, TransientError, TaskFailed } from "./workflow";
export type { TaskHandler, TaskHandlerFunction, TaskJson } from "./workflow";
export { isHttpHandler, isEventHandler, requireHandler } from "./handler";
export type { Handler, HandlerKind } from "./handler";
// Structured JSON lines carrying the invocation's request and correlation ids.
export { log } from "./log";
export type { LogEntry, LogFields, LogLevel, LogError } from "./log";
