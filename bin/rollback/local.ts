// The local stack's aliases: published versions are in the runtime's data directory
// (local/function-versions.ts). While `npm start` runs, it is asked where each alias points and
// switched through /_local/functions/<name>/alias (with the run's token): the next invocation runs
// the old build. When it does not run, the aliases are worked out from the data directory and the
// stack config as the next start will route them, and only the stack config's pin is written.
import { LOCAL_TOKEN_HEADER, readLocalToken } from "../../functions/runtime/clients/local/local-token";
import { aliasRouting, liveVersions, readVersions, versionedFunctions } from "../../local/function-versions";
import type { LocalAliasStatus } from "../../local/function-versions";
import type { AliasState } from "./plan";

export interface LocalTarget {
    dataDir: string;
    /** Where npm start listens. */
    url: string;
    /** The stack config's release (components/config.ts ReleaseConfig), for when the runtime is not running. */
    release: { canary?: { percent: number; functions: string[] }; pinnedVersions: Record<string, string> };
}

/** A running runtime's /_local, or undefined when nothing listens at `url` with this data directory's token. */
export async function runningRuntime(target: LocalTarget): Promise<RuntimeClient | undefined> {
    let token: string;
    try {
        token = readLocalToken(target.dataDir);
    } catch {
        return undefined;
    }
    const client = new RuntimeClient(target.url, token);
    try {
        await client.status();
    } catch (err) {
        if ((err as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") return undefined;
        throw err;
    }
    return client;
}

export class RuntimeClient {
    constructor(readonly url: string, private readonly token: string) {}

    async status(): Promise<{ functions: { name: string; alias?: LocalAliasStatus }[] }> {
        return (await this.call("GET", "/_local/status")) as { functions: { name: string; alias?: LocalAliasStatus }[] };
    }

    /** Points the function's alias at `version` alone, now. */
    async pin(name: string, version: string): Promise<LocalAliasStatus> {
        return (await this.call("POST", `/_local/functions/${encodeURIComponent(name)}/alias`, { version })) as LocalAliasStatus;
    }

    private async call(method: string, path: string, body?: unknown): Promise<unknown> {
        const res = await fetch(`${this.url}${path}`, {
            method,
            headers: { [LOCAL_TOKEN_HEADER]: this.token, ...(body === undefined ? {} : { "content-type": "application/json" }) },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const answer = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
        if (!res.ok) throw new Error(`local runtime at ${this.url}: ${method} ${path}: ${res.status} ${answer.error?.message ?? ""}`.trim());
        return answer;
    }
}

/** The aliases as the running runtime routes them. */
export async function runningAliases(client: RuntimeClient): Promise<AliasState[]> {
    const { functions } = await client.status();
    return functions
        .filter((f) => f.alias !== undefined)
        .map((f) => ({ name: f.name, versions: f.alias!.versions.map((v) => v.version), live: liveVersions(f.alias!.routing) }));
}

/** The aliases as the next start routes them: the data directory's versions under the stack config's release. */
export function storedAliases(target: LocalTarget): AliasState[] {
    return versionedFunctions(target.dataDir).map((name) => {
        const versions = readVersions(target.dataDir, name);
        const pin = target.release.pinnedVersions[name];
        // As components/function.ts applies the release to one function: a canary only for the functions it names.
        const { canary } = target.release;
        const canaryPercent = canary?.functions?.includes(name) ? canary.percent : 0;
        // A pin to a version this data directory never published (another machine's) is shown as is.
        const live = pin !== undefined && !versions.some((v) => v.version === pin) ? [pin] : liveVersions(aliasRouting(name, versions, { alias: "live", canaryPercent, pinnedVersion: pin }));
        return { name, versions: versions.map((v) => v.version), live };
    });
}
