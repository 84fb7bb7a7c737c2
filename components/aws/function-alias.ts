// A Lambda's `live` alias: what every caller invokes. It points at the version `publish: true`
// made of the current code and configuration, at a pinned version (a rollback), or splits the
// traffic of a canary between the previous version and the new one (weighted alias). Lambda
// routes a weighted alias between exactly two published versions with the same execution role
// (Lambda Developer Guide, "Implement Lambda canary deployments using a weighted alias").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FunctionRelease } from "../function";
import { liveRouting } from "../release-routing";

/** Where the alias points: its primary version and, during a canary, the new version's share (0-1). */
export interface AliasRouting {
    functionVersion: string;
    additionalVersionWeights?: { [version: string]: number };
}

/**
 * The alias's routing for the version just published (`version`, as Lambda numbers it: counting
 * up from 1, one per publish, never reused), by the rule every cloud shares (../release-routing.ts).
 * A version that is not a number (`$LATEST`) cannot be split or bounded: the alias takes the pin
 * or that version as it is.
 */
export function aliasRouting(fn: string, version: string, release: FunctionRelease): AliasRouting {
    if (!isVersionNumber(version)) return { functionVersion: release.pinnedVersion ?? version };
    const routing = liveRouting(fn, Number(version), release);
    return {
        functionVersion: String(routing.version),
        ...(routing.canary ? { additionalVersionWeights: { [routing.canary.version]: routing.canary.weight } } : {}),
    };
}

function isVersionNumber(version: string): boolean {
    return /^[1-9][0-9]*$/.test(version);
}

/** The alias, and provisioned concurrency on it when asked. */
export function liveAlias(parent: pulumi.Resource, name: string, fn: aws.lambda.Function, release: FunctionRelease): aws.lambda.Alias {
    const opts = { parent };
    const routing = fn.version.apply((version) => aliasRouting(name, version, release));
    const alias = new aws.lambda.Alias(`${name}-alias`, {
        name: release.alias,
        functionName: fn.name,
        functionVersion: routing.functionVersion,
        // Without weights the provider sends an empty routing config, which clears a promoted
        // canary's (terraform-provider-aws internal/service/lambda/alias.go, expandAliasRoutingConfiguration).
        routingConfig: routing.apply((r) => r.additionalVersionWeights && { additionalVersionWeights: r.additionalVersionWeights }),
        description: routing.apply((r) => describe(release, r)),
    }, opts);
    if (release.provisionedConcurrency > 0) {
        // On the alias, so it follows the alias to each new version. During a canary Lambda spreads
        // it over both versions by weight (the allocated count fluctuates: Lambda API reference,
        // ProvisionedConcurrencyConfigListItem); a canary share beyond it runs on demand.
        new aws.lambda.ProvisionedConcurrencyConfig(`${name}-provisioned-concurrency`, {
            functionName: fn.name,
            qualifier: alias.name,
            provisionedConcurrentExecutions: release.provisionedConcurrency,
        }, opts);
    }
    return alias;
}

function describe(release: FunctionRelease, routing: AliasRouting): string {
    if (release.pinnedVersion !== undefined) return `Pinned to version ${release.pinnedVersion} (rollback)`;
    const [canary] = Object.keys(routing.additionalVersionWeights ?? {});
    return canary
        ? `Canary: ${release.canaryPercent}% to version ${canary}, the rest to version ${routing.functionVersion}`
        : `Version ${routing.functionVersion}`;
}
