// Where the browser lands after sign-in: the Auth's signedInUrl, or a path under it that the page
// asked for with /auth/login?redirect=... Only relative paths that stay under signedInUrl are
// taken: an absolute URL (`https://evil.example`), a protocol-relative one (`//evil.example`), a
// backslash trick (`/\evil.example`) or `..` climbing out are refused, so the issuer never
// becomes an open redirect.
import { HttpError } from "../runtime";

/** The landing URL: signedInUrl resolved against the issuer when it is a path; "" means the API host's root. */
export function signedInBase(signedInUrl: string, issuer: string): URL {
    return new URL(signedInUrl || "/", issuer);
}

/** Checks a `redirect` query value; returns it normalised (no leading slash), or throws 400. */
export function checkRedirect(redirect: string | undefined, base: URL): string {
    if (redirect === undefined || redirect === "") return "";
    const refuse = () => {
        throw new HttpError(400, "redirect must be a relative path under the signed-in URL", { code: "bad_redirect" });
    };
    if (redirect.length > 1024 || /[\\\x00-\x20\x7f]/.test(redirect) || redirect.startsWith("//") || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(redirect)) refuse();
    const relative = redirect.replace(/^\/+/, "");
    if (decodeSafely(relative).split(/[/?#]/)[0] === ".." || /(^|\/)\.\.(\/|$)/.test(decodeSafely(relative.split(/[?#]/)[0]))) refuse();
    const target = landing(base, relative);
    const dir = directoryOf(base);
    if (target.origin !== base.origin || !target.pathname.startsWith(dir)) refuse();
    return relative;
}

/** The URL the callback sends the browser to. */
export function landing(base: URL, relative: string): URL {
    return relative === "" ? new URL(base.href) : new URL(relative, new URL(directoryOf(base), base));
}

function directoryOf(base: URL): string {
    return base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
}

function decodeSafely(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}
