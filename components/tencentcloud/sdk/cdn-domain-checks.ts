// Checks on CdnDomain's args that Tencent documents and the provider (v1.83.25) does not make:
// refused at construction, before anything registers. Hand-written; the generated cdn-domain.ts
// calls it (bindings.json `check`).
import * as pulumi from "@pulumi/pulumi";
import type { CdnDomainArgs } from "./cdn-domain";

/**
 * Tencent CDN's HSTS max-age: 0 to 365 days, set in seconds (CDN "HSTS 配置", 配置约束,
 * cloud.tencent.com/document/product/228/44867). The provider (v1.83.25,
 * tencentcloud/services/cdn/resource_tc_cdn_domain.go, `hsts.max_age`) has no ValidateFunc.
 */
export const CDN_HSTS_MAX_AGE_LIMIT_SECONDS = 365 * 24 * 60 * 60;

/**
 * The three cache modes of a rule. The provider (resource_tc_cdn_domain.go, `rule_cache`) sends
 * `switch` as RuleCacheConfig.Cache, `no_cache_switch` as .NoCache and `follow_origin_switch` as
 * .FollowOrigin, and its example turns on one per rule.
 */
const CACHE_MODES = ["switch", "noCacheSwitch", "followOriginSwitch"] as const;

/** Values Tencent documents and the provider does not check, refused before anything registers. */
export function checkCdnDomainArgs(name: string, args: CdnDomainArgs): void {
    const maxAge = known(known(known(args.httpsConfig)?.hsts)?.maxAge);
    if (typeof maxAge === "number" && !(maxAge >= 0 && maxAge <= CDN_HSTS_MAX_AGE_LIMIT_SECONDS)) {
        throw new Error(`CdnDomain '${name}' httpsConfig.hsts.maxAge: ${maxAge} is not allowed; Tencent CDN takes 0 to ${CDN_HSTS_MAX_AGE_LIMIT_SECONDS} seconds (365 days)`);
    }
    const rules = known(args.ruleCaches);
    (Array.isArray(rules) ? rules : []).forEach((input, i) => {
        const rule = known(input);
        const on = rule ? CACHE_MODES.filter((mode) => known(rule[mode]) === "on") : [];
        if (on.length > 1) {
            throw new Error(`CdnDomain '${name}' ruleCaches[${i}]: ${on.join(", ")} are all on; turn on one of ${CACHE_MODES.join(", ")} per rule`);
        }
    });
}

/** A value given as is; undefined while it is still an Output or a promise (nothing to check yet). */
function known<T>(value: pulumi.Input<T> | undefined): T | undefined {
    return pulumi.Output.isInstance(value) || value instanceof Promise ? undefined : (value as T | undefined);
}
