// tencentcloud_cos_bucket_object: one object in a COS bucket, uploaded from a file or a string.
import * as pulumi from "@pulumi/pulumi";
import { getPackage, withPackageDefaults } from "./package";
import { BindingSchema, ExistingResourceOptions, resourceInputs } from "./resource-inputs";

/** The arguments for constructing a CosBucketObject. */
export interface CosBucketObjectArgs {
    /** The object's canned ACL, e.g. `private`, `default` (the bucket's). */
    acl?: pulumi.Input<string>;
    /** The bucket, `<name>-<appid>`. Replaces the object. */
    bucket: pulumi.Input<string>;
    /** The Cache-Control the object is served with. */
    cacheControl?: pulumi.Input<string>;
    /** The content as a UTF-8 string; conflicts with `source`. */
    content?: pulumi.Input<string>;
    /** The Content-Disposition the object is served with. */
    contentDisposition?: pulumi.Input<string>;
    /** The Content-Encoding already applied to the content. */
    contentEncoding?: pulumi.Input<string>;
    /** The Content-Type the object is served with. */
    contentType?: pulumi.Input<string>;
    /** The object's ETag, an MD5 of its content: set it to the file's MD5 so that a changed file is uploaded again. */
    etag?: pulumi.Input<string>;
    /** The object key. Replaces the object. */
    key: pulumi.Input<string>;
    /** A local file to upload; conflicts with `content`. */
    source?: pulumi.Input<string>;
    /** Storage class, e.g. `STANDARD`, `STANDARD_IA`, `INTELLIGENT_TIERING`. */
    storageClass?: pulumi.Input<string>;
    /** Tags of the object. */
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
}

/** An object in a COS bucket (`tencentcloud_cos_bucket_object`). */
export class CosBucketObject extends pulumi.CustomResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/cosBucketObject:CosBucketObject";

    /** Reads an existing object by ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): CosBucketObject {
        return new CosBucketObject(name, undefined, { ...opts, id });
    }

    /** True if `obj` is a CosBucketObject, even across copies of the Pulumi SDK. */
    public static isInstance(obj: unknown): obj is CosBucketObject {
        return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === CosBucketObject.__pulumiType;
    }

    // `declare`: the runtime fills these in super(); an emitted ES2022 field would reset them.
    declare public readonly acl: pulumi.Output<string | undefined>;
    declare public readonly bucket: pulumi.Output<string>;
    declare public readonly cacheControl: pulumi.Output<string>;
    declare public readonly content: pulumi.Output<string | undefined>;
    declare public readonly contentDisposition: pulumi.Output<string | undefined>;
    declare public readonly contentEncoding: pulumi.Output<string | undefined>;
    declare public readonly contentType: pulumi.Output<string>;
    declare public readonly etag: pulumi.Output<string>;
    declare public readonly key: pulumi.Output<string>;
    declare public readonly source: pulumi.Output<string | undefined>;
    declare public readonly storageClass: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;

    constructor(name: string, args: CosBucketObjectArgs, opts?: pulumi.CustomResourceOptions);
    /** Reads an existing object: no args, `opts.id` names it. */
    constructor(name: string, args: undefined, opts: ExistingResourceOptions);
    constructor(name: string, args: CosBucketObjectArgs | undefined, opts?: pulumi.CustomResourceOptions) {
        super(CosBucketObject.__pulumiType, name, resourceInputs(cosBucketObjectBinding, args, opts), withPackageDefaults(opts), false, getPackage());
    }
}

/** CosBucketObject's registered property names, checked against the provider schema by the unit test. */
export const cosBucketObjectBinding: BindingSchema<CosBucketObjectArgs> = {
    token: CosBucketObject.__pulumiType,
    inputs: {
        acl: true,
        bucket: true,
        cacheControl: true,
        content: true,
        contentDisposition: true,
        contentEncoding: true,
        contentType: true,
        etag: true,
        key: true,
        source: true,
        storageClass: true,
        tags: true,
    },
    required: { bucket: true, key: true },
    outputs: [],
};
