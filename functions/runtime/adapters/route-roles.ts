// A BusinessApi route's `roles`: the verified token's `roles` claim must hold at least one of them.
// No gateway checks a claim's value (API Gateway HTTP API JWT authorizers check scopes only), so
// every adapter runs this one check after the token was verified (by the gateway on AWS and
// locally, by the Tencent adapter itself), with the roles the realisation put in the route
// function's environment. A caller without the role gets 403 `{"error":{"code":"forbidden",...}}`.
import { http, HttpError, type HttpHandler, type HttpRequest } from "../http";

/** The variable a route function finds its route's roles in: a JSON array of strings (set by the realisation's link). */
export const ROLES_ENV = "SB_API_ROLES";
/** The claim holding the caller's roles. */
export const ROLES_CLAIM = "roles";

/** The route's roles from the environment; undefined when the route has none. */
export function rolesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env[ROLES_ENV];
  if (!raw) return undefined;
  let roles: unknown;
  try {
    roles = JSON.parse(raw);
  } catch {
    roles = undefined;
  }
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => typeof role === "string" && role !== "")) {
    throw new Error(`${ROLES_ENV} must be a JSON array of role names (set by the API's link); got ${JSON.stringify(raw)}`);
  }
  return roles;
}

/**
 * The roles a token's claims grant: the `roles` claim as an array (Tencent, local), or as API
 * Gateway's JWT authorizer renders an array claim on AWS: one string, "[admin user]"; a plain
 * string may also list them separated by spaces or commas.
 *
 * @example claimRoles({ roles: "[admin user]" }) // ["admin", "user"]
 */
export function claimRoles(claims: Record<string, unknown> | undefined): string[] {
  const value = claims?.[ROLES_CLAIM];
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === "string" && role !== "");
  if (typeof value !== "string") return [];
  const listed = value.trim().replace(/^\[(.*)\]$/s, "$1");
  return listed.split(/[\s,]+/).filter(Boolean);
}

/**
 * Throws HttpError 403 (`code: "forbidden"`) unless the claims grant one of `roles`.
 *
 * @example requireRole(req.claims, ["admin"])
 */
export function requireRole(claims: Record<string, unknown> | undefined, roles: readonly string[]): void {
  const held = claimRoles(claims);
  if (roles.some((role) => held.includes(role))) return;
  const needed = roles.length === 1 ? `the role '${roles[0]}'` : `one of the roles ${roles.map((r) => `'${r}'`).join(", ")}`;
  throw new HttpError(403, `this route needs ${needed}; the token's roles claim has ${held.length === 0 ? "none" : held.map((r) => `'${r}'`).join(", ")}`, {
    code: "forbidden",
    details: { anyOf: [...roles] },
  });
}

/** The handler behind the route's role check (read from the environment on every request; none: no check). */
export function withRoles(handler: HttpHandler, env: NodeJS.ProcessEnv = process.env): HttpHandler {
  return http(async (req: HttpRequest) => {
    const roles = rolesFromEnv(env);
    if (roles) requireRole(req.claims, roles);
    return handler(req);
  });
}
