// The part of better-sqlite3's API the local runtime uses (the package ships no typings and
// @types/better-sqlite3 is not a dependency).
declare module "better-sqlite3" {
    namespace Database {
        interface RunResult {
            changes: number;
            lastInsertRowid: number | bigint;
        }
        interface Statement<Row = unknown> {
            run(...params: unknown[]): RunResult;
            get(...params: unknown[]): Row | undefined;
            all(...params: unknown[]): Row[];
        }
        interface Options {
            readonly?: boolean;
            fileMustExist?: boolean;
            timeout?: number;
        }
        interface Database {
            readonly open: boolean;
            readonly inTransaction: boolean;
            prepare<Row = unknown>(source: string): Statement<Row>;
            exec(source: string): this;
            pragma(source: string, options?: { simple?: boolean }): unknown;
            transaction<F extends (...args: any[]) => any>(fn: F): F & { deferred: F; immediate: F; exclusive: F };
            close(): this;
        }
    }
    const Database: {
        new (filename: string, options?: Database.Options): Database.Database;
    };
    export = Database;
}
