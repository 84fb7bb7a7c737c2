// npm start: the typical app on this machine, no cloud account. PORT overrides the port (3000).
import * as path from "node:path";
import { startLocal } from "../local/start";

async function main(): Promise<void> {
    const port = process.env.PORT === undefined ? 3000 : Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT '${process.env.PORT}' is not a port number (0-65535)`);
    const app = await startLocal({ projectDir: path.resolve(__dirname, ".."), port });
    console.log(`serverless-blocks is running locally at ${app.url}  (status: ${app.url}/_local/status, data: .data/)`);
    const shutdown = async (signal: string) => {
        console.log(`\n${signal}: stopping`);
        await app.stop();
        process.exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
    console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
