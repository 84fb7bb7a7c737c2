// `npm start` as a child process on a free port with its own data directory, and what it
// leaves in that directory: shared by the end-to-end tests that drive the real command.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { readLocalToken } from "../../functions/runtime/clients/local/local-token";

/** `npm start` runs from the repository root (bin/start.ts serves examples/shop). */
const repoDir = path.resolve(__dirname, "..", "..");

export interface RunningApp {
    child: ChildProcess;
    url: string;
    /** This run's /_local token, read from the file npm start writes in the data directory. */
    token: string;
    /** Everything the command printed so far. */
    output: () => string;
}

/**
 * Starts `bin/start.ts` (what `npm start` runs) and resolves once it says where it listens: on a
 * free port, or on `port` (a restart on the same one keeps the URLs the app handed out valid).
 */
export function startApp(dataDir: string, port = 0): Promise<RunningApp> {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/start.ts"], {
        cwd: repoDir,
        env: { ...process.env, PORT: String(port), SB_LOCAL_DATA_DIR: dataDir },
    });
    let output = "";
    return new Promise((resolve, reject) => {
        child.stdout!.on("data", (chunk) => {
            output += chunk;
            const match = /running locally at (http:\/\/\S+)/.exec(output);
            if (match) resolve({ child, url: match[1], token: readLocalToken(dataDir), output: () => output });
        });
        child.stderr!.on("data", (chunk) => (output += chunk));
        child.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
}

/** Waits (up to `timeoutMs`) for a message to `to` in the app's mail outbox; undefined if none came. */
export async function waitForMail(dataDir: string, to: string, timeoutMs = 15_000): Promise<any> {
    const outbox = path.join(dataDir, "outbox", "mail");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith(".json")) : [];
        const mail = files.map((f) => JSON.parse(fs.readFileSync(path.join(outbox, f), "utf8"))).find((m) => m.to[0] === to);
        if (mail || Date.now() >= deadline) return mail;
        await new Promise((r) => setTimeout(r, 100));
    }
}
