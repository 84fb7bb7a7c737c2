// A function's `live` alias over HTTP, on the runtime's port (npm run rollback's local side):
//   GET  /_local/functions/<name>/alias                   its published versions and where the alias points
//   POST /_local/functions/<name>/alias {"version": "1"}  points it at that version alone; the next invocation runs it
// Every function's alias is also in /_local/status (`alias` of each function).
import { ConsoleRequestError } from "./console/request-error";
import { UnknownVersionError, type LocalAliasStatus, type LocalReleases } from "./function-versions";

const ALIAS_PATH = /^\/_local\/functions\/([^/]+)\/alias$/;

export function isAliasRequest(pathname: string): boolean {
    return ALIAS_PATH.test(pathname);
}

/** The answer to a request for a function's alias; refusals throw ConsoleRequestError (the server sends its status). */
export async function answerAliasRequest(releases: LocalReleases, method: string | undefined, pathname: string, body: () => Promise<unknown>): Promise<{ status: number; body: LocalAliasStatus }> {
    const name = decode(ALIAS_PATH.exec(pathname)![1]);
    if (!releases.has(name)) throw new ConsoleRequestError(404, `no function named '${name}' (or the runtime has not started); functions: ${releases.statuses().map((s) => s.name).join(", ") || "none"}`);
    if (method === "GET") return { status: 200, body: releases.status(name) };
    if (method !== "POST") throw new ConsoleRequestError(405, `${method} ${pathname}: only GET and POST are allowed`);
    const version = ((await body()) as { version?: unknown } | null)?.version;
    if (typeof version !== "string" || !/^[1-9]\d*$/.test(version)) throw new ConsoleRequestError(400, `expected {"version": "<a published version number>"}; got ${JSON.stringify(version)}`);
    try {
        return { status: 200, body: releases.pin(name, version) };
    } catch (err) {
        if (err instanceof UnknownVersionError) throw new ConsoleRequestError(404, err.message);
        throw err;
    }
}

function decode(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        throw new ConsoleRequestError(400, `'${segment}' in the path is not valid percent-encoded UTF-8`);
    }
}
