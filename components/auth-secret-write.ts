// Every cloud's AuthSecretRealisation.write: the secret's value is registered once.
import type { AuthSecretContent } from "./provider";

export function writeOnce(auth: string, write: (content: AuthSecretContent) => void): (content: AuthSecretContent) => void {
    let written = false;
    return (content) => {
        if (written) throw new Error(`Auth '${auth}': its secret is written once`);
        written = true;
        write(content);
    };
}
