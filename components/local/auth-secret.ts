// An Auth's secret on the local target: a file under the runtime's data directory,
// `<dataDir>/auth/<name>/secret.json`, mode 0600, holding what the clouds' secret stores hold:
// `{ issuer, keys: [{ privateKeyPem, current }], clientSecrets }` (plus `keyRotation`, the
// generation of the current key). The program registers a descriptor (./descriptor.ts) once the
// issuer is known; the runtime (local/load.ts) writes the file from it with writeLocalAuthSecret
// below: ES256 keys generated with node:crypto on first load and kept across restarts, rotated as
// the clouds rotate them (the current key is generation `keyRotation`, the previous one the
// generation before), the issuer and client secrets always the program's latest.
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { writeOnce } from "../auth-secret-write";
import { Link, linkVariable } from "../link";
import type { AuthSecretRealisation, AuthSecretSpec } from "../provider";
import { LocalDescriptor, type LocalAuthSecretDescriptor } from "./descriptor";
import { localDataDir } from "./settings";

export function localAuthSecret(parent: pulumi.Resource, spec: AuthSecretSpec): AuthSecretRealisation {
    const file = localAuthSecretFile(spec.name);
    const resourceId = `local:authsecret:${spec.name}`;
    const link: Link = {
        type: "authsecret",
        name: spec.name,
        environment: { [linkVariable("authsecret", spec.name, "id")]: file },
        permissions: [{ actions: ["read"], resources: [resourceId] }],
        resources: { file },
    };
    return {
        link,
        write: writeOnce(spec.name, (content) => {
            const data = pulumi.all([content.issuer, content.clientSecrets]).apply(([issuer, clientSecrets]): LocalAuthSecretDescriptor => ({
                name: spec.name,
                file,
                keyRotation: spec.keyRotation,
                issuer,
                clientSecrets,
            }));
            new LocalDescriptor("AuthSecret", spec.name, data, parent);
        }),
    };
}

/** Where the local runtime keeps Auth `name`'s secret. */
export function localAuthSecretFile(name: string): string {
    return path.join(localDataDir(), "auth", name, "secret.json");
}

/** The file's content: the value the runtime client reads, and the current key's generation. */
export interface LocalAuthSecretFile {
    issuer: string;
    keys: { privateKeyPem: string; current: boolean }[];
    clientSecrets: Record<string, string>;
    keyRotation: number;
}

/**
 * The runtime's side: writes `d.file` (0600, in a 0700 directory, replaced atomically). Keys of
 * generations the file already holds are kept; the others are generated. Returns what it wrote.
 */
export function writeLocalAuthSecret(d: LocalAuthSecretDescriptor): LocalAuthSecretFile {
    const existing = readExisting(d.file);
    const held = new Map<number, string>();
    if (existing) {
        const current = existing.keys.find((k) => k.current);
        const previous = existing.keys.find((k) => !k.current);
        if (current) held.set(existing.keyRotation, current.privateKeyPem);
        if (previous) held.set(existing.keyRotation - 1, previous.privateKeyPem);
    }
    const keyOf = (generation: number) => held.get(generation) ?? newSigningKey();
    const g = d.keyRotation;
    const content: LocalAuthSecretFile = {
        issuer: d.issuer,
        keys: [{ privateKeyPem: keyOf(g), current: true }, ...(g > 0 ? [{ privateKeyPem: keyOf(g - 1), current: false }] : [])],
        clientSecrets: d.clientSecrets,
        keyRotation: g,
    };
    fs.mkdirSync(path.dirname(d.file), { recursive: true, mode: 0o700 });
    const temporary = `${d.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(temporary, 0o600); // whatever the umask
    fs.renameSync(temporary, d.file);
    return content;
}

/** An ES256 signing key: ECDSA on P-256, PKCS#8 PEM. */
function newSigningKey(): string {
    return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

function readExisting(file: string): LocalAuthSecretFile | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
    }
    try {
        const parsed = JSON.parse(text) as LocalAuthSecretFile;
        if (Number.isInteger(parsed.keyRotation) && Array.isArray(parsed.keys) && parsed.keys.every((k) => typeof k.privateKeyPem === "string")) return parsed;
    } catch {
        // reported below
    }
    throw new Error(`local runtime: ${file} is not an Auth secret file; delete it to generate new signing keys (everyone signed in must sign in again)`);
}
