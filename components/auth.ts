// Auth: sign-in with any OpenID Connect provider, and our own tokens. Its issuer is an API of
// functions that live in this package (functions/auth/): /auth/login and /auth/callback run the
// authorization code flow with PKCE; /auth/refresh rotates a refresh token kept in an HttpOnly
// cookie and returns a short-lived ES256 access token; /auth/logout revokes; /auth/userinfo tells
// who the caller is; /auth/.well-known/{jwks.json,openid-configuration} publish the keys, so an
// API gateway (or our adapters) can verify the tokens. Users and sessions live in two Tables; the
// signing keys (generated at deploy), the issuer URL and the providers' client secrets live in
// the cloud's secret store, read by the functions at cold start: never in their environment.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ApiCors, BusinessApi } from "./business-api";
import { ConfigError, provider, target } from "./cloud";
import type { Link } from "./link";
import type { AuthSecretSpec } from "./provider";
import { Table } from "./table";

/** An OpenID Connect provider users sign in with. */
export interface AuthProvider {
    /**
     * The provider's issuer URL (https, or http on loopback), exactly as in its ID tokens' `iss`;
     * its `/.well-known/openid-configuration` gives the endpoints not given below.
     *
     * @example issuer: "https://accounts.google.com"
     */
    issuer: pulumi.Input<string>;
    /** The client id registered with the provider. */
    clientId: pulumi.Input<string>;
    /**
     * The client secret: a Pulumi secret (`pulumi config set --secret ...`). It is written to the
     * secret store with the signing keys; no function's environment carries it.
     */
    clientSecret: pulumi.Input<string>;
    /** Scopes asked for; `openid` is always included. Default `["openid", "email", "profile"]`. */
    scopes?: string[];
    /** Endpoints, when the provider has no discovery document. */
    authorizationEndpoint?: pulumi.Input<string>;
    tokenEndpoint?: pulumi.Input<string>;
    jwksUri?: pulumi.Input<string>;
}

export interface AuthArgs {
    /**
     * The providers, by a short name (letters, digits, `-`): `/auth/login?provider=<name>`.
     *
     * @example providers: { google: { issuer: "https://accounts.google.com", clientId: "123.apps.googleusercontent.com", clientSecret: config.requireSecret("googleClientSecret") } }
     */
    providers: { [name: string]: AuthProvider };
    /** The `aud` of our access tokens, which APIs trusting this issuer accept. Default: the component's name. */
    audience?: string;
    /** Access token lifetime in seconds, 60 to 3600. Default 900. */
    accessTokenSeconds?: number;
    /** Refresh token lifetime in days, 1 to 90 (each use rotates it and starts a new one). Default 30. */
    refreshTokenDays?: number;
    /** Roles every new user gets. Default `["user"]`. */
    defaultRoles?: string[];
    /** Users whose verified email is one of these also get the `admin` role. */
    adminEmails?: string[];
    /**
     * Where /auth/callback sends the browser after sign-in: a URL of the site (or a path on the
     * API's host). A `redirect` query on /auth/login may pick a path under it.
     *
     * @example signedInUrl: site.url
     */
    signedInUrl?: pulumi.Input<string>;
    /**
     * Signing key generation. Raising it by one makes a new key current and keeps the previous
     * one in the JWKS, so tokens it signed stay valid until they expire: nobody is signed out.
     * Default 0.
     */
    keyRotation?: number;
    /**
     * Where to tell the rest of the app about new users: a hub's link. The callback publishes
     * `UserSignedUp` (`{ userId, email, name }`) once per new user.
     *
     * @example events: hub.link
     */
    events?: pulumi.Input<Link>;
    /** Browser access from other origins to the auth API (the site's origin, with credentials). */
    cors?: ApiCors;
}

export const ACCESS_TOKEN_SECONDS = { min: 60, max: 3600, default: 900 };
export const REFRESH_TOKEN_DAYS = { min: 1, max: 90, default: 30 };
const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;
const HANDLERS = path.join(__dirname, "..", "functions", "auth");

/** The routes of the issuer, each served by a function of this package (functions/auth/<file>.handler). */
export const AUTH_ROUTES: { key: string; file: string }[] = [
    { key: "GET /auth/login", file: "login" },
    { key: "GET /auth/callback", file: "callback" },
    { key: "POST /auth/refresh", file: "refresh" },
    { key: "POST /auth/logout", file: "logout" },
    { key: "GET /auth/userinfo", file: "userinfo" },
    { key: "GET /auth/.well-known/jwks.json", file: "jwks" },
    { key: "GET /auth/.well-known/openid-configuration", file: "discovery" },
];

/**
 * Sign-in with OpenID Connect providers, and the tokens the app's APIs trust.
 *
 * @example
 * const auth = new Auth("auth", {
 *     providers: { google: { issuer: "https://accounts.google.com", clientId: "123.apps.googleusercontent.com", clientSecret: config.requireSecret("googleClientSecret") } },
 *     signedInUrl: "https://shop.example.com/",
 *     events: hub.link,
 * });
 * new BusinessApi("shop", { routes: { "GET /orders": { handler: "functions/orders/list.handler" } }, jwt: auth.jwt });
 */
export class Auth extends pulumi.ComponentResource {
    /** Our tokens' `iss`: the auth API's URL plus `/auth`. */
    public readonly issuer!: pulumi.Output<string>;
    /** Where the public signing keys are published. */
    public readonly jwksUrl!: pulumi.Output<string>;
    /** Our access tokens' `aud`. */
    public readonly audience!: pulumi.Output<string>;
    /** The auth API's base URL (routes are under `/auth`). */
    public readonly url!: pulumi.Output<string>;
    /** What a BusinessApi's `jwt` takes to trust these tokens. */
    public readonly jwt!: pulumi.Output<{ issuer: string; audience: string[]; jwksUrl: string }>;
    /** Read access to the users table, for functions that look users up. */
    public readonly usersLink!: pulumi.Output<Link>;

    constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = checkAuthArgs(name, args);
        super("serverless-blocks:index:Auth", name, {}, opts);
        const parent = { parent: this };
        const users = new Table(`${name}-users`, { partitionKey: "userId" }, parent);
        // Emails, identities, login states and refresh tokens, as records of one table.
        const records = new Table(`${name}-records`, { partitionKey: "pk", sortKey: "sk", ttlAttribute: "expiresAt" }, parent);
        const secret = provider().authSecret(this, {
            name,
            keyRotation: settings.keyRotation,
            protect: target().protect,
        } satisfies AuthSecretSpec);

        const environment = {
            SB_AUTH_SETTINGS: pulumi.jsonStringify({
                name,
                usersTable: `${name}-users`,
                recordsTable: `${name}-records`,
                eventsHub: args.events ? pulumi.output(args.events).apply((hub) => hub.name) : "",
                audience: settings.audience,
                accessTokenSeconds: settings.accessTokenSeconds,
                refreshTokenDays: settings.refreshTokenDays,
                defaultRoles: settings.defaultRoles,
                adminEmails: settings.adminEmails,
                signedInUrl: args.signedInUrl ?? "",
                providers: pulumi.output(args.providers).apply((providers) =>
                    Object.fromEntries(Object.entries(providers).map(([key, p]) => [key, {
                        issuer: p.issuer,
                        clientId: p.clientId,
                        scopes: [...new Set(["openid", ...(p.scopes ?? ["email", "profile"])])],
                        ...(p.authorizationEndpoint ? { authorizationEndpoint: p.authorizationEndpoint } : {}),
                        ...(p.tokenEndpoint ? { tokenEndpoint: p.tokenEndpoint } : {}),
                        ...(p.jwksUri ? { jwksUri: p.jwksUri } : {}),
                    }]))),
            }),
        };
        const links = [users.link, records.link, secret.link, ...(args.events ? [args.events] : [])];
        const api = new BusinessApi(name, {
            routes: Object.fromEntries(AUTH_ROUTES.map((route) => [route.key, {
                handler: `${path.join(HANDLERS, route.file)}.handler`,
                environment,
                link: links,
                description: `Auth ${route.key}`,
                public: true, // the issuer's own routes check what they need themselves
            }])),
            cors: args.cors,
        }, parent);

        const issuer = api.url.apply((url) => `${url}/auth`);
        // Written once the API exists: the functions learn their own issuer URL from the store.
        secret.write({
            issuer,
            clientSecrets: pulumi.secret(pulumi.output(args.providers).apply((providers) =>
                Object.fromEntries(Object.entries(providers).map(([key, p]) => [key, p.clientSecret])))),
        });

        const audience = pulumi.output(settings.audience);
        const jwksUrl = issuer.apply((i) => `${i}/.well-known/jwks.json`);
        Object.assign(this, {
            issuer,
            jwksUrl,
            audience,
            url: api.url,
            jwt: pulumi.all([issuer, audience, jwksUrl]).apply(([i, a, j]) => ({ issuer: i, audience: [a], jwksUrl: j })),
            usersLink: users.link,
        });
        this.registerOutputs({ issuer: this.issuer, jwksUrl: this.jwksUrl, audience: this.audience, url: this.url, jwt: this.jwt, usersLink: this.usersLink });
    }
}

export interface AuthSettings {
    audience: string;
    accessTokenSeconds: number;
    refreshTokenDays: number;
    defaultRoles: string[];
    adminEmails: string[];
    keyRotation: number;
}

/** Validates the args before anything registers; throws ConfigError naming the key. */
export function checkAuthArgs(name: string, args: AuthArgs): AuthSettings {
    target();
    const where = `Auth '${name}'`;
    const names = Object.keys(args.providers ?? {});
    if (names.length === 0) throw new ConfigError(`${where} providers`, undefined, "give at least one OpenID Connect provider: { name: { issuer, clientId, clientSecret } }");
    for (const key of names) {
        if (!PROVIDER_NAME.test(key)) throw new ConfigError(`${where} providers`, key, "provider names take a lowercase letter, then up to 31 lowercase letters, digits and '-'");
        const p = args.providers[key];
        for (const field of ["issuer", "clientId", "clientSecret"] as const) {
            if (p?.[field] === undefined || p[field] === "") throw new ConfigError(`${where} providers.${key}.${field}`, undefined, "required");
        }
        for (const scope of p.scopes ?? []) {
            if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) throw new ConfigError(`${where} providers.${key}.scopes`, scope, "a scope is printable ASCII without spaces, quotes or backslashes");
        }
    }
    const whole = (key: string, value: number | undefined, range: { min: number; max: number; default: number }) => {
        const v = value ?? range.default;
        if (!Number.isInteger(v) || v < range.min || v > range.max) throw new ConfigError(`${where} ${key}`, value, `expected a whole number from ${range.min} to ${range.max}`);
        return v;
    };
    const roles = (key: string, value: string[] | undefined, fallback: string[]) => {
        const list = value ?? fallback;
        for (const role of list) if (!ROLE.test(role)) throw new ConfigError(`${where} ${key}`, role, "roles take a lowercase letter, then up to 31 lowercase letters, digits, '_' and '-'");
        return list;
    };
    const audience = args.audience ?? name;
    if (!/^[\x21-\x7e]{1,128}$/.test(audience)) throw new ConfigError(`${where} audience`, audience, "1 to 128 printable ASCII characters without spaces");
    for (const email of args.adminEmails ?? []) {
        if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ConfigError(`${where} adminEmails`, email, "expected email addresses");
    }
    return {
        audience,
        accessTokenSeconds: whole("accessTokenSeconds", args.accessTokenSeconds, ACCESS_TOKEN_SECONDS),
        refreshTokenDays: whole("refreshTokenDays", args.refreshTokenDays, REFRESH_TOKEN_DAYS),
        defaultRoles: roles("defaultRoles", args.defaultRoles, ["user"]),
        adminEmails: (args.adminEmails ?? []).map((e) => e.toLowerCase()),
        keyRotation: whole("keyRotation", args.keyRotation, { min: 0, max: 1_000_000, default: 0 }),
    };
}
