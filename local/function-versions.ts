// A function's builds on this machine as the versions a cloud publishes: a start whose build of a
// function differs from the newest recorded one publishes version N+1, listed in
// `<data dir>/versions/<function>.json` with a copy of its zip (the build cache may drop the
// original), and the function's `live` alias routes every invocation to a version as Lambda's and
// SCF's aliases do: to the pinned version (the stack config's `serverless-blocks:pinnedVersions`,
// or a rollback while running), else to the newest, or with a canary (`serverless-blocks:canary`)
// that share of invocations to the newest and the rest to the previous one.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { LocalFunctionRelease } from "../components/local/descriptor";
import type { LocalRuntime } from "./runtime";

/** Under the data directory: `<function>.json` lists, `<function>/` the zips. */
export const VERSIONS_DIR = "versions";

export interface PublishedVersion {
    /** "1", "2", ...: a string, as Lambda and SCF number versions and the stack config pins them. */
    version: string;
    /** The kept copy of its zip, absolute. */
    zipPath: string;
    /** Hex SHA-256 of the zip: a start with the same build publishes nothing. */
    sha256: string;
    publishedAt: string;
}

/** Where an alias sends invocations: all to `version`, or `canary.percent` of them to `canary.version`. */
export interface AliasRouting {
    version: string;
    canary?: { version: string; percent: number };
    /** Why it points there. */
    reason: "newest" | "canary" | "pinned in the stack config" | "rolled back while running";
}

/** The error for a version that was never published: names what was. */
export class UnknownVersionError extends Error {}

export function versionsFile(dataDir: string, functionName: string): string {
    return path.join(dataDir, VERSIONS_DIR, `${functionName}.json`);
}

/** The versions published for `functionName`, oldest first; none before its first start. */
export function readVersions(dataDir: string, functionName: string): PublishedVersion[] {
    try {
        return JSON.parse(fs.readFileSync(versionsFile(dataDir, functionName), "utf8")).versions as PublishedVersion[];
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw new Error(`${versionsFile(dataDir, functionName)}: ${(err as Error).message}`);
    }
}

/** The functions with published versions in `dataDir`. */
export function versionedFunctions(dataDir: string): string[] {
    const dir = path.join(dataDir, VERSIONS_DIR);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

/** Records the build at `zipFile` as the newest version unless it is the newest already; the versions after. */
export function publishBuild(dataDir: string, functionName: string, zipFile: string, now = new Date()): PublishedVersion[] {
    const versions = readVersions(dataDir, functionName);
    const zip = fs.readFileSync(zipFile);
    const sha256 = createHash("sha256").update(zip).digest("hex");
    if (versions.at(-1)?.sha256 === sha256) return versions;
    // The zip's own name kept: the host unpacks a build once per zip name (content-addressed).
    const kept = path.join(dataDir, VERSIONS_DIR, functionName, path.basename(zipFile));
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    if (!fs.existsSync(kept)) fs.copyFileSync(zipFile, kept);
    const version = String(Number(versions.at(-1)?.version ?? 0) + 1);
    const next = [...versions, { version, zipPath: kept, sha256, publishedAt: now.toISOString() }];
    const file = versionsFile(dataDir, functionName);
    // Written whole, then renamed: a crash never leaves half a list.
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ function: functionName, versions: next }, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
    return next;
}

/**
 * Where the alias points: `runtimePin` (a rollback while running), else the release's pin, else the
 * newest version, or the canary split between the newest and the previous one.
 */
export function aliasRouting(functionName: string, versions: readonly PublishedVersion[], release: LocalFunctionRelease, runtimePin?: string): AliasRouting {
    if (versions.length === 0) throw new Error(`function '${functionName}' has no published version yet: npm start publishes one`);
    const pin = runtimePin ?? release.pinnedVersion;
    if (pin !== undefined) {
        checkPublished(functionName, versions, pin, runtimePin === undefined ? `serverless-blocks:pinnedVersions.${functionName}` : "the rollback's version");
        return { version: pin, reason: runtimePin === undefined ? "pinned in the stack config" : "rolled back while running" };
    }
    const newest = versions[versions.length - 1].version;
    if (release.canaryPercent > 0 && versions.length > 1) {
        return { version: versions[versions.length - 2].version, canary: { version: newest, percent: release.canaryPercent }, reason: "canary" };
    }
    return { version: newest, reason: "newest" };
}

/** The versions taking invocations. */
export function liveVersions(routing: AliasRouting): string[] {
    return routing.canary ? [routing.version, routing.canary.version] : [routing.version];
}

/** What a rollback goes to: the newest published version below the newest live one; undefined when there is none. */
export function previousVersion(versions: readonly PublishedVersion[], routing: AliasRouting): string | undefined {
    const newestLive = Math.max(...liveVersions(routing).map(Number));
    return versions.map((v) => v.version).filter((v) => Number(v) < newestLive).at(-1);
}

export function checkPublished(functionName: string, versions: readonly PublishedVersion[], version: string, what: string): void {
    if (!versions.some((v) => v.version === version)) {
        throw new UnknownVersionError(`${what}: function '${functionName}' has no version '${version}'; published: ${versions.map((v) => v.version).join(", ") || "none"}`);
    }
}

/**
 * Splits invocations by `percent` evenly rather than by chance: of any 100 in a row, exactly
 * `percent` go to the canary (a test sees both after two invocations at 50%).
 */
export function canaryTurn(invocation: number, percent: number): boolean {
    return Math.floor(((invocation + 1) * percent) / 100) > Math.floor((invocation * percent) / 100);
}

/** One function's alias in a running runtime. */
export interface LocalAliasStatus {
    name: string;
    alias: string;
    versions: { version: string; publishedAt: string }[];
    routing: AliasRouting;
    /** What `npm run rollback` would go back to. */
    previous?: string;
}

/** The runtime's aliases: published at start, routed per invocation, pinned by a rollback. */
export class LocalReleases {
    private readonly versions = new Map<string, PublishedVersion[]>();
    private readonly routings = new Map<string, AliasRouting>();

    constructor(private readonly runtime: LocalRuntime) {}

    /** Publishes each function's build and routes its alias; the runtime calls it once the data directory is its own. */
    start(): void {
        for (const [name, host] of this.runtime.functions) {
            const versions = publishBuild(this.runtime.dataDir, name, path.resolve(this.runtime.projectDir, host.definition.zipPath));
            this.versions.set(name, versions);
            this.route(name, aliasRouting(name, versions, this.releaseOf(name)));
            let invocation = 0;
            const zipOf = (version: string) => versions.find((v) => v.version === version)!.zipPath;
            host.route = () => {
                const routing = this.routings.get(name)!;
                return zipOf(routing.canary && canaryTurn(invocation++, routing.canary.percent) ? routing.canary.version : routing.version);
            };
        }
    }

    /** Points `name`'s alias at `version` alone until the runtime stops; the next invocation runs it. */
    pin(name: string, version: string): LocalAliasStatus {
        this.route(name, aliasRouting(name, this.versionsOf(name), this.releaseOf(name), version));
        return this.status(name);
    }

    status(name: string): LocalAliasStatus {
        const versions = this.versionsOf(name);
        const routing = this.routings.get(name)!;
        return {
            name,
            alias: this.releaseOf(name).alias,
            versions: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt })),
            routing,
            previous: previousVersion(versions, routing),
        };
    }

    /** Every function's alias, by name; empty before start. */
    statuses(): LocalAliasStatus[] {
        return [...this.versions.keys()].map((name) => this.status(name));
    }

    has(name: string): boolean {
        return this.versions.has(name);
    }

    private route(name: string, routing: AliasRouting): void {
        this.routings.set(name, routing);
    }

    private versionsOf(name: string): PublishedVersion[] {
        const versions = this.versions.get(name);
        if (!versions) throw new Error(`no function named '${name}'; functions: ${[...this.versions.keys()].join(", ") || "none"}`);
        return versions;
    }

    private releaseOf(name: string): LocalFunctionRelease {
        // A definition registered without one (a test's own) releases as the stack default: newest, no canary.
        return this.runtime.function(name).definition.release ?? { alias: "live", canaryPercent: 0 };
    }
}

const releases = new WeakMap<LocalRuntime, LocalReleases>();

/** The aliases of `runtime`'s functions. */
export function localReleases(runtime: LocalRuntime): LocalReleases {
    let service = releases.get(runtime);
    if (!service) releases.set(runtime, (service = new LocalReleases(runtime)));
    return service;
}
