// What every adapter adds to an HTTP invocation's logging (../log.ts): the end line's status,
// and the caller's correlation id echoed on the response.
import type { NormalizedResponse } from "../http";
import { isSaneId, type Summarise } from "../log";

/** The end line of an HTTP invocation: its status; an error level for a 5xx (the handler failed). */
export const httpSummary: Summarise<{ status?: number; statusCode?: number }> = (response) => {
  const status = response.status ?? response.statusCode;
  return { level: status !== undefined && status >= 500 ? "error" : "info", fields: { status } };
};

/** A response answers with the correlation id the caller sent (when it was one we use), so it can find the request's lines. */
export function withCorrelationHeader(response: NormalizedResponse, headers: Record<string, string>): NormalizedResponse {
  const given = headers["x-correlation-id"];
  if (isSaneId(given)) response.headers["x-correlation-id"] = given;
  return response;
}
