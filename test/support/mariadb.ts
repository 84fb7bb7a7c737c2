// A throwaway MariaDB server for tests: a fresh data directory made by mariadb-install-db, mysqld
// run as the current user on a free 127.0.0.1 port (and a unix socket for setup), a database and
// a password-authenticated user as TDSQL-C gives its clients. `stop()` ends it and removes the data.
// Debian's `mariadb-server` package provides the binaries; CI installs it (.ci/run).
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";

export interface MariaDb {
    host: string;
    port: number;
    user: string;
    password: string;
    /** Created by `startMariaDb`; clients may create others. */
    database: string;
    /** Ends the server and deletes its data directory. */
    stop(): Promise<void>;
}

const PACKAGE_HINT = "install the Debian package mariadb-server (apt-get install -y --no-install-recommends mariadb-server)";
const SEARCH_PATH = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", ...(process.env.PATH ?? "").split(path.delimiter)];
const READY_TIMEOUT_MS = 30_000;

function findBinary(names: string[]): string | undefined {
    for (const dir of SEARCH_PATH) {
        for (const name of names) {
            const file = path.join(dir, name);
            if (fs.existsSync(file)) return file;
        }
    }
    return undefined;
}

/** A port the kernel says is free now. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export async function startMariaDb(database = "sb_test", serverArgs: string[] = []): Promise<MariaDb> {
    const mysqld = findBinary(["mariadbd", "mysqld"]);
    const installDb = findBinary(["mariadb-install-db", "mysql_install_db"]);
    if (!mysqld || !installDb) throw new Error(`MariaDB is not installed (no mariadbd/mysqld or mariadb-install-db found): ${PACKAGE_HINT}`);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-mariadb-"));
    const dataDir = path.join(dir, "data");
    const socket = path.join(dir, "mysqld.sock");
    // mysqld refuses to run as root unless told to: as root, say so; otherwise it runs as us.
    const asUser = process.getuid?.() === 0 ? ["--user=root"] : [];

    const installed = spawnSync(installDb, ["--no-defaults", `--datadir=${dataDir}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...asUser], { encoding: "utf8" });
    if (installed.status !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`mariadb-install-db failed (${installed.status}): ${installed.stderr || installed.stdout}`);
    }

    const port = await freePort();
    const log = path.join(dir, "mysqld.log");
    const server: ChildProcess = spawn(mysqld, [
        "--no-defaults",
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        "--bind-address=127.0.0.1",
        `--pid-file=${path.join(dir, "mysqld.pid")}`,
        `--log-error=${log}`,
        "--skip-name-resolve",
        "--innodb-buffer-pool-size=32M",
        ...asUser,
        ...serverArgs, // e.g. --ssl-cert/--ssl-key
    ], { stdio: "ignore" });
    let exited = false;
    server.once("exit", () => (exited = true));

    const stop = async () => {
        if (!exited) {
            const gone = new Promise((resolve) => server.once("exit", resolve));
            server.kill("SIGTERM");
            await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
            if (!exited) server.kill("SIGKILL");
        }
        fs.rmSync(dir, { recursive: true, force: true });
    };

    try {
        const root = await waitForServer(socket, () => exited, log);
        const user = "sb";
        const password = randomBytes(18).toString("base64url");
        await root.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
        await root.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'`);
        // Like TDSQL-C's root account: the client may create its database and tables, and a test
        // may create and grant the accounts a Table's links use (test/runtime/tencent-table-accounts.test.ts).
        await root.query(`GRANT ALL PRIVILEGES ON *.* TO '${user}'@'127.0.0.1' WITH GRANT OPTION`);
        await root.end();
        return { host: "127.0.0.1", port, user, password, database, stop };
    } catch (err) {
        await stop();
        throw err;
    }
}

async function waitForServer(socketPath: string, exited: () => boolean, log: string) {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
        if (exited()) throw new Error(`mysqld exited while starting:\n${tail(log)}`);
        try {
            return await createConnection({ socketPath, user: "root" });
        } catch (err) {
            if (Date.now() > deadline) throw new Error(`mysqld did not accept connections within ${READY_TIMEOUT_MS} ms (${(err as Error).message}):\n${tail(log)}`);
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
}

function tail(file: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-20).join("\n") : "(no log)";
}
