// The per-run token that /_local/* requires (local/local-guard.ts checks it): a new random one
// each `npm start`, printed once in the console's URL and written to `<data dir>/local-token`
// with mode 0600, so that only this user's tools (npm run dlq, scripts, tests) can read it.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as http from "node:http";
import { LOCAL_TOKEN_FILE, LOCAL_TOKEN_HEADER } from "../../functions/runtime/clients/local/local-token";

/** 256 random bits, URL-safe: it travels in a query string once. */
export function newLocalToken(): string {
    return randomBytes(32).toString("base64url");
}

/** Writes the token where the tools look for it, readable by this user only; returns the file. */
export function writeLocalToken(dataDir: string, token: string): string {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCAL_TOKEN_FILE);
    // Removed first: writeFile's mode applies only to a file it creates, and an old file may be wider.
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return file;
}

/**
 * The console page's cookie. Named after the port: browsers send a cookie for 127.0.0.1 to every
 * port of it, and two runtimes on one machine must not overwrite each other's token.
 */
export function tokenCookieName(port: number | undefined): string {
    return `sb_local_token_${port ?? 80}`;
}

/** The token a request presents: `authorization: Bearer`, `x-sb-local-token`, or the console's cookie. */
export function presentedToken(req: http.IncomingMessage): string | undefined {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (bearer) return bearer[1];
    const header = req.headers[LOCAL_TOKEN_HEADER];
    if (typeof header === "string" && header !== "") return header;
    const name = tokenCookieName(req.socket.localPort);
    for (const part of (req.headers.cookie ?? "").split(";")) {
        const [key, ...value] = part.trim().split("=");
        if (key === name) return value.join("=");
    }
    return undefined;
}

/** Compares in constant time (over digests, so lengths do not leak either). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
    if (presented === undefined) return false;
    const digest = (text: string) => createHash("sha256").update(text).digest();
    return timingSafeEqual(digest(expected), digest(presented));
}
