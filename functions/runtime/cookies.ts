/**
 * Cookies for HTTP handlers: `setCookie` builds one `Set-Cookie` value safely (RFC 6265 names and
 * values, attributes checked, secure defaults), `parseCookies` reads a request's `Cookie` header.
 * A response sets several cookies with an array: `headers: { "set-cookie": [a, b] }`, and every
 * target sends each as its own `Set-Cookie` header.
 */

export type SameSite = "Strict" | "Lax" | "None";

export interface CookieOptions {
  /** Hidden from page scripts. Default true. */
  httpOnly?: boolean;
  /** Sent over https only (browsers treat http://localhost as secure too). Default true. */
  secure?: boolean;
  /**
   * Whether other sites' requests carry the cookie. Default "Lax"; "None" needs `secure`.
   *
   * @example sameSite: "Strict"
   */
  sameSite?: SameSite;
  /**
   * The path the cookie is sent to (and below). Default "/".
   *
   * @example path: "/auth"
   */
  path?: string;
  /**
   * Seconds until the cookie expires; 0 deletes it now. Without it (and `expires`), the cookie
   * lasts as long as the browser session.
   *
   * @example maxAge: 30 * 24 * 3600
   */
  maxAge?: number;
  /** When the cookie expires; `maxAge` wins where browsers see both. */
  expires?: Date;
}

/** RFC 6265 cookie-name: an RFC 7230 token. */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 cookie-octet: printable ASCII except space, `"`, `,`, `;` and `\`. */
const VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
/** A path attribute: printable ASCII except `;` (so no CR, LF or attribute injection). */
const PATH = /^\/[\x20-\x3A\x3C-\x7E]*$/;
const SAME_SITE: readonly SameSite[] = ["Strict", "Lax", "None"];

/**
 * One `Set-Cookie` header value. Throws a TypeError naming the problem for a name or value that
 * could inject a header or attribute (CR, LF, `;`, spaces, quotes...), or inconsistent attributes;
 * encode free text first (`encodeURIComponent`), as `parseCookies` decodes it.
 *
 * @example setCookie("refresh", token, { path: "/auth", sameSite: "Strict", maxAge: 2592000 })
 *   // "refresh=<token>; Path=/auth; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict"
 * @example setCookie("refresh", "", { path: "/auth", maxAge: 0 })   // deletes it
 */
export function setCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(`setCookie: name ${JSON.stringify(name)} is not allowed; a cookie name is letters, digits and !#$%&'*+-.^_\`|~`);
  }
  if (typeof value !== "string" || !VALUE.test(value)) {
    throw new TypeError(`setCookie: the value of '${name}' has a character cookies cannot carry (space, quote, comma, ';', '\\' or a control character); encode it first, e.g. encodeURIComponent(value)`);
  }
  const { httpOnly = true, secure = true, sameSite = "Lax", path = "/", maxAge, expires } = options;
  if (!SAME_SITE.includes(sameSite)) throw new TypeError(`setCookie '${name}': sameSite ${JSON.stringify(sameSite)} is not allowed; allowed: ${SAME_SITE.join(", ")}`);
  if (sameSite === "None" && !secure) throw new TypeError(`setCookie '${name}': sameSite "None" needs secure: true (browsers drop it otherwise)`);
  if (typeof path !== "string" || !PATH.test(path)) throw new TypeError(`setCookie '${name}': path ${JSON.stringify(path)} is not allowed; it starts with '/' and has no ';' or control character`);
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0)) throw new TypeError(`setCookie '${name}': maxAge ${String(maxAge)} is not allowed; expected whole seconds, 0 or more`);
  if (expires !== undefined && !(expires instanceof Date && Number.isFinite(expires.getTime()))) throw new TypeError(`setCookie '${name}': expires is not a valid Date`);
  // Browsers enforce the prefixes; refusing here says why instead of a cookie that silently never arrives.
  if (name.startsWith("__Secure-") && !secure) throw new TypeError(`setCookie '${name}': a __Secure- cookie needs secure: true`);
  if (name.startsWith("__Host-") && (!secure || path !== "/")) throw new TypeError(`setCookie '${name}': a __Host- cookie needs secure: true and path "/"`);

  const parts = [`${name}=${value}`, `Path=${path}`];
  if (maxAge !== undefined) parts.push(`Max-Age=${maxAge}`);
  if (expires !== undefined) parts.push(`Expires=${expires.toUTCString()}`);
  if (httpOnly) parts.push("HttpOnly");
  if (secure) parts.push("Secure");
  parts.push(`SameSite=${sameSite}`);
  return parts.join("; ");
}

/**
 * The cookies of a `Cookie` header, by name: the first of a repeated name wins (browsers send the
 * most specific path first), double quotes around a value are dropped and `%XX` escapes decoded.
 * Pairs without a valid name are skipped.
 *
 * @example parseCookies("session=abc123; theme=dark") // { session: "abc123", theme: "dark" }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (!NAME.test(name) || Object.prototype.hasOwnProperty.call(cookies, name)) continue;
    let value = pair.slice(at + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    // Defined, not assigned: a cookie named __proto__ stays a cookie.
    Object.defineProperty(cookies, name, { value: decode(value), enumerable: true, writable: true, configurable: true });
  }
  return cookies;
}

function decode(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
