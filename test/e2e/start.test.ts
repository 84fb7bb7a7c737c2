// `npm start` for real: the command in a child process, real HTTP, real worker threads, the
// typical app end to end (site, API, tables, hub, async task, mail outbox).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startApp, waitForMail } from "../support/local-app";

const json = (res: Response): Promise<any> => res.json();

describe("npm start", function () {
    this.timeout(60_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-start-"));
    let app: Awaited<ReturnType<typeof startApp>>;

    before(async () => {
        app = await startApp(dataDir);
    });

    after(() => {
        if (app.child.exitCode === null) app.child.kill("SIGKILL");
    });

    const post = (route: string, body: unknown) =>
        fetch(`${app.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

    it("serves the web app at / with its generated config.json", async () => {
        const res = await fetch(`${app.url}/`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type")!, /text\/html/);
        const config = await json(await fetch(`${app.url}/config.json`));
        assert.equal(config.apiUrl, `${app.url}/api`);
    });

    it("reports the app's components and functions at /_local/status", async () => {
        const status = await json(await fetch(`${app.url}/_local/status`));
        assert.equal(status.cloud, "local");
        const components = new Set(status.components.map((c: any) => `${c.type.split(":")[2]} ${c.name}`));
        for (const c of ["EventHub events", "Mailer mail", "Table users", "Table orders", "BusinessApi shop", "AsyncTask send-welcome-email", "StaticSite web", "Function about"]) {
            assert.ok(components.has(c), `status lists ${c}`);
        }
        assert.ok(status.functions.some((f: any) => f.name === "shop-post-users"));
    });

    it("answers an API route from its bundled function, and the function's own 400", async () => {
        const ok = await fetch(`${app.url}/api/hello?name=Ada`);
        assert.equal(ok.status, 200);
        assert.deepEqual(await json(ok), { message: "Hello, Ada!" });
        const bad = await fetch(`${app.url}/api/hello?name=${"x".repeat(65)}`);
        assert.equal(bad.status, 400);
        assert.match((await json(bad)).error.message, /query parameter 'name' is too long: 65 characters, at most 64/);
    });

    it("registers a user, stores the profile, and sends the welcome email through the hub and the async task", async () => {
        const created = await post("/api/users", { email: "Grace@Example.com", name: "Grace" });
        assert.equal(created.status, 201);
        const { userId } = await json(created);
        const profile = await json(await fetch(`${app.url}/api/users/${userId}`));
        assert.deepEqual({ email: profile.email, name: profile.name }, { email: "grace@example.com", name: "Grace" });

        const mail = await waitForMail(dataDir, "grace@example.com");
        assert.ok(mail, "the welcome email reached the outbox");
        assert.equal(mail.subject, "Welcome, Grace!");
    });

    it("places, reads and lists a user's orders, a page at a time", async () => {
        const { userId } = await json(await post("/api/users", { email: "ada@example.com", name: "Ada" }));
        const placed = [];
        for (const sku of ["A", "B", "C"]) {
            const res = await post(`/api/users/${userId}/orders`, { lines: [{ sku, quantity: 2, unitPrice: 150 }], currency: "EUR" });
            assert.equal(res.status, 201);
            placed.push(await json(res));
        }
        assert.equal(placed[0].total, 300);
        const one = await json(await fetch(`${app.url}/api/users/${userId}/orders/${encodeURIComponent(placed[1].orderId)}`));
        assert.equal(one.lines[0].sku, "B");
        const first = await json(await fetch(`${app.url}/api/users/${userId}/orders?limit=2`));
        assert.deepEqual(first.orders.map((o: any) => o.lines[0].sku), ["A", "B"]);
        const rest = await json(await fetch(`${app.url}/api/users/${userId}/orders?limit=2&cursor=${encodeURIComponent(first.cursor)}`));
        assert.deepEqual(rest.orders.map((o: any) => o.lines[0].sku), ["C"]);
        assert.equal(rest.cursor, undefined);
    });

    it("answers bad requests with clear 4xx errors", async () => {
        const badBody = await post("/api/users", { email: "nope" });
        assert.equal(badBody.status, 400);
        assert.deepEqual((await json(badBody)).error.details.map((d: any) => d.field), ["email", "name"]);
        const notJson = await post("/api/users", "{nope");
        assert.equal(notJson.status, 400);
        const noUser = await post("/api/users/nobody/orders", { lines: [{ sku: "A", quantity: 1, unitPrice: 1 }], currency: "EUR" });
        assert.equal(noUser.status, 404);
        const badCursor = await fetch(`${app.url}/api/users/x/orders?cursor=made-up`);
        assert.equal(badCursor.status, 400);
        const unknown = await fetch(`${app.url}/api/nowhere`);
        assert.equal(unknown.status, 404);
        const wrongMethod = await fetch(`${app.url}/api/hello`, { method: "DELETE" });
        assert.equal(wrongMethod.status, 405);
        const missingInvoke = await post("/_local/functions/nobody/invoke", {});
        assert.equal(missingInvoke.status, 404);
        assert.match((await json(missingInvoke)).error.message, /no function named 'nobody'; known: .*about/);
    });

    it("runs an inline closure function with its links' variables", async () => {
        const { result } = await json(await post("/_local/functions/about/invoke", { kind: "http", request: { method: "GET", path: "/", headers: {}, query: {}, params: {}, requestId: "t" } }));
        assert.deepEqual(JSON.parse(result.body), { service: "serverless-blocks", hub: "events" });
    });

    it("stops cleanly on Ctrl-C", async () => {
        const exited = new Promise<number | null>((resolve) => app.child.once("exit", resolve));
        app.child.kill("SIGINT");
        assert.equal(await exited, 0);
        assert.match(app.output(), /SIGINT: stopping/);
    });
});
