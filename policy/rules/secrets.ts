// No secret in plain text in a resource's inputs or a function's environment: a plain input is
// stored unencrypted in the state and shown in every preview and diff. A Pulumi secret is fine.
//
// What a rule can know about secrecy depends on who calls it. The Pulumi CLI hands policies the
// inputs with secrets already decrypted (@pulumi/policy deserializes them with secrets unwrapped),
// so under `pulumi preview --policy-pack` a value's secrecy is unknown: the rule then flags only
// values shaped like credentials (private keys, cloud access keys). `npm run check` knows which
// inputs the program made secret and says so through SECRET_PATHS; then a value under a name like
// PASSWORD / *_SECRET / *_TOKEN / API_KEY must be one of them too.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS, violation } from "./support";

/** Set by `npm run check` on a resource's props: the JSON-encoded paths of inputs that are Pulumi secrets. */
export const SECRET_PATHS = Symbol.for("serverless-blocks.policy.secretPaths");

/** Credentials recognisable by their shape wherever they appear. */
const CREDENTIAL_SHAPES: { what: string; pattern: RegExp }[] = [
    { what: "a private key", pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/ },
    { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a Tencent Cloud SecretId", pattern: /\bAKID[0-9A-Za-z]{32}\b/ },
    { what: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/ },
    { what: "a Stripe secret key", pattern: /\b[rs]k_live_[0-9A-Za-z]{16,}\b/ },
];

/** Inputs made to hold a secret (a secret store's value, a database's password): they may, as secrets. */
const SECRET_SINKS: Record<string, string[]> = {
    "aws:secretsmanager/secretVersion:SecretVersion": ["secretString", "secretBinary"],
    "aws:ssm/parameter:Parameter": ["value"],
    "tencentcloud:index/ssmSecretVersion:SsmSecretVersion": ["secretString", "secretBinary"],
    "tencentcloud:index/cynosdbCluster:CynosdbCluster": ["password"],
    "tencentcloud:index/mysqlInstance:MysqlInstance": ["rootPassword"],
    "aws:rds/instance:Instance": ["password"],
    "aws:rds/cluster:Cluster": ["masterPassword"],
};

/** Inputs that carry code rather than values (a dynamic provider's serialized provider). */
const SKIPPED_KEYS = new Set(["__provider"]);

/** The words of a name, upper case: SB_PAYMENTS_CHECKOUT_SECRET, clientSecret, api-key. */
function wordsOf(name: string): string[] {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toUpperCase());
}

/** A name that says its value is a secret: it ends in PASSWORD, SECRET, TOKEN, API KEY, PRIVATE KEY... */
export function namesASecret(name: string): boolean {
    const words = wordsOf(name);
    const last = words[words.length - 1] ?? "";
    const lastTwo = words.slice(-2).join(" ");
    return ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIALS"].includes(last)
        || ["API KEY", "PRIVATE KEY", "SECRET KEY", "ACCESS KEY", "SIGNING KEY", "CLIENT SECRET"].includes(lastTwo);
}

function isSecretPath(secretPaths: Set<string> | undefined, path: string[]): boolean {
    if (!secretPaths) return false;
    for (let i = 1; i <= path.length; i++) if (secretPaths.has(JSON.stringify(path.slice(0, i)))) return true;
    return false;
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description: "No credential in plain text in any input or function environment (private keys, access keys, values named like passwords or tokens); Pulumi secrets are fine.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const secretPaths = (args.props as Record<symbol, unknown>)[SECRET_PATHS] as Set<string> | undefined;
        const sinks = SECRET_SINKS[args.type] ?? [];
        const fix = args.type === AWS.lambda || args.type.endsWith("scfFunction:ScfFunction")
            ? "pass it as a Pulumi secret (config.requireSecret / pulumi.secret), better: keep it in Secrets Manager / SSM and give the function the secret's name"
            : "pass it as a Pulumi secret (config.requireSecret / pulumi.secret) or keep it in a secret store and reference it";
        const visit = (value: unknown, path: string[]): void => {
            if (isSecretPath(secretPaths, path)) return;
            if (typeof value === "string") {
                const where = path.join(".");
                if (path.length === 1 && sinks.includes(path[0])) {
                    if (secretPaths) reportViolation(violation(`${args.name}: ${where} holds a secret but is not a Pulumi secret`, "wrap the value in pulumi.secret(...) or read it with config.requireSecret"));
                    return;
                }
                const shape = CREDENTIAL_SHAPES.find((s) => s.pattern.test(value));
                if (shape) return reportViolation(violation(`${args.name}: ${where} holds ${shape.what} in plain text`, fix));
                const name = path[path.length - 1] ?? "";
                if (secretPaths && value.length >= 8 && namesASecret(name)) {
                    reportViolation(violation(`${args.name}: ${where} is named like a secret but its value is plain text`, fix));
                }
                return;
            }
            if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...path, String(i)]));
            if (value && typeof value === "object") {
                for (const [k, v] of Object.entries(value)) if (!SKIPPED_KEYS.has(k)) visit(v, [...path, k]);
            }
        };
        for (const [k, v] of Object.entries(args.props)) if (!SKIPPED_KEYS.has(k)) visit(v, [k]);
    },
};
