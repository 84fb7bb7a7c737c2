// A rollback's pin in the stack config: `serverless-blocks:pinnedVersions` in Pulumi.<stack>.yaml,
// which the program reads (components/config.ts ReleaseConfig) so that the next `pulumi up` or
// `npm start` keeps each pinned function's alias on its version until the key is removed. The
// file is edited as a YAML document: its other keys, their order and its comments stay as they are.
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, parseDocument } from "yaml";

export const PINNED_VERSIONS_KEY = "serverless-blocks:pinnedVersions";

export function stackFile(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/** Adds `pins` (function name to version) to the stack's pinnedVersions, keeping the ones already there; the file written. */
export function writePins(projectDir: string, stack: string, pins: Record<string, string>): string {
    const file = stackFile(projectDir, stack);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    if (!isMap(doc.get("config"))) doc.set("config", doc.createNode({}));
    const existing = doc.getIn(["config", PINNED_VERSIONS_KEY]);
    if (existing !== undefined && !isMap(existing)) throw new Error(`${file}: ${PINNED_VERSIONS_KEY} is not a map of function names to versions; fix or remove it first`);
    if (existing === undefined) doc.setIn(["config", PINNED_VERSIONS_KEY], doc.createNode({}));
    // Versions as strings, as the program expects them ("3", not 3).
    for (const [fn, version] of Object.entries(pins)) doc.setIn(["config", PINNED_VERSIONS_KEY, fn], doc.createNode(String(version)));
    fs.writeFileSync(file, doc.toString());
    return file;
}

/** The stack's pins, as the file has them now. */
export function readPins(projectDir: string, stack: string): Record<string, string> {
    const doc = parseDocument(fs.readFileSync(stackFile(projectDir, stack), "utf8"));
    const pins = doc.toJS()?.config?.[PINNED_VERSIONS_KEY];
    return pins && typeof pins === "object" ? Object.fromEntries(Object.entries(pins).map(([k, v]) => [k, String(v)])) : {};
}
