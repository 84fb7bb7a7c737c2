// Shared pieces of the realistic outputs: the fake account, stable fake ids and names.
import { createHash } from "node:crypto";

export const AWS_ACCOUNT = "123456789012";
export const TENCENT_UIN = "100000000001";
export const TENCENT_APP_ID = "1250000000";

export interface ResourceFacts {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, any>;
    region: string;
}

export interface ResourceOutputs {
    id: string;
    state: Record<string, unknown>;
}

export type Realiser = (f: ResourceFacts) => ResourceOutputs;

/** A short, stable hex digest: the same resource gets the same fake id in every run. */
export function digest(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Pulumi's auto-naming: logical name plus a random-looking suffix, stable per URN here. */
export function autoName(facts: ResourceFacts, max = 64): string {
    return `${facts.name}-${digest(facts.urn, 7)}`.slice(0, max);
}

/** A decimal id of `digits` digits, stable per URN (CAM role and policy ids look like this). */
export function numericId(facts: ResourceFacts, digits: number): string {
    const n = BigInt("0x" + digest(facts.urn, 15)) % 10n ** BigInt(digits);
    return n.toString().padStart(digits, "1");
}
