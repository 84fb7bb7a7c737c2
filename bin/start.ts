// npm start: the typical app on this machine, no cloud account. PORT overrides the port (3000).
import * as path from "node:path";
import { localDataDirOf } from "../components/local/settings";
import { startLocal } from "../local/start";
import { SHOP_DIR } from "./shop";

async function main(): Promise<void> {
    const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT '${process.env.PORT}' is not a port number (0-65535)`);
    const projectDir = SHOP_DIR;
    const dataDir = localDataDirOf(projectDir);
    const app = await startLocal({ projectDir, port });
    console.log(`serverless-blocks is running locally at ${app.url}  (data: ${displayed(dataDir)})`);
    // Printed once: the token lets whoever holds it drive every function (also in <data dir>/local-token, mode 0600).
    console.log(`local console: ${app.url}/_local/?token=${app.token}`);
    const shutdown = async (signal: string) => {
        console.log(`\n${signal}: stopping`);
        await app.stop();
        process.exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

/** The data directory as the user would type it: relative when it is under the working directory. */
function displayed(dir: string): string {
    const relative = path.relative(process.cwd(), dir);
    return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? dir : `${relative}/`;
}

main().catch((err) => {
    console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
