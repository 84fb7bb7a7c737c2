// The auth records table (`<auth>-records`, pk/sk, TTL `expiresAt`): one table for every small
// fact the issuer keeps, each under its own partition:
//   email#<lowercased email>        / email     -> { userId }                 one user per verified email
//   identity#<iss>|<sub>            / identity  -> { userId }                 a provider account's user
//   login#<state>                   / login     -> { provider, codeVerifier, nonce, redirect }   10 minutes
//   family#<familyId>               / family    -> { userId, revoked? }       a refresh token family
//   family#<familyId>               / token#<sha256>  -> { userId }           a refresh token, hashed
//   family#<familyId>               / used#<sha256>   -> {}                   that token was used (conditional put)
//   announce#<userId>               / announce  -> {}                         UserSignedUp written (outbox), once
import { table, type TableClient } from "../runtime/clients/table";
import { authSettings } from "./settings";

export interface AuthRecord {
    pk: string;
    sk: string;
    /** Epoch seconds; the record reads as absent after it. */
    expiresAt?: number;
    [attribute: string]: unknown;
}

export function records(): TableClient<AuthRecord> {
    return table<AuthRecord>(authSettings().recordsTable);
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
