// Where this package's own files are, whether the components run from their sources
// (components/) or compiled (dist/components/): function code is bundled from the TypeScript
// sources that ship with the package.
import * as fs from "node:fs";
import * as path from "node:path";

/** The folder of this package's package.json. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(from: string): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) return path.join(from, "..", "..");
    }
}
