// The local runtime's SQLite databases (events, workflows): opened the same way, so that two
// processes (npm start and a tool such as npm run dlq) can share one, and a database written by a
// newer serverless-blocks is refused rather than misread.
import Database from "better-sqlite3";

/**
 * Opens (creating if needed) `file` in WAL mode with a 5 s busy timeout, refuses it when its
 * `user_version` is newer than `version`, then applies `schema` (idempotent DDL) and stamps `version`.
 */
export function openVersionedDatabase(file: string, schema: string, version: number): Database.Database {
    const db = new Database(file, { timeout: 5000 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    const found = db.pragma("user_version", { simple: true }) as number;
    if (found > version) {
        db.close();
        throw new Error(`${file} was written by a newer version of serverless-blocks (schema ${found}, this one knows ${version})`);
    }
    db.exec(schema);
    db.pragma(`user_version = ${version}`);
    return db;
}
