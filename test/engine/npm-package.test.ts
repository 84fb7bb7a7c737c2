// The npm package as a TypeScript project gets it: `npm pack` of this repository, installed into a
// scratch project that imports it by name, run through the engine exactly as `pulumi up` would (the
// SDK's launcher from the consumer's own node_modules/@pulumi/pulumi, ts-node type-checking on).
// What the program loads must be the PACKAGE's files (node_modules/serverless-blocks: compiled dist/
// for the components, the shipped TypeScript sources of functions/runtime for the bundler), never
// this checkout.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unzipFiles } from "../../components/build/zip";
import { Evaluation, evaluateStack } from "../../engine/program";
import type { EngineResource } from "../../engine/registrations";

const repo = path.resolve(__dirname, "..", "..");
const repoPackage = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** What the consumer writes; `dependencies` is filled in with the tarball once it is packed. */
const CONSUMER_FILES: Record<string, string> = {
    "Pulumi.yaml": "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
    "Pulumi.dev.yaml": "config:\n  serverless-blocks:cloud: aws\n  aws:region: us-east-1\n",
    // Pulumi's TypeScript template, whole: the launcher reads only this file's own compilerOptions.
    "tsconfig.json": JSON.stringify({
        compilerOptions: {
            strict: true,
            outDir: "bin",
            target: "es2020",
            module: "commonjs",
            moduleResolution: "node",
            sourceMap: true,
            experimentalDecorators: true,
            pretty: true,
            noFallthroughCasesInSwitch: true,
            noImplicitReturns: true,
            forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
    }, null, 2),
    "handlers/orders.ts":
        `import { http, HttpError } from "serverless-blocks/functions/runtime";\n` +
        `import { table } from "serverless-blocks/functions/runtime/clients/table";\n` +
        `export const handler = http(async (req) => {\n` +
        `    if (req.method !== "GET") throw new HttpError(405, "GET only");\n` +
        `    const page = await table("orders").query({ partition: String(req.query.user ?? "nobody") });\n` +
        `    return { body: { orders: page.items, path: req.path } };\n` +
        `});\n`,
    "index.ts": [
        `import { EventHub, Function, Table } from "serverless-blocks";`,
        `import * as components from "serverless-blocks/components";`,
        ``,
        `const orders = new Table("orders", { partitionKey: "userId", sortKey: "orderId" });`,
        `const hub = new EventHub("events", { archiveRetentionDays: 7 });`,
        `const api = new Function("orders-api", { handler: "handlers/orders.handler", link: [orders.link, hub.link] });`,
        ``,
        `export = {`,
        `    functionName: api.functionName,`,
        `    sameEntry: components.Function === Function && components.Table === Table && components.EventHub === EventHub,`,
        `    // Every module loaded from outside a node_modules folder, and every serverless-blocks one.`,
        `    modules: Object.keys(require.cache).filter((f) => f.includes("serverless-blocks") || !f.includes("node_modules")),`,
        `};`,
        ``,
    ].join("\n"),
};

describe("the npm package: packed, installed into a scratch project, run through the engine", function () {
    this.timeout(90_000);

    let packDir: string;
    let tarball: string;
    let entries: string[];

    before(() => {
        npm(["run", "-s", "build"], repo);
        packDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-pack-"));
        // `prepare` (the build) ran just above; without scripts npm prints only the JSON.
        const [packed] = JSON.parse(npm(["pack", "--pack-destination", packDir, "--ignore-scripts", "--json"], repo));
        tarball = path.join(packDir, packed.filename);
        entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
            .split("\n").filter(Boolean)
            .map((e) => e.replace(/^package\//, ""));
    });

    after(() => {
        if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
    });

    it("holds the compiled entries, the sources the bundler and the analyzer read, PulumiPlugin.yaml, and nothing of the repository's own", () => {
        const has = (file: string) => assert.ok(entries.includes(file), `${file} is not in the tarball`);
        for (const file of [
            "package.json", "PulumiPlugin.yaml", "README.md",
            "dist/components/index.js", "dist/components/index.d.ts",
            "dist/functions/runtime/index.js", "dist/functions/runtime/index.d.ts",
            // Pulumi's analyzer reads the TypeScript: index.ts at the root, which re-exports components/,
            // within the package's tsconfig program (whose includes declare better-sqlite3).
            "index.ts", "tsconfig.json", "components/index.ts", "components/function.ts", "components/aws/function.ts",
            "local/events/better-sqlite3.d.ts",
            // The bundler builds function code from the runtime's sources; the components' built-in
            // functions (Auth's issuer, Realtime's defaults, FileUpload's signer, PaymentWorkflow's tasks) ship too.
            "functions/runtime/index.ts", "functions/runtime/adapters/aws.ts", "functions/runtime/adapters/tencentcloud.ts",
            "functions/auth/login.ts", "functions/realtime/accept.ts", "functions/uploads/sign.ts", "functions/payments/callback.ts",
            "functions/outbox/relay.ts", // a Table's outbox relay
        ]) has(file);
        const unwanted = entries.filter((e) =>
            /(^|\/)(test|bench|\.build|\.data|node_modules|scratch|examples|stacks|engine|bin|web)\//.test(e) ||
            /^functions\/(?!runtime\/|auth\/|realtime\/|uploads\/|payments\/|outbox\/)/.test(e) ||
            // The local runtime's server is this repository's `npm start`; only its declarations ship.
            (e.startsWith("local/") && !e.endsWith(".d.ts")) ||
            /^(app\.ts|Pulumi\.[a-z]+\.yaml|Pulumi\.yaml|package-lock\.json|tsconfig\.build\.json)$/.test(e) ||
            e.endsWith(".tsbuildinfo"));
        assert.deepEqual(unwanted, []);
        // Every compiled module ships with its declarations.
        const missingTypes = entries.filter((e) => /^dist\/.*\.js$/.test(e) && !entries.includes(e.replace(/\.js$/, ".d.ts")));
        assert.deepEqual(missingTypes, []);
    });

    it("is publishable: not private, main/types/exports point at files it holds", () => {
        const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
        assert.equal(manifest.private, undefined);
        assert.ok(entries.includes(manifest.main.replace(/^\.\//, "")), manifest.main);
        assert.ok(entries.includes(manifest.types.replace(/^\.\//, "")), manifest.types);
        assert.deepEqual(Object.keys(manifest.exports).sort(), [".", "./components", "./functions/runtime", "./functions/runtime/clients/*", "./functions/runtime/uploads", "./functions/runtime/validate", "./package.json"]);
        for (const [subpath, target] of Object.entries<any>(manifest.exports)) {
            if (subpath === "./package.json") continue;
            for (const condition of ["types", "require"]) {
                // A pattern export names the files of one client, e.g. clients/table.
                const file = String(target[condition]).replace(/^\.\//, "").replace("*", "table");
                assert.ok(entries.includes(file), `${subpath} ${condition}: ${target[condition]}`);
            }
        }
    });

    describe("a TypeScript program importing it by name, run as `pulumi up` runs it", () => {
        let consumerDir: string;
        let update: Evaluation;
        const byType = (type: string, name: string): EngineResource => {
            const found = update.resources.find((r) => r.type === type && r.name === name);
            assert.ok(found, `${type} ${name} not registered: ${update.resources.map((r) => `${r.type} ${r.name}`).join(", ")}`);
            return found;
        };

        before(async () => {
            consumerDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sb-npm-consumer-")));
            for (const [file, text] of Object.entries(CONSUMER_FILES)) {
                fs.mkdirSync(path.dirname(path.join(consumerDir, file)), { recursive: true });
                fs.writeFileSync(path.join(consumerDir, file), text);
            }
            const consumerDevDependencies = ["typescript", "ts-node", "@types/node"];
            fs.writeFileSync(path.join(consumerDir, "package.json"), JSON.stringify({
                name: "consumer",
                private: true,
                main: "index.ts",
                dependencies: { "serverless-blocks": `file:${tarball}`, "@pulumi/pulumi": repoPackage.dependencies["@pulumi/pulumi"] },
                devDependencies: Object.fromEntries(consumerDevDependencies.map((name) => [name, repoPackage.devDependencies[name]])),
            }, null, 2));

            // Installing: `npm install --prefer-offline --no-audit --no-fund` of this package.json takes
            // about 55 s even with the cache warm (the AWS SDK clients, @pulumi/aws, the Tencent SDK,
            // better-sqlite3...), too slow for a test. So the tarball is unpacked where npm would put it
            // (node_modules/serverless-blocks: the package's own files, exactly as packed), and the
            // packages it and the consumer depend on are symlinks to this repository's node_modules
            // (the versions package-lock.json pins; Node resolves their own dependencies from there).
            // @pulumi/pulumi is one instance for the program and the package, as an install dedupes it.
            const modules = path.join(consumerDir, "node_modules");
            const installed = path.join(modules, "serverless-blocks");
            fs.mkdirSync(installed, { recursive: true });
            execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
            const packed = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
            for (const name of new Set([...Object.keys(packed.dependencies), "@pulumi/pulumi", ...consumerDevDependencies])) {
                fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
                fs.symlinkSync(path.join(repo, "node_modules", name), path.join(modules, name), "dir");
            }

            update = await evaluateStack(consumerDir, "dev", { mode: "update" });
        });

        after(() => {
            if (consumerDir) fs.rmSync(consumerDir, { recursive: true, force: true });
        });

        it("loads the components from the scratch project's node_modules/serverless-blocks, compiled, not from this checkout", () => {
            const modules = update.outputs.modules as string[];
            const installed = path.join(consumerDir, "node_modules", "serverless-blocks") + path.sep;
            assert.ok(modules.includes(path.join(installed, "dist", "components", "index.js")), JSON.stringify(modules));
            assert.ok(modules.includes(path.join(installed, "dist", "components", "aws", "function.js")), JSON.stringify(modules));
            const elsewhere = modules.filter((m) => m !== path.join(consumerDir, "index.ts") && !m.startsWith(path.join(installed, "dist") + path.sep));
            assert.deepEqual(elsewhere, [], "modules loaded from outside the installed package's dist/");
            assert.equal(update.outputs.sameEntry, true, `"serverless-blocks" and "serverless-blocks/components" are one module`);
        });

        it("registers the three components and their Lambda, DynamoDB table and EventBridge bus", () => {
            for (const [type, name] of [
                ["serverless-blocks:index:Table", "orders"],
                ["serverless-blocks:index:EventHub", "events"],
                ["serverless-blocks:index:Function", "orders-api"],
            ]) byType(type, name);
            assert.equal(byType("aws:dynamodb/table:Table", "orders").parent, "orders");
            assert.equal(byType("aws:cloudwatch/eventBus:EventBus", "events").parent, "events");
            const lambda = byType("aws:lambda/function:Function", "orders-api");
            assert.equal(lambda.parent, "orders-api");
            assert.equal(update.outputs.functionName, lambda.state.name);
        });

        it("grants the function exactly the table's and the bus's actions, on their ARNs", () => {
            const table = byType("aws:dynamodb/table:Table", "orders");
            const bus = byType("aws:cloudwatch/eventBus:EventBus", "events");
            const statements = JSON.parse(String(byType("aws:iam/rolePolicy:RolePolicy", "orders-api-policy").inputs.policy)).Statement;
            const own = (s: any) => s.Action.every((a: string) => a.startsWith("logs:") || a.startsWith("xray:"));
            const linked = statements.filter((s: any) => !own(s));
            assert.deepEqual(linked, [
                { Effect: "Allow", Action: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], Resource: [table.state.arn] },
                { Effect: "Allow", Action: ["events:PutEvents"], Resource: [bus.state.arn] },
            ]);
            assert.match(String(table.state.arn), /^arn:aws:dynamodb:us-east-1:\d{12}:table\/orders-/);
            assert.match(String(bus.state.arn), /^arn:aws:events:us-east-1:\d{12}:event-bus\/events-/);
            assert.equal(statements.length, 4, "the log group's and X-Ray's statements and the two links, nothing else");
        });

        it("bundles the consumer's handler under its own .build/, against the package's runtime sources", () => {
            // The archive's path is relative to the program's working directory, the consumer's folder.
            const archive = (byType("aws:lambda/function:Function", "orders-api").inputs.code as { archive: string }).archive;
            assert.match(archive, /^\.build\/functions\/orders-api-[0-9a-f]+\.zip$/);
            const files = unzipFiles(fs.readFileSync(path.join(consumerDir, archive)));
            assert.deepEqual(Object.keys(files).sort(), ["index.js", "index.js.map"]);
            const sources: string[] = JSON.parse(files["index.js.map"].toString()).sources;
            assert.ok(sources.includes("../../handlers/orders.ts"), JSON.stringify(sources));
            assert.ok(sources.includes("../../node_modules/serverless-blocks/functions/runtime/http.ts"), JSON.stringify(sources));
            assert.ok(sources.includes("../../node_modules/serverless-blocks/functions/runtime/adapters/aws.ts"), JSON.stringify(sources));
            assert.ok(sources.includes("../../node_modules/serverless-blocks/functions/runtime/clients/table.ts"), "the table client, imported by its package subpath, is bundled");
            assert.deepEqual(sources.filter((s) => s.includes("dist/")), [], "bundled from the runtime's sources, not its compiled CommonJS");
        });
    });
});
