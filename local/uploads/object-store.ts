// One FileUpload's objects on disk: `<dataDir>/uploads/<bucket>/<key>`, each part of the key one
// percent-encoded name (functions/runtime/clients/local/upload-paths.ts), the bytes exactly as
// uploaded. Names starting with `.` are the store's own: `.partial/` holds uploads in progress,
// `.meta/` each object's content type and etag.
//
// Nothing half-written is ever an object: a body goes to a file in `.partial/`, is synced, and
// only a complete, accepted one is renamed into place (its metadata first); every failure deletes
// the partial file. A runtime killed mid-upload leaves a partial file, cleared at the next start.
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { encodeSegment, objectSegments } from "../../functions/runtime/clients/local/upload-paths";
import { receiveBody } from "./receive";

export interface StoredObject {
    key: string;
    size: number;
    contentType?: string;
    /** The MD5 of the bytes, hex (S3's etag of a single-part upload). */
    etag?: string;
    lastModified: Date;
}

interface Metadata {
    key: string;
    contentType: string;
    etag: string;
}

const PARTIAL = ".partial";
const META = ".meta";

export class LocalObjectStore {
    /** The bucket's folder. */
    readonly root: string;

    constructor(uploadsDir: string, readonly bucket: string) {
        this.root = path.join(uploadsDir, encodeSegment(bucket));
    }

    /** The file of `key`; throws for a key that cannot be one (see objectSegments), and never names a path outside the bucket. */
    pathOf(key: string): string {
        const file = path.join(this.root, ...objectSegments(key));
        if (!file.startsWith(this.root + path.sep)) throw new Error(`key '${key}' does not stay in bucket '${this.bucket}'`);
        return file;
    }

    /**
     * Takes `body` as the object `key` if it is exactly `size` bytes (BodySizeError otherwise,
     * BodyInterruptedError if the connection drops); nothing is left behind unless it succeeds.
     */
    async put(key: string, body: Readable, expected: { size: number; contentType: string }): Promise<StoredObject> {
        const target = this.pathOf(key);
        const partial = path.join(this.ensureDir(PARTIAL), randomUUID());
        let etag: string;
        try {
            const file = await fs.promises.open(partial, "wx", 0o600);
            try {
                etag = (await receiveBody(body, file, expected.size)).md5;
                await file.sync();
            } finally {
                await file.close();
            }
            // Synchronous from here: two uploads to one key cannot interleave their metadata and bytes.
            this.writeMetadata({ key, contentType: expected.contentType, etag });
            fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
            fs.renameSync(partial, target);
            syncDir(path.dirname(target));
        } catch (error) {
            fs.rmSync(partial, { force: true });
            throw error;
        }
        return { key, size: expected.size, contentType: expected.contentType, etag, lastModified: new Date() };
    }

    head(key: string): StoredObject | undefined {
        const stat = statFile(this.pathOf(key));
        if (!stat) return undefined;
        const meta = this.readMetadata(key);
        return { key, size: stat.size, contentType: meta?.contentType, etag: meta?.etag, lastModified: stat.mtime };
    }

    get(key: string): Buffer | undefined {
        try {
            return fs.readFileSync(this.pathOf(key));
        } catch (error) {
            if (isMissing(error)) return undefined;
            throw error;
        }
    }

    /** Deletes the object and its metadata, and the folders it leaves empty; false if it was not there. */
    delete(key: string): boolean {
        const file = this.pathOf(key);
        const existed = statFile(file) !== undefined;
        fs.rmSync(file, { force: true });
        fs.rmSync(this.metadataFile(key), { force: true });
        for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
            try {
                fs.rmdirSync(dir);
            } catch {
                break; // not empty (another object), or gone
            }
        }
        return existed;
    }

    /** The objects' keys (decoded from their paths). */
    keys(): string[] {
        const found: string[] = [];
        const walk = (dir: string, parts: string[]) => {
            for (const entry of readDir(dir)) {
                // The store's own folders (and nothing an object can be called) start with `.`.
                if (entry.name.startsWith(".")) continue;
                const part = decoded(entry.name);
                if (part === undefined) continue; // not a name the store made
                const next = [...parts, part];
                if (entry.isDirectory()) walk(path.join(dir, entry.name), next);
                else if (entry.isFile()) found.push(next.join("/"));
            }
        };
        walk(this.root, []);
        return found;
    }

    /** Deletes what uploads interrupted by a crash left in `.partial/`: no runtime is writing there at start. */
    clearPartials(): void {
        fs.rmSync(path.join(this.root, PARTIAL), { recursive: true, force: true });
    }

    /** Deletes the objects last written before `before`; their keys. */
    expire(before: Date): string[] {
        return this.keys().filter((key) => {
            const stat = statFile(this.pathOf(key));
            return stat !== undefined && stat.mtime < before && this.delete(key);
        });
    }

    private ensureDir(name: string): string {
        const dir = path.join(this.root, name);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        return dir;
    }

    /** By a hash of the key: a key's own last part may already be as long as a file name can be. */
    private metadataFile(key: string): string {
        return path.join(this.root, META, `${createHash("sha256").update(key).digest("hex")}.json`);
    }

    private writeMetadata(meta: Metadata): void {
        const file = this.metadataFile(meta.key);
        const partial = path.join(this.ensureDir(PARTIAL), `${randomUUID()}.json`);
        this.ensureDir(META);
        try {
            const fd = fs.openSync(partial, "wx", 0o600);
            try {
                fs.writeSync(fd, JSON.stringify(meta));
                fs.fsyncSync(fd);
            } finally {
                fs.closeSync(fd);
            }
            fs.renameSync(partial, file);
        } catch (error) {
            fs.rmSync(partial, { force: true });
            throw error;
        }
    }

    private readMetadata(key: string): Metadata | undefined {
        try {
            const meta = JSON.parse(fs.readFileSync(this.metadataFile(key), "utf8")) as Metadata;
            return meta.key === key ? meta : undefined;
        } catch (error) {
            if (isMissing(error)) return undefined;
            throw error;
        }
    }
}

function statFile(file: string): fs.Stats | undefined {
    try {
        const stat = fs.statSync(file);
        return stat.isFile() ? stat : undefined;
    } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
    }
}

function readDir(dir: string): fs.Dirent[] {
    try {
        return fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
        if (isMissing(error)) return [];
        throw error;
    }
}

/** The rename itself is durable only once its folder is synced (where folders can be opened: not on Windows). */
function syncDir(dir: string): void {
    if (process.platform === "win32") return;
    const fd = fs.openSync(dir, "r");
    try {
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

function decoded(name: string): string | undefined {
    try {
        return decodeURIComponent(name);
    } catch {
        return undefined;
    }
}

function isMissing(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR";
}
