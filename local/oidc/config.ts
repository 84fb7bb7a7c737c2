// Whether `npm start` runs the local OpenID provider, from the stack's config:
//   serverless-blocks:signIn:             { clientId: shop-local }   (no `issuer`: the local provider)
//   serverless-blocks:signInClientSecret: <a development secret>
// With an `issuer` in signIn, the app signs in with that provider instead, and none is started.
// The program learns the local provider's issuer from the signIn config npm start passes it.
import { LOCAL_API_PATH } from "../../components/local/settings";
import { localOidcIssuer, type LocalOidcOptions } from "./index";

export const SIGN_IN_KEY = "serverless-blocks:signIn";
export const SIGN_IN_SECRET_KEY = "serverless-blocks:signInClientSecret";

export interface LocalSignIn {
    options: LocalOidcOptions;
    /** Config for the program: signIn with the local provider's issuer filled in. */
    overrides: Record<string, string>;
}

/** The local provider to start for `config` (a stack's, as the engine reads it), or undefined. */
export function localSignIn(config: Record<string, string>, baseUrl: string): LocalSignIn | undefined {
    const raw = config[SIGN_IN_KEY];
    if (raw === undefined) return undefined;
    let signIn: Record<string, unknown>;
    try {
        signIn = JSON.parse(raw);
    } catch {
        throw new Error(`config ${SIGN_IN_KEY}: expected an object such as { clientId: shop-local }`);
    }
    if (typeof signIn !== "object" || signIn === null || Array.isArray(signIn)) throw new Error(`config ${SIGN_IN_KEY}: expected an object such as { clientId: shop-local }`);
    if (signIn.issuer !== undefined) return undefined; // a real provider: nothing to run here
    const clientId = signIn.clientId;
    if (typeof clientId !== "string" || clientId === "") throw new Error(`config ${SIGN_IN_KEY}.clientId: required (the local provider's client, e.g. shop-local)`);
    const clientSecret = config[SIGN_IN_SECRET_KEY];
    if (!clientSecret) throw new Error(`config ${SIGN_IN_SECRET_KEY}: required with ${SIGN_IN_KEY} (any development secret for the local provider)`);
    const issuer = localOidcIssuer(baseUrl);
    return {
        options: { baseUrl, clients: [{ clientId, clientSecret, redirectUris: [`${baseUrl.replace(/\/+$/, "")}${LOCAL_API_PATH}/auth/callback`] }] },
        overrides: { [SIGN_IN_KEY]: JSON.stringify({ ...signIn, issuer }) },
    };
}
