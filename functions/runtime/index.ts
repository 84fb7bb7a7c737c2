/**
 * What function code imports: the handler factories, the HTTP error and body helper, and the
 * contract types. Adapters are imported by the per-cloud bundle entries, not by handlers.
 */
export { http, HttpError, jsonBody } from "./http";
export type { HttpRequest, HttpResponse, HttpErrorOptions, HttpHandler, HttpHandlerFunction } from "./http";
export { onEvent } from "./events";
export type { HubEvent, EventHandler, EventHandlerFunction } from "./events";
export { isHttpHandler, isEventHandler, requireHandler } from "./handler";
export type { Handler, HandlerKind } from "./handler";
