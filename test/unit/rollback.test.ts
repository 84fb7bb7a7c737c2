// npm run rollback's decisions and its calls: which version each function goes back to, the pin
// written into the stack config (comments and other keys kept), the functions found in a
// `pulumi stack export`, and the exact Lambda and SCF requests, made against a local HTTP server
// standing in for each cloud's API (AWS_ENDPOINT_URL_LAMBDA, TENCENTCLOUD_SCF_ENDPOINT). The real
// clouds are not called here.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { closure, Function } from "../../components";
import { http as httpHandler } from "../../functions/runtime";
import { parseArgs, rollback } from "../../bin/rollback";
import { deployedFunctions } from "../../bin/rollback/cloud";
import { planRollback, RollbackError, type AliasState } from "../../bin/rollback/plan";
import { readPins, writePins } from "../../bin/rollback/stack-pin";
import { evaluate } from "../harness";
import { SHOP_DIR } from "../../bin/shop";

const repo = path.resolve(__dirname, "../..");
const copies: string[] = [];

/** A copy of the project's stack files in a temporary folder: rollbacks write their pins there. */
function projectCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-rollback-unit-"));
    copies.push(dir);
    for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dev.yaml", "Pulumi.local.yaml"]) fs.copyFileSync(path.join(SHOP_DIR, file), path.join(dir, file));
    fs.writeFileSync(path.join(dir, "app.ts"), "export {};\n"); // Pulumi.yaml's main; never run
    return dir;
}

interface Recorded {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: any;
}

/** An HTTP server answering with `answer`, recording every request. */
async function fakeApi(answer: (req: Recorded) => { status?: number; body: unknown }) {
    const requests: Recorded[] = [];
    const server = http.createServer((req, res) => {
        let text = "";
        req.on("data", (d) => (text += d));
        req.on("end", () => {
            const recorded = { method: req.method!, url: req.url!, headers: req.headers, body: text ? JSON.parse(text) : undefined };
            requests.push(recorded);
            const { status = 200, body } = answer(recorded);
            res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Sets environment variables for the duration of `fn`. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    };
    apply(vars);
    try {
        return await fn();
    } finally {
        apply(saved);
    }
}

/** A `pulumi stack export` with each function's alias under its Function component (one nested in a BusinessApi). */
function stackExport(stack: string, aliasType: string, aliases: { component: string; functionName: string; parent?: string; extra?: Record<string, unknown> }[]) {
    const urn = (type: string, name: string) => `urn:pulumi:${stack}::serverless-blocks::${type}::${name}`;
    const resources: unknown[] = [{ urn: urn("pulumi:pulumi:Stack", `serverless-blocks-${stack}`), type: "pulumi:pulumi:Stack" }];
    for (const a of aliases) {
        const component = urn("serverless-blocks:index:Function", a.component);
        if (a.parent) resources.push({ urn: urn("serverless-blocks:index:BusinessApi", a.parent), type: "serverless-blocks:index:BusinessApi" });
        resources.push({ urn: component, type: "serverless-blocks:index:Function", parent: a.parent ? urn("serverless-blocks:index:BusinessApi", a.parent) : undefined });
        resources.push({ urn: urn(aliasType, `${a.component}-alias`), type: aliasType, custom: true, parent: component, outputs: { functionName: a.functionName, name: "live", ...a.extra } });
    }
    return { version: 3, deployment: { manifest: {}, resources } };
}

describe("npm run rollback", () => {
    after(() => {
        for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("which version it goes back to", () => {
        const aliases: AliasState[] = [
            { name: "register", versions: ["1", "2", "3", "4"], live: ["3", "4"] },
            { name: "about", versions: ["1", "2"], live: ["2"] },
            { name: "fresh", versions: ["1"], live: ["1"] },
            { name: "pinned", versions: ["1", "2", "3"], live: ["1"] },
        ];

        it("takes each function with an older version back to the newest one below its newest live version", () => {
            assert.deepEqual(planRollback(aliases), [
                { name: "register", from: ["3", "4"], to: "3" },
                { name: "about", from: ["2"], to: "1" },
            ]);
        });

        it("goes to --to, forward too, for one function", () => {
            assert.deepEqual(planRollback(aliases, "pinned", "3"), [{ name: "pinned", from: ["1"], to: "3" }]);
            assert.deepEqual(planRollback(aliases, "register", "1"), [{ name: "register", from: ["3", "4"], to: "1" }]);
        });

        it("names the functions or versions there are when asked for another, and says when there is nothing to go back to", () => {
            assert.throws(() => planRollback(aliases, "nobody"), /^Error: unknown function 'nobody'; functions: register, about, fresh, pinned$/);
            assert.throws(() => planRollback(aliases, "about", "9"), /function 'about' has no version '9'; published: 1, 2$/);
            assert.throws(() => planRollback(aliases, "fresh"), /function 'fresh' has nothing to roll back to: live version 1, published: 1$/);
            assert.throws(() => planRollback(aliases, "about", "2"), /function 'about' runs version 2 already/);
            assert.throws(() => planRollback(aliases, undefined, "2"), /--to needs --function/);
            assert.throws(() => planRollback([aliases[2]]), (err: Error) => err instanceof RollbackError && /nothing to roll back to: .*fresh version 1/.test(err.message));
        });

        it("reads its options and refuses unknown ones", () => {
            assert.deepEqual(parseArgs(["--stack", "prod", "--function=register", "--dry-run"]), { flags: { stack: "prod", function: "register" }, dryRun: true, help: false });
            assert.throws(() => parseArgs(["--stak", "prod"]), /unknown option --stak; options: --stack, --function, --to/);
            assert.throws(() => parseArgs(["--to"]), /--to needs a value/);
        });

        it("prints its usage for --help", async () => {
            const lines: string[] = [];
            assert.equal(await rollback(["--help"], (l) => lines.push(l)), 0);
            assert.match(lines[0], /^usage: npm run rollback -- --stack <local\|dev\|prod> \[--function NAME\] \[--to VERSION\] \[--dry-run\]/);
            assert.match(lines[0], /AWS_ENDPOINT_URL_LAMBDA and\nTENCENTCLOUD_SCF_ENDPOINT/);
        });
    });

    describe("the pin in the stack config", () => {
        it("adds to serverless-blocks:pinnedVersions as strings, keeping the file's comments, keys and other pins", () => {
            const dir = projectCopy();
            const original = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
            writePins(dir, "prod", { register: "3" });
            writePins(dir, "prod", { about: "12" });
            const written = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
            assert.deepEqual(readPins(dir, "prod"), { register: "3", about: "12" });
            assert.match(written, /\n {2}serverless-blocks:pinnedVersions:\n {4}register: "3"\n {4}about: "12"\n$/);
            assert.equal(written.slice(0, original.length), original, "everything before stays byte for byte");
            writePins(dir, "prod", { register: "2" });
            assert.deepEqual(readPins(dir, "prod"), { register: "2", about: "12" });
        });
    });

    describe("the functions in a stack's state", () => {
        it("finds each live alias's function and names it after its Function component", () => {
            const exported = stackExport("prod", "aws:lambda/alias:Alias", [
                { component: "about", functionName: "about-1a2b3c4" },
                { component: "shop-get-health", functionName: "shop-get-health-9f8e7d6", parent: "shop" },
            ]);
            assert.deepEqual(deployedFunctions(exported, "aws"), [
                { name: "about", functionName: "about-1a2b3c4", alias: "live" },
                { name: "shop-get-health", functionName: "shop-get-health-9f8e7d6", alias: "live" },
            ]);
            assert.deepEqual(deployedFunctions(exported, "tencentcloud"), [], "another cloud's aliases are not these");
            assert.throws(() => deployedFunctions({ version: 3 }, "aws"), /not a `pulumi stack export` document/);
        });

        for (const cloud of ["aws", "tencentcloud"] as const) {
            it(`finds the alias the ${cloud} Function registers, with the outputs it records`, async () => {
                const stack = await evaluate(cloud, () => new Function("greet", { code: closure(httpHandler(async () => ({ ok: true }))) }));
                // As `pulumi stack export` records them: each resource with its parent's URN, and outputs
                // that hold its inputs (a mocked custom resource answers none of its own).
                const parentUrn = (r: (typeof stack.resources)[number]) => stack.resources.find((p) => p.name === r.parent && !p.custom && r.urn.includes(`::${p.type}$`))?.urn;
                const exported = { deployment: { resources: stack.resources.map((r) => ({ urn: r.urn, type: r.type, parent: parentUrn(r), outputs: { ...r.inputs, ...r.outputs } })) } };
                const component = stack.one("serverless-blocks:index:Function", "greet");
                assert.deepEqual(deployedFunctions(exported, cloud).map(({ name, functionName, alias }) => ({ name, functionName, alias })), [
                    { name: "greet", functionName: component.outputs.functionName, alias: "live" },
                ]);
            });
        }
    });

    describe("on AWS (a local stand-in for the Lambda API)", () => {
        const AWS_ENV = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "example-secret", AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };

        async function lambda() {
            // register's alias is in a canary: 10% to version 4, the rest to 3. Versions come in two pages.
            return fakeApi((req) => {
                const url = new URL(req.url, "http://x");
                if (req.method === "GET" && url.pathname === "/2015-03-31/functions/register-1a2b3c4/aliases/live") {
                    return { body: { Name: "live", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } } } };
                }
                if (req.method === "GET" && url.pathname === "/2015-03-31/functions/register-1a2b3c4/versions") {
                    return url.searchParams.get("Marker") === "page-2"
                        ? { body: { Versions: [{ Version: "3" }, { Version: "4" }] } }
                        : { body: { Versions: [{ Version: "$LATEST" }, { Version: "1" }, { Version: "2" }], NextMarker: "page-2" } };
                }
                if (req.method === "PUT" && url.pathname === "/2015-03-31/functions/register-1a2b3c4/aliases/live") return { body: { Name: "live", FunctionVersion: req.body.FunctionVersion } };
                return { status: 404, body: { Type: "User", message: `no fake for ${req.method} ${url.pathname}` } };
            });
        }

        function stateFile(dir: string): string {
            const file = path.join(dir, "prod-state.json");
            fs.writeFileSync(file, JSON.stringify(stackExport("prod", "aws:lambda/alias:Alias", [{ component: "register", functionName: "register-1a2b3c4" }])));
            return file;
        }

        it("moves the alias to the previous version with UpdateAlias, its canary weights cleared, and pins it", async () => {
            const dir = projectCopy();
            const api = await lambda();
            try {
                const lines: string[] = [];
                const code = await withEnv({ ...AWS_ENV, AWS_ENDPOINT_URL_LAMBDA: api.url }, () =>
                    rollback(["--stack", "prod", "--project-dir", dir, "--state", stateFile(dir), "--function", "register"], (l) => lines.push(l)),
                );
                assert.equal(code, 0);
                assert.deepEqual(
                    api.requests.map((r) => `${r.method} ${new URL(r.url, "http://x").pathname}`).sort(),
                    [
                        "GET /2015-03-31/functions/register-1a2b3c4/aliases/live",
                        "GET /2015-03-31/functions/register-1a2b3c4/versions",
                        "GET /2015-03-31/functions/register-1a2b3c4/versions",
                        "PUT /2015-03-31/functions/register-1a2b3c4/aliases/live",
                    ],
                );
                const update = api.requests.find((r) => r.method === "PUT")!;
                assert.deepEqual(update.body, { FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: {} } });
                assert.match(String(update.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/lambda\/aws4_request/);
                assert.equal(lines[0], "rolling back register: live versions 3 and 4 -> version 3");
                assert.match(lines[1], /^Moved; pinned in .*Pulumi\.prod\.yaml \(serverless-blocks:pinnedVersions\) so that the next pulumi up keeps it there; remove the pin to release it$/);
                assert.deepEqual(readPins(dir, "prod"), { register: "3" });
            } finally {
                await api.close();
            }
        });

        it("goes to --to, and on a dry run only reads", async () => {
            const dir = projectCopy();
            const api = await lambda();
            try {
                const before = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
                const lines: string[] = [];
                await withEnv({ ...AWS_ENV, AWS_ENDPOINT_URL_LAMBDA: api.url }, () =>
                    rollback(["--stack", "prod", "--project-dir", dir, "--state", stateFile(dir), "--function", "register", "--to", "1", "--dry-run"], (l) => lines.push(l)),
                );
                assert.deepEqual(lines, ["would roll back register: live versions 3 and 4 -> version 1", "dry run: no alias changed, Pulumi.prod.yaml not written"]);
                assert.ok(api.requests.every((r) => r.method === "GET"), "nothing but reads");
                assert.equal(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8"), before);
                await assert.rejects(
                    withEnv({ ...AWS_ENV, AWS_ENDPOINT_URL_LAMBDA: api.url }, () => rollback(["--stack", "prod", "--project-dir", dir, "--state", stateFile(dir), "--function", "register", "--to", "5"], () => {})),
                    /function 'register' has no version '5'; published: 1, 2, 3, 4/,
                );
            } finally {
                await api.close();
            }
        });

        it("pins what it moved when a later function fails, and says why", async () => {
            const dir = projectCopy();
            const api = await fakeApi((req) => {
                const fn = /functions\/([^/]+)\//.exec(req.url)![1];
                if (req.url.includes("/aliases/live") && req.method === "GET") return { body: { Name: "live", FunctionVersion: "2" } };
                if (req.url.includes("/versions")) return { body: { Versions: [{ Version: "1" }, { Version: "2" }] } };
                if (fn === "b-2") return { status: 409, body: { Type: "User", message: "The operation cannot be performed at this time." } };
                return { body: { Name: "live", FunctionVersion: "1" } };
            });
            const file = path.join(dir, "prod-state.json");
            fs.writeFileSync(file, JSON.stringify(stackExport("prod", "aws:lambda/alias:Alias", [{ component: "a", functionName: "a-1" }, { component: "b", functionName: "b-2" }])));
            try {
                await assert.rejects(
                    withEnv({ ...AWS_ENV, AWS_ENDPOINT_URL_LAMBDA: api.url }, () => rollback(["--stack", "prod", "--project-dir", dir, "--state", file], () => {})),
                    /The operation cannot be performed at this time/,
                );
                assert.deepEqual(readPins(dir, "prod"), { a: "1" }, "a moved and stays pinned; b did not move");
            } finally {
                await api.close();
            }
        });

        it("says how to get the state when the Pulumi CLI is not installed", async () => {
            await withEnv({ PATH: "/nonexistent" }, async () => {
                await assert.rejects(rollback(["--stack", "prod", "--project-dir", projectCopy()], () => {}), /the Pulumi CLI is not installed here.*pass --state FILE, a file written by `pulumi stack export --stack prod > FILE`/);
            });
        });
    });

    describe("on Tencent Cloud (a local stand-in for the SCF API)", () => {
        it("moves the SCF alias with UpdateAlias, an empty weights list, in the function's namespace, and pins it", async () => {
            const dir = projectCopy();
            const api = await fakeApi((req) => {
                const action = req.headers["x-tc-action"];
                if (action === "GetAlias") return { body: { Response: { Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: [{ Version: "3", Weight: 0.1 }], AddtionVersionMatchs: [] }, RequestId: "r1" } } };
                if (action === "ListVersionByFunction") return { body: { Response: { FunctionVersion: ["$LATEST", "1", "2", "3"], Versions: [{ Version: "$LATEST" }, { Version: "1" }, { Version: "2" }, { Version: "3" }], TotalCount: 4, RequestId: "r2" } } };
                if (action === "UpdateAlias") return { body: { Response: { RequestId: "r3" } } };
                return { body: { Response: { Error: { Code: "InvalidAction", Message: String(action) }, RequestId: "r0" } } };
            });
            const file = path.join(dir, "dev-state.json");
            fs.writeFileSync(file, JSON.stringify(stackExport("dev", "tencentcloud:index/scfFunctionAlias:ScfFunctionAlias", [{ component: "register", functionName: "register-5e6f7a8", extra: { namespace: "default" } }])));
            try {
                const lines: string[] = [];
                const code = await withEnv({ TENCENTCLOUD_SECRET_ID: "AKIDexample", TENCENTCLOUD_SECRET_KEY: "example-key", TENCENTCLOUD_SCF_ENDPOINT: `${api.url}/` }, () =>
                    rollback(["--stack", "dev", "--project-dir", dir, "--state", file], (l) => lines.push(l)),
                );
                assert.equal(code, 0);
                const calls = api.requests.map((r) => ({ action: r.headers["x-tc-action"], region: r.headers["x-tc-region"], version: r.headers["x-tc-version"], payload: r.body }));
                assert.deepEqual(calls.find((c) => c.action === "GetAlias"), { action: "GetAlias", region: "ap-guangzhou", version: "2018-04-16", payload: { FunctionName: "register-5e6f7a8", Name: "live", Namespace: "default" } });
                assert.deepEqual(calls.find((c) => c.action === "ListVersionByFunction")?.payload, { FunctionName: "register-5e6f7a8", Offset: 0, Limit: 100, Order: "ASC", OrderBy: "AddTime", Namespace: "default" });
                assert.deepEqual(calls.at(-1), {
                    action: "UpdateAlias",
                    region: "ap-guangzhou",
                    version: "2018-04-16",
                    payload: { FunctionName: "register-5e6f7a8", Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: [] }, Namespace: "default" },
                });
                assert.equal(calls.length, 3);
                assert.ok(api.requests.every((r) => String(r.headers.authorization).startsWith("TC3-HMAC-SHA256 Credential=AKIDexample/")), "signed");
                assert.equal(lines[0], "rolling back register: live versions 2 and 3 -> version 2");
                assert.deepEqual(readPins(dir, "dev"), { register: "2" });
            } finally {
                await api.close();
            }
        });
    });
});
