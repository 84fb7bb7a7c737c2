// StaticSite on Tencent Cloud: a private, encrypted COS bucket that only the CDN service may read
// (CDN origin-pull authentication on the bucket's static website endpoint), one object per file
// with its content type and Cache-Control, and a CDN domain of yours: HTTPS only (HSTS, HTTP/2,
// QUIC, OCSP stapling), cache rules by path, security headers, IPv6, compression.
//
// Where it differs from AWS, because of what the CDN and COS (provider 1.83.25) can express:
// - Client routes: the bucket's static website serves index.html as its error document, so a
//   client route shows the app, but with status 404, not 200: COS keeps the original status
//   (ErrorDocument.OriginalHttpStatus, default Enabled, COS API "PUT Bucket website") and the
//   provider's `website` block cannot change it; the CDN's error pages only redirect. A missing
//   asset is a 404 as on AWS, with index.html as its body. 404s are cached 10 seconds at the edge.
// - SSR: the CDN has no path-based origins in this provider, so COS routes instead: an
//   origin-pull rule per SSR path (Proxy mode: fetched and answered, nothing stored) sends a
//   request for a missing key under the path to the SSR function's URL. Only GET and HEAD reach
//   it (COS pulls from the origin for reads), a path is a key prefix (`/about` also matches
//   `/about-us`), and the function URL is public (SCF function URLs have no CDN-only
//   authorisation like CloudFront's OAC): the function must not trust anything but the request.
// - COS answers `Content-Disposition: attachment` through its default domains (the website
//   endpoint included) for buckets created from 2024-01-01 (COS "存储桶域名使用安全管理通知",
//   tencentcloud.com/document/product/436/57456). The website endpoint stays the origin, as only
//   it gives the client-route fallback (the CDN in this provider cannot answer a 404 with
//   index.html and 200: its error pages redirect, and the REST default domain is covered by
//   the same notice); the CDN sets `Content-Disposition: inline` on every response instead (CDN
//   response header "set", a header the CDN documents as configurable: 228/41737).
// - HSTS max-age is 365 days, the most Tencent CDN takes (228/44867); AWS sends two years.
// - Invalidation: none is needed: HTML, config.json and unhashed files are never cached at the
//   edge (and revalidated by browsers), hashed files never change under their name.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { CACHE_REVALIDATE, CONFIG_KEY, contentTypeOf, INDEX_KEY, ONE_YEAR_SECONDS } from "../build/site-files";
import { ConfigError, PROJECT, target } from "../config";
import { Function } from "../function";
import type { StaticSiteRealisation, StaticSiteSpec } from "../provider";
import { HSTS_MAX_AGE_SECONDS, SECURITY_HEADERS } from "../site-rules";
import { SCF_NAMESPACE } from "./function";
import { CDN_HSTS_MAX_AGE_LIMIT_SECONDS, CdnDomain, CdnDomainRuleCache, CosBucket, CosBucketObject, CosBucketPolicy, getPackage, ScfTrigger } from "./sdk";

/** COS bucket names: `<name>-<APPID>`, the name lowercase letters, digits and '-'; kept within 50 characters in all. */
const BUCKET_PREFIX_MAX = 39;
/** The CDN caches a 404 (the client-route fallback among them) this long. */
export const NOT_FOUND_CACHE_SECONDS = 10;
/** HSTS max-age on the CDN: the shared two years, cut to the 365 days Tencent CDN allows (AWS keeps two years). */
export const TENCENT_HSTS_MAX_AGE_SECONDS = Math.min(HSTS_MAX_AGE_SECONDS, CDN_HSTS_MAX_AGE_LIMIT_SECONDS);

export function checkTencentStaticSite(spec: StaticSiteSpec): void {
    const where = `StaticSite '${spec.name}'`;
    if (!spec.domain) {
        throw new ConfigError(`${where} domain`, undefined, "Tencent Cloud's CDN serves only a domain of yours: give 'domain', e.g. shop.example.com (the typical app passes its stack's serverless-blocks:siteDomain)");
    }
    if (!spec.certificateId) {
        throw new ConfigError(`${where} certificateId`, undefined, `HTTPS on the CDN needs ${spec.domain}'s certificate id from Tencent Cloud SSL Certificates: give 'certificateId' (the typical app passes its stack's serverless-blocks:siteCertificateId)`);
    }
    if (spec.hostedZoneId !== undefined) {
        throw new ConfigError(`${where} hostedZoneId`, spec.hostedZoneId, "a Route 53 hosted zone is AWS only; on Tencent Cloud point the domain at the CDN's CNAME (output dnsRecords)");
    }
}

export function tencentStaticSite(parent: pulumi.Resource, spec: StaticSiteSpec): StaticSiteRealisation {
    const opts = { parent };
    const region = target().region;
    const domain = spec.domain!;
    const account = userInfo();
    const bucketName = pulumi.interpolate`${bucketPrefix(spec.name)}-${account.appId}`;
    const ssr = spec.ssr ? ssrOrigin(spec, opts) : undefined;

    const bucket = new CosBucket(`${spec.name}-bucket`, {
        bucket: bucketName,
        acl: "private",
        encryptionAlgorithm: "AES256",
        // Everything in it is rebuilt from the site's sources; prod keeps it anyway.
        forceClean: !spec.protect,
        website: { indexDocument: INDEX_KEY, errorDocument: spec.hasIndex ? INDEX_KEY : undefined },
        originPullRules: ssr && spec.ssr!.paths.map((p, i) => ({
            priority: i + 1,
            prefix: p.prefix === "/" ? undefined : p.prefix.slice(1),
            host: ssr.host,
            protocol: "https",
            backToSourceMode: "Proxy",
            followQueryString: true,
            followRedirection: false,
        })),
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const policy = new CosBucketPolicy(`${spec.name}-bucket-policy`, {
        bucket: bucket.bucket,
        policy: bucketPolicy(region, account, bucket.bucket),
    }, opts);

    const upload = { parent, dependsOn: [bucket] };
    for (const file of spec.files) {
        new CosBucketObject(`${spec.name}/${file.key}`, {
            bucket: bucket.bucket,
            key: file.key,
            source: file.projectPath,
            etag: file.md5, // a changed file has a new MD5: the object is uploaded again, and only then
            contentType: file.contentType,
            cacheControl: file.cacheControl,
            acl: "private",
        }, upload);
    }
    new CosBucketObject(`${spec.name}/${CONFIG_KEY}`, {
        bucket: bucket.bucket,
        key: CONFIG_KEY,
        content: spec.configJson,
        contentType: contentTypeOf(CONFIG_KEY),
        cacheControl: CACHE_REVALIDATE,
        acl: "private",
    }, upload);

    const website = pulumi.interpolate`${bucket.bucket}.cos-website.${region}.myqcloud.com`;
    const cdn = new CdnDomain(spec.name, {
        domain,
        serviceType: "web",
        origin: {
            originType: "cos",
            originLists: [website],
            serverName: website,
            cosPrivateAccess: "on", // the CDN signs its origin pulls; the bucket grants it (and nobody else) reads
            originPullProtocol: "https",
        },
        httpsConfig: {
            httpsSwitch: "on",
            http2Switch: "on",
            ocspStaplingSwitch: "on",
            serverCertificateConfig: { certificateId: spec.certificateId },
            forceRedirect: { switch: "on", redirectType: "https", redirectStatusCode: 301 },
            hsts: { switch: "on", maxAge: TENCENT_HSTS_MAX_AGE_SECONDS, includeSubDomains: "on" },
        },
        httpsBilling: { switch: "on" },
        quicSwitch: "on",
        ipv6AccessSwitch: "on",
        ruleCaches: cacheRules(spec),
        statusCodeCache: { switch: "on", cacheRules: [{ statusCode: "404", cacheTime: NOT_FOUND_CACHE_SECONDS }] },
        responseHeader: {
            switch: "on",
            headerRules: [
                ...Object.entries(SECURITY_HEADERS).map(([name, value]) => header(name, value)),
                header("content-security-policy", spec.csp),
                // COS adds `Content-Disposition: attachment` on its default domains (the website
                // endpoint among them) for buckets created from 2024-01-01 (COS 436/57456); the
                // CDN's "set" replaces it, so browsers show pages instead of downloading them.
                header("content-disposition", "inline"),
            ],
        },
        compression: {
            switch: "on",
            compressionRules: [{
                compress: true,
                algorithms: ["gzip", "brotli"],
                minLength: 256,
                maxLength: 2097152,
                ruleType: "file",
                rulePaths: ["html", "js", "mjs", "css", "json", "svg", "txt", "xml", "map", "wasm"],
            }],
        },
    }, { parent, dependsOn: [policy] });

    return {
        url: pulumi.output(`https://${domain}`),
        bucketName: bucket.bucket,
        distributionId: cdn.id,
        dnsRecords: cdn.cname.apply((cname) => [{ name: domain, type: "CNAME", value: cname }]),
    };
}

/**
 * Later rules take precedence. Everything follows its object's Cache-Control (hashed files a
 * year, the rest max-age=0); SSR paths are never cached; hashed-asset directories are kept a year
 * whatever the origin says; HTML, the root and config.json are never cached at the edge.
 * Each rule has one cache mode (see CdnDomainRuleCache).
 */
function cacheRules(spec: StaticSiteSpec): CdnDomainRuleCache[] {
    const never = (ruleType: string, rulePaths: string[]): CdnDomainRuleCache => ({ ruleType, rulePaths, ...cacheMode("noCache"), cacheTime: 0 });
    return [
        { ruleType: "all", rulePaths: ["*"], ...cacheMode("followOrigin"), cacheTime: 0, heuristicCacheSwitch: "off" },
        ...(spec.ssr?.paths ?? []).map((p) => (p.exact ? never("path", [p.pattern]) : p.prefix === "/" ? never("all", ["*"]) : never("directory", [p.prefix.slice(0, -1)]))),
        ...spec.hashedDirectories.map((dir): CdnDomainRuleCache => ({ ruleType: "directory", rulePaths: [`/${dir}`], ...cacheMode("cache"), cacheTime: ONE_YEAR_SECONDS })),
        never("file", ["html"]),
        never("index", ["/"]),
        never("path", [`/${CONFIG_KEY}`]),
    ];
}

/** Exactly one of the provider's three cache modes on, the others off (`cacheTime` counts only for `cache`). */
function cacheMode(mode: "cache" | "noCache" | "followOrigin") {
    const on = (m: typeof mode) => (m === mode ? "on" : "off");
    return { switch: on("cache"), noCacheSwitch: on("noCache"), followOriginSwitch: on("followOrigin") };
}

function header(headerName: string, headerValue: pulumi.Input<string>) {
    return { headerMode: "set", headerName, headerValue, ruleType: "all", rulePaths: ["*"] };
}

/** The SSR function and its function URL (an `http` trigger), whose host the bucket pulls from. */
function ssrOrigin(spec: StaticSiteSpec, opts: pulumi.CustomResourceOptions) {
    const fn = new Function(`${spec.name}-ssr`, spec.ssr!.function, opts);
    // An `http` trigger takes no name: the provider names it (tencentcloud_scf_trigger docs).
    const url = new ScfTrigger(`${spec.name}-ssr-url`, {
        functionName: fn.functionName,
        namespace: SCF_NAMESPACE,
        type: "http",
        triggerDesc: JSON.stringify({ AuthType: "NONE", NetConfig: { EnableIntranet: false, EnableExtranet: true } }),
        enable: "OPEN",
        description: `Site ${spec.name}'s server-rendered paths, reached through the site's bucket`,
    }, opts);
    return { host: url.triggerAttribute.apply(functionUrlHost) };
}

/**
 * The function URL's host (`<appid>-<id>-<region>.scf.tencentcs.com`, SCF "函数 URL 概述"), found
 * in the trigger's attribute (the provider's trigger_attribute: the service's TriggerDesc). Until
 * the service reports it (a preview; the in-process plan) it is unknown, and shown as such.
 */
export function functionUrlHost(attribute: string | undefined): string {
    const found = /https?:\/\/([A-Za-z0-9.-]+\.scf\.tencentcs\.com)/.exec(attribute ?? "");
    return found ? found[1] : (pulumi.unknown as unknown as string);
}

/**
 * Only the CDN service of this account reads objects (what the COS console's "add CDN service
 * authorization" writes: COS, "Setting CDN acceleration", principal `service/cdn`); nothing at
 * all without TLS (condition key `cos:secure-transport`, a Boolean applying to every request: COS "生效条件" / "Conditions", tencentcloud.com/document/product/436/46205).
 */
function bucketPolicy(region: string, account: UserInfo, bucket: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.all([account.appId, account.ownerUin, bucket]).apply(([appId, ownerUin, name]) => {
        const objects = `qcs::cos:${region}:uid/${appId}:${name}/*`;
        return JSON.stringify({
            version: "2.0",
            statement: [
                {
                    principal: { qcs: [`qcs::cam::uin/${ownerUin}:service/cdn`] },
                    effect: "allow",
                    action: ["name/cos:GetObject", "name/cos:HeadObject", "name/cos:OptionsObject"],
                    resource: [objects],
                },
                {
                    principal: { qcs: ["qcs::cam::anyone:anyone"] },
                    effect: "deny",
                    action: ["name/cos:*"],
                    resource: [objects],
                    condition: { bool: { "cos:secure-transport": "false" } },
                },
            ],
        });
    });
}

/** `<project>-<stack>-<site>`, lowercase, shortened with a hash when longer than COS allows. */
export function bucketPrefix(site: string): string {
    const full = `${pulumi.getProject()}-${pulumi.getStack()}-${site}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
    if (full.length <= BUCKET_PREFIX_MAX) return full;
    return `${full.slice(0, BUCKET_PREFIX_MAX - 9).replace(/-$/, "")}-${createHash("sha256").update(full).digest("hex").slice(0, 8)}`;
}

interface UserInfo {
    appId: pulumi.Output<string>;
    /** The root account: bucket policies name it (a sub-account may be running the deployment). */
    ownerUin: pulumi.Output<string>;
}

function userInfo(): UserInfo {
    const info = pulumi.output(pulumi.runtime.invoke("tencentcloud:index/getUserInfo:getUserInfo", {}, {}, getPackage()));
    return { appId: info.apply((i) => String(i.appId)), ownerUin: info.apply((i) => String(i.ownerUin)) };
}
