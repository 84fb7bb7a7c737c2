// The local stand-in for a third-party sign-in provider: a real OpenID Provider (`oidc-provider`
// from npm, certified by the OpenID Foundation), served by the local runtime's HTTP server under
// /_local/oidc on the same port, so its issuer is `<localUrl>/_local/oidc`. The Auth's functions
// talk to it exactly as to Google or Entra ID: discovery, authorization code with PKCE (required
// here), ID tokens signed RS256 with keys from its JWKS.
//
// Its sign-in page is oidc-provider's development interaction: any login signs in (the password is
// not checked); the login is the account (`sub`) and, lower-cased, its `email` (a bare name gets
// `@example.test`), `email_verified: true`, and a `name` made from it. Consent is implied for the
// configured clients (they are the app's own), so one form post completes a sign-in.
//
// oidc-provider is ESM only; this runtime is CommonJS (ts-node, tsc). A real dynamic `import()`
// loads it: written inside `new Function`, TypeScript cannot rewrite it into `require()`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { exportJWK, generateKeyPair } from "jose";

/** Where the runtime serves the provider. */
export const LOCAL_OIDC_PATH = "/_local/oidc";

export interface LocalOidcClient {
    clientId: string;
    clientSecret: string;
    /** Exact redirect URIs, e.g. `<localUrl>/api/auth/callback`. */
    redirectUris: string[];
}

export interface LocalOidcOptions {
    /** The runtime's base URL, e.g. http://127.0.0.1:3000: the issuer is this plus /_local/oidc. */
    baseUrl: string;
    clients: LocalOidcClient[];
}

export interface LocalOidc {
    issuer: string;
    /** Answers a request whose path starts with /_local/oidc. */
    handle(req: IncomingMessage, res: ServerResponse): void;
    close(): Promise<void>;
}

/** Whether a request target belongs to the provider. */
export function isOidcRequest(target: string | undefined): boolean {
    if (!target?.startsWith(LOCAL_OIDC_PATH)) return false;
    const next = target.charAt(LOCAL_OIDC_PATH.length);
    return next === "" || next === "/" || next === "?";
}

/** The issuer of the provider the runtime at `baseUrl` serves. */
export function localOidcIssuer(baseUrl: string): string {
    return `${baseUrl.replace(/\/+$/, "")}${LOCAL_OIDC_PATH}`;
}

const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;

/** A display name from a login: `ada.lovelace@example.com` -> `Ada Lovelace`. */
export function nameOf(login: string): string {
    const local = login.split("@")[0].replace(/[._+-]+/g, " ").trim() || login;
    return local.split(/\s+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

export async function startLocalOidc(options: LocalOidcOptions): Promise<LocalOidc> {
    const { default: Provider } = await importEsm(pathToFileURL(require.resolve("oidc-provider")).href);
    const issuer = localOidcIssuer(options.baseUrl);
    // Fresh keys each start: sessions at the provider end with the runtime, as in memory they live.
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const signing = { ...(await exportJWK(privateKey)), kid: `local-${randomBytes(6).toString("hex")}`, use: "sig", alg: "RS256" };
    const scopes = "openid email profile";

    const provider = new Provider(issuer, {
        clients: options.clients.map((c) => ({
            client_id: c.clientId,
            client_secret: c.clientSecret,
            redirect_uris: c.redirectUris,
            grant_types: ["authorization_code"],
            response_types: ["code"],
            token_endpoint_auth_method: "client_secret_basic",
        })),
        jwks: { keys: [signing] },
        cookies: { keys: [randomBytes(32).toString("base64url")] },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        scopes: ["openid", "email", "profile"],
        // The ID token carries email and name, as most providers' do (not only userinfo).
        conformIdTokenClaims: false,
        pkce: { required: () => true },
        // Lifetimes in seconds, given so the provider need not guess (and say so on every start).
        ttl: { AuthorizationCode: 60, Interaction: 600, Session: 14 * 86_400, Grant: 14 * 86_400, AccessToken: 3600, IdToken: 3600 },
        features: { devInteractions: { enabled: true } },
        async findAccount(_ctx: unknown, sub: string) {
            const login = sub.trim();
            const email = (login.includes("@") ? login : `${login}@example.test`).toLowerCase();
            return {
                accountId: sub,
                async claims() {
                    return { sub, email, email_verified: true, name: nameOf(login) };
                },
            };
        },
        // The configured clients are the app's own: consent is implied, no second page.
        async loadExistingGrant(ctx: any) {
            const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
            if (grantId) {
                const existing = await ctx.oidc.provider.Grant.find(grantId);
                if (existing) return existing;
            }
            const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
            grant.addOIDCScope(scopes);
            await grant.save();
            return grant;
        },
    });
    // A path the provider has no route for: a JSON 404 like the rest of /_local, not Koa's plain "Not Found".
    provider.use(async (ctx: any, next: () => Promise<void>) => {
        await next();
        if (ctx.status === 404 && ctx.body === undefined) {
            ctx.status = 404;
            ctx.body = { error: { message: `nothing at ${ctx.method} ${LOCAL_OIDC_PATH}${ctx.path}: see ${LOCAL_OIDC_PATH}/.well-known/openid-configuration` } };
        }
    });
    const callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;

    return {
        issuer,
        handle(req, res) {
            // Mounted as Express mounts it: the provider sees its own paths, and the prefix in originalUrl.
            const original = req.url ?? "/";
            (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
            req.url = original.slice(LOCAL_OIDC_PATH.length) || "/";
            if (!req.url.startsWith("/")) req.url = `/${req.url}`;
            callback(req, res);
        },
        async close() {
            // Nothing listens on its own: the runtime's server does. Sessions are in memory.
        },
    };
}
