// StaticSite: a built single-page app served from a private bucket through a CDN (or from disk
// locally), with client-route fallback, content-hash-aware caching, security headers, a generated
// config.json for the browser, and optional server-side rendering of some paths by a Function.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runSiteBuild } from "./build/site-build";
import { CONFIG_KEY, configJson, contentHash, hashedDirectories, INDEX_KEY, siteFiles } from "./build/site-files";
import { ConfigError, PROJECT, provider, target } from "./cloud";
import { checkFunctionArgs, FunctionArgs } from "./function";
import type { StaticSiteSpec } from "./provider";
import { defaultCsp, parseSsrPaths, ssrServesRoot } from "./site-rules";
import { projectRoot } from "./project-root";

export interface StaticSiteBuild {
    /**
     * A shell command run in the site's `path` before publishing; the plan stops with its output
     * if it fails.
     *
     * @example "npm run build"
     */
    command: string;
    /**
     * The directory the build writes, relative to `path`. Default `dist`.
     *
     * @example "build"
     */
    output?: string;
}

export interface StaticSiteSsr extends FunctionArgs {
    /**
     * Paths the function renders: exact paths or prefixes ending in `/*`. Everything else is
     * served from the site's files. Include `/` (or `/*`) when the function renders the home page;
     * the directory then needs no index.html.
     *
     * @example ["/products/*", "/about"]
     */
    paths: string[];
}

export interface StaticSiteArgs {
    /**
     * The site's directory, relative to the project (or absolute): the built app, or its sources
     * when `build` is given. Its root holds `index.html` unless `ssr` renders `/`.
     *
     * @example "web"
     */
    path: string;
    /**
     * Builds the site before publishing it; the plan stops with the build's output if it fails.
     *
     * @example build: { command: "npm run build", output: "dist" }
     */
    build?: StaticSiteBuild;
    /**
     * A custom domain. Required on Tencent Cloud, whose CDN serves only a domain of yours. (The
     * typical app passes its stack's `serverless-blocks:siteDomain`; the component reads no config.)
     *
     * @example "shop.example.com"
     */
    domain?: string;
    /**
     * The domain's TLS certificate: on AWS an ACM certificate ARN in us-east-1 (default: one is
     * requested and validated through DNS); on Tencent Cloud an SSL Certificates Service id
     * (required with the domain).
     *
     * @example "arn:aws:acm:us-east-1:123456789012:certificate/0d1c2b3a-4f5e-6d7c-8b9a-0a1b2c3d4e5f"
     */
    certificateId?: string;
    /**
     * AWS only: the Route 53 hosted zone of `domain`. When given, the certificate is validated and
     * the domain pointed at the site automatically; otherwise `dnsRecords` lists what to create.
     *
     * @example "Z0123456789ABCDEFGHIJ"
     */
    hostedZoneId?: string;
    /**
     * Values the browser reads from `/config.json`, so the same build works on every stack.
     *
     * @example { apiUrl: api.url, webSocketUrl: realtime.url, authIssuer: auth.issuer }
     */
    config?: { [key: string]: pulumi.Input<string> };
    /**
     * Paths rendered on the server by a Function (its args as for `Function`), the rest served as files.
     *
     * @example ssr: { paths: ["/products/*"], handler: "functions/web/render.handler" }
     */
    ssr?: StaticSiteSsr;
    /**
     * The Content-Security-Policy. Default: only the site itself, plus connections to the origins
     * of URL-valued `config` entries.
     *
     * @example "default-src 'self'; img-src 'self' https://images.example.com"
     */
    csp?: pulumi.Input<string>;
}

/** A DNS record to create at the domain's DNS provider. */
export interface DnsRecord {
    /** The record's name, e.g. `_abc123.shop.example.com.` (certificate validation) or the site's domain. */
    name: string;
    /** The record type, e.g. `CNAME`. */
    type: string;
    /** The record's value, e.g. the validation target or the CDN's CNAME. */
    value: string;
}

/** 1-40 lowercase letters, digits and '-': the site's bucket names derive from it. */
const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const CONFIG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * A single-page app (and optionally server-rendered pages) served from the edge.
 *
 * @example
 * const web = new StaticSite("web", {
 *     path: "web",
 *     config: { apiUrl: api.url },
 * });
 * export const siteUrl = web.url;
 */
export class StaticSite extends pulumi.ComponentResource {
    /** Where the site is: `https://<domain>`, the CDN's own address without one, `http://127.0.0.1:<PORT>/` locally (the local runtime serves it at `/`). */
    public readonly url!: pulumi.Output<string>;
    /** The bucket holding the files (S3, COS); locally the directory served. */
    public readonly bucketName!: pulumi.Output<string>;
    /** The CDN: the CloudFront distribution id, the Tencent CDN domain; `local:site:<name>` locally. */
    public readonly distributionId!: pulumi.Output<string>;
    /** A hash of every file and the config: it changes exactly when what the site serves changes. */
    public readonly contentHash!: pulumi.Output<string>;
    /** DNS records to create at your DNS provider for the custom domain (none when managed here). */
    public readonly dnsRecords!: pulumi.Output<DnsRecord[]>;

    constructor(name: string, args: StaticSiteArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is checked (and built) before the component registers: a mistake registers nothing.
        const spec = staticSiteSpec(name, args);
        const cloud = provider();
        cloud.checkStaticSite(spec);
        super("serverless-blocks:index:StaticSite", name, {}, opts);
        const realised = cloud.staticSite(this, spec);
        Object.assign(this, { ...realised, contentHash: spec.contentHash });
        this.registerOutputs({
            url: this.url,
            bucketName: this.bucketName,
            distributionId: this.distributionId,
            contentHash: this.contentHash,
            dnsRecords: this.dnsRecords,
        });
    }
}

function staticSiteSpec(name: string, args: StaticSiteArgs): StaticSiteSpec {
    const stack = target();
    const where = `StaticSite '${name}'`;
    if (!SITE_NAME.test(name)) {
        throw new ConfigError(`${where} name`, name, "1-40 lowercase letters, digits and '-', not starting or ending with '-' (bucket names derive from it)");
    }
    const directory = publishedDirectory(name, args);
    const files = siteFiles(directory, projectRoot());
    if (files.some((f) => f.key === CONFIG_KEY)) {
        throw new ConfigError(`${where} ${path.join(directory, CONFIG_KEY)}`, CONFIG_KEY, "config.json is generated from the 'config' arg; remove the file and pass its values as config");
    }
    const ssrPaths = args.ssr ? parseSsrPaths(name, args.ssr.paths) : undefined;
    const hasIndex = files.some((f) => f.key === INDEX_KEY);
    if (!hasIndex && !(ssrPaths && ssrServesRoot(ssrPaths))) {
        throw new ConfigError(`${where} path`, directory, "expected an index.html at the site's root, or ssr.paths that render \"/\"");
    }
    let ssrFunction: FunctionArgs | undefined;
    if (args.ssr) {
        const { paths: _paths, ...functionArgs } = args.ssr;
        checkFunctionArgs(`${name}-ssr`, functionArgs);
        ssrFunction = functionArgs;
    }
    for (const key of Object.keys(args.config ?? {})) {
        if (!CONFIG_NAME.test(key)) throw new ConfigError(`${where} config`, key, "keys are letters, digits and _, not starting with a digit");
    }
    const domain = args.domain;
    if (domain !== undefined && !HOST_NAME.test(domain)) {
        throw new ConfigError(`${where} domain`, domain, "expected a lowercase host name, e.g. shop.example.com");
    }
    const config = pulumi.output(args.config ?? {}) as pulumi.Output<Record<string, string>>;
    const json = config.apply(configJson);
    return {
        name,
        directory,
        files,
        hasIndex,
        hashedDirectories: hashedDirectories(files),
        config,
        configJson: json,
        contentHash: json.apply((c) => contentHash(files, c)),
        csp: args.csp === undefined ? config.apply(defaultCsp) : pulumi.output(args.csp),
        ssr: ssrPaths && ssrFunction ? { paths: ssrPaths, function: ssrFunction } : undefined,
        domain,
        certificateId: args.certificateId,
        hostedZoneId: args.hostedZoneId,
        protect: stack.protect,
    };
}

/** Runs the build when there is one; returns the directory to publish, which must exist. */
function publishedDirectory(name: string, args: StaticSiteArgs): string {
    const where = `StaticSite '${name}'`;
    const source = path.resolve(projectRoot(), args.path);
    if (!isDirectory(source)) throw new ConfigError(`${where} path`, args.path, "expected an existing directory (relative to the project, or absolute)");
    if (!args.build) return source;
    if (!args.build.command.trim()) throw new ConfigError(`${where} build.command`, args.build.command, "expected a shell command, e.g. \"npm run build\"");
    runSiteBuild(name, args.build.command, source);
    const output = path.resolve(source, args.build.output ?? "dist");
    if (!isDirectory(output)) {
        throw new ConfigError(`${where} build.output`, args.build.output ?? "dist", `the build ran but wrote no directory ${output}; set build.output to where it writes`);
    }
    return output;
}

function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}
