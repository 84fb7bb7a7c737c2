// A build cache for function bundles. A bundle is determined by its build request (entry,
// export, adapter, target, externals, aliases, esbuild's version and options) and by the content
// of every file esbuild read for it (its metafile's inputs). Kept under .build/cache/: a request
// whose inputs are unchanged reuses its zip without running esbuild, and identical requests in
// one run (every route on the same handler and target) are built once and shared.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What this process did, for tests and benches: builds run, zips reused from the cache, builds shared in this run. */
export const bundleCacheStats = { built: 0, reused: 0, shared: 0 };

export interface BuiltZip {
    zip: Uint8Array;
    /** Files the build read, relative to the project directory. */
    inputs: string[];
}

interface InputStamp {
    size: number;
    mtimeMs: number;
    sha256: string;
}

interface Manifest {
    inputs: Record<string, InputStamp>;
}

const inFlight = new Map<string, Promise<Uint8Array>>();
/** esbuild is fast but memory-hungry with many builds at once; a few at a time keeps a 1,000-route plan flat. */
const MAX_BUILDS = Math.max(2, os.availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

export function cacheKey(parts: unknown): string {
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}

/** The zip for `key`: from this run, else from the cache when its inputs are unchanged, else built. */
export function cachedZip(projectDir: string, key: string, build: () => Promise<BuiltZip>): Promise<Uint8Array> {
    const pending = inFlight.get(key);
    if (pending) {
        bundleCacheStats.shared++;
        return pending;
    }
    const result = lookupOrBuild(projectDir, key, build);
    inFlight.set(key, result);
    // A failed build is not remembered: the next plan tries again.
    result.catch(() => inFlight.delete(key));
    return result;
}

async function lookupOrBuild(projectDir: string, key: string, build: () => Promise<BuiltZip>): Promise<Uint8Array> {
    const dir = path.join(projectDir, ".build", "cache");
    const manifestFile = path.join(dir, `${key}.json`);
    const zipFile = path.join(dir, `${key}.zip`);
    const manifest = readManifest(manifestFile);
    if (manifest && fs.existsSync(zipFile) && unchanged(projectDir, manifest)) {
        bundleCacheStats.reused++;
        return fs.readFileSync(zipFile);
    }
    const built = await limited(build);
    bundleCacheStats.built++;
    const inputs: Record<string, InputStamp> = {};
    for (const input of built.inputs) inputs[input] = stamp(path.resolve(projectDir, input));
    fs.mkdirSync(dir, { recursive: true });
    // The zip first: a manifest never points at a missing or partial zip.
    writeAtomically(zipFile, built.zip);
    writeAtomically(manifestFile, JSON.stringify({ inputs } satisfies Manifest));
    return built.zip;
}

function readManifest(file: string): Manifest | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    } catch {
        return undefined;
    }
}

/** Every input still has the content it had: same size and time, or (when touched) the same hash. */
function unchanged(projectDir: string, manifest: Manifest): boolean {
    for (const [input, before] of Object.entries(manifest.inputs)) {
        const file = path.resolve(projectDir, input);
        let stat: fs.Stats;
        try {
            stat = fs.statSync(file);
        } catch {
            return false;
        }
        if (stat.size !== before.size) return false;
        if (stat.mtimeMs !== before.mtimeMs && hashOf(file) !== before.sha256) return false;
    }
    return true;
}

function stamp(file: string): InputStamp {
    const stat = fs.statSync(file);
    return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: hashOf(file) };
}

function hashOf(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function writeAtomically(file: string, data: Uint8Array | string): void {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
}

async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= MAX_BUILDS) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
        return await work();
    } finally {
        running--;
        waiting.shift()?.();
    }
}
