// One local runtime per data directory: a second one would take over the first one's
// deliveries. The lock is a pid file; a lock left by a process that no longer exists (a crash,
// kill -9) is taken over, which is what lets the next start recover that process's work.
import * as fs from "node:fs";
import * as path from "node:path";

export const LOCK_FILE = "runtime.pid";

export class DataDirLock {
    private constructor(private readonly file: string) {}

    static acquire(dataDir: string): DataDirLock {
        fs.mkdirSync(dataDir, { recursive: true });
        const file = path.join(dataDir, LOCK_FILE);
        for (let tries = 0; tries < 3; tries++) {
            try {
                fs.writeFileSync(file, String(process.pid), { flag: "wx" });
                return new DataDirLock(file);
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
            }
            const owner = Number(fs.readFileSync(file, "utf8").trim());
            if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
                throw new Error(`another local runtime (pid ${owner}) is using ${dataDir}; stop it, or give this one its own data directory`);
            }
            if (owner === process.pid) throw new Error(`a local runtime in this process already uses ${dataDir}; close it first`);
            fs.rmSync(file, { force: true }); // left by a process that is gone
        }
        throw new Error(`could not lock ${file}`);
    }

    release(): void {
        try {
            if (fs.readFileSync(this.file, "utf8").trim() === String(process.pid)) fs.rmSync(this.file, { force: true });
        } catch {
            // already gone
        }
    }
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}
