// Where a function's `live` alias sends traffic: one rule for every cloud that numbers a
// function's versions 1, 2, 3... per publish (Lambda, SCF). The realisations turn it into their
// alias's routing (aws/function-alias.ts, tencentcloud/release.ts).
//
// The canary's "previous version" is the newest minus one: true as long as only this program
// publishes the function's versions (one published from a console in between would take the rest).
import { ConfigError, PROJECT } from "./config";
import type { FunctionRelease } from "./function";

export interface LiveRouting {
    /** The alias's main version. */
    version: number;
    /** During a canary: the newest version, and its share of the traffic (0-1). */
    canary?: { version: number; weight: number };
    /** The main version is a pin (`serverless-blocks:pinnedVersions`, written by a rollback). */
    pinned: boolean;
}

/**
 * Given the newest published version: the pinned version when the stack pins one, else the newest,
 * or with a canary `canaryPercent` of it to the newest and the rest to the one before (no split
 * while there is only version 1). A pin beyond the newest names a version that does not exist.
 */
export function liveRouting(fn: string, newest: number, release: FunctionRelease): LiveRouting {
    if (release.pinnedVersion !== undefined) {
        // config.ts admits only version numbers as pins.
        const pinned = Number(release.pinnedVersion);
        if (pinned > newest) {
            throw new ConfigError(`${PROJECT}:pinnedVersions.${fn}`, release.pinnedVersion, `function ${fn} has published versions 1 to ${newest}; pin one of those`);
        }
        return { version: pinned, pinned: true };
    }
    if (release.canaryPercent === 0 || newest === 1) return { version: newest, pinned: false };
    return { version: newest - 1, canary: { version: newest, weight: release.canaryPercent / 100 }, pinned: false };
}
