// Bundles a function's code into a small, deterministic zip with esbuild: one minified,
// tree-shaken `index.js` (plus its source map) whose `handler` export is the portable handler
// wrapped in the target cloud's adapter.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { cacheKey, cachedZip } from "./bundle-cache";
import { zipFiles } from "./zip";

export interface BundleRequest {
    /** Names the zip; the function component's name. */
    name: string;
    /** Absolute path of the handler module and the export to wrap. */
    file: string;
    exportName: string;
    /** The target cloud: clients keep only its code (`process.env.SB_TARGET` is replaced by it). */
    target: string;
    /** The adapter that turns the cloud's events into the portable contract. */
    adapter?: { module: string; exportName: string };
    /** Packages the runtime already ships (e.g. `@aws-sdk/*` on Lambda). */
    external: string[];
    /** Import paths resolved to a folder or file of ours, e.g. `serverless-blocks/functions/runtime`. */
    alias?: Record<string, string>;
    /** The directory relative paths are kept against (the project directory). */
    projectDir: string;
    /**
     * Pulumi's serialized closures use `with` blocks, which strict mode forbids: a closure's
     * bundle leaves out the `"use strict"` the project's tsconfig would otherwise add.
     */
    sloppy?: boolean;
}

export interface Bundle {
    /** The zip, relative to the project directory so plans read the same on every machine. */
    zipPath: string;
    /** Base64 SHA-256 of the zip (Lambda's `sourceCodeHash` format). */
    sha256: string;
    bytes: number;
}

/**
 * The oldest Node.js any target runs: SCF's Nodejs18.15 (components/tencentcloud/function.ts).
 * Newer runtimes (Lambda's, the local one) run it unchanged.
 */
const NODE_TARGET = "node18";

export async function bundle(req: BundleRequest): Promise<Bundle> {
    const outDir = path.join(req.projectDir, ".build", "functions");
    const entry = req.adapter
        ? `import { ${req.exportName} as portable } from ${JSON.stringify(req.file)};\n` +
          `import { ${req.adapter.exportName} as adapt } from ${JSON.stringify(req.adapter.module)};\n` +
          `export const handler = adapt(portable);\n`
        : `export { ${req.exportName} as handler } from ${JSON.stringify(req.file)};\n`;
    const options: esbuild.BuildOptions = {
        // Not named after the function: functions on the same handler get the same bytes, built once.
        stdin: { contents: entry, resolveDir: req.projectDir, sourcefile: "entry.ts", loader: "ts" },
        absWorkingDir: req.projectDir,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: NODE_TARGET,
        minify: true,
        treeShaking: true,
        sourcemap: "external",
        sourcesContent: false,
        legalComments: "none",
        external: req.external,
        ...(req.alias ? { alias: req.alias } : {}),
        define: { "process.env.SB_TARGET": JSON.stringify(req.target) },
        ...(req.sloppy ? { tsconfigRaw: { compilerOptions: { alwaysStrict: false } } } : {}),
        outfile: path.join(outDir, "index.js"),
        write: false,
        metafile: true,
        logLevel: "silent",
    };
    const key = cacheKey({ esbuild: esbuild.version, options: { ...options, outfile: "index.js", absWorkingDir: "." }, projectDir: req.projectDir });
    const zip = await cachedZip(req.projectDir, key, async () => {
        let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[]; metafile: esbuild.Metafile };
        try {
            result = (await esbuild.build(options)) as typeof result;
        } catch (err) {
            const failure = err as esbuild.BuildFailure;
            const messages = (failure.errors ?? []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ""}${m.text}`);
            throw new Error(`function '${req.name}': bundling ${path.relative(req.projectDir, req.file)} failed:\n  ${messages.join("\n  ") || String(err)}`);
        }
        const files: Record<string, Uint8Array> = {};
        for (const out of result.outputFiles) files[path.basename(out.path)] = out.contents;
        // The entry is in memory (named entry.ts); every other input is a file esbuild read.
        const inputs = Object.keys(result.metafile.inputs).filter((input) => input !== "entry.ts" && input !== "<stdin>" && !input.includes(":"));
        return { zip: zipFiles(files), inputs };
    });
    const digest = createHash("sha256").update(zip);
    const hex = digest.copy().digest("hex").slice(0, 12);
    fs.mkdirSync(outDir, { recursive: true });
    const zipFile = path.join(outDir, `${req.name}-${hex}.zip`);
    if (!fs.existsSync(zipFile)) fs.writeFileSync(zipFile, zip);
    return { zipPath: path.relative(req.projectDir, zipFile), sha256: digest.digest("base64"), bytes: zip.byteLength };
}
