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
import type { AlarmTarget } from "./alarms";
import { PACKAGE_ROOT } from "./build/package-root";
import { ApiCors, BusinessApi } from "./business-api";
import { ConfigError, provider, target } from "./cloud";
import type { Link } from "./link";
import type { AuthCognitoIdentityProviderSpec, AuthCognitoSpec, AuthSecretSpec } from "./provider";
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
     * secret store with the signing keys; no function's environment carries it. Without one the
     * client is a public client, proven by PKCE alone (providers offer this for single-page apps).
     */
    clientSecret?: pulumi.Input<string>;
    /** Scopes asked for; `openid` is always included. Default `["openid", "email", "profile"]`. */
    scopes?: string[];
    /** The provider's authorization endpoint, when it has no discovery document. */
    authorizationEndpoint?: pulumi.Input<string>;
    /** The provider's token endpoint, when it has no discovery document. */
    tokenEndpoint?: pulumi.Input<string>;
    /** The provider's JWKS URI (its signing keys), when it has no discovery document. */
    jwksUri?: pulumi.Input<string>;
}

/** A federated identity provider of the Cognito user pool (Cognito mode). */
export interface AuthCognitoIdentityProvider {
    /** `Google`, `Facebook`, `LoginWithAmazon` or `OIDC`. A social type appears once. */
    type: string;
    /** The client id registered with the provider. */
    clientId: pulumi.Input<string>;
    /** The client secret: a Pulumi secret (`pulumi config set --secret ...`). */
    clientSecret: pulumi.Input<string>;
    /** OIDC only, required there: the provider's issuer URL (its discovery document gives the endpoints). */
    issuer?: pulumi.Input<string>;
    /** Scopes asked for. Default: `openid email profile` (Facebook `public_profile email`, Login with Amazon `profile`). */
    scopes?: string[];
}

/**
 * Cognito mode (AWS only): a managed Cognito user pool issues the tokens the app's APIs trust,
 * signing users in on its hosted UI, through the identity providers given here.
 */
export interface AuthCognitoArgs {
    /**
     * The hosted UI's domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. Lowercase
     * letters, digits and `-`, without `aws`, `amazon` or `cognito`; unique in the region.
     */
    domainPrefix: string;
    /** Where the hosted UI may send the browser back with the code (https, or http on localhost). */
    callbackUrls: string[];
    /** Where it may send the browser after sign-out. Default: the callback URLs. */
    logoutUrls?: string[];
    /**
     * Federated identity providers, by name (an OIDC provider's name in the pool; a social
     * provider's is its type). None: users sign up in the pool with email and password.
     *
     * @example identityProviders: { google: { type: "Google", clientId: "123.apps.googleusercontent.com", clientSecret: config.requireSecret("googleClientSecret") } }
     */
    identityProviders?: { [name: string]: AuthCognitoIdentityProvider };
}

/** Cognito mode's pool and app client, for the site's sign-in. */
export interface AuthCognitoOutputs {
    /** The Cognito user pool's id. */
    userPoolId: string;
    /** The app client's id: the `client_id` of the hosted UI's /oauth2/authorize, and the tokens' audience. */
    clientId: string;
    /** The hosted UI's base URL. */
    hostedUiUrl: string;
    /** The pool's issuer URL. */
    issuer: string;
}

/** What an API needs to trust an Auth's tokens: a BusinessApi's `jwt` takes it as it is. */
export interface AuthJwt {
    /** The tokens' `iss`. */
    issuer: string;
    /** The accepted `aud` values. */
    audience: string[];
    /** Where the signing keys are published. */
    jwksUrl: string;
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
     * `UserSignedUp` (`{ userId, email, name, outboxEventId }`) once per new user, through the
     * records table's outbox: written with the sign-in's record, relayed if the hub fails, and
     * `outboxEventId` the same on every publish of it (dedupe by it).
     *
     * @example events: hub.link
     */
    events?: pulumi.Input<Link>;
    /** Where the auth API's alarms and its functions' go: an Alarms' `target`. No alarms without it. */
    alarms?: pulumi.Input<AlarmTarget>;
    /** Browser access from other origins to the auth API (the site's origin, with credentials). */
    cors?: ApiCors;
    /**
     * AWS only: a Cognito user pool issues the tokens APIs trust, and `jwt` trusts the pool (issuer
     * `https://cognito-idp.<region>.amazonaws.com/<poolId>`, audience the app client's id); the
     * site signs in on the pool's hosted UI (`cognito` output). The own issuer's API, tables and
     * secret still deploy, but APIs given `jwt` do not accept its tokens. Elsewhere `cognito` is a
     * configuration error.
     */
    cognito?: AuthCognitoArgs;
}

export const ACCESS_TOKEN_SECONDS = { min: 60, max: 3600, default: 900 };
export const REFRESH_TOKEN_DAYS = { min: 1, max: 90, default: 30 };
const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;
/** The issuer's functions: TypeScript sources shipped with the package, bundled like any handler. */
const HANDLERS = path.join(PACKAGE_ROOT, "functions", "auth");

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
    public readonly jwt!: pulumi.Output<AuthJwt>;
    /** Read access to the users table, for functions that look users up. */
    public readonly usersLink!: pulumi.Output<Link>;
    /** Cognito mode: the user pool, its app client and hosted UI; undefined otherwise. */
    public readonly cognito!: pulumi.Output<AuthCognitoOutputs | undefined>;

    constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = checkAuthArgs(name, args);
        const cognitoSpec = args.cognito === undefined ? undefined : checkAuthCognito(name, args.cognito, settings);
        super("serverless-blocks:index:Auth", name, {}, opts);
        const parent = { parent: this };
        const users = new Table(`${name}-users`, { partitionKey: "userId" }, parent);
        // Emails, identities, login states and refresh tokens, as records of one table.
        // UserSignedUp is written with a record (functions/auth/users.ts), so the records relay it to the hub.
        const records = new Table(`${name}-records`, { partitionKey: "pk", sortKey: "sk", ttlAttribute: "expiresAt", ...(args.events ? { outbox: args.events, alarms: args.alarms } : {}) }, parent);
        const secret = provider().authSecret(this, {
            name,
            keyRotation: settings.keyRotation,
            protect: target().protect,
        } satisfies AuthSecretSpec);

        // The issuer's settings reach its functions as a link of their own: `SB_` variables are
        // links' to set, and this one grants nothing (the secrets are in the store).
        const settingsLink: Link = {
            type: "auth",
            name,
            permissions: [],
            environment: { SB_AUTH_SETTINGS: pulumi.jsonStringify({
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
            }) },
        };
        const links = [settingsLink, users.link, records.link, secret.link, ...(args.events ? [args.events] : [])];
        const api = new BusinessApi(name, {
            routes: Object.fromEntries(AUTH_ROUTES.map((route) => [route.key, {
                handler: `${path.join(HANDLERS, route.file)}.handler`,
                link: links,
                description: `Auth ${route.key}`,
                public: true, // the issuer's own routes check what they need themselves
            }])),
            cors: args.cors,
            alarms: args.alarms,
        }, parent);

        const issuer = api.url.apply((url) => `${url}/auth`);
        // Written once the API exists: the functions learn their own issuer URL from the store.
        secret.write({
            issuer,
            clientSecrets: pulumi.secret(pulumi.output(args.providers).apply((providers) =>
                Object.fromEntries(Object.entries(providers).filter(([, p]) => p.clientSecret !== undefined).map(([key, p]) => [key, p.clientSecret!])))),
        });

        const audience = pulumi.output(settings.audience);
        const jwksUrl = issuer.apply((i) => `${i}/.well-known/jwks.json`);
        // Cognito mode: the pool's tokens are the ones APIs trust (checkAuthCognito made sure the cloud has pools).
        const pool = cognitoSpec ? provider().authCognito!(this, cognitoSpec) : undefined;
        const jwt = pool
            ? pulumi.all([pool.issuer, pool.clientId]).apply(([i, c]) => ({ issuer: i, audience: [c], jwksUrl: `${i}/.well-known/jwks.json` }))
            : pulumi.all([issuer, audience, jwksUrl]).apply(([i, a, j]) => ({ issuer: i, audience: [a], jwksUrl: j }));
        const cognito: pulumi.Output<AuthCognitoOutputs | undefined> = pool
            ? pulumi.all([pool.userPoolId, pool.clientId, pool.hostedUiUrl, pool.issuer]).apply(([userPoolId, clientId, hostedUiUrl, i]) => ({ userPoolId, clientId, hostedUiUrl, issuer: i }))
            : pulumi.output(undefined);
        Object.assign(this, {
            issuer,
            jwksUrl,
            audience,
            url: api.url,
            jwt,
            usersLink: users.link,
            cognito,
        });
        this.registerOutputs({ issuer: this.issuer, jwksUrl: this.jwksUrl, audience: this.audience, url: this.url, jwt: this.jwt, usersLink: this.usersLink, cognito: this.cognito });
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
        for (const field of ["issuer", "clientId"] as const) {
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

const COGNITO_TYPES: { [type: string]: { scopes: string[] } } = {
    Google: { scopes: ["openid", "email", "profile"] },
    Facebook: { scopes: ["public_profile", "email"] },
    LoginWithAmazon: { scopes: ["profile"] },
    OIDC: { scopes: ["openid", "email", "profile"] },
};
/** Cognito's own rule for ProviderName, narrowed to what reads well in a URL: 1-32 letters, digits, `-`. */
const COGNITO_PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
/** Cognito domain prefixes: lowercase letters, digits and inner hyphens, at most 63. */
const COGNITO_DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Cognito's access and ID tokens live 5 minutes to 1 day. */
const COGNITO_MIN_TOKEN_SECONDS = 300;

/**
 * Validates Cognito mode before anything registers: the cloud must have user pools (only AWS's
 * realisation has `authCognito`), then the domain, URLs and identity providers; throws ConfigError
 * naming the key.
 */
export function checkAuthCognito(name: string, args: AuthCognitoArgs, settings: AuthSettings): AuthCognitoSpec {
    const where = `Auth '${name}' cognito`;
    if (provider().authCognito === undefined) {
        throw new ConfigError(where, target().cloud, "Cognito mode needs Amazon Cognito, on the aws target only; remove `cognito` to use the Auth's own issuer on this cloud");
    }
    const prefix = args.domainPrefix;
    if (typeof prefix !== "string" || !COGNITO_DOMAIN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
        throw new ConfigError(`${where}.domainPrefix`, prefix, "1 to 63 lowercase letters, digits and inner '-', without 'aws', 'amazon' or 'cognito'");
    }
    const urls = (key: string, list: string[] | undefined, fallback?: string[]) => {
        const value = list ?? fallback ?? [];
        if (value.length === 0) throw new ConfigError(`${where}.${key}`, undefined, "give at least one URL");
        for (const url of value) {
            let parsed: URL | undefined;
            try {
                parsed = new URL(url);
            } catch {
                parsed = undefined;
            }
            const local = parsed?.protocol === "http:" && (parsed.hostname === "localhost" || parsed.hostname === "127.0.0.1");
            if (!parsed || (parsed.protocol !== "https:" && !local) || parsed.hash !== "") {
                throw new ConfigError(`${where}.${key}`, url, "absolute https URLs without a fragment (http only on localhost)");
            }
        }
        return value;
    };
    const callbackUrls = urls("callbackUrls", args.callbackUrls);
    const logoutUrls = urls("logoutUrls", args.logoutUrls, callbackUrls);
    const identityProviders: AuthCognitoIdentityProviderSpec[] = [];
    for (const [key, p] of Object.entries(args.identityProviders ?? {})) {
        const at = `${where}.identityProviders.${key}`;
        const type = COGNITO_TYPES[p?.type];
        if (!type) throw new ConfigError(`${at}.type`, p?.type, `allowed values: ${Object.keys(COGNITO_TYPES).join(", ")}`);
        if (!COGNITO_PROVIDER_NAME.test(key)) throw new ConfigError(at, key, "names take 1 to 32 letters, digits and '-', a letter or digit first");
        for (const field of ["clientId", "clientSecret", ...(p.type === "OIDC" ? ["issuer" as const] : [])] as const) {
            if (p[field] === undefined || p[field] === "") throw new ConfigError(`${at}.${field}`, undefined, "required");
        }
        if (p.type !== "OIDC" && p.issuer !== undefined) throw new ConfigError(`${at}.issuer`, p.issuer, `only OIDC providers take an issuer; ${p.type}'s is built in`);
        for (const scope of p.scopes ?? []) {
            if (!/^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/.test(scope)) throw new ConfigError(`${at}.scopes`, scope, "a scope is printable ASCII without spaces, commas, quotes or backslashes");
        }
        // A social provider's name in the pool is its type, so each type appears once.
        const providerName = p.type === "OIDC" ? key : p.type;
        if (identityProviders.some((known) => known.providerName.toLowerCase() === providerName.toLowerCase())) {
            throw new ConfigError(at, key, `the pool already has a provider named ${providerName}; a social provider type appears once`);
        }
        identityProviders.push({
            providerName,
            type: p.type,
            clientId: p.clientId,
            clientSecret: pulumi.secret(pulumi.output(p.clientSecret)),
            issuer: p.issuer,
            scopes: p.scopes ?? type.scopes,
        });
    }
    if (settings.accessTokenSeconds < COGNITO_MIN_TOKEN_SECONDS) {
        throw new ConfigError(`Auth '${name}' accessTokenSeconds`, settings.accessTokenSeconds, `Cognito's tokens live at least ${COGNITO_MIN_TOKEN_SECONDS} seconds; give ${COGNITO_MIN_TOKEN_SECONDS} to 3600 in Cognito mode`);
    }
    return {
        name,
        domainPrefix: prefix,
        callbackUrls,
        logoutUrls,
        identityProviders,
        accessTokenSeconds: settings.accessTokenSeconds,
        refreshTokenDays: settings.refreshTokenDays,
        protect: target().protect,
    };
}
