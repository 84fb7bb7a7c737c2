// Profiles every Node process of a plan, the program the launcher starts included:
//   NODE_OPTIONS="--require $PWD/bench/cpu-profile.js" SB_PROFILE_DIR=/tmp/prof npm run plan -- --stack prod --json
// Node refuses --cpu-prof in NODE_OPTIONS, and the launcher passes only Pulumi.yaml's `nodeargs`
// to the program, so this preload starts V8's profiler through the inspector instead and writes
// <SB_PROFILE_DIR>/<pid>-<script>.cpuprofile (Chrome DevTools, speedscope) when the process exits.
// Plain JavaScript: it loads before ts-node.
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.SB_PROFILE_DIR;
if (!dir) throw new Error("bench/cpu-profile.js: set SB_PROFILE_DIR to the folder the profiles go to");
fs.mkdirSync(dir, { recursive: true });

const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 1000 }); // microseconds
session.post("Profiler.start");

// The main thread's inspector session answers synchronously, so the profile is written before exit.
process.once("exit", () => {
    session.post("Profiler.stop", (err, result) => {
        if (err) return void process.stderr.write(`bench/cpu-profile.js: ${err.message}\n`);
        const script = path.basename(process.argv[1] ?? "node");
        fs.writeFileSync(path.join(dir, `${process.pid}-${script}.cpuprofile`), JSON.stringify(result.profile));
    });
});
