// `npm start` for real: the command in a child process, real HTTP, real worker threads, the
// typical app end to end (site, API, tables, hub, async task, mail outbox).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startApp, waitForMail } from "../support/local-app";
import { withToken } from "../support/local-token";
import { signIn } from "../support/sign-in";

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

    const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${app.url}${route}`, withToken(app.token, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }));

    it("serves the web app at / with its generated config.json", async () => {
        const res = await fetch(`${app.url}/`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type")!, /text\/html/);
        const config = await json(await fetch(`${app.url}/config.json`));
        assert.equal(config.apiUrl, `${app.url}/api`);
        assert.equal(config.authUrl, `${app.url}/api`);
    });

    it("reports the app's components and functions at /_local/status", async () => {
        const status = await json(await fetch(`${app.url}/_local/status`, withToken(app.token)));
        assert.equal(status.cloud, "local");
        const components = new Set(status.components.map((c: any) => `${c.type.split(":")[2]} ${c.name}`));
        for (const c of ["EventHub events", "Mailer mail", "Auth auth", "Table auth-users", "Table orders", "BusinessApi shop", "AsyncTask send-welcome-email", "StaticSite web", "Function about"]) {
            assert.ok(components.has(c), `status lists ${c}`);
        }
        assert.ok(status.functions.some((f: any) => f.name === "shop-post-orders"));
    });

    it("answers an API route from its bundled function, and the function's own 400", async () => {
        const ok = await fetch(`${app.url}/api/hello?name=Ada`);
        assert.equal(ok.status, 200);
        assert.deepEqual(await json(ok), { message: "Hello, Ada!" });
        const bad = await fetch(`${app.url}/api/hello?name=${"x".repeat(65)}`);
        assert.equal(bad.status, 400);
        assert.match((await json(bad)).error.message, /query parameter 'name' is too long: 65 characters, at most 64/);
    });

    it("signs a new user in through the local OpenID provider, once, and sends one welcome email", async () => {
        const first = await signIn(app.url, "Grace@Example.com");
        const me = await json(await fetch(`${app.url}/api/auth/userinfo`, { headers: { authorization: `Bearer ${first.accessToken}` } }));
        assert.equal(me.email, "grace@example.com");
        assert.deepEqual(me.roles, ["user"]);
        const again = await signIn(app.url, "grace@example.com");
        const meAgain = await json(await fetch(`${app.url}/api/auth/userinfo`, { headers: { authorization: `Bearer ${again.accessToken}` } }));
        assert.equal(meAgain.sub, me.sub, "one user per email");

        const mail = await waitForMail(dataDir, "grace@example.com");
        assert.ok(mail, "the welcome email reached the outbox");
        assert.equal(mail.subject, "Welcome, Grace!");
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const sent = fs.readdirSync(path.join(dataDir, "outbox", "mail")).filter((f) => fs.readFileSync(path.join(dataDir, "outbox", "mail", f), "utf8").includes("grace@example.com"));
        assert.equal(sent.length, 1, "one welcome email per new user, not per sign-in");
    });

    it("places, reads and lists the caller's own orders, a page at a time", async () => {
        const ada = await signIn(app.url, "ada@example.com");
        const as = (token: string) => ({ authorization: `Bearer ${token}` });
        const placed = [];
        for (const sku of ["A", "B", "C"]) {
            const res = await post("/api/orders", { lines: [{ sku, quantity: 2, unitPrice: 150 }], currency: "EUR" }, as(ada.accessToken));
            assert.equal(res.status, 201);
            placed.push(await json(res));
        }
        assert.equal(placed[0].total, 300);
        const one = await json(await fetch(`${app.url}/api/orders/${encodeURIComponent(placed[1].orderId)}`, { headers: as(ada.accessToken) }));
        assert.equal(one.lines[0].sku, "B");
        const first = await json(await fetch(`${app.url}/api/orders?limit=2`, { headers: as(ada.accessToken) }));
        assert.deepEqual(first.orders.map((o: any) => o.lines[0].sku), ["A", "B"]);
        const rest = await json(await fetch(`${app.url}/api/orders?limit=2&cursor=${encodeURIComponent(first.cursor)}`, { headers: as(ada.accessToken) }));
        assert.deepEqual(rest.orders.map((o: any) => o.lines[0].sku), ["C"]);
        assert.equal(rest.cursor, undefined);

        // Someone else's order is not found, and nobody's orders are listed without a token.
        const bob = await signIn(app.url, "bob@example.com");
        assert.equal((await fetch(`${app.url}/api/orders/${encodeURIComponent(placed[0].orderId)}`, { headers: as(bob.accessToken) })).status, 404);
        assert.deepEqual((await json(await fetch(`${app.url}/api/orders`, { headers: as(bob.accessToken) }))).orders, []);
        assert.equal((await fetch(`${app.url}/api/orders`)).status, 401);
    });

    it("answers bad requests with clear 4xx errors", async () => {
        const { accessToken } = await signIn(app.url, "eve@example.com");
        const auth = { authorization: `Bearer ${accessToken}` };
        const badBody = await post("/api/orders", { lines: [] }, auth);
        assert.equal(badBody.status, 400);
        assert.deepEqual((await json(badBody)).error.details.map((d: any) => d.field), ["lines", "currency"]);
        const notJson = await post("/api/orders", "{nope", auth);
        assert.equal(notJson.status, 400);
        const badCursor = await fetch(`${app.url}/api/orders?cursor=made-up`, { headers: auth });
        assert.equal(badCursor.status, 400);
        const badToken = await fetch(`${app.url}/api/orders`, { headers: { authorization: "Bearer not.a.token" } });
        assert.equal(badToken.status, 401);
        // Over the orders table's key limits: the gateway's 400, not the table client's RangeError as a 500.
        const longId = await fetch(`${app.url}/api/orders/${"o".repeat(2049)}`, { headers: auth });
        assert.equal(longId.status, 400);
        assert.match((await json(longId)).error.message, /path parameter 'orderId' is 2049 bytes, at most 1024/);
        for (const target of ["/_local/payment-service/payments/%ZZ", "/_local/functions/%E0%A4%A/invoke"]) {
            const res = await fetch(`${app.url}${target}`, withToken(app.token, target.includes("invoke") ? { method: "POST", headers: { "content-type": "application/json" }, body: "{}" } : {}));
            assert.equal(res.status, 400, target);
        }
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
