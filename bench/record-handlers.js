// Preloaded (NODE_OPTIONS --require) into the program bench/bundle-size.ts evaluates: writes,
// for each Function bundled, its name and the handler module and export its code comes from, one
// JSON line each to the file SB_BENCH_HANDLERS names. The bench bundles each handler alone
// with the same esbuild settings (the floor its zip is compared with); the plan shows only the
// zips. Plain JavaScript: it runs before the launcher registers TypeScript.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");

const out = process.env.SB_BENCH_HANDLERS;
if (!out) throw new Error("bench/record-handlers.js: SB_BENCH_HANDLERS (the file to write to) is not set");

const load = Module._load;
Module._load = function (request, parent, isMain) {
    const exports = load.apply(this, arguments);
    const FunctionCode = exports && exports.FunctionCode;
    if (typeof FunctionCode === "function" && !FunctionCode.prototype.__benchRecorded) {
        const bundle = FunctionCode.prototype.bundle;
        Object.defineProperty(FunctionCode.prototype, "__benchRecorded", { value: true });
        FunctionCode.prototype.bundle = function (adapter, external) {
            // `name` and `source` are the class's own (components/function-code.ts), read as the bundler reads them.
            this.source().then(
                (src) => fs.appendFileSync(out, JSON.stringify({ name: this.name, file: src.file, exportName: src.exportName, sloppy: Boolean(src.sloppy), external }) + "\n"),
                () => undefined, // the real bundle reports the same failure
            );
            return bundle.call(this, adapter, external);
        };
    }
    return exports;
};
