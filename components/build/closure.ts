// Inline handlers: a closure becomes an Archive through Pulumi's closure serialization, so it
// can be an ordinary component input (the analyzer accepts Archives, not functions). The
// Function component then bundles the serialized module like any handler file.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

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
