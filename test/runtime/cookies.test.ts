// setCookie builds Set-Cookie values that cannot smuggle a header or an attribute, with secure
// defaults; parseCookies reads what browsers send.
import * as assert from "node:assert/strict";
import { parseCookies, setCookie } from "../../functions/runtime";

describe("setCookie", () => {
    it("is HttpOnly, Secure, SameSite=Lax and Path=/ unless told otherwise", () => {
        assert.equal(setCookie("session", "abc123"), "session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax");
    });

    it("writes every attribute asked for", () => {
        const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
        assert.equal(
            setCookie("refresh", "eyJhbGciOiJFUzI1NiJ9.e30.sig-_", { path: "/auth", maxAge: 2592000, expires, sameSite: "Strict" }),
            "refresh=eyJhbGciOiJFUzI1NiJ9.e30.sig-_; Path=/auth; Max-Age=2592000; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Secure; SameSite=Strict",
        );
        assert.equal(setCookie("theme", "dark", { httpOnly: false, secure: false }), "theme=dark; Path=/; SameSite=Lax");
        assert.equal(setCookie("refresh", "", { path: "/auth", maxAge: 0 }), "refresh=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
    });

    it("refuses a value that would inject a header or an attribute, naming the cookie", () => {
        for (const value of ["a\r\nSet-Cookie: admin=1", "a\nb", "a; Domain=evil.example", "a b", 'a"b', "a,b", "a\\b", "é"]) {
            assert.throws(() => setCookie("session", value), /setCookie: the value of 'session' has a character cookies cannot carry .*encodeURIComponent/, JSON.stringify(value));
        }
        assert.equal(setCookie("note", encodeURIComponent("a; b é")), "note=a%3B%20b%20%C3%A9; Path=/; HttpOnly; Secure; SameSite=Lax");
    });

    it("refuses a name that is not a token", () => {
        for (const name of ["", "a b", "a;b", "a=b", "a\r\n", "名前"]) {
            assert.throws(() => setCookie(name, "v"), /setCookie: name .* is not allowed; a cookie name is letters, digits/, JSON.stringify(name));
        }
    });

    it("refuses attributes browsers would drop or that could inject", () => {
        assert.throws(() => setCookie("a", "1", { path: "/x; Domain=evil.example" }), /path .* is not allowed; it starts with '\/' and has no ';'/);
        assert.throws(() => setCookie("a", "1", { path: "/x\r\nX: y" }), /path .* is not allowed/);
        assert.throws(() => setCookie("a", "1", { path: "auth" }), /path "auth" is not allowed/);
        assert.throws(() => setCookie("a", "1", { sameSite: "None", secure: false }), /sameSite "None" needs secure: true/);
        assert.throws(() => setCookie("a", "1", { sameSite: "lax" as never }), /sameSite "lax" is not allowed; allowed: Strict, Lax, None/);
        assert.throws(() => setCookie("a", "1", { maxAge: 1.5 }), /maxAge 1\.5 is not allowed; expected whole seconds, 0 or more/);
        assert.throws(() => setCookie("a", "1", { maxAge: -1 }), /maxAge -1 is not allowed/);
        assert.throws(() => setCookie("a", "1", { expires: new Date(Number.NaN) }), /expires is not a valid Date/);
        assert.throws(() => setCookie("__Secure-a", "1", { secure: false }), /a __Secure- cookie needs secure: true/);
        assert.throws(() => setCookie("__Host-a", "1", { path: "/auth" }), /a __Host- cookie needs secure: true and path "\/"/);
        assert.equal(setCookie("__Host-a", "1"), "__Host-a=1; Path=/; HttpOnly; Secure; SameSite=Lax");
    });
});

describe("parseCookies", () => {
    it("reads name=value pairs separated by '; '", () => {
        assert.deepEqual(parseCookies("session=abc123; theme=dark"), { session: "abc123", theme: "dark" });
        assert.deepEqual(parseCookies("a=1;b=2 ;  c = 3 "), { a: "1", b: "2", c: "3" });
        assert.deepEqual(parseCookies(undefined), {});
        assert.deepEqual(parseCookies(""), {});
    });

    it("keeps the first of a repeated name, drops quotes, decodes escapes, skips junk", () => {
        assert.deepEqual(parseCookies("id=path-specific; id=general"), { id: "path-specific" });
        assert.deepEqual(parseCookies('q="quoted value"'), { q: "quoted value" });
        assert.deepEqual(parseCookies("note=a%3B%20b%20%C3%A9; bad=%E0%A4%A"), { note: "a; b é", bad: "%E0%A4%A" });
        assert.deepEqual(parseCookies("novalue; =nameless; a b=1; ok=yes; empty="), { ok: "yes", empty: "" });
    });

    it("keeps a cookie named __proto__ as a cookie", () => {
        const cookies = parseCookies("__proto__=x; a=1");
        assert.equal(Object.getPrototypeOf(cookies), Object.prototype);
        assert.equal(Object.getOwnPropertyDescriptor(cookies, "__proto__")?.value, "x");
        assert.equal(cookies.a, "1");
    });
});
