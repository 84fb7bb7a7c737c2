// StaticSite on AWS: a private, encrypted, TLS-only S3 bucket that only this CloudFront
// distribution may read (origin access control), one object per file with its content type and
// Cache-Control, and the distribution: HTTP/2 and HTTP/3, IPv6, HTTPS only, security headers,
// client routes rewritten to index.html by a CloudFront Function at the edge (status 200) while a
// missing file stays a real 404, hashed-asset directories cached a year, SSR paths sent to the
// site's Lambda through a function URL that only the distribution may call (OAC for Lambda).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CACHE_REVALIDATE, CONFIG_KEY, contentTypeOf, INDEX_KEY, ONE_YEAR_SECONDS } from "../build/site-files";
import { ConfigError } from "../config";
import { Function } from "../function";
import type { StaticSiteRealisation, StaticSiteSpec } from "../provider";
import { ssrServesRoot } from "../site-rules";
import type { DnsRecord } from "../static-site";
import type { Statement } from "./policy";
import { privateBucket } from "./private-bucket";
import { aliasRecords, CLOUDFRONT_CERTIFICATE_REGION, siteCertificate } from "./site-domain";
import { invalidateOnChange } from "./site-invalidation";

/**
 * Runs at the edge on every request of the default behaviour (cloudfront-js-2.0): a path whose
 * last segment has no extension is a client route and gets /index.html; a file path passes
 * through, so S3's 404 for a missing file reaches the browser. The same rule as
 * `isClientRoute` in components/site-rules.ts (a unit test runs both over the same paths).
 */
export const SPA_ROUTING_CODE = `function handler(event) {
    var request = event.request;
    var uri = request.uri;
    if (uri.slice(uri.lastIndexOf("/") + 1).indexOf(".") === -1) {
        request.uri = "/index.html";
    }
    return request;
}
`;

/** AWS managed policies (CloudFront developer guide, "Use managed cache/origin request policies"). */
export const MANAGED_CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/** Forwards the viewer's headers, cookies and query strings except Host, which a function URL must not receive. */
export const MANAGED_ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** CloudFront's limit on a response headers policy's Content-Security-Policy value. */
export const CSP_MAX_CHARS = 1783;

const FILES_ORIGIN = "files";
const SSR_ORIGIN = "ssr";
const ACM_CERTIFICATE_ARN = new RegExp(`^arn:aws:acm:${CLOUDFRONT_CERTIFICATE_REGION}:\\d{12}:certificate/[0-9a-f-]{36}$`);
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

export function checkAwsStaticSite(spec: StaticSiteSpec): void {
    const where = `StaticSite '${spec.name}'`;
    if ((spec.certificateId !== undefined || spec.hostedZoneId !== undefined) && spec.domain === undefined) {
        throw new ConfigError(`${where} domain`, undefined, "certificateId and hostedZoneId belong to a custom domain: give 'domain'");
    }
    if (spec.certificateId !== undefined && !ACM_CERTIFICATE_ARN.test(spec.certificateId)) {
        throw new ConfigError(`${where} certificateId`, spec.certificateId, `CloudFront takes an ACM certificate ARN in ${CLOUDFRONT_CERTIFICATE_REGION}: arn:aws:acm:${CLOUDFRONT_CERTIFICATE_REGION}:<account>:certificate/<id>`);
    }
    if (spec.hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(spec.hostedZoneId)) {
        throw new ConfigError(`${where} hostedZoneId`, spec.hostedZoneId, "expected a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ");
    }
}

export function awsStaticSite(parent: pulumi.Resource, spec: StaticSiteSpec): StaticSiteRealisation {
    const opts = { parent };

    // Everything in it is rebuilt from the site's sources; prod keeps it anyway.
    const { bucket, publicAccess, ownership, encryption } = privateBucket(parent, spec.name, spec.protect);

    const filesAccess = new aws.cloudfront.OriginAccessControl(`${spec.name}-files-access`, {
        description: `CloudFront reads site ${spec.name}'s bucket, signed`,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
    }, opts);
    const routing = spec.hasIndex ? new aws.cloudfront.Function(`${spec.name}-spa-routing`, {
        runtime: "cloudfront-js-2.0",
        comment: `Client routes of site ${spec.name} get index.html; missing files stay 404`,
        code: SPA_ROUTING_CODE,
        publish: true,
    }, opts) : undefined;
    const cachePolicies = sitePolicies(spec, opts);
    const ssr = spec.ssr ? ssrOrigin(spec, opts) : undefined;
    const certificate = spec.domain ? siteCertificate(parent, spec.name, spec.domain, spec.hostedZoneId, spec.certificateId) : undefined;

    const files = (cachePolicyId: pulumi.Input<string>) => ({
        targetOriginId: FILES_ORIGIN,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId,
        responseHeadersPolicyId: cachePolicies.headers.id,
    });
    const distribution = new aws.cloudfront.Distribution(spec.name, {
        enabled: true,
        comment: `Site ${spec.name}`,
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        // With SSR at `/`, the root must reach the function, not be rewritten to /index.html first.
        defaultRootObject: spec.hasIndex && !(spec.ssr && ssrServesRoot(spec.ssr.paths)) ? INDEX_KEY : undefined,
        aliases: spec.domain ? [spec.domain] : undefined,
        origins: [
            { originId: FILES_ORIGIN, domainName: bucket.bucketRegionalDomainName, originAccessControlId: filesAccess.id },
            ...(ssr ? [ssr.origin] : []),
        ],
        defaultCacheBehavior: {
            ...files(cachePolicies.revalidate.id),
            functionAssociations: routing ? [{ eventType: "viewer-request", functionArn: routing.arn }] : [],
        },
        // First match wins: hashed-asset directories, then the SSR paths, then everything else.
        orderedCacheBehaviors: [
            ...spec.hashedDirectories.map((dir) => ({ pathPattern: `/${dir}/*`, ...files(cachePolicies.immutable!.id) })),
            ...(spec.ssr?.paths ?? []).map((p) => ({
                pathPattern: p.pattern,
                targetOriginId: SSR_ORIGIN,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: MANAGED_CACHING_DISABLED,
                originRequestPolicyId: MANAGED_ALL_VIEWER_EXCEPT_HOST_HEADER,
                responseHeadersPolicyId: cachePolicies.headers.id,
            })),
        ],
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: certificate
            ? { acmCertificateArn: certificate.arn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
            : { cloudfrontDefaultCertificate: true },
    }, opts);

    new aws.s3.BucketPolicy(`${spec.name}-bucket-policy`, {
        bucket: bucket.id,
        policy: bucketPolicy(bucket.arn, distribution.arn),
    }, { parent, dependsOn: [publicAccess] });

    const upload = { parent, dependsOn: [encryption, ownership] };
    const objects = spec.files.map((file) => new aws.s3.BucketObjectv2(`${spec.name}/${file.key}`, {
        bucket: bucket.id,
        key: file.key,
        source: new pulumi.asset.FileAsset(file.projectPath),
        sourceHash: file.md5,
        contentType: file.contentType,
        cacheControl: file.cacheControl,
    }, upload));
    objects.push(new aws.s3.BucketObjectv2(`${spec.name}/${CONFIG_KEY}`, {
        bucket: bucket.id,
        key: CONFIG_KEY,
        content: spec.configJson,
        contentType: contentTypeOf(CONFIG_KEY),
        cacheControl: CACHE_REVALIDATE,
    }, upload));

    if (ssr) {
        // Function URLs created since October 2025 need both actions (Lambda, "Control access to function URLs").
        new aws.lambda.Permission(`${spec.name}-ssr-url-permission`, {
            function: ssr.functionName,
            qualifier: ssr.alias,
            action: "lambda:InvokeFunctionUrl",
            principal: "cloudfront.amazonaws.com",
            sourceArn: distribution.arn,
            functionUrlAuthType: "AWS_IAM",
        }, opts);
        new aws.lambda.Permission(`${spec.name}-ssr-invoke-permission`, {
            function: ssr.functionName,
            qualifier: ssr.alias,
            action: "lambda:InvokeFunction",
            principal: "cloudfront.amazonaws.com",
            sourceArn: distribution.arn,
            invokedViaFunctionUrl: true,
        }, opts);
    }
    invalidateOnChange(parent, spec.name, distribution, spec.contentHash, objects);

    let dnsRecords: pulumi.Output<DnsRecord[]> = pulumi.output([]);
    if (spec.domain && spec.hostedZoneId) {
        aliasRecords(parent, spec.name, spec.domain, spec.hostedZoneId, distribution);
    } else if (spec.domain) {
        const domain = spec.domain;
        dnsRecords = pulumi.all([certificate!.dnsRecords, distribution.domainName]).apply(([validation, target]) => [
            ...validation,
            // At a zone apex, an ALIAS/ANAME record to the same target instead.
            { name: domain, type: "CNAME", value: target },
        ]);
    }
    return {
        url: spec.domain ? pulumi.output(`https://${spec.domain}`) : pulumi.interpolate`https://${distribution.domainName}`,
        bucketName: bucket.bucket,
        distributionId: distribution.id,
        dnsRecords,
    };
}

/** The cache policies and the response headers policy every behaviour of the site uses. */
function sitePolicies(spec: StaticSiteSpec, opts: pulumi.CustomResourceOptions) {
    // Nothing from the request varies a file: no cookies, headers or query strings in the key.
    const key = {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "none" },
        queryStringsConfig: { queryStringBehavior: "none" },
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
    };
    const revalidate = new aws.cloudfront.CachePolicy(`${spec.name}-cache`, {
        comment: `Site ${spec.name}: follows each file's Cache-Control (hashed files a year, the rest revalidated)`,
        minTtl: 0,
        defaultTtl: 0,
        maxTtl: ONE_YEAR_SECONDS,
        parametersInCacheKeyAndForwardedToOrigin: key,
    }, opts);
    const immutable = spec.hashedDirectories.length === 0 ? undefined : new aws.cloudfront.CachePolicy(`${spec.name}-immutable-cache`, {
        comment: `Site ${spec.name}: content-hashed files, cached a year`,
        minTtl: ONE_YEAR_SECONDS,
        defaultTtl: ONE_YEAR_SECONDS,
        maxTtl: ONE_YEAR_SECONDS,
        parametersInCacheKeyAndForwardedToOrigin: key,
    }, opts);
    const headers = new aws.cloudfront.ResponseHeadersPolicy(`${spec.name}-headers`, {
        comment: `Site ${spec.name}: security headers`,
        securityHeadersConfig: {
            strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: false, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            contentSecurityPolicy: {
                contentSecurityPolicy: spec.csp.apply((csp) => {
                    if (csp.length > CSP_MAX_CHARS) throw new ConfigError(`StaticSite '${spec.name}' csp`, `${csp.slice(0, 60)}...`, `CloudFront takes at most ${CSP_MAX_CHARS} characters`);
                    return csp;
                }),
                override: true,
            },
        },
    }, opts);
    return { revalidate, immutable, headers };
}

/**
 * The SSR function, its URL (IAM-authorised: only signed requests), and the origin CloudFront
 * signs for. The URL is the `live` alias's, so it serves what the alias routes to.
 */
function ssrOrigin(spec: StaticSiteSpec, opts: pulumi.CustomResourceOptions) {
    const fn = new Function(`${spec.name}-ssr`, spec.ssr!.function, opts);
    const url = new aws.lambda.FunctionUrl(`${spec.name}-ssr-url`, {
        functionName: fn.functionName,
        qualifier: fn.alias,
        authorizationType: "AWS_IAM",
    }, opts);
    const access = new aws.cloudfront.OriginAccessControl(`${spec.name}-ssr-access`, {
        description: `CloudFront calls site ${spec.name}'s SSR function URL, signed`,
        originAccessControlOriginType: "lambda",
        signingBehavior: "always",
        signingProtocol: "sigv4",
    }, opts);
    return {
        functionName: fn.functionName,
        alias: fn.alias,
        origin: {
            originId: SSR_ORIGIN,
            domainName: url.functionUrl.apply((u) => new URL(u).host),
            originAccessControlId: access.id,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
        },
    };
}

/**
 * Only this distribution reads the bucket, and lists it so that a missing file is S3's 404 rather
 * than its 403 (S3 answers 403 to a reader that may not list); nothing at all without TLS.
 */
function bucketPolicy(bucketArn: pulumi.Output<string>, distributionArn: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.all([bucketArn, distributionArn]).apply(([bucket, distribution]) => {
        const fromDistribution = { StringEquals: { "AWS:SourceArn": distribution } };
        const Statement: Statement[] = [
            { Sid: "CloudFrontReadsFiles", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: ["s3:GetObject"], Resource: [`${bucket}/*`], Condition: fromDistribution },
            { Sid: "CloudFrontListsFor404", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: ["s3:ListBucket"], Resource: [bucket], Condition: fromDistribution },
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [bucket, `${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ];
        return JSON.stringify({ Version: "2012-10-17", Statement });
    });
}
