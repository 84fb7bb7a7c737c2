// tencentcloud_cos_bucket: a COS bucket. Bound: the properties this project uses (access,
// encryption, static website, origin-pull, CORS, lifecycle, logging, versioning); the schema has
// more (replication, intelligent tiering, object lock, lifecycle transitions), to add here when
// needed: the unit test checks every name against the provider's schema.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** A CORS rule. */
export interface CosBucketCorsRule {
    /** Request headers allowed. */
    allowedHeaders: pulumi.Input<pulumi.Input<string>[]>;
    /** Methods allowed: `GET`, `PUT`, `POST`, `DELETE`, `HEAD`. */
    allowedMethods: pulumi.Input<pulumi.Input<string>[]>;
    /** Origins allowed. */
    allowedOrigins: pulumi.Input<pulumi.Input<string>[]>;
    /** Response headers exposed to the browser. */
    exposeHeaders?: pulumi.Input<pulumi.Input<string>[]>;
    /** Seconds a browser may cache the preflight response. */
    maxAgeSeconds?: pulumi.Input<number>;
}

/** Aborts multipart uploads left incomplete. */
export interface CosBucketLifecycleRuleAbortIncompleteMultipartUpload {
    /** Days after the upload started. */
    daysAfterInitiation: pulumi.Input<number>;
}

/** When objects expire (are deleted). */
export interface CosBucketLifecycleRuleExpiration {
    /** A date, e.g. `2030-01-01`, after which objects expire. */
    date?: pulumi.Input<string>;
    /** Days after an object's creation. */
    days?: pulumi.Input<number>;
    /** Whether expired objects' delete markers are removed (versioned buckets). */
    deleteMarker?: pulumi.Input<boolean>;
}

/** A lifecycle rule: what COS does to objects as they age. */
export interface CosBucketLifecycleRule {
    abortIncompleteMultipartUpload?: pulumi.Input<CosBucketLifecycleRuleAbortIncompleteMultipartUpload>;
    expiration?: pulumi.Input<CosBucketLifecycleRuleExpiration>;
    /** Applies to objects whose key starts with this prefix. */
    filterPrefix?: pulumi.Input<string>;
    /** The rule's name, up to 255 characters (the service names it when omitted). */
    id?: pulumi.Input<string>;
}

/** An origin-pull rule: what COS does when a requested object is missing. */
export interface CosBucketOriginPullRule {
    /** `Proxy` (fetch from the origin and answer, storing nothing), `Mirror` (fetch and store) or `Redirect`. */
    backToSourceMode?: pulumi.Input<string>;
    /** Headers COS adds when it calls the origin. */
    customHttpHeaders?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Request headers passed through to the origin. */
    followHttpHeaders?: pulumi.Input<pulumi.Input<string>[]>;
    /** Pass the query string through to the origin. */
    followQueryString?: pulumi.Input<boolean>;
    /** Follow the origin's 3XX redirects. */
    followRedirection?: pulumi.Input<boolean>;
    /** The origin: a domain name or IP address, optionally with a port. */
    host: pulumi.Input<string>;
    /** The redirect status for `Redirect` mode: 301, 302 (default) or 307. */
    httpRedirectCode?: pulumi.Input<string>;
    /** Applies to missing objects whose key starts with this prefix. */
    prefix?: pulumi.Input<string>;
    /** Priority; no two rules may share one. */
    priority: pulumi.Input<number>;
    /** Protocol COS uses to call the origin: `http`, `https` or `FOLLOW`. */
    protocol?: pulumi.Input<string>;
    /** Deprecated since provider 1.81.196: use `backToSourceMode`. */
    syncBackToSource?: pulumi.Input<boolean>;
}

/** A static website routing rule. */
export interface CosBucketWebsiteRoutingRulesRule {
    /** Matches an error status, e.g. `404`. */
    conditionErrorCode?: pulumi.Input<string>;
    /** Matches a key prefix. */
    conditionPrefix?: pulumi.Input<string>;
    /** Redirect protocol; only `https`. */
    redirectProtocol?: pulumi.Input<string>;
    /** Replaces the whole key. */
    redirectReplaceKey?: pulumi.Input<string>;
    /** Replaces the matched prefix. */
    redirectReplaceKeyPrefix?: pulumi.Input<string>;
}

/** Static website routing rules (up to 100). */
export interface CosBucketWebsiteRoutingRules {
    rules: pulumi.Input<pulumi.Input<CosBucketWebsiteRoutingRulesRule>[]>;
}

/** The bucket's static website (served at `<bucket>.cos-website.<region>.myqcloud.com`). */
export interface CosBucketWebsite {
    /** The static website's endpoint (reported by the service). */
    endpoint?: pulumi.Input<string>;
    /** The object returned, with the original 4XX status, when a request fails. */
    errorDocument?: pulumi.Input<string>;
    /** The object returned for the root and for any key ending in `/`. */
    indexDocument?: pulumi.Input<string>;
    /** Redirect every request to `http` (default) or `https`. */
    redirectAllRequestsTo?: pulumi.Input<string>;
    routingRules?: pulumi.Input<CosBucketWebsiteRoutingRules>;
}

/** The arguments for constructing a CosBucket. */
export interface CosBucketArgs {
    /** Canned ACL: `private` (default), `public-read` or `public-read-write`. */
    acl?: pulumi.Input<string>;
    /** The bucket's name, `<name>-<appid>`, e.g. `mycos-1258798060`. Replaces the bucket. */
    bucket: pulumi.Input<string>;
    corsRules?: pulumi.Input<pulumi.Input<CosBucketCorsRule>[]>;
    /** Server-side encryption: `AES256`, `KMS` or `SM4`. */
    encryptionAlgorithm?: pulumi.Input<string>;
    /** Delete every object before deleting the bucket. */
    forceClean?: pulumi.Input<boolean>;
    /** The KMS key, for `KMS` encryption. */
    kmsId?: pulumi.Input<string>;
    lifecycleRules?: pulumi.Input<pulumi.Input<CosBucketLifecycleRule>[]>;
    /** Keep access logs. */
    logEnable?: pulumi.Input<boolean>;
    /** Prefix of the access log objects. */
    logPrefix?: pulumi.Input<string>;
    /** Bucket receiving the access logs. */
    logTargetBucket?: pulumi.Input<string>;
    /** Store across availability zones. Replaces the bucket. */
    multiAz?: pulumi.Input<boolean>;
    originPullRules?: pulumi.Input<pulumi.Input<CosBucketOriginPullRule>[]>;
    /** Tags of the bucket. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Keep object versions (required on, when `multiAz`). */
    versioningEnable?: pulumi.Input<boolean>;
    website?: pulumi.Input<CosBucketWebsite>;
}

/** A COS bucket (`tencentcloud_cos_bucket`). */
export class CosBucket extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/cosBucket:CosBucket";

    /** Reads an existing bucket by ID (its name). */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CosBucket {
        return new CosBucket(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CosBucket, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CosBucket {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CosBucket.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly acl: pulumi.Output<string | undefined>;
    declare public readonly bucket: pulumi.Output<string>;
    declare public readonly corsRules: pulumi.Output<pulumi.Unwrap<CosBucketCorsRule>[] | undefined>;
    declare public readonly encryptionAlgorithm: pulumi.Output<string | undefined>;
    declare public readonly forceClean: pulumi.Output<boolean | undefined>;
    declare public readonly kmsId: pulumi.Output<string | undefined>;
    declare public readonly lifecycleRules: pulumi.Output<pulumi.Unwrap<CosBucketLifecycleRule>[] | undefined>;
    declare public readonly logEnable: pulumi.Output<boolean | undefined>;
    declare public readonly logPrefix: pulumi.Output<string | undefined>;
    declare public readonly logTargetBucket: pulumi.Output<string | undefined>;
    declare public readonly multiAz: pulumi.Output<boolean | undefined>;
    declare public readonly originPullRules: pulumi.Output<pulumi.Unwrap<CosBucketOriginPullRule>[] | undefined>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly versioningEnable: pulumi.Output<boolean | undefined>;
    declare public readonly website: pulumi.Output<pulumi.Unwrap<CosBucketWebsite> | undefined>;
    /** The bucket's URL. */
    declare public readonly cosBucketUrl: pulumi.Output<string>;

    constructor(name: string, args: CosBucketArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing bucket: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CosBucketArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(CosBucket.__pulumiType, name, resourceInputs(cosBucketBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** CosBucket's registered property names, checked against the provider schema by the unit test. */
export const cosBucketBinding: BindingSchema<CosBucketArgs> = {
    token: CosBucket.__pulumiType,
    inputs: {
        acl: true,
        bucket: true,
        corsRules: { allowedHeaders: true, allowedMethods: true, allowedOrigins: true, exposeHeaders: true, maxAgeSeconds: true },
        encryptionAlgorithm: true,
        forceClean: true,
        kmsId: true,
        lifecycleRules: {
            abortIncompleteMultipartUpload: { daysAfterInitiation: true },
            expiration: { date: true, days: true, deleteMarker: true },
            filterPrefix: true,
            id: true,
        },
        logEnable: true,
        logPrefix: true,
        logTargetBucket: true,
        multiAz: true,
        originPullRules: {
            backToSourceMode: true,
            customHttpHeaders: true,
            followHttpHeaders: true,
            followQueryString: true,
            followRedirection: true,
            host: true,
            httpRedirectCode: true,
            prefix: true,
            priority: true,
            protocol: true,
            syncBackToSource: true,
        },
        tags: true,
        versioningEnable: true,
        website: {
            endpoint: true,
            errorDocument: true,
            indexDocument: true,
            redirectAllRequestsTo: true,
            routingRules: { rules: { conditionErrorCode: true, conditionPrefix: true, redirectProtocol: true, redirectReplaceKey: true, redirectReplaceKeyPrefix: true } },
        },
    },
    required: { bucket: true },
    outputs: ["cosBucketUrl"],
};
