// The local target's descriptors: what a program leaves for the local runtime when the runtime
// may be in another process. Each realisation registers one, a child of its component named as
// it, carrying plain data; the runtime is built from the recorded resources alone (local/load.ts);
// where the runtime listens and keeps data reaches the program as config and environment.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { AsyncTask, BusinessApi, EventHub, Mailer, StaticSite, Table } from "../../components";
import type { EngineResource } from "../../engine/run";
import { ROLES_ENV } from "../../functions/runtime/adapters/route-roles";
import { localApiGateway } from "../../local/api";
import { loadResources } from "../../local/load";
import { LocalRuntime } from "../../local/runtime";
import { createLocalServer, type ServerContext } from "../../local/server";
import { withToken } from "../support/local-token";
import { localSites } from "../../local/static";
import { evaluate, evaluateFailing, type Evaluated, json } from "../harness";
import { makeSite, removeSite } from "../fixtures/static-site";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const ISSUER = "https://auth.example.com";
const ORIGIN = "https://shop.example.com";

const app = (siteDir: string) => () => {
    const hub = new EventHub("orders", { archiveRetentionDays: 3 });
    const carts = new Table("carts", { partitionKey: "id" });
    const mail = new Mailer("mail", { from: "shop@example.com" });
    new AsyncTask("notify", {
        handler: "test/fixtures/functions/record-to-file.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["OrderPlaced"] }) },
        schedule: "rate(5 minutes)",
        retries: 1,
        maxEventAge: 600,
        timeout: 30,
        link: [mail.link],
    });
    const api = new BusinessApi("shop", {
        routes: {
            "GET /carts/{id}": { handler: HANDLER, link: [carts.link] },
            "DELETE /carts/{id}": { handler: HANDLER, link: [carts.link], roles: ["admin"] },
            "GET /health": { handler: HANDLER, public: true },
        },
        cors: { allowOrigins: [ORIGIN] },
        jwt: { issuer: ISSUER, audience: ["web"] },
    });
    const site = new StaticSite("web", { path: siteDir, config: { apiUrl: api.url }, ssr: { paths: ["/products/*"], handler: HANDLER } });
    return { apiUrl: api.url, siteUrl: site.url, cartsLink: carts.link, mailLink: mail.link };
};

const identity = (r: EngineResource) => `${r.type} ${r.name} <${r.parent}`;

describe("the local target's descriptors", () => {
    let siteDir: string;
    let stack: Evaluated;

    before(async () => {
        siteDir = makeSite();
        stack = await evaluate("local", app(siteDir));
    });

    after(async () => {
        await stack?.runtime.close();
        removeSite(siteDir);
    });

    const descriptor = (kind: string, name: string) => {
        const found = stack.descriptors.filter((r) => r.type === `serverless-blocks:local:${kind}` && r.name === name);
        assert.equal(found.length, 1, `one ${kind} descriptor named ${name}; there are: ${stack.descriptors.map(identity).join(", ")}`);
        return found[0];
    };

    it("are one per part the runtime runs, each a child of its component and named as it, no cloud resource", () => {
        assert.deepEqual(stack.descriptors.map(identity).sort(), [
            "serverless-blocks:local:Api shop <shop",
            "serverless-blocks:local:Function notify <notify",
            "serverless-blocks:local:Function shop-delete-carts-id <shop-delete-carts-id",
            "serverless-blocks:local:Function shop-get-carts-id <shop-get-carts-id",
            "serverless-blocks:local:Function shop-get-health <shop-get-health",
            "serverless-blocks:local:Function web-ssr <web-ssr",
            "serverless-blocks:local:Hub orders <orders",
            "serverless-blocks:local:Site web <web",
            "serverless-blocks:local:Task notify <notify",
        ]);
        const component: Record<string, string> = { Function: "Function", Hub: "EventHub", Task: "AsyncTask", Api: "BusinessApi", Site: "StaticSite" };
        const typeChain = (urn: string) => urn.split("::")[2];
        for (const d of stack.descriptors) {
            const parent = stack.resources.find((r) => r.name === d.parent && typeChain(d.urn) === `${typeChain(r.urn)}$${d.type}`);
            assert.equal(parent?.type, `serverless-blocks:index:${component[d.type.split(":")[2]]}`, `${identity(d)} sits under its component`);
        }
        assert.deepEqual([...stack.resources, ...stack.descriptors].filter((r) => r.custom), []);
    });

    it("carry plain data: a function's zip, environment, timeout and memory", () => {
        const fn = descriptor("Function", "notify").outputs;
        assert.deepEqual(Object.keys(fn).sort(), ["environment", "memoryMb", "name", "release", "timeoutSeconds", "zipPath"]);
        assert.deepEqual(fn.release, { alias: "live", canaryPercent: 0 }, "the stack's release: no canary, no pin");
        assert.equal(fn.name, "notify");
        assert.match(fn.zipPath, /\.zip$/);
        assert.ok(fs.existsSync(path.resolve(fn.zipPath)), `${fn.zipPath} is built`);
        assert.equal(fn.timeoutSeconds, 30);
        assert.equal(typeof fn.memoryMb, "number");
        assert.equal(fn.environment.SB_MAILER_MAIL_FROM, "shop@example.com");
    });

    it("carry plain data: a hub's bus, a task's subscription, schedule and retries", () => {
        assert.deepEqual(descriptor("Hub", "orders").outputs, { name: "orders", busName: "orders", archiveRetentionDays: 3 });
        assert.deepEqual(descriptor("Task", "notify").outputs, {
            name: "notify",
            functionName: "notify",
            retries: 1,
            maxEventAgeSeconds: 600,
            timeoutSeconds: 30,
            subscription: { busName: "orders", pattern: { "detail-type": ["OrderPlaced"] } },
            schedule: "rate(5 minutes)",
        });
    });

    it("carry plain data: an API's routes (authenticated unless public, roles), CORS, JWT and throttling", () => {
        const api = descriptor("Api", "shop").outputs;
        assert.deepEqual(api.routes, [
            { key: "GET /carts/{id}", method: "GET", path: "/carts/{id}", functionName: "shop-get-carts-id", auth: true, roles: [] },
            { key: "DELETE /carts/{id}", method: "DELETE", path: "/carts/{id}", functionName: "shop-delete-carts-id", auth: true, roles: ["admin"] },
            { key: "GET /health", method: "GET", path: "/health", functionName: "shop-get-health", auth: false, roles: [] },
        ]);
        // The roles are the route function's adapter's to check, as on AWS.
        assert.deepEqual(JSON.parse(descriptor("Function", "shop-delete-carts-id").outputs.environment[ROLES_ENV]), ["admin"]);
        assert.equal(descriptor("Function", "shop-get-carts-id").outputs.environment[ROLES_ENV], undefined);
        assert.deepEqual(api.jwt, { issuer: ISSUER, audience: ["web"], jwksUrl: `${ISSUER}/.well-known/jwks.json` });
        assert.deepEqual(api.cors.allowOrigins, [ORIGIN]);
        assert.equal(typeof api.throttle.burstLimit, "number");
        assert.equal(typeof api.throttle.rateLimit, "number");
    });

    it("carry plain data: a site's root, index, hashed directories, config.json, CSP and SSR function", () => {
        const site = descriptor("Site", "web").outputs;
        assert.equal(site.root, siteDir);
        assert.equal(site.hasIndex, true);
        assert.deepEqual(site.hashedDirectories, ["assets"]);
        assert.deepEqual(json(site.configJson), { apiUrl: "http://127.0.0.1:3000/api" });
        assert.match(site.csp, /default-src 'self'/);
        assert.deepEqual(site.ssr, { paths: [{ pattern: "/products/*", prefix: "/products/", exact: false }], functionName: "web-ssr" });
    });

    it("are enough to build the runtime, in any order: functions first, then what names them", async () => {
        const runtime = new LocalRuntime(process.cwd());
        loadResources(runtime, [...stack.resources, ...stack.descriptors].reverse());
        try {
            assert.deepEqual([...runtime.functions.keys()].sort(), ["notify", "shop-delete-carts-id", "shop-get-carts-id", "shop-get-health", "web-ssr"]);
            assert.deepEqual(runtime.hubs.get("orders"), stack.runtime.hubs.get("orders"));
            assert.deepEqual(runtime.tasks.get("notify"), stack.runtime.tasks.get("notify"));
            assert.equal(runtime.tasks.get("notify")!.schedule?.kind, "rate");
            assert.deepEqual(localApiGateway(runtime).status(), localApiGateway(stack.runtime).status());
            const [site] = localSites(runtime);
            assert.equal(site.name, "web");
            const rendered = await site.ssr!.render({ method: "GET", path: "/products/1", headers: {}, query: { name: "Ada" }, params: {}, requestId: "r-1" });
            assert.equal(rendered.status, 200);
            assert.deepEqual(JSON.parse(rendered.body), { message: "Hello, Ada!" });
            assert.equal(runtime.function("web-ssr").invocations, 1, "the site's SSR function rendered it");
        } finally {
            await runtime.close();
        }
    });

    it("are refused when the runtime cannot load them, before anything is loaded", () => {
        const hub = descriptor("Hub", "orders");
        const runtime = new LocalRuntime(process.cwd());
        assert.throws(() => loadResources(runtime, [hub, { ...hub, type: "serverless-blocks:local:Queue" }]), /local runtime: unknown resource type 'serverless-blocks:local:Queue' \(orders\)/);
        assert.equal(runtime.hubs.size, 0);
        assert.throws(() => loadResources(runtime, [{ ...hub, outputs: {} }]), /serverless-blocks:local:Hub 'orders' has no outputs; load the resources of a completed update, not of a preview/);
    });

    it("stay out of the runtime's status, which lists the app's components", async () => {
        const context: ServerContext = { stack: "test", runtime: stack.runtime, components: [...stack.resources, ...stack.descriptors] };
        const server = createLocalServer(context);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const status = (await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/_local/status`, withToken(context.token!))).json()) as any;
            const types = new Set(status.components.map((c: any) => c.type));
            assert.ok(types.has("serverless-blocks:index:BusinessApi") && types.has("serverless-blocks:index:AsyncTask"), [...types].join(", "));
            assert.deepEqual([...types].filter((t) => String(t).startsWith("serverless-blocks:local:")), []);
        } finally {
            server.close();
            server.closeAllConnections();
        }
    });
});

describe("what the program knows of the local runtime", () => {
    let siteDir: string;
    let dataDir: string;
    before(() => {
        siteDir = makeSite();
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-local-data-"));
    });
    after(() => {
        removeSite(siteDir);
        fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("its URL from config serverless-blocks:localUrl, its data directory from SB_LOCAL_DATA_DIR, as the runtime's", async () => {
        const previous = process.env.SB_LOCAL_DATA_DIR;
        process.env.SB_LOCAL_DATA_DIR = dataDir;
        let stack: Evaluated;
        try {
            stack = await evaluate("local", app(siteDir), { "serverless-blocks:localUrl": "http://127.0.0.1:4123/" });
        } finally {
            if (previous === undefined) delete process.env.SB_LOCAL_DATA_DIR;
            else process.env.SB_LOCAL_DATA_DIR = previous;
        }
        assert.equal(stack.outputs.apiUrl, "http://127.0.0.1:4123/api");
        assert.equal(stack.outputs.siteUrl, "http://127.0.0.1:4123/");
        assert.deepEqual(json(localSites(stack.runtime)[0].configJson), { apiUrl: "http://127.0.0.1:4123/api" });
        assert.equal(stack.runtime.dataDir, dataDir);
        assert.equal(stack.outputs.cartsLink.environment.SB_TABLE_CARTS_FILE, path.join(dataDir, "tables", "carts.sqlite"));
        assert.equal(stack.outputs.mailLink.environment.SB_MAILER_MAIL_OUTBOX, path.join(dataDir, "outbox", "mail"));
        assert.equal(stack.runtime.function("notify").definition.environment.SB_MAILER_MAIL_OUTBOX, path.join(dataDir, "outbox", "mail"));
        await stack.runtime.close();
    });

    it("refuses a localUrl that is no http(s) URL, naming the key", async () => {
        const { error } = await evaluateFailing("local", app(siteDir), { "serverless-blocks:localUrl": "localhost:3000" });
        assert.match(error.message, /^config serverless-blocks:localUrl: 'localhost:3000' is not allowed; expected an http\(s\) URL such as http:\/\/127\.0\.0\.1:3000/);
    });
});
