// Inline handlers: a closure becomes an Archive through Pulumi's closure serialization, so it
// can be an ordinary component input (the analyzer accepts Archives, not functions). The
// Function component then bundles the serialized module like any handler file. Programs in
// other languages cannot serialize a closure: their `code` is an archive of a folder whose
// index file exports the handler, bundled like the handler file `index.handler` of that folder.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { resolveHandlerRef } from "./handler-ref";

const MODULE = "index.js";

/**
 * Turns an inline handler into code for a Function.
 *
 * @example
 * new Function("hello", { code: closure(http(async () => ({ body: { hello: "world" } }))) });
 */
export function closure(handler: object): pulumi.asset.Archive {
    const captured = handler;
    const text = pulumi.runtime
        .serializeFunction(() => captured, { isFactoryFunction: true, exportName: "handler" })
        .then((serialized) => serialized.text);
    return new pulumi.asset.AssetArchive({ [MODULE]: new pulumi.asset.StringAsset(text) });
}

/**
 * The serialized module of a closure archive, written under `.build/closures/` so it bundles
 * like a handler file; undefined when the archive is not one made by `closure`.
 */
export async function writeClosureModule(code: pulumi.asset.Archive, name: string, projectDir: string): Promise<string | undefined> {
    // Duck-typed: a consumer may hold another copy of @pulumi/pulumi, where instanceof fails.
    const assets = await (code as Partial<pulumi.asset.AssetArchive>).assets;
    const text = await (assets?.[MODULE] as Partial<pulumi.asset.StringAsset> | undefined)?.text;
    if (text === undefined) return undefined;
    const dir = path.join(projectDir, ".build", "closures");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}-${createHash("sha256").update(text).digest("hex").slice(0, 12)}.js`);
    fs.writeFileSync(file, text);
    return file;
}

/** Where a `code` archive's handler module is: the file to bundle, its export, and whether it is a serialized closure. */
export interface ArchiveSource {
    file: string;
    exportName: string;
    sloppy?: boolean;
}

/**
 * The handler module inside a Function's `code` archive:
 * - `closure(handler)` (an AssetArchive whose `index.js` is a string): the serialized module;
 * - a FileArchive of a folder: that folder's `index` file (.ts, .js, .mts, .mjs) and its `handler`
 *   export, as the handler reference "index.handler" inside the folder (its imports resolve from there);
 * - an AssetArchive whose `index.js` is a FileAsset: that file.
 * Relative paths resolve from the project directory, as the engine resolves them. Anything else
 * (archive files, remote archives) is refused naming what was given.
 */
export async function archiveSource(code: pulumi.asset.Archive, name: string, projectDir: string): Promise<ArchiveSource> {
    const what = `Function '${name}': 'code'`;
    // Duck-typed: a consumer may hold another copy of @pulumi/pulumi, where instanceof fails.
    const archive = code as Partial<pulumi.asset.AssetArchive & pulumi.asset.FileArchive & pulumi.asset.RemoteArchive>;
    if (archive.path !== undefined) {
        const folder = path.resolve(projectDir, await archive.path);
        if (!fs.existsSync(folder)) throw new Error(`${what}: the archive's folder ${folder} does not exist`);
        if (!fs.statSync(folder).isDirectory()) {
            throw new Error(`${what}: the archive ${folder} is a file; give a folder whose index.js exports 'handler' (archive files are not unpacked)`);
        }
        try {
            return resolveHandlerRef("index.handler", folder);
        } catch {
            throw new Error(`${what}: the archive's folder ${folder} has no index file (index.js, index.ts, index.mjs or index.mts) exporting 'handler'`);
        }
    }
    if (archive.assets !== undefined) {
        const entry = (await archive.assets)?.[MODULE] as Partial<pulumi.asset.StringAsset & pulumi.asset.FileAsset> | undefined;
        if (entry?.text !== undefined) {
            const file = await writeClosureModule(code, name, projectDir);
            if (file) return { file, exportName: "handler", sloppy: true };
        }
        if (entry?.path !== undefined) {
            const file = path.resolve(projectDir, await entry.path);
            if (!fs.existsSync(file)) throw new Error(`${what}: the archive's ${MODULE} is ${file}, which does not exist`);
            return { file, exportName: "handler" };
        }
        throw new Error(`${what}: the archive has no ${MODULE} (made by closure(handler), or a file asset exporting 'handler')`);
    }
    if (archive.uri !== undefined) throw new Error(`${what}: a remote archive (${await archive.uri}) is not bundled; give a folder whose index.js exports 'handler'`);
    throw new Error(`${what}: must be closure(handler) or an archive of a folder whose index.js exports 'handler'`);
}
