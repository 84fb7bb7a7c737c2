// What the Auth component tells its functions in SB_AUTH_SETTINGS (components/auth.ts), read once
// per instance. The secret store's part (issuer, keys, client secrets) is readAuthSecret()'s.

export interface ProviderSettings {
    /** Exactly the `iss` of its ID tokens. */
    issuer: string;
    clientId: string;
    /** `openid` included. */
    scopes: string[];
    authorizationEndpoint?: string;
    tokenEndpoint?: string;
    jwksUri?: string;
}

export interface AuthSettings {
    /** The Auth component's name. */
    name: string;
    usersTable: string;
    recordsTable: string;
    /** The hub to tell about new users, or "" for none. */
    eventsHub: string;
    audience: string;
    accessTokenSeconds: number;
    refreshTokenDays: number;
    defaultRoles: string[];
    /** Lower-cased. */
    adminEmails: string[];
    /** Where the callback sends the browser; "" for the API host's root. */
    signedInUrl: string;
    providers: Record<string, ProviderSettings>;
}

let cached: AuthSettings | undefined;

/** SB_AUTH_SETTINGS, parsed once. */
export function authSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
    if (cached && env === process.env) return cached;
    const text = env.SB_AUTH_SETTINGS;
    if (!text) throw new Error("SB_AUTH_SETTINGS is not set: the auth functions are deployed by the Auth component, which sets it");
    let value: AuthSettings;
    try {
        value = JSON.parse(text);
    } catch {
        throw new Error("SB_AUTH_SETTINGS is not JSON");
    }
    for (const key of ["name", "usersTable", "recordsTable", "audience"] as const) {
        if (typeof value[key] !== "string" || value[key] === "") throw new Error(`SB_AUTH_SETTINGS.${key} is missing`);
    }
    if (!value.providers || Object.keys(value.providers).length === 0) throw new Error("SB_AUTH_SETTINGS.providers is empty");
    const settings: AuthSettings = {
        ...value,
        eventsHub: value.eventsHub ?? "",
        signedInUrl: value.signedInUrl ?? "",
        defaultRoles: value.defaultRoles ?? ["user"],
        adminEmails: (value.adminEmails ?? []).map((e) => e.toLowerCase()),
    };
    if (env === process.env) cached = settings;
    return settings;
}

/** The issuer URL's path: where the refresh cookie is scoped (`/auth`, locally `/api/auth`). */
export function issuerPath(issuer: string): string {
    return new URL(issuer).pathname.replace(/\/+$/, "") || "/";
}
