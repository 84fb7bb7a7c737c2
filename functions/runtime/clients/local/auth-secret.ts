// An Auth's secret on the local target: a JSON file under the runtime's data directory, written
// when the runtime loads the program's AuthSecret descriptor; the link gives its path.
import { promises as fs } from "node:fs";
import type { AuthSecretStore } from "../auth-secret";

export const localAuthSecretStore: AuthSecretStore = {
    async read(location) {
        try {
            return await fs.readFile(location.id, "utf8");
        } catch (err) {
            throw new Error(`the Auth secret file ${location.id} cannot be read (is the local runtime serving this program?): ${(err as NodeJS.ErrnoException).code ?? err}`);
        }
    },
};
