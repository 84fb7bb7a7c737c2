// Where a program's relative paths (handler files, site folders, build output) are resolved from.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The project's root: the folder of Pulumi.yaml, as the CLI tells the program
 * (`pulumi.runtime.getRootDirectory()`), whatever the program's working directory is. A component
 * provider (`pulumi package add`) is not told one: there the SDK answers the placeholder
 * "rootDirectory", and the provider runs in the consuming project's folder, so that folder is the root.
 */
export function projectRoot(): string {
    const root = pulumi.runtime.getRootDirectory();
    return root && path.isAbsolute(root) ? root : process.cwd();
}
