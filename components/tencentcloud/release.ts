// How an SCF function is released: an immutable version published for every change of its code or
// configuration, and the alias `live` every caller invokes, routed to that version, to a pinned one,
// or split between the previous and the new one (a canary).
//
// Facts (terraform-provider-tencentcloud v1.83.25, tencentcloud/services/scf/):
// - resource_tc_scf_function_version.go: PublishVersion of the function's current code and
//   configuration; every input (function_name, description, namespace) is ForceNew and there is no
//   update, so the version is published again exactly when an input changes. Its `description`
//   therefore carries a digest of the code and the configuration (versionDescription): a changed
//   zip or setting replaces the version, which publishes a new one; an unchanged program plans the
//   same description and publishes nothing. The version reads the function's outputs, so it is
//   published after the function's update.
// - SCF numbers versions 1, 2, 3... per function, in publishing order. The canary's "previous
//   version" is the new one minus one: true as long as versions are published only by this program
//   (a version published from the console in between would be the one taking the rest).
// - resource_tc_scf_function_alias.go: UpdateAlias is called only when `routing_config` or
//   `description` changed, never for `function_version` alone. The alias's description names its
//   routing (aliasRouting), so every change of version or weights changes it and reaches SCF.
//   The routing block is always given (an empty list without a split), so that a promotion sends
//   UpdateAlias a routing of its own rather than none; whether SCF keeps a split that UpdateAlias
//   does not mention is not documented, and this was not tried against a live account.
// - Weights are fractions of the alias's traffic: the provider's own example routes `weight = 0.4`
//   to an additional version (website/docs/r/scf_function_alias.html.markdown); the main version
//   (`function_version`) takes the rest.
// - resource_tc_scf_provisioned_concurrency_config.go: provisioned concurrency is per version
//   (`qualifier`: "Function version number. Note: the $LATEST version does not support provisioned
//   concurrency"), every input ForceNew. It is kept on the alias's main version: the new one
//   normally, the previous one while a canary sends it most of the traffic, the pinned one when pinned.
import { createHash } from "node:crypto";
import { ConfigError, PROJECT } from "../config";
import type { FunctionRelease } from "../function";
import { liveRouting } from "../release-routing";

export interface AliasRouting {
    /** The alias's main version. */
    functionVersion: string;
    /** The canary's share, on the new version; none without a split. */
    additionalVersionWeights: { version: string; weight: number }[];
    /** Says what the routing is: changes whenever it does (see the top of this file). */
    description: string;
}

/**
 * Where `live` sends traffic, given the newest published version: to the pinned version when the
 * stack pins one (`serverless-blocks:pinnedVersions`), else to the newest, or `canaryPercent` of it
 * to the newest and the rest to the one before (no split while there is only version 1).
 */
export function aliasRouting(fn: string, release: FunctionRelease, newest: string): AliasRouting {
    const latest = versionNumber(newest, `Function '${fn}' published version`);
    const routing = liveRouting(fn, latest, release);
    const main = routing.version;
    if (routing.pinned) return { functionVersion: String(main), additionalVersionWeights: [], description: `Pinned to version ${main}, version ${latest} is the newest` };
    if (!routing.canary) return { functionVersion: String(main), additionalVersionWeights: [], description: `Routes all traffic to version ${main}` };
    return {
        functionVersion: String(main),
        additionalVersionWeights: [{ version: String(routing.canary.version), weight: routing.canary.weight }],
        description: `Canary, routes ${100 - release.canaryPercent} percent to version ${main} and ${release.canaryPercent} percent to version ${routing.canary.version}`,
    };
}

/**
 * The version's description: a digest of the code (the zip's SHA-256) and of every setting the
 * version captures. Letters, digits, spaces and commas only, as SCF descriptions take.
 */
export function versionDescription(codeSha256: string, configuration: unknown): string {
    const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
    return `Published by ${PROJECT}, code ${digest(codeSha256)}, configuration ${digest(JSON.stringify(configuration))}`;
}

function versionNumber(text: string, key: string): number {
    const n = Number(text);
    if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(n)) throw new ConfigError(key, text, "expected a published SCF version number, e.g. \"3\"");
    return n;
}
