// Refresh tokens: `<familyId>.<secret>`, 32 random bytes each (base64url), kept only as the
// SHA-256 of the whole token. Every use rotates: the used token is marked with a conditional put
// (exactly one use can win), and a new token of the same family is issued. A token used twice
// (stolen and replayed, or replayed after its rotation) revokes the whole family: both the thief's
// and the user's tokens stop working, and the user signs in again. Sign-out revokes the family.
import { createHash, randomBytes } from "node:crypto";
import { ConditionFailedError } from "../runtime/clients/table";
import { nowSeconds, records } from "./records";
import { authSettings } from "./settings";

export interface RefreshGrant {
    /** The new token for the cookie. */
    token: string;
    userId: string;
    familyId: string;
    /** Epoch seconds. */
    expiresAt: number;
}

/** Why a refresh token was refused: all are a 401 to the caller. */
export class RefreshRefused extends Error {
    constructor(readonly reason: "malformed" | "unknown" | "expired" | "revoked" | "reused") {
        super(`refresh token ${reason}`);
        this.name = "RefreshRefused";
    }
}

const random = () => randomBytes(32).toString("base64url");
const hash = (token: string) => createHash("sha256").update(token).digest("base64url");
const familyKey = (familyId: string) => ({ pk: `family#${familyId}`, sk: "family" });
const TOKEN_FORM = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

/** A new family for `userId` (a sign-in) and its first token. */
export async function startFamily(userId: string): Promise<RefreshGrant> {
    const familyId = random();
    const expiresAt = tokenExpiry();
    await records().put({ ...familyKey(familyId), userId, createdAt: new Date().toISOString(), expiresAt }, { ifNotExists: true });
    return issue(familyId, userId, expiresAt);
}

/** Uses `token` once: the next token of its family, or RefreshRefused (a reuse revokes the family). */
export async function rotate(token: string | undefined): Promise<RefreshGrant> {
    const parsed = token === undefined ? undefined : TOKEN_FORM.exec(token);
    if (!parsed) throw new RefreshRefused("malformed");
    const familyId = parsed[1];
    const table = records();
    const family = await table.get(familyKey(familyId));
    if (!family) throw new RefreshRefused("unknown");
    if (family.revoked === true) throw new RefreshRefused("revoked");
    const digest = hash(token!);
    const stored = await table.get({ pk: `family#${familyId}`, sk: `token#${digest}` });
    if (!stored) throw new RefreshRefused(typeof family.expiresAt === "number" && family.expiresAt <= nowSeconds() ? "expired" : "unknown");
    try {
        // Exactly one use of a token can put its marker: a second one, now or later, is a reuse.
        await table.put({ pk: `family#${familyId}`, sk: `used#${digest}`, usedAt: new Date().toISOString(), expiresAt: stored.expiresAt }, { ifNotExists: true });
    } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        await revokeFamily(familyId, "reused");
        throw new RefreshRefused("reused");
    }
    // A revocation (sign-out, a reuse elsewhere) between the first read and the marker still wins.
    const again = await table.get(familyKey(familyId));
    if (!again || again.revoked === true) throw new RefreshRefused("revoked");
    const expiresAt = tokenExpiry();
    await table.update(familyKey(familyId), { expiresAt });
    return issue(familyId, String(family.userId), expiresAt);
}

/** Sign-out: the token's family stops working. Unknown or malformed tokens are ignored. */
export async function revoke(token: string | undefined): Promise<void> {
    const parsed = token === undefined ? undefined : TOKEN_FORM.exec(token);
    if (!parsed) return;
    const family = await records().get(familyKey(parsed[1]));
    // Only the holder of a real token of the family may end it.
    if (!family || !(await records().get({ pk: `family#${parsed[1]}`, sk: `token#${hash(token!)}` }))) return;
    await revokeFamily(parsed[1], "signed-out");
}

async function revokeFamily(familyId: string, reason: string): Promise<void> {
    try {
        await records().update(familyKey(familyId), { revoked: true, revokedReason: reason, revokedAt: new Date().toISOString() });
    } catch (error) {
        // The family expired meanwhile: nothing left to revoke.
        if ((error as Error).name !== "ItemNotFoundError") throw error;
    }
}

async function issue(familyId: string, userId: string, expiresAt: number): Promise<RefreshGrant> {
    const token = `${familyId}.${random()}`;
    await records().put({ pk: `family#${familyId}`, sk: `token#${hash(token)}`, userId, expiresAt }, { ifNotExists: true });
    return { token, userId, familyId, expiresAt };
}

function tokenExpiry(): number {
    return nowSeconds() + authSettings().refreshTokenDays * 86_400;
}
