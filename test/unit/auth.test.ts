// Auth's secret store on every target: the signing keys generated at deploy (one tls key per
// generation, the previous one kept after a rotation), the secret holding them with the issuer and
// the client secrets (Secrets Manager, Tencent SSM, a 0600 file locally), no key or client secret
// in any resource input of the plan or in any function's environment, and the auth functions'
// access to exactly that secret. Cognito mode on AWS, and refused elsewhere.
import * as assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Auth, AUTH_ROUTES, type AuthArgs } from "../../components/auth";
import { routeFunctionName } from "../../components/business-api";
import { AUTH_SECRET_ACTIONS as AWS_SECRET_ACTIONS } from "../../components/aws/auth-secret";
import { writeLocalAuthSecret, type LocalAuthSecretFile } from "../../components/local/auth-secret";
import { AUTH_SECRET_ACTIONS as TENCENT_SECRET_ACTIONS, AUTH_SECRET_VERSION } from "../../components/tencentcloud/auth-secret";
import { ssmSecretBinding, ssmSecretVersionBinding } from "../../components/tencentcloud/sdk";
import { generatedAtDeploy } from "../../engine/outputs/tls";
import { evaluate, evaluateFailing, type Evaluated, json } from "../harness";

const UIN = "100000000001";
const CLIENT_SECRET = "google-client-secret-never-in-clear";
const PROVIDERS: AuthArgs["providers"] = {
    google: { issuer: "https://accounts.google.com", clientId: "123.apps.googleusercontent.com", clientSecret: CLIENT_SECRET },
};
const T = {
    key: "tls:index/privateKey:PrivateKey",
    awsSecret: "aws:secretsmanager/secret:Secret",
    awsVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    lambda: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    ssmSecret: "tencentcloud:index/ssmSecret:SsmSecret",
    ssmVersion: "tencentcloud:index/ssmSecretVersion:SsmSecretVersion",
    scf: "tencentcloud:index/scfFunction:ScfFunction",
    camPolicy: "tencentcloud:index/camPolicy:CamPolicy",
    pool: "aws:cognito/userPool:UserPool",
    poolClient: "aws:cognito/userPoolClient:UserPoolClient",
    poolDomain: "aws:cognito/userPoolDomain:UserPoolDomain",
    idp: "aws:cognito/identityProvider:IdentityProvider",
};
const AUTH_FUNCTIONS = AUTH_ROUTES.map((route) => routeFunctionName("auth", route.key));

function app(args: Partial<AuthArgs> = {}) {
    return () => {
        const auth = new Auth("auth", { providers: PROVIDERS, ...args });
        return { issuer: auth.issuer, jwt: auth.jwt, ...(args.cognito ? { cognito: auth.cognito } : {}) };
    };
}

/** The key slots, by name: `auth-key-<generation>`. */
const keyNames = (stack: Evaluated) => stack.ofType(T.key).map((k) => k.name).sort();

/** What a reviewer of the plan sees, and what the key text or a client secret would show as there. */
function assertNothingSecretInThePlan(stack: Evaluated): void {
    const plan = JSON.stringify(stack.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })));
    assert.ok(!plan.includes("PRIVATE KEY"), "no private key text in any resource input");
    // The engine's keys are placeholders; where one would show, a real key would.
    assert.ok(!plan.includes("[generated at deploy"), "no signing key flows into a resource input in clear");
    assert.ok(!plan.includes(CLIENT_SECRET), "no client secret in any resource input in clear");
}

function assertNoSecretInEnvironments(environments: Record<string, string>[]): void {
    assert.ok(environments.length >= AUTH_FUNCTIONS.length);
    for (const env of environments) {
        const text = JSON.stringify(env);
        assert.ok(!text.includes("PRIVATE KEY") && !text.includes("[generated at deploy") && !text.includes(CLIENT_SECRET), `no key or client secret in ${text.slice(0, 120)}...`);
    }
}

describe("Auth's secret on AWS", () => {
    it("is a Secrets Manager secret whose one value, a secret, holds the issuer, the key and the client secrets", async () => {
        const stack = await evaluate("aws", app());
        const secret = stack.one(T.awsSecret, "auth-secret");
        assert.equal(secret.parent, "auth");
        assert.deepEqual(secret.inputs, {
            name: "serverless-blocks/test/auth/auth",
            description: "Signing keys, issuer and OAuth client secrets of Auth auth",
            recoveryWindowInDays: 0,
        });
        assert.equal(secret.protect, false);
        const version = stack.one(T.awsVersion, "auth-secret-value");
        assert.equal(version.parent, "auth");
        assert.equal(version.inputs.secretId, secret.state.arn);
        assert.equal(version.inputs.secretString, "[secret]");
        assert.deepEqual(json(version.state.secretString), {
            issuer: stack.outputs.issuer,
            keys: [{ privateKeyPem: generatedAtDeploy("auth-key-0"), current: true }],
            clientSecrets: { google: CLIENT_SECRET },
        });
        assert.match(stack.outputs.issuer, /^https:\/\/[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com\/auth$/);
    });

    it("generates the key at deploy: ECDSA P-256, one slot at generation 0", async () => {
        const stack = await evaluate("aws", app());
        assert.deepEqual(keyNames(stack), ["auth-key-0"]);
        const key = stack.one(T.key, "auth-key-0");
        assert.deepEqual(key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
        assert.equal(key.parent, "auth");
    });

    it("after a rotation keeps two slots: the new key current, the previous one still published", async () => {
        const stack = await evaluate("aws", app({ keyRotation: 3 }));
        assert.deepEqual(keyNames(stack), ["auth-key-2", "auth-key-3"]);
        const value = json(stack.one(T.awsVersion, "auth-secret-value").state.secretString);
        assert.deepEqual(value.keys, [
            { privateKeyPem: generatedAtDeploy("auth-key-3"), current: true },
            { privateKeyPem: generatedAtDeploy("auth-key-2"), current: false },
        ]);
    });

    it("is protected, retained and restorable for 7 days when the stack protects (prod); the keys are not protected, so a rotation can drop one", async () => {
        const stack = await evaluate("aws", app({ keyRotation: 1 }), { "serverless-blocks:protect": "true" });
        const secret = stack.one(T.awsSecret, "auth-secret");
        assert.equal(secret.inputs.recoveryWindowInDays, 7);
        assert.equal(secret.protect, true);
        assert.equal(secret.retainOnDelete, true);
        for (const key of stack.ofType(T.key)) assert.equal(key.protect, false);
    });

    it("puts no key and no client secret in any resource input of the plan, nor in any function's environment", async () => {
        const stack = await evaluate("aws", app({ keyRotation: 1 }));
        assertNothingSecretInThePlan(stack);
        assertNoSecretInEnvironments(stack.ofType(T.lambda).map((fn) => fn.state.environment.variables));
    });

    it("lets each auth function read exactly this secret (secretsmanager:GetSecretValue on its ARN), named in SB_AUTHSECRET_AUTH_ID", async () => {
        const stack = await evaluate("aws", app());
        const arn = stack.one(T.awsSecret, "auth-secret").state.arn;
        assert.match(arn, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:serverless-blocks\/test\/auth\/auth-[0-9a-f]{6}$/);
        assert.deepEqual(AWS_SECRET_ACTIONS, ["secretsmanager:GetSecretValue"]);
        for (const fn of AUTH_FUNCTIONS) {
            const statements = json(stack.one(T.rolePolicy, `${fn}-policy`).inputs.policy).Statement as { Action: string[]; Resource: string[] }[];
            const touching = statements.filter((s) => s.Action.some((a) => a.startsWith("secretsmanager:")) || s.Resource.includes(arn));
            assert.deepEqual(touching, [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [arn] }], fn);
            assert.equal(stack.one(T.lambda, fn).state.environment.variables.SB_AUTHSECRET_AUTH_ID, arn);
        }
    });
});

describe("Auth's secret on Tencent Cloud", () => {
    const secretName = "serverless-blocks-test-auth-auth";
    const resource = `qcs::ssm:ap-guangzhou:uin/${UIN}:secret/creatorUin/${UIN}/${secretName}`;

    it("is an SSM secret whose one version, a secret, holds the issuer, the key and the client secrets", async () => {
        const stack = await evaluate("tencentcloud", app());
        const secret = stack.one(T.ssmSecret, "auth-secret");
        assert.equal(secret.parent, "auth");
        assert.deepEqual(secret.inputs, {
            secretName,
            description: "Signing keys, issuer and OAuth client secrets of Auth auth",
            isEnabled: true,
            recoveryWindowInDays: 0,
        });
        assert.ok(secret.packageRef, "registered against the tencentcloud package");
        const version = stack.one(T.ssmVersion, "auth-secret-value");
        assert.deepEqual(version.inputs, { secretName, versionId: AUTH_SECRET_VERSION, secretString: "[secret]" });
        assert.ok(version.packageRef);
        assert.equal(version.state.id, `${secretName}#${AUTH_SECRET_VERSION}`);
        assert.deepEqual(json(version.state.secretString), {
            issuer: stack.outputs.issuer,
            keys: [{ privateKeyPem: generatedAtDeploy("auth-key-0"), current: true }],
            clientSecrets: { google: CLIENT_SECRET },
        });
        assert.deepEqual(keyNames(stack), ["auth-key-0"]);
        assert.deepEqual(Object.keys(ssmSecretBinding.inputs).sort(), ["additionalConfig", "description", "isEnabled", "kmsKeyId", "recoveryWindowInDays", "secretName", "secretType", "tags"]);
        assert.deepEqual(Object.keys(ssmSecretVersionBinding.inputs).sort(), ["secretBinary", "secretName", "secretString", "versionId"]);
    });

    it("after a rotation keeps two slots, the new key first and current", async () => {
        const stack = await evaluate("tencentcloud", app({ keyRotation: 1 }));
        assert.deepEqual(keyNames(stack), ["auth-key-0", "auth-key-1"]);
        for (const key of stack.ofType(T.key)) assert.deepEqual(key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
        assert.deepEqual(json(stack.one(T.ssmVersion, "auth-secret-value").state.secretString).keys, [
            { privateKeyPem: generatedAtDeploy("auth-key-1"), current: true },
            { privateKeyPem: generatedAtDeploy("auth-key-0"), current: false },
        ]);
    });

    it("is protected, retained and restorable for 7 days when the stack protects (prod)", async () => {
        const stack = await evaluate("tencentcloud", app(), { "serverless-blocks:protect": "true" });
        const secret = stack.one(T.ssmSecret, "auth-secret");
        assert.equal(secret.inputs.recoveryWindowInDays, 7);
        assert.equal(secret.protect, true);
        assert.equal(secret.retainOnDelete, true);
    });

    it("puts no key and no client secret in any resource input of the plan, nor in any function's environment", async () => {
        const stack = await evaluate("tencentcloud", app({ keyRotation: 1 }));
        assertNothingSecretInThePlan(stack);
        assertNoSecretInEnvironments(stack.ofType(T.scf).map((fn) => fn.state.environment));
    });

    it("lets each auth function read exactly this secret (ssm:GetSecretValue on its qcs:: resource), named with its version", async () => {
        const stack = await evaluate("tencentcloud", app());
        assert.deepEqual(TENCENT_SECRET_ACTIONS, ["ssm:GetSecretValue"]);
        for (const fn of AUTH_FUNCTIONS) {
            const statements = json(stack.one(T.camPolicy, `${fn}-policy`).inputs.document).statement as { action: string[]; resource: string[] }[];
            // Besides their tables' MySQL account secrets (test/unit/tencent-table-accounts.test.ts).
            const tableAccount = (s: { resource: string[] }) => s.resource.every((r) => /:secret\/creatorUin\/\d+\/serverless-blocks-test-auth-(users|records)-table-write$/.test(r));
            const touching = statements.filter((s) => (s.action.some((a) => a.startsWith("ssm:")) || s.resource.some((r) => r.startsWith("qcs::ssm:"))) && !tableAccount(s));
            assert.deepEqual(touching, [{ effect: "allow", action: ["ssm:GetSecretValue"], resource: [resource] }], fn);
            const env = stack.one(T.scf, fn).state.environment;
            assert.equal(env.SB_AUTHSECRET_AUTH_ID, secretName);
            assert.equal(env.SB_AUTHSECRET_AUTH_VERSION, AUTH_SECRET_VERSION);
        }
    });

    it("refuses a secret value SSM cannot hold (over 4096 bytes)", async () => {
        const { error } = await evaluateFailing("tencentcloud", app({
            providers: { google: { ...PROVIDERS.google, clientSecret: "x".repeat(5000) } },
        }));
        assert.match(error.message, /more than the 4096 an SSM secret version holds/);
    });
});

describe("Auth's secret on the local target", () => {
    let dataDir: string;
    let previous: string | undefined;
    beforeEach(() => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-auth-"));
        previous = process.env.SB_LOCAL_DATA_DIR;
        process.env.SB_LOCAL_DATA_DIR = dataDir;
    });
    afterEach(() => {
        if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
        else process.env.SB_LOCAL_DATA_DIR = previous;
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const secretFile = () => path.join(dataDir, "auth", "auth", "secret.json");
    const read = (): LocalAuthSecretFile => JSON.parse(fs.readFileSync(secretFile(), "utf8"));
    const pems = (file: LocalAuthSecretFile) => file.keys.map((k) => k.privateKeyPem);

    it("is a file under the data directory, mode 0600, with a generated ES256 key, the issuer and the client secrets", async () => {
        const stack = await evaluate("local", app());
        const mode = fs.statSync(secretFile()).mode & 0o777;
        assert.equal(mode, 0o600);
        const file = read();
        assert.equal(file.issuer, stack.outputs.issuer);
        assert.deepEqual(file.clientSecrets, { google: CLIENT_SECRET });
        assert.equal(file.keyRotation, 0);
        assert.equal(file.keys.length, 1);
        assert.equal(file.keys[0].current, true);
        assert.match(file.keys[0].privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/, "PKCS#8 PEM");
        const key = createPrivateKey(file.keys[0].privateKeyPem);
        assert.equal(key.asymmetricKeyType, "ec");
        assert.equal(key.asymmetricKeyDetails?.namedCurve, "prime256v1", "P-256, for ES256");
    });

    it("names the file in the auth functions' SB_AUTHSECRET_AUTH_ID, and their environment holds no key or client secret", async () => {
        const stack = await evaluate("local", app());
        const functions = stack.descriptors.filter((d) => d.type === "serverless-blocks:local:Function");
        for (const fn of AUTH_FUNCTIONS) {
            const env = functions.find((d) => d.name === fn)?.outputs.environment;
            assert.equal(env?.SB_AUTHSECRET_AUTH_ID, secretFile(), fn);
        }
        assertNoSecretInEnvironments(functions.map((d) => d.outputs.environment));
        const descriptor = stack.descriptors.find((d) => d.type === "serverless-blocks:local:AuthSecret");
        assert.deepEqual(Object.keys(descriptor?.outputs ?? {}).sort(), ["clientSecrets", "file", "issuer", "keyRotation", "name"]);
        assert.equal(descriptor?.parent, "auth");
    });

    it("keeps its keys across reloads, and after a rotation holds two: a new current key and the previous one", async () => {
        await evaluate("local", app());
        const first = read();
        await evaluate("local", app());
        assert.deepEqual(pems(read()), pems(first), "a reload keeps the key");

        await evaluate("local", app({ keyRotation: 1 }));
        const rotated = read();
        assert.equal(rotated.keyRotation, 1);
        assert.deepEqual(rotated.keys.map((k) => k.current), [true, false]);
        assert.equal(rotated.keys[1].privateKeyPem, first.keys[0].privateKeyPem, "the previous key is the one that was current");
        assert.notEqual(rotated.keys[0].privateKeyPem, first.keys[0].privateKeyPem, "a new key is current");

        await evaluate("local", app({ keyRotation: 1 }));
        assert.deepEqual(pems(read()), pems(rotated), "a reload after the rotation keeps both keys");
        assert.equal(fs.statSync(secretFile()).mode & 0o777, 0o600);
    });

    it("rotates as the clouds do: the key of each generation it still holds is kept, others are new", () => {
        const file = path.join(dataDir, "auth", "x", "secret.json");
        const d = { name: "x", file, issuer: "http://127.0.0.1:3000/api/auth", clientSecrets: { a: "s1" } };
        const g0 = writeLocalAuthSecret({ ...d, keyRotation: 0 });
        const g2 = writeLocalAuthSecret({ ...d, keyRotation: 2 });
        assert.equal(g2.keys.length, 2);
        assert.ok(!pems(g2).includes(g0.keys[0].privateKeyPem), "generation 0 is gone two rotations later");
        const g1 = writeLocalAuthSecret({ ...d, keyRotation: 1, clientSecrets: { a: "s2" } });
        assert.equal(g1.keys[0].privateKeyPem, g2.keys[1].privateKeyPem, "going back, generation 1 is current again");
        assert.notEqual(g1.keys[1].privateKeyPem, g0.keys[0].privateKeyPem, "a dropped key is not restored");
        assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")).clientSecrets, { a: "s2" }, "the client secrets are always the latest");
    });

    it("refuses to overwrite a file that is not an Auth secret", () => {
        const file = path.join(dataDir, "auth", "y", "secret.json");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "not json");
        assert.throws(() => writeLocalAuthSecret({ name: "y", file, issuer: "http://127.0.0.1:3000/api/auth", clientSecrets: {}, keyRotation: 0 }), /is not an Auth secret file; delete it/);
    });
});

describe("Auth in Cognito mode", () => {
    const cognito: AuthArgs["cognito"] = {
        domainPrefix: "shop-login",
        callbackUrls: ["https://shop.example.com/signed-in"],
        identityProviders: {
            google: { type: "Google", clientId: "123.apps.googleusercontent.com", clientSecret: CLIENT_SECRET },
            corp: { type: "OIDC", clientId: "corp-client", clientSecret: CLIENT_SECRET, issuer: "https://login.corp.example.com" },
        },
    };

    it("on AWS: a user pool, its identity providers, a public app client (code grant, no secret) and the hosted UI; jwt trusts the pool", async () => {
        const stack = await evaluate("aws", app({ cognito }));
        const pool = stack.one(T.pool, "auth-pool");
        assert.equal(pool.parent, "auth");
        assert.deepEqual(pool.inputs.usernameAttributes, ["email"]);
        assert.deepEqual(pool.inputs.adminCreateUserConfig, { allowAdminCreateUserOnly: true });
        assert.equal(pool.inputs.deletionProtection, "INACTIVE");

        const google = stack.one(T.idp, "auth-idp-google");
        assert.equal(google.inputs.providerName, "Google");
        assert.equal(google.inputs.providerType, "Google");
        assert.equal(google.inputs.userPoolId, pool.state.id);
        assert.equal(google.inputs.providerDetails, "[secret]");
        assert.deepEqual(google.state.providerDetails, { client_id: "123.apps.googleusercontent.com", client_secret: CLIENT_SECRET, authorize_scopes: "openid email profile" });
        const corp = stack.one(T.idp, "auth-idp-corp");
        assert.equal(corp.inputs.providerName, "corp");
        assert.equal(corp.state.providerDetails.oidc_issuer, "https://login.corp.example.com");

        const client = stack.one(T.poolClient, "auth-client");
        assert.equal(client.inputs.generateSecret, false);
        assert.deepEqual(client.inputs.allowedOauthFlows, ["code"]);
        assert.equal(client.inputs.allowedOauthFlowsUserPoolClient, true);
        assert.deepEqual(client.inputs.callbackUrls, ["https://shop.example.com/signed-in"]);
        assert.deepEqual(client.inputs.logoutUrls, ["https://shop.example.com/signed-in"]);
        assert.deepEqual(client.inputs.supportedIdentityProviders, ["Google", "corp"]);
        assert.equal(client.inputs.accessTokenValidity, 900);
        const domain = stack.one(T.poolDomain, "auth-domain");
        assert.deepEqual(domain.inputs, { domain: "shop-login", userPoolId: pool.state.id });

        const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${pool.state.id}`;
        assert.match(pool.state.id, /^us-east-1_[A-Za-z0-9]{9}$/);
        assert.deepEqual(stack.outputs.jwt, { issuer, audience: [client.state.id], jwksUrl: `${issuer}/.well-known/jwks.json` });
        assert.deepEqual(stack.outputs.cognito, {
            userPoolId: pool.state.id,
            clientId: client.state.id,
            hostedUiUrl: "https://shop-login.auth.us-east-1.amazoncognito.com",
            issuer,
        });
        assertNothingSecretInThePlan(stack);
    });

    it("without Cognito: no pool, jwt trusts the Auth's own issuer", async () => {
        const stack = await evaluate("aws", app());
        assert.deepEqual(stack.ofType(T.pool), []);
        assert.equal(stack.outputs.jwt.issuer, stack.outputs.issuer);
        assert.equal(stack.outputs.cognito, undefined);
    });

    for (const cloud of ["tencentcloud", "local"] as const) {
        it(`is a configuration error on ${cloud}, naming the key, before anything registers`, async () => {
            const { error, registered } = await evaluateFailing(cloud, app({ cognito }));
            assert.equal(error.name, "ConfigError");
            assert.match(error.message, /Auth 'auth' cognito: '.+' is not allowed; Cognito mode needs Amazon Cognito, on the aws target only/);
            assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
        });
    }

    it("refuses a bad domain prefix, a non-https callback, an unknown or repeated provider type, an OIDC provider without issuer", async () => {
        const cases: [Partial<NonNullable<AuthArgs["cognito"]>>, RegExp][] = [
            [{ domainPrefix: "my-cognito-app" }, /cognito\.domainPrefix: 'my-cognito-app' is not allowed/],
            [{ domainPrefix: "Shop" }, /cognito\.domainPrefix: 'Shop' is not allowed/],
            [{ callbackUrls: ["http://shop.example.com/"] }, /cognito\.callbackUrls: 'http:\/\/shop\.example\.com\/' is not allowed/],
            [{ callbackUrls: [] }, /cognito\.callbackUrls: missing/],
            [{ identityProviders: { x: { type: "Twitter", clientId: "c", clientSecret: "s" } } }, /identityProviders\.x\.type: 'Twitter' is not allowed; allowed values: Google, Facebook, LoginWithAmazon, OIDC/],
            [{ identityProviders: { a: { type: "Google", clientId: "c", clientSecret: "s" }, b: { type: "Google", clientId: "d", clientSecret: "t" } } }, /identityProviders\.b: 'b' is not allowed; the pool already has a provider named Google/],
            [{ identityProviders: { corp: { type: "OIDC", clientId: "c", clientSecret: "s" } } }, /identityProviders\.corp\.issuer: missing; required/],
        ];
        for (const [change, message] of cases) {
            const { error } = await evaluateFailing("aws", app({ cognito: { ...cognito!, ...change } }));
            assert.match(error.message, message);
        }
        const { error } = await evaluateFailing("aws", app({ cognito, accessTokenSeconds: 120 }));
        assert.match(error.message, /accessTokenSeconds: '120' is not allowed; Cognito's tokens live at least 300 seconds/);
    });

    it("keeps the identity providers' client secrets secret in the plan", async () => {
        const stack = await evaluate("aws", app({ cognito: { ...cognito!, identityProviders: { google: { type: "Google", clientId: "c", clientSecret: pulumi.secret(CLIENT_SECRET) } } } }));
        assert.equal(stack.one(T.idp, "auth-idp-google").inputs.providerDetails, "[secret]");
        assertNothingSecretInThePlan(stack);
    });
});
