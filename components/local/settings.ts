// What a program for the local target needs to know about the runtime that will serve it, when
// that runtime may be in another process: where it listens (an API's url, a site's config.json)
// and where it keeps data (table files, the mail outbox).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PROJECT } from "../config";
import { projectRoot } from "../project-root";

/** Where `npm start` listens unless told otherwise; also Pulumi.yaml's default for localUrl. */
export const DEFAULT_LOCAL_URL = "http://127.0.0.1:3000";

/** Where the runtime serves the BusinessApis, on its port. */
export const LOCAL_API_PATH = "/api";

/** The runtime's base URL, without a trailing slash: config `serverless-blocks:localUrl` (npm start sets the port it listens on). */
export function localUrl(): string {
    const value = new pulumi.Config(PROJECT).get("localUrl") ?? DEFAULT_LOCAL_URL;
    if (!/^https?:$/.test(parsedUrl(value)?.protocol ?? "")) {
        throw new ConfigError(`${PROJECT}:localUrl`, value, `expected an http(s) URL such as ${DEFAULT_LOCAL_URL}`);
    }
    return value.replace(/\/+$/, "");
}

/** Where the runtime keeps its data: `SB_LOCAL_DATA_DIR`, else `.data`, from the project's root. */
export function localDataDir(): string {
    return localDataDirOf(projectRoot());
}

/** The same rule for a given project folder (the runtime's side). */
export function localDataDirOf(projectDir: string): string {
    return path.resolve(projectDir, process.env.SB_LOCAL_DATA_DIR ?? ".data");
}

function parsedUrl(text: string): URL | undefined {
    try {
        return new URL(text);
    } catch {
        return undefined;
    }
}
