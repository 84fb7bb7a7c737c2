// Realistic outputs of Pulumi's tls and random providers (the Auth signing keys, generated
// secrets). A key or password is generated at deploy and never leaves the stack's state: no key
// text is made up here, so nothing that looks like a secret appears in a plan, a test's state or a fixture.
import { digest, Realiser } from "./common";

/** What a key's text reads as without a deployment: a placeholder naming the key, never PEM. */
export const generatedAtDeploy = (resourceName: string) => `[generated at deploy: ${resourceName}]`;

export const tlsRealisers: Record<string, Realiser> = {
    // The provider's id is the SHA-1 of the public key PEM, in hex.
    "tls:index/privateKey:PrivateKey": (f) => {
        const md5 = digest(f.urn + "md5", 32).match(/../g)!.join(":");
        const placeholder = generatedAtDeploy(f.name);
        return {
            id: digest(f.urn, 40),
            state: {
                algorithm: f.inputs.algorithm,
                ecdsaCurve: f.inputs.ecdsaCurve ?? "P224",
                rsaBits: f.inputs.rsaBits ?? 2048,
                privateKeyPem: placeholder,
                privateKeyPemPkcs8: placeholder,
                privateKeyOpenssh: placeholder,
                publicKeyPem: placeholder,
                publicKeyOpenssh: placeholder,
                publicKeyFingerprintMd5: md5,
                publicKeyFingerprintSha256: `SHA256:${Buffer.from(digest(f.urn + "sha256", 64), "hex").toString("base64").replace(/=+$/, "")}`,
            },
        };
    },
    // The generated password is the provider's `result` (a secret); its id is the literal "none".
    "random:index/randomPassword:RandomPassword": (f) => ({
        id: "none",
        state: { result: generatedAtDeploy(f.name), bcryptHash: generatedAtDeploy(f.name) },
    }),
};
