// The files a StaticSite publishes: walked from its directory in a stable order, each with the
// content type and Cache-Control every target serves it with, and content hashes, so that an
// unchanged site plans identically and a changed one shows exactly which files changed.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as mime from "mime-types";

/** Content-hashed assets never change under their name: browsers and CDNs keep them a year. */
export const CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
/** Everything else (HTML, config.json, unhashed files) is revalidated on every use. */
export const CACHE_REVALIDATE = "public, max-age=0, must-revalidate";
export const ONE_YEAR_SECONDS = 31536000;

/** The generated runtime configuration's key in the site. */
export const CONFIG_KEY = "config.json";
export const INDEX_KEY = "index.html";

export interface SiteFile {
    /** The object key and URL path without the leading `/`, with `/` separators: `assets/app.3f2a1c9e.js`. */
    key: string;
    /** Where the file is. */
    absolutePath: string;
    /** The file relative to the project directory, as plans show it (the same on every machine). */
    projectPath: string;
    size: number;
    /** Hex MD5: what COS and S3 report as a single-part upload's ETag. */
    md5: string;
    /** Hex SHA-256 of the content. */
    sha256: string;
    contentType: string;
    cacheControl: string;
    /** Its name carries a content hash (`app.3f2a1c9e.js`, `index-B4x9kQ2a.js`). */
    hashed: boolean;
}

/**
 * True for a file name that carries a content hash: a `.` or `-` separated token of 8 to 64
 * letters, digits or `_` holding both a digit and a letter, after the base name and before the
 * extension. Requiring a digit keeps names like `app.component.js` out; a hash without digits is
 * merely not cached for a year, which is safe. HTML is never hashed: it names the hashed files.
 */
export function isHashedName(fileName: string): boolean {
    const dot = fileName.lastIndexOf(".");
    if (dot <= 0 || /\.html?$/i.test(fileName)) return false;
    const tokens = fileName.slice(0, dot).split(/[.-]/).slice(1);
    return tokens.some((t) => /^[A-Za-z0-9_]{8,64}$/.test(t) && /\d/.test(t) && /[A-Za-z]/.test(t));
}

/** The Content-Type a key is served with; unknown extensions are plain bytes. */
export function contentTypeOf(key: string): string {
    return mime.contentType(path.posix.basename(key)) || "application/octet-stream";
}

export function cacheControlOf(key: string): string {
    return isHashedName(path.posix.basename(key)) ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
}

/**
 * Hidden files are not published (`.env`, `.DS_Store`, `.git/`), except `.well-known/`, whose
 * paths (security.txt, app links) sites are expected to serve.
 */
export function isPublishedName(name: string): boolean {
    return !name.startsWith(".") || name === ".well-known";
}

/** Every published regular file under `root`, sorted by key. Symbolic links are not followed. */
export function siteFiles(root: string, projectDir: string): SiteFile[] {
    const files: SiteFile[] = [];
    const walk = (dir: string, prefix: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (!isPublishedName(entry.name)) continue;
            const absolutePath = path.join(dir, entry.name);
            const key = prefix + entry.name;
            if (entry.isDirectory()) walk(absolutePath, `${key}/`);
            else if (entry.isFile()) files.push(describe(key, absolutePath, projectDir));
        }
    };
    walk(root, "");
    return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function describe(key: string, absolutePath: string, projectDir: string): SiteFile {
    const content = fs.readFileSync(absolutePath);
    return {
        key,
        absolutePath,
        projectPath: path.relative(projectDir, absolutePath).split(path.sep).join("/"),
        size: content.byteLength,
        md5: createHash("md5").update(content).digest("hex"),
        sha256: createHash("sha256").update(content).digest("hex"),
        contentType: contentTypeOf(key),
        cacheControl: cacheControlOf(key),
        hashed: isHashedName(path.posix.basename(key)),
    };
}

/**
 * Top-level directories holding only hashed files (`assets`): CDNs cache them for a year without
 * asking the origin, and a missing file there is always a real 404, never the app's fallback.
 */
export function hashedDirectories(files: SiteFile[]): string[] {
    const byDirectory = new Map<string, boolean>();
    for (const file of files) {
        const slash = file.key.indexOf("/");
        if (slash < 0) continue;
        const dir = file.key.slice(0, slash);
        byDirectory.set(dir, (byDirectory.get(dir) ?? true) && file.hashed);
    }
    return [...byDirectory].filter(([, allHashed]) => allHashed).map(([dir]) => dir).sort();
}

/** The site's runtime configuration as served: sorted keys, so equal config gives equal bytes. */
export function configJson(config: Record<string, string>): string {
    const sorted = Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]]));
    return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** One hash of everything the site serves: what changes it is exactly what needs invalidating. */
export function contentHash(files: SiteFile[], config: string): string {
    const hash = createHash("sha256");
    for (const f of files) hash.update(`${f.key}\0${f.sha256}\0${f.contentType}\0${f.cacheControl}\n`);
    hash.update(`${CONFIG_KEY}\0${config}`);
    return hash.digest("hex");
}
