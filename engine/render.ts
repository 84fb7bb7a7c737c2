// Turns the wire form of resource inputs (Pulumi's RPC struct, with its signature objects for
// secrets, unknowns, assets and resource references) into plain JSON a reviewer can read.
import { createHash } from "node:crypto";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

export function renderWireValue(value: unknown, nameOfUrn: (urn: string) => string): unknown {
    if (value === rpc.unknownValue) return UNKNOWN;
    if (Array.isArray(value)) return value.map((v) => renderWireValue(v, nameOfUrn));
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    switch (obj[rpc.specialSigKey]) {
        case rpc.specialSecretSig:
            return SECRET;
        case rpc.specialResourceSig:
            return { resource: nameOfUrn(String(obj.urn)), ...(obj.id ? { id: obj.id } : {}) };
        case rpc.specialArchiveSig:
            return { archive: obj.path ?? obj.uri ?? Object.keys((obj.assets as object) ?? {}) };
        case rpc.specialAssetSig:
            return { asset: obj.path ?? obj.uri ?? `${String(obj.text ?? "").length} characters` };
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj).sort()) {
        out[key] = key === DYNAMIC_PROVIDER_KEY && typeof obj[key] === "string" ? providerDigest(obj[key] as string) : renderWireValue(obj[key], nameOfUrn);
    }
    return out;
}

/** The input a dynamic resource carries its provider's serialized code in. */
const DYNAMIC_PROVIDER_KEY = "__provider";

/**
 * A dynamic provider's code, as a reviewer can compare it: its length and digest, not kilobytes
 * of serialized JavaScript whose truncations would look alike when it changed.
 */
function providerDigest(code: string): string {
    return `[provider code: ${code.length} characters, sha256 ${createHash("sha256").update(code).digest("hex").slice(0, 16)}]`;
}

/** The wire value with secrets revealed (state for wiring checks, never printed as a plan). */
export function revealWireValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(revealWireValue);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[rpc.specialSigKey] === rpc.specialSecretSig) return revealWireValue(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, revealWireValue(v)]));
}
