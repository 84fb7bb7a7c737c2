// The per-run token every /_local/* request carries (local/local-guard.ts). `npm start` makes a
// new one each run and writes it to `<data dir>/local-token` (only the user may read it); code
// outside the runtime (npm run dlq, scripts, tests) reads it from there, function instances get
// it as SB_LOCAL_TOKEN.
import * as fs from "node:fs";
import * as path from "node:path";

/** The file in the runtime's data directory that holds the current run's token. */
export const LOCAL_TOKEN_FILE = "local-token";

/** The header a tool sends the token in (`authorization: Bearer <token>` works too). */
export const LOCAL_TOKEN_HEADER = "x-sb-local-token";

/** The token of the runtime whose data directory is `dataDir`; a clear error when it is not running there. */
export function readLocalToken(dataDir: string): string {
    const file = path.join(dataDir, LOCAL_TOKEN_FILE);
    let token: string;
    try {
        token = fs.readFileSync(file, "utf8").trim();
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`no local runtime token at ${file}: is npm start running with this data directory (SB_LOCAL_DATA_DIR)?`);
        throw err;
    }
    if (token === "") throw new Error(`${file} is empty: restart npm start to write a new token`);
    return token;
}

/**
 * The token for a call to the runtime from this process: SB_LOCAL_TOKEN (function instances,
 * or set by hand), else the file in SB_LOCAL_DATA_DIR (default `.data` in the working directory).
 */
export function localToken(): string {
    return process.env.SB_LOCAL_TOKEN || readLocalToken(path.resolve(process.env.SB_LOCAL_DATA_DIR ?? ".data"));
}
