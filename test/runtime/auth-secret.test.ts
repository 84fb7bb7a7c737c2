// readAuthSecret on each target: which variable names the secret, what each cloud's store is asked
// (Secrets Manager GetSecretValue through the SDK, Tencent SSM GetSecretValue signed TC3, a file
// locally), that the value is read once per instance, and that each target's bundle of an auth
// function keeps only its own store's code.
import * as assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { bundle } from "../../components/build/bundle";
import { unzipFiles } from "../../components/build/zip";
import { authSecretLocation, forgetAuthSecret, parseAuthSecret, readAuthSecret, type AuthSecretStore } from "../../functions/runtime/clients/auth-secret";
import { createAwsAuthSecretStore } from "../../functions/runtime/clients/aws/auth-secret";
import { localAuthSecretStore } from "../../functions/runtime/clients/local/auth-secret";
import { createTencentAuthSecretStore } from "../../functions/runtime/clients/tencentcloud/auth-secret";

const pem = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const VALUE = { issuer: "https://api.example.com/auth", keys: [{ privateKeyPem: pem(), current: true }, { privateKeyPem: pem(), current: false }], clientSecrets: { google: "g-secret" } };

/** Runs `fn` with `vars` set (undefined removes), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    try {
        return await fn();
    } finally {
        for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    }
}

describe("auth secret runtime client", () => {
    afterEach(() => forgetAuthSecret());

    describe("the link's variables", () => {
        it("finds the one SB_AUTHSECRET_<NAME>_ID and its optional version and region", () => {
            assert.deepEqual(authSecretLocation({ SB_AUTHSECRET_SHOP_AUTH_ID: "shop-dev-auth", SB_AUTHSECRET_SHOP_AUTH_VERSION: "current", SB_TABLE_X_NAME: "x" }), {
                name: "SHOP_AUTH", id: "shop-dev-auth", version: "current", region: undefined,
            });
        });

        it("refuses none, or two, naming what it looked for", () => {
            assert.throws(() => authSecretLocation({}), /no SB_AUTHSECRET_<NAME>_ID/);
            assert.throws(() => authSecretLocation({ SB_AUTHSECRET_A_ID: "a", SB_AUTHSECRET_B_ID: "b" }), /SB_AUTHSECRET_A_ID, SB_AUTHSECRET_B_ID/);
        });
    });

    describe("the value", () => {
        it("parses the store's JSON, the issuer without a trailing slash", () => {
            const parsed = parseAuthSecret(JSON.stringify({ ...VALUE, issuer: `${VALUE.issuer}/` }));
            assert.equal(parsed.issuer, VALUE.issuer);
            assert.equal(parsed.keys.length, 2);
            assert.deepEqual(parsed.clientSecrets, { google: "g-secret" });
        });

        it("refuses a malformed value without echoing any of it", () => {
            const cases: [unknown, RegExp][] = [
                ["not json {", /not JSON/],
                [{ ...VALUE, issuer: "ftp://x" }, /issuer/],
                [{ ...VALUE, keys: [] }, /no signing key/],
                [{ ...VALUE, keys: [{ privateKeyPem: "secret-looking-text", current: true }] }, /keys\[0\]/],
                [{ ...VALUE, keys: VALUE.keys.map((k) => ({ ...k, current: true })) }, /more than one key is current/],
                [{ ...VALUE, clientSecrets: { google: 42 } }, /clientSecrets.google/],
            ];
            for (const [value, message] of cases) {
                const text = typeof value === "string" ? value : JSON.stringify(value);
                assert.throws(() => parseAuthSecret(text), (err: Error) => message.test(err.message) && !err.message.includes("BEGIN") && !err.message.includes("secret-looking"));
            }
        });
    });

    describe("reading once per instance", () => {
        it("asks the store once, and again only after a failure", async () => {
            let calls = 0;
            let fail = true;
            const store: AuthSecretStore = {
                async read(location) {
                    calls++;
                    assert.equal(location.id, "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/auth");
                    if (fail) throw new Error("throttled");
                    return JSON.stringify(VALUE);
                },
            };
            await withEnv({ SB_AUTHSECRET_AUTH_ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/auth" }, async () => {
                await assert.rejects(readAuthSecret(store), /throttled/);
                fail = false;
                const [a, b] = await Promise.all([readAuthSecret(store), readAuthSecret(store)]);
                assert.equal((await readAuthSecret(store)).issuer, VALUE.issuer);
                assert.equal(a, b);
                assert.equal(calls, 2);
            });
        });
    });

    describe("AWS: Secrets Manager", () => {
        it("GetSecretValue of the linked ARN, with the function's credentials", async () => {
            const sm = mockClient(SecretsManagerClient);
            try {
                sm.on(GetSecretValueCommand, { SecretId: "arn:aws:secretsmanager:us-east-1:1:secret:x" }).resolves({ SecretString: JSON.stringify(VALUE) });
                const store = createAwsAuthSecretStore(() => new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } }));
                assert.equal(await store.read({ name: "AUTH", id: "arn:aws:secretsmanager:us-east-1:1:secret:x" }), JSON.stringify(VALUE));
                assert.equal(sm.commandCalls(GetSecretValueCommand).length, 1);
            } finally {
                sm.restore();
            }
        });
    });

    describe("Tencent Cloud: SSM over API 3.0", () => {
        const env = { TENCENTCLOUD_SECRETID: "AKIDexample", TENCENTCLOUD_SECRETKEY: "key", TENCENTCLOUD_SESSIONTOKEN: "token", TENCENTCLOUD_REGION: "ap-guangzhou" };

        function fakeSsm(answers: Record<string, unknown>) {
            const requests: { url: string; headers: Record<string, string>; body: any }[] = [];
            const fetcher = (async (url: URL | string, init?: RequestInit) => {
                const headers = init!.headers as Record<string, string>;
                requests.push({ url: String(url), headers, body: JSON.parse(String(init!.body)) });
                return new Response(JSON.stringify({ Response: { RequestId: "r-1", ...(answers[headers["X-TC-Action"]] as object) } }), { status: 200 });
            }) as typeof fetch;
            return { requests, fetcher };
        }

        it("GetSecretValue with the linked name and version, signed TC3 for ssm with the role's token", async () => {
            const ssm = fakeSsm({ GetSecretValue: { SecretName: "shop-dev-auth-auth", VersionId: "current", SecretString: JSON.stringify(VALUE) } });
            const text = await withEnv(env, () => createTencentAuthSecretStore({ fetch: ssm.fetcher }).read({ name: "AUTH", id: "shop-dev-auth-auth", version: "current" }));
            assert.equal(text, JSON.stringify(VALUE));
            assert.equal(ssm.requests.length, 1);
            const [request] = ssm.requests;
            assert.equal(request.url, "https://ssm.tencentcloudapi.com/");
            assert.equal(request.headers["X-TC-Action"], "GetSecretValue");
            assert.equal(request.headers["X-TC-Version"], "2019-09-23");
            assert.equal(request.headers["X-TC-Region"], "ap-guangzhou");
            assert.equal(request.headers["X-TC-Token"], "token");
            assert.match(request.headers.Authorization, /^TC3-HMAC-SHA256 Credential=AKIDexample\/\d{4}-\d{2}-\d{2}\/ssm\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/);
            assert.deepEqual(request.body, { SecretName: "shop-dev-auth-auth", VersionId: "current" });
        });

        it("decodes a binary value, reads the newest version when none is linked, and reports API errors", async () => {
            const ssm = fakeSsm({
                ListSecretVersionIds: { Versions: [{ VersionId: "v1", CreateTime: 1 }, { VersionId: "v3", CreateTime: 3 }, { VersionId: "v2", CreateTime: 2 }] },
                GetSecretValue: { SecretBinary: Buffer.from(JSON.stringify(VALUE)).toString("base64") },
            });
            const text = await withEnv(env, () => createTencentAuthSecretStore({ fetch: ssm.fetcher }).read({ name: "AUTH", id: "s" }));
            assert.equal(text, JSON.stringify(VALUE));
            assert.deepEqual(ssm.requests.map((r) => [r.headers["X-TC-Action"], r.body.VersionId]), [["ListSecretVersionIds", undefined], ["GetSecretValue", "v3"]]);

            const denied = fakeSsm({ GetSecretValue: { Error: { Code: "AuthFailure.UnauthorizedOperation", Message: "no permission" } } });
            await withEnv(env, () => assert.rejects(createTencentAuthSecretStore({ fetch: denied.fetcher }).read({ name: "AUTH", id: "s", version: "current" }), /no permission/));
        });
    });

    describe("local: the runtime's file", () => {
        it("reads the file the link names, and says where it looked when it is missing", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-secret-"));
            const file = path.join(dir, "secret.json");
            fs.writeFileSync(file, JSON.stringify(VALUE));
            assert.equal(await localAuthSecretStore.read({ name: "AUTH", id: file }), JSON.stringify(VALUE));
            await assert.rejects(localAuthSecretStore.read({ name: "AUTH", id: path.join(dir, "nope.json") }), /nope\.json.*ENOENT/);
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });

    describe("each target's bundle keeps only its own store", function () {
        this.timeout(60_000);
        const projectDir = path.resolve(__dirname, "..", "..");
        const build = async (target: string, external: string[]) => {
            const { zipPath } = await bundle({
                name: `auth-callback-${target}`,
                file: path.join(projectDir, "functions", "auth", "callback.ts"),
                exportName: "handler",
                target,
                external,
                projectDir,
            });
            return Buffer.from(unzipFiles(fs.readFileSync(path.join(projectDir, zipPath)))["index.js"]).toString("utf8");
        };

        it("AWS requires the Secrets Manager client Lambda ships; Tencent and local carry no SDK", async () => {
            const aws = await build("aws", ["@aws-sdk/*"]);
            assert.match(aws, /require\("@aws-sdk\/client-secrets-manager"\)/);
            assert.ok(!aws.includes("tencentcloudapi.com"));
            const tencent = await build("tencentcloud", []);
            assert.match(tencent, /GetSecretValue/);
            assert.ok(!tencent.includes("@aws-sdk") && !tencent.includes("SecretsManagerClient"), "no AWS SDK in the Tencent bundle");
            assert.ok(!/tencentcloud-sdk-nodejs/.test(tencent), "no tencentcloud-sdk-nodejs");
            const local = await build("local", []);
            assert.ok(!local.includes("SecretsManagerClient") && !local.includes("tencentcloudapi.com"));
        });
    });
});
