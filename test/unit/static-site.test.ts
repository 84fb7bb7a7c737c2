// StaticSite on AWS and Tencent Cloud, as the in-process engine registers it: private encrypted
// buckets readable only by the CDN, the client-route fallback, cache behaviours, one object per
// file with its content type, stable plans, SSR routing, custom domains; and the mistakes that
// stop the plan (on every target) before anything registers.
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { StaticSite, type StaticSiteArgs } from "../../components/static-site";
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, contentTypeOf, isHashedName } from "../../components/build/site-files";
import { MANAGED_ALL_VIEWER_EXCEPT_HOST_HEADER, MANAGED_CACHING_DISABLED, SPA_ROUTING_CODE } from "../../components/aws/static-site";
import { INVALIDATE_CODE } from "../../components/aws/site-invalidation";
import { functionUrlHost } from "../../components/tencentcloud/static-site";
import { defaultCsp, isClientRoute } from "../../components/site-rules";
import { localSites } from "../../local/static";
import { CLOUDS, evaluate, evaluateFailing, type Evaluated, json } from "../harness";
import { makeSite, PUBLISHED_KEYS, removeSite, SITE_FILES } from "../fixtures/static-site";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const CONFIG = { apiUrl: "https://api.shop.example.com/v1", webSocketUrl: "wss://ws.shop.example.com", authIssuer: "https://auth.shop.example.com" };
/** Tencent Cloud's CDN serves only a domain of yours, with its certificate. */
const TENCENT = { domain: "shop.example.com", certificateId: "Xk3fQ9aZ" };
const ONE_YEAR = 31536000;
const A = {
    bucket: "aws:s3/bucket:Bucket",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    distribution: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
    headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    edgeFunction: "aws:cloudfront/function:Function",
    lambda: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    invocation: "aws:lambda/invocation:Invocation",
    certificate: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
};
const T = {
    bucket: "tencentcloud:index/cosBucket:CosBucket",
    policy: "tencentcloud:index/cosBucketPolicy:CosBucketPolicy",
    object: "tencentcloud:index/cosBucketObject:CosBucketObject",
    cdn: "tencentcloud:index/cdnDomain:CdnDomain",
    fn: "tencentcloud:index/scfFunction:ScfFunction",
    trigger: "tencentcloud:index/scfTrigger:ScfTrigger",
};

const md5 = (text: string) => createHash("md5").update(text).digest("hex");
/** What a failed program registered besides the stack itself. */
const own = (registered: { type: string }[]) => registered.filter((r) => r.type !== "pulumi:pulumi:Stack");

let dir: string;
beforeEach(() => (dir = makeSite()));
afterEach(() => removeSite(dir));

function site(args: Partial<StaticSiteArgs> = {}) {
    return () => {
        const web = new StaticSite("web", { path: dir, config: CONFIG, ...args });
        return { url: web.url, bucketName: web.bucketName, distributionId: web.distributionId, contentHash: web.contentHash, dnsRecords: web.dnsRecords };
    };
}

/**
 * The one cache mode a Tencent CDN rule turns on: the provider sends `switch`, `noCacheSwitch` and
 * `followOriginSwitch` as three separate modes and its example turns on one per rule
 * (terraform-provider-tencentcloud v1.83.25, tencentcloud/services/cdn/resource_tc_cdn_domain.go).
 */
function cacheModeOf(rule: Record<string, unknown>): string {
    const on = ["switch", "noCacheSwitch", "followOriginSwitch"].filter((mode) => rule[mode] === "on");
    assert.equal(on.length, 1, `one cache mode per rule: ${JSON.stringify(rule)}`);
    return on[0];
}

/** The uploaded objects by key (the site's files and config.json). */
function objectsByKey(stack: Evaluated, type: string) {
    return new Map(stack.ofType(type).map((r) => [String(r.inputs.key), r]));
}

describe("StaticSite on AWS", () => {
    it("keeps the bucket private: public access blocked, ACLs off, encrypted, TLS only", async () => {
        const stack = await evaluate("aws", site());
        const bucket = stack.one(A.bucket, "web-bucket");
        assert.deepEqual(stack.one(A.publicAccess).inputs, {
            bucket: bucket.state.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        });
        assert.deepEqual(stack.one(A.ownership).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.deepEqual(stack.one(A.encryption).inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        assert.equal(bucket.inputs.acl, undefined);
        const statements = json(stack.one(A.policy).inputs.policy).Statement;
        const deny = statements.find((s: any) => s.Effect === "Deny");
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepEqual(deny.Resource, [bucket.state.arn, `${bucket.state.arn}/*`]);
        for (const allow of statements.filter((s: any) => s.Effect === "Allow")) {
            assert.notEqual(allow.Principal, "*", "nothing is granted to everyone");
        }
    });

    it("lets only its distribution read the bucket, through origin access control", async () => {
        const stack = await evaluate("aws", site());
        const bucket = stack.one(A.bucket, "web-bucket");
        const distribution = stack.one(A.distribution, "web");
        const oac = stack.one(A.oac, "web-files-access");
        assert.equal(oac.inputs.originAccessControlOriginType, "s3");
        assert.equal(oac.inputs.signingBehavior, "always");
        assert.equal(oac.inputs.signingProtocol, "sigv4");
        const origin = (distribution.inputs.origins as any[]).find((o) => o.originId === "files");
        assert.deepEqual(origin, { originId: "files", domainName: bucket.state.bucketRegionalDomainName, originAccessControlId: oac.state.id });
        const allows = json(stack.one(A.policy).inputs.policy).Statement.filter((s: any) => s.Effect === "Allow");
        assert.deepEqual(allows.map((s: any) => [s.Principal, s.Action, s.Resource, s.Condition]), [
            [{ Service: "cloudfront.amazonaws.com" }, ["s3:GetObject"], [`${bucket.state.arn}/*`], { StringEquals: { "AWS:SourceArn": distribution.state.arn } }],
            // Listing turns S3's 403 for a missing key into the 404 the browser should see.
            [{ Service: "cloudfront.amazonaws.com" }, ["s3:ListBucket"], [bucket.state.arn], { StringEquals: { "AWS:SourceArn": distribution.state.arn } }],
        ]);
    });

    it("answers client routes with index.html at the edge, and leaves missing files a 404", async () => {
        const stack = await evaluate("aws", site());
        const distribution = stack.one(A.distribution, "web");
        const routing = stack.one(A.edgeFunction, "web-spa-routing");
        assert.equal(routing.inputs.runtime, "cloudfront-js-2.0");
        assert.equal(routing.inputs.publish, true);
        assert.equal(distribution.inputs.defaultRootObject, "index.html");
        const defaults = distribution.inputs.defaultCacheBehavior as any;
        assert.deepEqual(defaults.functionAssociations, [{ eventType: "viewer-request", functionArn: routing.state.arn }]);
        assert.equal(distribution.inputs.customErrorResponses, undefined, "no error response turns a missing file into index.html");
        // The edge code does what the local runtime does, path for path.
        const handler = new Function(`${routing.inputs.code}; return handler;`)();
        for (const uri of ["/", "/orders/42", "/settings/", "/assets/app.1f2e3d4c.js", "/favicon.ico", "/missing.png", "/v1.2/report", "/.well-known/security.txt"]) {
            const rewritten = handler({ request: { uri } }).uri;
            assert.equal(rewritten, isClientRoute(uri) ? "/index.html" : uri, uri);
        }
        assert.equal(routing.inputs.code, SPA_ROUTING_CODE);
    });

    it("caches hashed assets a year, revalidates everything else, and routes /assets/* without the fallback", async () => {
        const stack = await evaluate("aws", site());
        const distribution = stack.one(A.distribution, "web");
        const revalidate = stack.one(A.cachePolicy, "web-cache");
        const immutable = stack.one(A.cachePolicy, "web-immutable-cache");
        assert.deepEqual([revalidate.inputs.minTtl, revalidate.inputs.defaultTtl, revalidate.inputs.maxTtl], [0, 0, ONE_YEAR]);
        assert.deepEqual([immutable.inputs.minTtl, immutable.inputs.defaultTtl, immutable.inputs.maxTtl], [ONE_YEAR, ONE_YEAR, ONE_YEAR]);
        for (const policy of [revalidate, immutable]) {
            const key = policy.inputs.parametersInCacheKeyAndForwardedToOrigin as any;
            assert.deepEqual([key.cookiesConfig, key.headersConfig, key.queryStringsConfig], [{ cookieBehavior: "none" }, { headerBehavior: "none" }, { queryStringBehavior: "none" }]);
            assert.equal(key.enableAcceptEncodingBrotli, true);
        }
        assert.equal((distribution.inputs.defaultCacheBehavior as any).cachePolicyId, revalidate.state.id);
        const behaviours = distribution.inputs.orderedCacheBehaviors as any[];
        assert.deepEqual(behaviours.map((b) => [b.pathPattern, b.targetOriginId, b.cachePolicyId, b.functionAssociations]), [["/assets/*", "files", immutable.state.id, undefined]]);
        for (const b of [distribution.inputs.defaultCacheBehavior as any, ...behaviours]) {
            assert.equal(b.viewerProtocolPolicy, "redirect-to-https");
            assert.equal(b.compress, true);
            assert.deepEqual(b.allowedMethods, ["GET", "HEAD", "OPTIONS"]);
        }
    });

    it("uploads one object per published file, with its content type, Cache-Control and content hash", async () => {
        const stack = await evaluate("aws", site());
        const bucket = stack.one(A.bucket, "web-bucket");
        const objects = objectsByKey(stack, A.object);
        assert.deepEqual([...objects.keys()].sort(), [...PUBLISHED_KEYS, "config.json"].sort(), ".env and .git are not published");
        for (const key of PUBLISHED_KEYS) {
            const object = objects.get(key)!;
            assert.equal(object.name, `web/${key}`);
            assert.equal(object.inputs.bucket, bucket.state.bucket);
            assert.equal(object.inputs.contentType, contentTypeOf(key));
            assert.equal(object.inputs.sourceHash, md5(SITE_FILES[key]));
            assert.equal(object.inputs.cacheControl, key.startsWith("assets/") ? CACHE_IMMUTABLE : CACHE_REVALIDATE, key);
            assert.deepEqual(object.inputs.source, { asset: path.relative(process.cwd(), path.join(dir, key)) });
            assert.ok(object.dependsOn.includes("web-encryption"), "uploaded once the bucket encrypts");
        }
        assert.equal(objects.get("index.html")!.inputs.contentType, "text/html; charset=utf-8");
        assert.equal(objects.get("assets/app.1f2e3d4c.js")!.inputs.contentType, "text/javascript; charset=utf-8"); // RFC 9239
        assert.equal(objects.get("assets/app.5b6a7c8d.css")!.inputs.contentType, "text/css; charset=utf-8");
        assert.equal(objects.get("favicon.ico")!.inputs.contentType, "image/vnd.microsoft.icon");
    });

    it("writes the stack's config into config.json, revalidated on every load", async () => {
        const stack = await evaluate("aws", site());
        const config = objectsByKey(stack, A.object).get("config.json")!;
        assert.deepEqual(json(config.inputs.content), CONFIG);
        assert.equal(config.inputs.contentType, "application/json; charset=utf-8");
        assert.equal(config.inputs.cacheControl, CACHE_REVALIDATE);
    });

    it("serves HTTP/2 and HTTP/3 over IPv6 with HSTS, nosniff, frame denial and a CSP that reaches the configured origins", async () => {
        const stack = await evaluate("aws", site());
        const distribution = stack.one(A.distribution, "web");
        assert.equal(distribution.inputs.httpVersion, "http2and3");
        assert.equal(distribution.inputs.isIpv6Enabled, true);
        assert.deepEqual(distribution.inputs.viewerCertificate, { cloudfrontDefaultCertificate: true });
        const headers = stack.one(A.headers, "web-headers");
        const security = headers.inputs.securityHeadersConfig as any;
        assert.deepEqual(security.strictTransportSecurity, { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: false, override: true });
        assert.deepEqual(security.contentTypeOptions, { override: true });
        assert.deepEqual(security.frameOptions, { frameOption: "DENY", override: true });
        assert.equal(security.referrerPolicy.referrerPolicy, "strict-origin-when-cross-origin");
        const csp = security.contentSecurityPolicy.contentSecurityPolicy as string;
        assert.equal(csp, defaultCsp(CONFIG));
        assert.match(csp, /connect-src 'self' https:\/\/api\.shop\.example\.com https:\/\/auth\.shop\.example\.com wss:\/\/ws\.shop\.example\.com;/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        for (const b of [distribution.inputs.defaultCacheBehavior as any, ...(distribution.inputs.orderedCacheBehaviors as any[])]) {
            assert.equal(b.responseHeadersPolicyId, headers.state.id);
        }
        const custom = await evaluate("aws", site({ csp: "default-src 'self'" }));
        assert.equal((custom.one(A.headers).inputs.securityHeadersConfig as any).contentSecurityPolicy.contentSecurityPolicy, "default-src 'self'");
    });

    it("invalidates the CDN through a least-privilege function, invoked after the upload with the content hash", async () => {
        const stack = await evaluate("aws", site());
        const distribution = stack.one(A.distribution, "web");
        const invocation = stack.one(A.invocation, "web-invalidate");
        const fn = stack.one(A.lambda, "web-invalidate");
        assert.deepEqual(json(invocation.inputs.input), { distributionId: distribution.state.id, paths: ["/*"], callerReference: stack.outputs.contentHash });
        assert.deepEqual(invocation.inputs.triggers, { contentHash: stack.outputs.contentHash }, "a new hash replaces the invocation: it invokes again");
        assert.equal(invocation.inputs.functionName, fn.state.name);
        for (const key of [...PUBLISHED_KEYS, "config.json"]) assert.ok(invocation.dependsOn.includes(`web/${key}`), `after ${key}`);
        const statements = json(stack.one("aws:iam/rolePolicy:RolePolicy", "web-invalidate-policy").inputs.policy).Statement;
        assert.deepEqual(statements[1], { Effect: "Allow", Action: ["cloudfront:CreateInvalidation"], Resource: [distribution.state.arn] });
        assert.match(INVALIDATE_CODE, /CreateInvalidationCommand/);
        assert.deepEqual(fn.inputs.code, { archive: ["index.mjs"] });
    });

    it("plans the same inputs twice for the same files; a changed file changes its object and the invalidation only", async () => {
        const first = await evaluate("aws", site());
        const second = await evaluate("aws", site());
        assert.deepEqual(second.resources.map((r) => [r.urn, r.inputs]), first.resources.map((r) => [r.urn, r.inputs]));
        fs.writeFileSync(path.join(dir, "robots.txt"), "User-agent: *\nDisallow: /admin\n");
        const changed = await evaluate("aws", site());
        const before = new Map(first.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
        const differing = changed.resources.filter((r) => before.get(r.urn) !== JSON.stringify(r.inputs)).map((r) => r.name).sort();
        assert.deepEqual(differing, ["web-invalidate", "web/robots.txt"]);
        assert.notEqual(changed.outputs.contentHash, first.outputs.contentHash);
    });

    it("sends SSR paths to the function's URL, which only the distribution may call, and keeps the files on S3", async () => {
        const stack = await evaluate("aws", site({ ssr: { paths: ["/products/*", "/about"], handler: HANDLER, memory: 512 } }));
        const distribution = stack.one(A.distribution, "web");
        const fn = stack.one(A.lambda, "web-ssr");
        assert.equal(fn.inputs.memorySize, 512);
        const url = stack.one(A.functionUrl, "web-ssr-url");
        assert.equal(url.inputs.authorizationType, "AWS_IAM");
        assert.equal(url.inputs.functionName, fn.state.name);
        assert.equal(url.inputs.qualifier, "live", "the live alias's URL");
        const oac = stack.one(A.oac, "web-ssr-access");
        assert.deepEqual([oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol], ["lambda", "always", "sigv4"]);
        const origin = (distribution.inputs.origins as any[]).find((o) => o.originId === "ssr");
        assert.equal(origin.domainName, new URL(url.state.functionUrl).host);
        assert.equal(origin.originAccessControlId, oac.state.id);
        assert.equal(origin.customOriginConfig.originProtocolPolicy, "https-only");
        const behaviours = distribution.inputs.orderedCacheBehaviors as any[];
        assert.deepEqual(behaviours.map((b) => [b.pathPattern, b.targetOriginId]), [["/assets/*", "files"], ["/products/*", "ssr"], ["/about", "ssr"]]);
        for (const b of behaviours.filter((b) => b.targetOriginId === "ssr")) {
            assert.equal(b.cachePolicyId, MANAGED_CACHING_DISABLED);
            assert.equal(b.originRequestPolicyId, MANAGED_ALL_VIEWER_EXCEPT_HOST_HEADER);
            assert.ok(b.allowedMethods.includes("POST"));
        }
        const permissions = stack.ofType(A.permission).filter((p) => p.parent === "web").map((p) => p.inputs);
        assert.deepEqual(permissions.map((p) => [p.action, p.principal, p.sourceArn, p.function, p.qualifier, p.functionUrlAuthType, p.invokedViaFunctionUrl]).sort(), [
            ["lambda:InvokeFunction", "cloudfront.amazonaws.com", distribution.state.arn, fn.state.name, "live", undefined, true],
            ["lambda:InvokeFunctionUrl", "cloudfront.amazonaws.com", distribution.state.arn, fn.state.name, "live", "AWS_IAM", undefined],
        ]);
        assert.equal(distribution.inputs.defaultRootObject, "index.html");
    });

    it("lets SSR render / without an index.html: no default root object, no fallback", async () => {
        removeSite(dir);
        dir = makeSite({ "assets/app.1f2e3d4c.js": "1" });
        const stack = await evaluate("aws", site({ ssr: { paths: ["/*"], handler: HANDLER } }));
        const distribution = stack.one(A.distribution, "web");
        assert.equal(distribution.inputs.defaultRootObject, undefined);
        assert.deepEqual(stack.ofType(A.edgeFunction), []);
        assert.deepEqual((distribution.inputs.orderedCacheBehaviors as any[]).map((b) => b.pathPattern), ["/assets/*", "/*"]);
    });

    it("serves a custom domain with a DNS-validated ACM certificate in us-east-1, listing the records to create", async () => {
        const stack = await evaluate("aws", site({ domain: "shop.example.com" }), { "aws:region": "eu-west-1" });
        const certificate = stack.one(A.certificate, "web-certificate");
        assert.deepEqual([certificate.inputs.domainName, certificate.inputs.validationMethod, certificate.inputs.region], ["shop.example.com", "DNS", "us-east-1"]);
        const validation = stack.one(A.validation, "web-certificate-validation");
        assert.equal(validation.inputs.region, "us-east-1");
        const distribution = stack.one(A.distribution, "web");
        assert.deepEqual(distribution.inputs.aliases, ["shop.example.com"]);
        assert.deepEqual(distribution.inputs.viewerCertificate, { acmCertificateArn: validation.state.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        assert.match(String(validation.state.certificateArn), /^arn:aws:acm:us-east-1:/);
        const option = certificate.state.domainValidationOptions[0];
        assert.deepEqual(stack.outputs.dnsRecords, [
            { name: option.resourceRecordName, type: "CNAME", value: option.resourceRecordValue },
            { name: "shop.example.com", type: "CNAME", value: distribution.state.domainName },
        ]);
        assert.equal(stack.outputs.url, "https://shop.example.com");
        assert.deepEqual(stack.ofType(A.record), []);
    });

    it("with the hosted zone, validates the certificate and points the domain at the distribution itself", async () => {
        const stack = await evaluate("aws", site({ domain: "shop.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }));
        const distribution = stack.one(A.distribution, "web");
        const validationRecord = stack.one(A.record, "web-certificate-validation-record");
        assert.equal(validationRecord.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
        assert.deepEqual(stack.one(A.validation).inputs.validationRecordFqdns, [validationRecord.state.fqdn]);
        for (const type of ["A", "AAAA"]) {
            const alias = stack.one(A.record, `web-${type.toLowerCase()}`);
            assert.deepEqual([alias.inputs.name, alias.inputs.type, alias.inputs.aliases], ["shop.example.com", type, [{ name: distribution.state.domainName, zoneId: distribution.state.hostedZoneId, evaluateTargetHealth: false }]]);
        }
        assert.deepEqual(stack.outputs.dnsRecords, []);
    });

    it("takes an existing certificate, and refuses one CloudFront cannot use", async () => {
        const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0d1c2b3a-4f5e-6d7c-8b9a-0a1b2c3d4e5f";
        const stack = await evaluate("aws", site({ domain: "shop.example.com", certificateId: arn }));
        assert.deepEqual(stack.ofType(A.certificate), []);
        assert.equal((stack.one(A.distribution).inputs.viewerCertificate as any).acmCertificateArn, arn);
        const wrongRegion = await evaluateFailing("aws", site({ domain: "shop.example.com", certificateId: arn.replace("us-east-1", "eu-west-1") }));
        assert.match(wrongRegion.error.message, /config StaticSite 'web' certificateId: '.*' is not allowed; CloudFront takes an ACM certificate ARN in us-east-1/);
        assert.deepEqual(own(wrongRegion.registered), []);
        const noDomain = await evaluateFailing("aws", site({ hostedZoneId: "Z0123456789ABCDEFGHIJ" }));
        assert.match(noDomain.error.message, /config StaticSite 'web' domain: missing; certificateId and hostedZoneId belong to a custom domain/);
    });
});

describe("StaticSite on Tencent Cloud", () => {
    it("keeps the COS bucket private and encrypted; only the account's CDN service may read it, only over TLS", async () => {
        const stack = await evaluate("tencentcloud", site(TENCENT));
        const bucket = stack.one(T.bucket, "web-bucket");
        assert.equal(bucket.inputs.bucket, "serverless-blocks-test-web-1250000000");
        assert.equal(bucket.inputs.acl, "private");
        assert.equal(bucket.inputs.encryptionAlgorithm, "AES256");
        const policy = stack.one(T.policy, "web-bucket-policy");
        assert.equal(policy.inputs.bucket, bucket.state.id);
        const objects = `qcs::cos:ap-guangzhou:uid/1250000000:${bucket.state.id}/*`;
        assert.deepEqual(json(policy.inputs.policy), {
            version: "2.0",
            statement: [
                { principal: { qcs: ["qcs::cam::uin/100000000001:service/cdn"] }, effect: "allow", action: ["name/cos:GetObject", "name/cos:HeadObject", "name/cos:OptionsObject"], resource: [objects] },
                { principal: { qcs: ["qcs::cam::anyone:anyone"] }, effect: "deny", action: ["name/cos:*"], resource: [objects], condition: { bool: { "cos:secure-transport": "false" } } },
            ],
        });
        for (const object of stack.ofType(T.object)) assert.equal(object.inputs.acl, "private");
    });

    it("puts the CDN in front with COS private access over HTTPS, HSTS, HTTP/2, QUIC and the security headers", async () => {
        const stack = await evaluate("tencentcloud", site(TENCENT));
        const bucket = stack.one(T.bucket, "web-bucket");
        const cdn = stack.one(T.cdn, "web");
        const website = `${bucket.state.id}.cos-website.ap-guangzhou.myqcloud.com`;
        assert.deepEqual(cdn.inputs.origin, { originType: "cos", originLists: [website], serverName: website, cosPrivateAccess: "on", originPullProtocol: "https" });
        assert.equal(cdn.inputs.domain, "shop.example.com");
        assert.equal(cdn.inputs.serviceType, "web");
        const https = cdn.inputs.httpsConfig as any;
        assert.deepEqual([https.httpsSwitch, https.http2Switch, https.serverCertificateConfig], ["on", "on", { certificateId: "Xk3fQ9aZ" }]);
        assert.deepEqual(https.forceRedirect, { switch: "on", redirectType: "https", redirectStatusCode: 301 });
        // At most 365 days on Tencent CDN (CDN "HSTS 配置", cloud.tencent.com/document/product/228/44867).
        assert.deepEqual(https.hsts, { switch: "on", maxAge: ONE_YEAR, includeSubDomains: "on" });
        assert.equal(cdn.inputs.quicSwitch, "on");
        const headers = Object.fromEntries((cdn.inputs.responseHeader as any).headerRules.map((r: any) => [r.headerName, [r.headerValue, r.headerMode, r.ruleType]]));
        assert.deepEqual(headers["x-content-type-options"], ["nosniff", "set", "all"]);
        assert.deepEqual(headers["x-frame-options"], ["DENY", "set", "all"]);
        assert.deepEqual(headers["content-security-policy"], [defaultCsp(CONFIG), "set", "all"]);
        // COS forces downloads through default domains for buckets created from 2024 (COS 436/57456).
        assert.deepEqual(headers["content-disposition"], ["inline", "set", "all"]);
        assert.ok(cdn.dependsOn.includes("web-bucket-policy"), "the CDN exists only once the bucket lets it read");
        assert.deepEqual(stack.outputs.dnsRecords, [{ name: "shop.example.com", type: "CNAME", value: cdn.state.cname }]);
        assert.equal(stack.outputs.url, "https://shop.example.com");
    });

    it("falls back to index.html through the bucket's website error document, caching the 404 briefly", async () => {
        const stack = await evaluate("tencentcloud", site(TENCENT));
        assert.deepEqual(stack.one(T.bucket).inputs.website, { indexDocument: "index.html", errorDocument: "index.html" });
        assert.deepEqual(stack.one(T.cdn).inputs.statusCodeCache, { switch: "on", cacheRules: [{ statusCode: "404", cacheTime: 10 }] });
    });

    it("caches by path: objects' own Cache-Control, hashed directories a year, never HTML, the root or config.json", async () => {
        const stack = await evaluate("tencentcloud", site(TENCENT));
        const rules = (stack.one(T.cdn).inputs.ruleCaches as any[]).map((r) => [r.ruleType, r.rulePaths, r.cacheTime, cacheModeOf(r)]);
        assert.deepEqual(rules, [
            ["all", ["*"], 0, "followOriginSwitch"],
            ["directory", ["/assets"], ONE_YEAR, "switch"],
            ["file", ["html"], 0, "noCacheSwitch"],
            ["index", ["/"], 0, "noCacheSwitch"],
            ["path", ["/config.json"], 0, "noCacheSwitch"],
        ]);
    });

    it("uploads one object per published file with its content type, Cache-Control and MD5, and config.json", async () => {
        const stack = await evaluate("tencentcloud", site(TENCENT));
        const bucket = stack.one(T.bucket, "web-bucket");
        const objects = objectsByKey(stack, T.object);
        assert.deepEqual([...objects.keys()].sort(), [...PUBLISHED_KEYS, "config.json"].sort());
        for (const key of PUBLISHED_KEYS) {
            const object = objects.get(key)!;
            assert.equal(object.inputs.bucket, bucket.state.id);
            assert.equal(object.inputs.contentType, contentTypeOf(key));
            assert.equal(object.inputs.etag, md5(SITE_FILES[key]));
            assert.equal(object.inputs.source, path.relative(process.cwd(), path.join(dir, key)));
            assert.equal(object.inputs.cacheControl, key.startsWith("assets/") ? CACHE_IMMUTABLE : CACHE_REVALIDATE);
        }
        assert.deepEqual(json(objects.get("config.json")!.inputs.content), CONFIG);
    });

    it("plans the same inputs twice for the same files", async () => {
        const first = await evaluate("tencentcloud", site(TENCENT));
        const second = await evaluate("tencentcloud", site(TENCENT));
        assert.deepEqual(second.resources.map((r) => [r.urn, r.inputs]), first.resources.map((r) => [r.urn, r.inputs]));
    });

    it("routes SSR paths to the function's URL through the bucket's origin-pull rules, never cached", async () => {
        const stack = await evaluate("tencentcloud", site({ ssr: { paths: ["/products/*", "/about"], handler: HANDLER }, ...TENCENT }));
        const fn = stack.one(T.fn, "web-ssr");
        const trigger = stack.one(T.trigger, "web-ssr-url");
        assert.equal(trigger.inputs.functionName, fn.state.name);
        assert.equal(trigger.inputs.type, "http");
        assert.equal(trigger.inputs.triggerName, undefined, "an http trigger takes no name");
        assert.deepEqual(json(trigger.inputs.triggerDesc), { AuthType: "NONE", NetConfig: { EnableIntranet: false, EnableExtranet: true } });
        const pulls = (stack.one(T.bucket).inputs.originPullRules as any[]).map((r) => [r.priority, r.prefix, r.backToSourceMode, r.protocol]);
        assert.deepEqual(pulls, [[1, "products/", "Proxy", "https"], [2, "about", "Proxy", "https"]]);
        const rules = (stack.one(T.cdn).inputs.ruleCaches as any[]).map((r) => [r.ruleType, r.rulePaths, cacheModeOf(r)]);
        assert.deepEqual(rules.slice(1, 3), [["directory", ["/products"], "noCacheSwitch"], ["path", ["/about"], "noCacheSwitch"]]);
        assert.equal(functionUrlHost(JSON.stringify({ AuthType: "NONE", Url: "https://1250000000-ab12cd34ef-gz.scf.tencentcs.com" })), "1250000000-ab12cd34ef-gz.scf.tencentcs.com");
    });

    it("needs the domain and its certificate: a ConfigError naming the arg, and nothing registered", async () => {
        const byArg = await evaluate("tencentcloud", site({ domain: "www.example.com", certificateId: "Xk3fQ9aZ" }));
        assert.equal(byArg.one(T.cdn).inputs.domain, "www.example.com");
        const missing = await evaluateFailing("tencentcloud", site({ certificateId: "Xk3fQ9aZ" }));
        assert.match(missing.error.message, /^config StaticSite 'web' domain: missing; Tencent Cloud's CDN serves only a domain of yours: give 'domain'/);
        assert.deepEqual(own(missing.registered), []);
        const noCertificate = await evaluateFailing("tencentcloud", site({ domain: "shop.example.com" }));
        assert.match(noCertificate.error.message, /^config StaticSite 'web' certificateId: missing; HTTPS on the CDN needs shop\.example\.com's certificate/);
        assert.deepEqual(own(noCertificate.registered), []);
    });

    it("reads no stack config: the stack's siteDomain reaches a site only through the program", async () => {
        const missing = await evaluateFailing("tencentcloud", site(), { "serverless-blocks:siteDomain": "shop.example.com", "serverless-blocks:siteCertificateId": "Xk3fQ9aZ" });
        assert.match(missing.error.message, /StaticSite 'web' domain: missing/);
    });
});

describe("StaticSite locally", () => {
    it("registers the site with the local runtime, with its generated config.json", async () => {
        const stack = await evaluate("local", site());
        assert.deepEqual(stack.resources.map((r) => r.type), ["serverless-blocks:index:StaticSite"]);
        const [registered] = localSites(stack.runtime);
        assert.equal(registered.root, dir);
        assert.deepEqual(json(await registered.configJson), CONFIG);
        assert.deepEqual(registered.hashedDirectories, ["assets"]);
        assert.equal(stack.outputs.distributionId, "local:site:web");
    });
});

describe("StaticSite refuses bad input on every target, before registering anything", () => {
    for (const cloud of CLOUDS) {
        // Tencent Cloud needs a domain before anything else is checked.
        const domain = cloud === "tencentcloud" ? TENCENT : {};

        it(`${cloud}: a missing directory`, async () => {
            const { error, registered } = await evaluateFailing(cloud, site({ ...domain, path: path.join(dir, "nope") }));
            assert.match(error.message, /config StaticSite 'web' path: '.*nope' is not allowed; expected an existing directory/);
            assert.deepEqual(own(registered), []);
        });

        it(`${cloud}: a build command that fails, with the command's output`, async () => {
            const command = `node -e "console.log('compiling 3 modules'); console.error('src/app.ts(3,1): error TS1005: ; expected'); process.exit(2)"`;
            const { error, registered } = await evaluateFailing(cloud, site({ ...domain, build: { command } }));
            assert.match(error.message, /StaticSite 'web': build command `node -e .*` failed with exit code 2; its output:\ncompiling 3 modules\nsrc\/app\.ts\(3,1\): error TS1005: ; expected/);
            assert.deepEqual(own(registered), []);
        });

        it(`${cloud}: a directory without index.html, unless SSR renders /`, async () => {
            fs.rmSync(path.join(dir, "index.html"));
            const stack = await evaluate(cloud, site({ ...domain, ssr: { paths: ["/", "/products/*"], handler: HANDLER } }));
            stack.one("serverless-blocks:index:StaticSite");
            await stack.runtime.close();
            const { error, registered } = await evaluateFailing(cloud, site(domain));
            assert.match(error.message, /config StaticSite 'web' path: '.*' is not allowed; expected an index\.html at the site's root, or ssr\.paths that render "\/"/);
            assert.deepEqual(own(registered), []);
            const withSsr = await evaluateFailing(cloud, site({ ...domain, ssr: { paths: ["/products/*"], handler: HANDLER } }));
            assert.match(withSsr.error.message, /expected an index\.html/);
        });

        it(`${cloud}: a config.json of its own, bad names and paths`, async () => {
            const names = await evaluateFailing(cloud, () => new StaticSite("Web_Site", { path: dir, ...domain }));
            assert.match(names.error.message, /config StaticSite 'Web_Site' name: 'Web_Site' is not allowed; 1-40 lowercase letters/);
            const ssr = await evaluateFailing(cloud, site({ ...domain, ssr: { paths: ["/products/*/reviews"], handler: HANDLER } }));
            assert.match(ssr.error.message, /config StaticSite 'web' ssr\.paths: '\/products\/\*\/reviews' is not allowed/);
            const key = await evaluateFailing(cloud, site({ ...domain, config: { "api-url": "x" } }));
            assert.match(key.error.message, /config StaticSite 'web' config: 'api-url' is not allowed/);
            fs.writeFileSync(path.join(dir, "config.json"), "{}");
            const ownConfig = await evaluateFailing(cloud, site(domain));
            assert.match(ownConfig.error.message, /config\.json is generated from the 'config' arg/);
            for (const failed of [names, ssr, key, ownConfig]) assert.deepEqual(own(failed.registered), []);
        });
    }

    it("publishes what a successful build writes to build.output", async () => {
        const command = `node -e "const fs=require('fs');fs.mkdirSync('out/assets',{recursive:true});fs.writeFileSync('out/index.html','<p>built</p>');fs.writeFileSync('out/assets/main.0a1b2c3d.js','1')"`;
        const stack = await evaluate("aws", site({ build: { command, output: "out" } }));
        assert.deepEqual([...objectsByKey(stack, A.object).keys()].sort(), ["assets/main.0a1b2c3d.js", "config.json", "index.html"]);
        const missing = await evaluateFailing("aws", site({ build: { command: "node -e 0" } }));
        assert.match(missing.error.message, /config StaticSite 'web' build\.output: 'dist' is not allowed; the build ran but wrote no directory/);
    });
});

describe("site files", () => {
    it("tells hashed asset names from others", () => {
        for (const hashed of ["app.3f2a1c9e.js", "index-B4x9kQ2a.js", "chunk.1a2b3c4d5e6f7a8b.css", "app.3f2a1c9e.js.map", "font-abc12345.woff2"]) assert.ok(isHashedName(hashed), hashed);
        for (const plain of ["index.html", "app.js", "app.component.js", "jquery-3.7.1.min.js", "favicon.ico", "bootstrap.bundle.min.css", "page.3f2a1c9e.html"]) assert.ok(!isHashedName(plain), plain);
    });

    it("the web/ front end's hashed names are the first 8 hex digits of their content's SHA-256, and index.html loads them", () => {
        const web = path.resolve(__dirname, "..", "..", "examples", "shop", "web");
        const index = fs.readFileSync(path.join(web, "index.html"), "utf8");
        const assets = fs.readdirSync(path.join(web, "assets"));
        assert.ok(assets.some((a) => a.endsWith(".js")) && assets.some((a) => a.endsWith(".css")));
        for (const asset of assets) {
            const hash = createHash("sha256").update(fs.readFileSync(path.join(web, "assets", asset))).digest("hex").slice(0, 8);
            assert.equal(asset.split(".")[1], hash, `${asset}: rename it after changing it`);
            assert.ok(index.includes(`/assets/${asset}`), `index.html loads ${asset}`);
        }
    });
});
