// Target selection: components ask `provider()` for the realisation of the stack's cloud
// (config.ts reads which one); nothing else branches on the cloud.
import { target } from "./config";
import type { CloudProvider } from "./provider";

// Re-exported for the modules that import them from here; new code imports ./config.
export { CLOUDS, ConfigError, LIVE_ALIAS, LOG_RETENTION_DAYS, PROJECT, target, wholeInRange } from "./config";
export type { CloudName, ReleaseConfig, Target } from "./config";

/** The realisation of every component for the stack's cloud; loaded lazily so a stack only loads its own cloud's SDK. */
export function provider(): CloudProvider {
    switch (target().cloud) {
        case "aws":
            return require("./aws").awsProvider;
        case "tencentcloud":
            return require("./tencentcloud").tencentProvider;
        case "local":
            return require("./local").localProvider;
    }
}
