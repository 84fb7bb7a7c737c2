// Users: created on first sign-in, found again by the provider identity, or linked by a VERIFIED
// email (a provider that says an address is verified vouches for it; an unverified one could be
// anyone's). One user per email even under concurrent first sign-ins: the email record is claimed
// with a conditional put, and only its winner's user survives and announces itself.
import { randomUUID } from "node:crypto";
import { ConditionFailedError, table, type TableClient } from "../runtime/clients/table";
import { records, type AuthRecord } from "./records";
import { authSettings } from "./settings";

export interface User {
    userId: string;
    email: string;
    emailVerified: boolean;
    name: string;
    roles: string[];
    /** ISO time. */
    createdAt: string;
    /** False until UserSignedUp was written for this user (published, or pending in the records table's outbox). */
    announced: boolean;
    [attribute: string]: unknown;
}

/** What a provider's ID token says about the person. */
export interface Identity {
    /** The provider's issuer and subject. */
    issuer: string;
    subject: string;
    email?: string;
    emailVerified: boolean;
    name?: string;
}

export function users(): TableClient<User> {
    return table<User>(authSettings().usersTable);
}

const emailKey = (email: string) => ({ pk: `email#${email.toLowerCase()}`, sk: "email" });
const identityKey = (identity: Identity) => ({ pk: `identity#${identity.issuer}|${identity.subject}`, sk: "identity" });

/** The user of `identity`: found, linked by verified email, or created (and announced once). */
export async function signInUser(identity: Identity): Promise<{ user: User; created: boolean }> {
    const byIdentity = await records().get(identityKey(identity));
    if (byIdentity) {
        const user = await users().get({ userId: String(byIdentity.userId) });
        if (user) {
            if (!user.announced) await announce(user);
            return { user, created: false };
        }
    }
    const email = identity.email?.toLowerCase();
    if (email && identity.emailVerified) {
        const byEmail = await records().get(emailKey(email));
        if (byEmail) return { user: await link(identity, String(byEmail.userId)), created: false };
    }
    return createUser(identity);
}

async function createUser(identity: Identity): Promise<{ user: User; created: boolean }> {
    const settings = authSettings();
    const email = identity.email?.toLowerCase() ?? "";
    const verified = identity.emailVerified && email !== "";
    const admin = verified && settings.adminEmails.includes(email);
    const user: User = {
        userId: randomUUID(),
        email,
        emailVerified: verified,
        name: identity.name || (email ? email.split("@")[0] : "user"),
        roles: [...new Set([...settings.defaultRoles, ...(admin ? ["admin"] : [])])],
        createdAt: new Date().toISOString(),
        announced: false,
    };
    // The user first, then the claim: whoever reads a claim finds its user.
    await users().put(user);
    // The claim that makes this user the only one: the verified email, else the identity itself.
    const claim: AuthRecord = verified ? { ...emailKey(email), userId: user.userId } : { ...identityKey(identity), userId: user.userId };
    try {
        await records().put(claim, { ifNotExists: true });
    } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        // Someone signed in with this email (or identity) at the same moment and won: theirs is the user.
        await users().delete({ userId: user.userId });
        const winner = await records().get({ pk: claim.pk, sk: claim.sk });
        if (!winner) throw new Error("the winning sign-in's claim vanished");
        return { user: await link(identity, String(winner.userId)), created: false };
    }
    if (verified) await putIdentity(identity, user.userId);
    await announce(user);
    return { user, created: true };
}

/** Links `identity` to an existing user. */
async function link(identity: Identity, userId: string): Promise<User> {
    const user = await existingUser(userId);
    await putIdentity(identity, userId);
    if (!user.announced) await announce(user);
    return user;
}

async function putIdentity(identity: Identity, userId: string): Promise<void> {
    try {
        await records().put({ ...identityKey(identity), userId }, { ifNotExists: true });
    } catch (error) {
        // A concurrent sign-in of the same account linked it already.
        if (!(error instanceof ConditionFailedError)) throw error;
    }
}

/** The user a claim names: written before its claim, so it exists (only losers delete theirs, and they never won a claim). */
async function existingUser(userId: string): Promise<User> {
    const user = await users().get({ userId });
    if (!user) throw new Error(`user ${userId} named by a sign-in record does not exist`);
    return user;
}

/**
 * Writes `UserSignedUp` once per user: with a permanent `announce#` marker, put only if new, in the
 * records table's outbox (Auth gives the table `outbox: events`). The marker and the event are one
 * write, so exactly one sign-in writes the event, and the outbox publishes it (right away, or by
 * its relay if the hub fails): no sign-in has to retry it. A crash before `announced` was set
 * finds the marker at the next sign-in and writes nothing more.
 */
async function announce(user: User): Promise<void> {
    if (authSettings().eventsHub) {
        try {
            await records().put({ pk: `announce#${user.userId}`, sk: "announce" }, {
                ifNotExists: true,
                publish: [{ type: "UserSignedUp", detail: { userId: user.userId, email: user.email, name: user.name } }],
            });
        } catch (error) {
            // Written by an earlier sign-in already: it is in the outbox or published.
            if (!(error instanceof ConditionFailedError)) throw error;
        }
    }
    await users().update({ userId: user.userId }, { announced: true });
    user.announced = true;
}
