// tencentcloud_cdn_domain: a CDN acceleration domain, its origin and its edge configuration.
// Bound: the blocks this project configures (origin, HTTPS, cache rules, compression, response
// headers, status-code caching); the schema has many more (referer, IP filters, bandwidth alerts,
// authentication, ...), to add here when needed: the unit test checks every name against it.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** A compression rule. */
export interface CdnDomainCompressionCompressionRule {
    /** `gzip` and/or `brotli`. */
    algorithms: pulumi.Input<pulumi.Input<string>[]>;
    /** Must be true. */
    compress: pulumi.Input<boolean>;
    /** File extensions, e.g. `js`, `css`. */
    fileExtensions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Largest response compressed, bytes. */
    maxLength: pulumi.Input<number>;
    /** Smallest response compressed, bytes. */
    minLength: pulumi.Input<number>;
    /** What `ruleType` matches: `*` for `all`, extensions for `file`, `/dir/` for `directory`, paths for `path`. */
    rulePaths?: pulumi.Input<pulumi.Input<string>[]>;
    /** `all`, `file`, `directory`, `path` or `contentType`. */
    ruleType?: pulumi.Input<string>;
}

/** Smart compression. */
export interface CdnDomainCompression {
    compressionRules?: pulumi.Input<pulumi.Input<CdnDomainCompressionCompressionRule>[]>;
    /** `on` or `off` (default). */
    switch: pulumi.Input<string>;
}

/** Whether HTTPS requests are served (and billed). */
export interface CdnDomainHttpsBilling {
    /** `on` (default; HTTPS requests are billed) or `off` (HTTPS requests are refused). */
    switch: pulumi.Input<string>;
}

/** A client certificate for mutual TLS. */
export interface CdnDomainHttpsConfigClientCertificateConfig {
    /** The client CA certificate, PEM, Base64 encoded. */
    certificateContent: pulumi.Input<string>;
    certificateName?: pulumi.Input<string>;
    deployTime?: pulumi.Input<string>;
    expireTime?: pulumi.Input<string>;
}

/** Forced redirection between HTTP and HTTPS. */
export interface CdnDomainHttpsConfigForceRedirect {
    /** Return the added headers on the redirect: `on` or `off`. */
    carryHeaders?: pulumi.Input<string>;
    /** 301 or 302. */
    redirectStatusCode?: pulumi.Input<number>;
    /** `https` (HTTP to HTTPS) or `http`. */
    redirectType?: pulumi.Input<string>;
    /** `on` or `off` (default). */
    switch?: pulumi.Input<string>;
}

/** HTTP Strict Transport Security. */
export interface CdnDomainHttpsConfigHsts {
    /** `on` or `off`. */
    includeSubDomains?: pulumi.Input<string>;
    /** Seconds, 0 to 365 days (checked at construction: the provider passes it on unchecked). */
    maxAge?: pulumi.Input<number>;
    /** `on` or `off`. */
    switch: pulumi.Input<string>;
}

/** The certificate the domain is served with: an SSL Certificates Service id, or an uploaded one. */
export interface CdnDomainHttpsConfigServerCertificateConfig {
    /** An uploaded certificate, PEM. */
    certificateContent?: pulumi.Input<string>;
    /** An SSL Certificates Service certificate id. */
    certificateId?: pulumi.Input<string>;
    certificateName?: pulumi.Input<string>;
    deployTime?: pulumi.Input<string>;
    expireTime?: pulumi.Input<string>;
    /** A remark. */
    message?: pulumi.Input<string>;
    /** The uploaded certificate's key, PEM. */
    privateKey?: pulumi.Input<string>;
}

/** HTTPS acceleration. */
export interface CdnDomainHttpsConfig {
    clientCertificateConfig?: pulumi.Input<CdnDomainHttpsConfigClientCertificateConfig>;
    forceRedirect?: pulumi.Input<CdnDomainHttpsConfigForceRedirect>;
    hsts?: pulumi.Input<CdnDomainHttpsConfigHsts>;
    /** HTTP/2: `on` or `off` (default). */
    http2Switch?: pulumi.Input<string>;
    /** HTTPS: `on` or `off`. */
    httpsSwitch: pulumi.Input<string>;
    /** OCSP stapling: `on` or `off` (default). */
    ocspStaplingSwitch?: pulumi.Input<string>;
    serverCertificateConfig?: pulumi.Input<CdnDomainHttpsConfigServerCertificateConfig>;
    /** SPDY: `on` or `off`. */
    spdySwitch?: pulumi.Input<string>;
    /** TLS versions, e.g. `TLSv1.2`, `TLSv1.3` (some domains only). */
    tlsVersions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Mutual TLS: `on` or `off` (default). */
    verifyClient?: pulumi.Input<string>;
}

/** The origin the CDN pulls from. */
export interface CdnDomainOrigin {
    backupOriginLists?: pulumi.Input<pulumi.Input<string>[]>;
    /** `domain` or `ip`. */
    backupOriginType?: pulumi.Input<string>;
    /** Host header for the backup origin. */
    backupServerName?: pulumi.Input<string>;
    /** For a `cos` origin: pull from a private bucket, signed (`on`) or not (`off`). */
    cosPrivateAccess?: pulumi.Input<string>;
    /** The object storage vendor, for third-party origins. */
    originCompany?: pulumi.Input<string>;
    /** The origin servers (for `cos`, the bucket's domain). */
    originLists: pulumi.Input<pulumi.Input<string>[]>;
    /** `http`, `https` or `follow`. */
    originPullProtocol?: pulumi.Input<string>;
    /** `domain`, `cos`, `ip`, `ipv6`, ... */
    originType: pulumi.Input<string>;
    /** Host header sent to the origin. */
    serverName?: pulumi.Input<string>;
}

/** A response header rule. */
export interface CdnDomainResponseHeaderHeaderRule {
    /** `add`, `set` or `del`. */
    headerMode: pulumi.Input<string>;
    headerName: pulumi.Input<string>;
    headerValue: pulumi.Input<string>;
    /** What `ruleType` matches: `*` for `all`, extensions for `file`, directories, paths. */
    rulePaths: pulumi.Input<pulumi.Input<string>[]>;
    /** `all`, `file`, `directory` or `path`. */
    ruleType: pulumi.Input<string>;
}

/** Headers added to (or removed from) responses. */
export interface CdnDomainResponseHeader {
    headerRules?: pulumi.Input<pulumi.Input<CdnDomainResponseHeaderHeaderRule>[]>;
    /** `on` or `off` (default). */
    switch: pulumi.Input<string>;
}

/**
 * A path cache rule; later rules take precedence. Its mode is exactly one of `switch` (cache for
 * `cacheTime`), `noCacheSwitch` (never cache) and `followOriginSwitch` (follow the origin's
 * Cache-Control): the provider sends each to a mode of its own (checked at construction).
 */
export interface CdnDomainRuleCache {
    /** Seconds, at most 365 days. */
    cacheTime: pulumi.Input<number>;
    /** Advanced expiration: `on` or `off`. */
    compareMaxAge?: pulumi.Input<string>;
    /** Follow the origin's Cache-Control: `on` or `off`. */
    followOriginSwitch?: pulumi.Input<string>;
    /** Heuristic caching (with `followOriginSwitch`): `on` or `off`. */
    heuristicCacheSwitch?: pulumi.Input<string>;
    heuristicCacheTime?: pulumi.Input<number>;
    /** Cache even `no-store`/`no-cache` responses: `on` or `off`. */
    ignoreCacheControl?: pulumi.Input<string>;
    /** Ignore the origin's Set-Cookie: `on` or `off`. */
    ignoreSetCookie?: pulumi.Input<string>;
    /** Never cache: `on` or `off`. */
    noCacheSwitch?: pulumi.Input<string>;
    /** Always revalidate with the origin: `on` or `off` (default). */
    reValidate?: pulumi.Input<string>;
    /** What `ruleType` matches: `*` for `all`, extensions for `file`, `/dir` for `directory`, paths for `path`, `/` for `index`. */
    rulePaths?: pulumi.Input<pulumi.Input<string>[]>;
    /** `all`, `file`, `directory`, `path` or `index`. */
    ruleType?: pulumi.Input<string>;
    /** Cache: `on` or `off`. */
    switch?: pulumi.Input<string>;
}

/** How long an error status is cached. */
export interface CdnDomainStatusCodeCacheCacheRule {
    /** Seconds. */
    cacheTime: pulumi.Input<number>;
    /** `403` or `404`. */
    statusCode: pulumi.Input<string>;
}

/** Error status caching. */
export interface CdnDomainStatusCodeCache {
    cacheRules?: pulumi.Input<pulumi.Input<CdnDomainStatusCodeCacheCacheRule>[]>;
    /** `on` or `off` (default). */
    switch: pulumi.Input<string>;
}

/** The arguments for constructing a CdnDomain. */
export interface CdnDomainArgs {
    /** `mainland` (ICP filing required), `overseas` or `global`. */
    area?: pulumi.Input<string>;
    compression?: pulumi.Input<CdnDomainCompression>;
    /** The acceleration domain. Replaces the domain. */
    domain: pulumi.Input<string>;
    /** Follow the origin's 301/302: `on` or `off` (default). */
    followRedirectSwitch?: pulumi.Input<string>;
    httpsBilling?: pulumi.Input<CdnDomainHttpsBilling>;
    httpsConfig?: pulumi.Input<CdnDomainHttpsConfig>;
    /** IPv6 access: `on` or `off`. */
    ipv6AccessSwitch?: pulumi.Input<string>;
    origin: pulumi.Input<CdnDomainOrigin>;
    /** Project id; default 0. */
    projectId?: pulumi.Input<number>;
    /** QUIC (HTTP/3): `on` or `off` (default). */
    quicSwitch?: pulumi.Input<string>;
    /** Range origin pull: `on` (default) or `off`. */
    rangeOriginSwitch?: pulumi.Input<string>;
    responseHeader?: pulumi.Input<CdnDomainResponseHeader>;
    ruleCaches?: pulumi.Input<pulumi.Input<CdnDomainRuleCache>[]>;
    /** `web`, `download`, `media`, ... Replaces the domain. */
    serviceType: pulumi.Input<string>;
    statusCodeCache?: pulumi.Input<CdnDomainStatusCodeCache>;
    /** Tags of the domain. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** A CDN acceleration domain (`tencentcloud_cdn_domain`). */
export class CdnDomain extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/cdnDomain:CdnDomain";

    /** Reads an existing domain by ID (the domain name). */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CdnDomain {
        return new CdnDomain(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CdnDomain, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CdnDomain {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CdnDomain.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly area: pulumi.Output<string>;
    declare public readonly compression: pulumi.Output<pulumi.Unwrap<CdnDomainCompression>>;
    declare public readonly domain: pulumi.Output<string>;
    declare public readonly followRedirectSwitch: pulumi.Output<string | undefined>;
    declare public readonly httpsBilling: pulumi.Output<pulumi.Unwrap<CdnDomainHttpsBilling>>;
    declare public readonly httpsConfig: pulumi.Output<pulumi.Unwrap<CdnDomainHttpsConfig>>;
    declare public readonly ipv6AccessSwitch: pulumi.Output<string | undefined>;
    declare public readonly origin: pulumi.Output<pulumi.Unwrap<CdnDomainOrigin>>;
    declare public readonly projectId: pulumi.Output<number | undefined>;
    declare public readonly quicSwitch: pulumi.Output<string>;
    declare public readonly rangeOriginSwitch: pulumi.Output<string | undefined>;
    declare public readonly responseHeader: pulumi.Output<pulumi.Unwrap<CdnDomainResponseHeader>>;
    declare public readonly ruleCaches: pulumi.Output<pulumi.Unwrap<CdnDomainRuleCache>[]>;
    declare public readonly serviceType: pulumi.Output<string>;
    declare public readonly statusCodeCache: pulumi.Output<pulumi.Unwrap<CdnDomainStatusCodeCache>>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    /** The CNAME target to point the domain at. */
    declare public readonly cname: pulumi.Output<string>;
    /** Creation time. */
    declare public readonly createTime: pulumi.Output<string>;
    /** The request a dry-run create would send. */
    declare public readonly dryRunCreateResult: pulumi.Output<string>;
    /** The request a dry-run update would send. */
    declare public readonly dryRunUpdateResult: pulumi.Output<string>;
    /** Service status, e.g. `online`, `processing`. */
    declare public readonly status: pulumi.Output<string>;

    constructor(name: string, args: CdnDomainArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing domain: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CdnDomainArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        if (args) checkCdnDomainArgs(name, args);
        super(CdnDomain.__pulumiType, name, resourceInputs(cdnDomainBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

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
function checkCdnDomainArgs(name: string, args: CdnDomainArgs): void {
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

/** CdnDomain's registered property names, checked against the provider schema by the unit test. */
export const cdnDomainBinding: BindingSchema<CdnDomainArgs> = {
    token: CdnDomain.__pulumiType,
    inputs: {
        area: true,
        compression: { compressionRules: { algorithms: true, compress: true, fileExtensions: true, maxLength: true, minLength: true, rulePaths: true, ruleType: true }, switch: true },
        domain: true,
        followRedirectSwitch: true,
        httpsBilling: { switch: true },
        httpsConfig: {
            clientCertificateConfig: { certificateContent: true, certificateName: true, deployTime: true, expireTime: true },
            forceRedirect: { carryHeaders: true, redirectStatusCode: true, redirectType: true, switch: true },
            hsts: { includeSubDomains: true, maxAge: true, switch: true },
            http2Switch: true,
            httpsSwitch: true,
            ocspStaplingSwitch: true,
            serverCertificateConfig: { certificateContent: true, certificateId: true, certificateName: true, deployTime: true, expireTime: true, message: true, privateKey: true },
            spdySwitch: true,
            tlsVersions: true,
            verifyClient: true,
        },
        ipv6AccessSwitch: true,
        origin: {
            backupOriginLists: true,
            backupOriginType: true,
            backupServerName: true,
            cosPrivateAccess: true,
            originCompany: true,
            originLists: true,
            originPullProtocol: true,
            originType: true,
            serverName: true,
        },
        projectId: true,
        quicSwitch: true,
        rangeOriginSwitch: true,
        responseHeader: { headerRules: { headerMode: true, headerName: true, headerValue: true, rulePaths: true, ruleType: true }, switch: true },
        ruleCaches: {
            cacheTime: true,
            compareMaxAge: true,
            followOriginSwitch: true,
            heuristicCacheSwitch: true,
            heuristicCacheTime: true,
            ignoreCacheControl: true,
            ignoreSetCookie: true,
            noCacheSwitch: true,
            reValidate: true,
            rulePaths: true,
            ruleType: true,
            switch: true,
        },
        serviceType: true,
        statusCodeCache: { cacheRules: { cacheTime: true, statusCode: true }, switch: true },
        tags: true,
    },
    required: { domain: true, origin: true, serviceType: true },
    outputs: ["cname", "createTime", "dryRunCreateResult", "dryRunUpdateResult", "status"],
};
