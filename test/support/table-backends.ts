// The Table client's MySQL and SQLite backends on throwaway storage (a MariaDB server of their
// own, a temporary directory), for the suites that run the same cases on every target.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Pool } from "mysql2/promise";
import { createLocalTable, type LocalTableBackend } from "../../functions/runtime/clients/local/table";
import { createMysqlTable, mysqlPool } from "../../functions/runtime/clients/tencentcloud/table";
import type { TableBackend } from "../../functions/runtime/clients/table";
import { startMariaDb } from "./mariadb";

export async function mysqlBackend(): Promise<{ backend: TableBackend; pool: Pool; database: string; stop(): Promise<void> }> {
    const server = await startMariaDb();
    const pool = mysqlPool(server);
    return {
        backend: createMysqlTable({ connect: () => ({ pool, database: server.database }) }),
        pool,
        database: server.database,
        async stop() {
            await pool.end();
            await server.stop();
        },
    };
}

/** A SQLite file per table under a new temporary directory (named after `prefix`), removed by stop(). */
export function sqliteBackend(prefix: string): { backend: LocalTableBackend; dir: string; stop(): Promise<void> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const backend = createLocalTable({ file: (t) => path.join(dir, `${t.tableName}.sqlite`) });
    return {
        backend,
        dir,
        async stop() {
            backend.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
