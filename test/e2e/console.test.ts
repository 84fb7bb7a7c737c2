// The local console (/_local/) in Chromium, on the typical app run by `npm start`: refused without
// the run's token, opened with the URL npm start prints; shows every component; invokes a
// function; publishes an event and sees it reach its task; makes a dead letter and redrives it;
// finds the failed invocation's error and stack in the log view. Screenshots go to
// test-output/console/. axe-core checks the console's sections and the shop's page: no serious or
// critical violations.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { RunningApp, startApp } from "../support/local-app";
import { localFetcher } from "../support/local-token";
import { until } from "../support/until";

const SCREENSHOTS = path.resolve(__dirname, "..", "..", "test-output", "console");
const AXE = require.resolve("axe-core/axe.min.js");

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** axe-core in the page (evaluated through the DevTools protocol: the console's CSP allows only its own scripts). */
async function seriousViolations(page: Page): Promise<string[]> {
    // (Page functions run in the browser: its globals are reached through globalThis, Node's types know no DOM.)
    if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(fs.readFileSync(AXE, "utf8"));
    const { violations, passes } = (await page.evaluate(async () => {
        const page = globalThis as any;
        const results = await page.axe.run(page.document);
        return { violations: results.violations, passes: results.passes.length };
    })) as { violations: AxeViolation[]; passes: number };
    assert.ok(passes > 10, `axe checked the page (${passes} rules passed)`);
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}


describe("the local console in Chromium", function () {
    this.timeout(120_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-console-"));
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    let context: BrowserContext;
    let page: Page;
    let local: ReturnType<typeof localFetcher>;

    before(async () => {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        app = await startApp(dataDir);
        local = localFetcher(app.url, app.token);
        browser = await launchChromium();
        context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        page = await context.newPage();
        page.on("pageerror", (err) => assert.fail(`the console threw: ${err.message}`));
    });

    after(async () => {
        await browser?.close();
        app?.child.kill("SIGINT");
    });

    const tab = async (name: string) => {
        await page.click(`#tab-${name}`);
        await page.waitForSelector(`#${name}[data-loaded=true]`);
    };

    it("is refused without the token, and opens from the URL npm start printed, which leaves the token out of the address bar", async () => {
        const refused = await page.goto(`${app!.url}/_local/`);
        assert.equal(refused!.status(), 401);
        assert.match(JSON.parse(await refused!.text()).error.message, /needs this run's token/);
        assert.equal((await page.goto(`${app!.url}/_local/?token=not-it`))!.status(), 401);

        const printed = /local console: (http:\/\/\S+)/.exec(app!.output())![1];
        assert.ok(printed.endsWith(`?token=${app!.token}`), printed);
        await page.goto(printed);
        await page.waitForSelector("body[data-state=ready]");
        assert.equal(page.url(), `${app!.url}/_local/`);
        const [cookie] = await context.cookies(`${app!.url}/_local/`);
        assert.deepEqual([cookie.httpOnly, cookie.sameSite, cookie.path], [true, "Strict", "/_local"]);
        assert.equal(await page.evaluate(() => (globalThis as any).document.cookie), "", "the page's scripts cannot read the token");
    });

    it("shows every component of the typical app, and the flows between them", async () => {
        const status = (await (await local("/_local/status")).json()) as { components: { type: string; name: string }[] };
        await page.waitForSelector("#architecture[data-loaded=true]");
        const shown = await page.$$eval("#components [data-component]", (boxes) => boxes.map((b) => b.getAttribute("data-component")));
        const missing = status.components.filter((c) => !shown.includes(c.name)).map((c) => `${c.type} ${c.name}`);
        assert.deepEqual(missing, [], "every component the runtime lists has a box");
        assert.ok(shown.length >= 10, `${shown.length} components`);
        const flows = await page.$$eval("#flows [data-flow]", (items) => items.map((i) => i.textContent ?? ""));
        assert.ok(flows.some((f) => /send-welcome-email/.test(f)), `a flow reaches the welcome email task: ${flows.slice(0, 5).join(" | ")}`);
        await page.screenshot({ path: path.join(SCREENSHOTS, "architecture.png"), fullPage: true });
    });

    it("invokes a function with a JSON input and shows its answer and its invocation", async () => {
        await tab("functions");
        await page.selectOption("#invoke-function", "about");
        await page.click("#invoke-form button[type=submit]");
        await page.waitForSelector("#invoke-result:has-text('statusCode'), #invoke-result:has-text('status')");
        const result = JSON.parse((await page.textContent("#invoke-result"))!);
        assert.equal(result.status, 200);
        assert.deepEqual(JSON.parse(result.body), { service: "serverless-blocks", hub: "events" });
        await page.click("button[aria-label='Show the log of about']");
        await page.waitForSelector("#log article[data-status=ok]");
        assert.match((await page.textContent("#log article[data-status=ok] h4"))!, /cold start/);
    });

    it("lists the API routes with their sign-in rule, and sends a request showing the response", async () => {
        await tab("api");
        const routes = await page.textContent("#route-list");
        assert.match(routes!, /GET \/api\/hello\s*shop-get-hello\s*public/);
        assert.match(routes!, /POST \/api\/orders\s*shop-post-orders\s*required/);
        await page.fill("#request-path", "/api/hello?name=Ada");
        await page.click("#request-form button[type=submit]");
        await page.waitForSelector("#request-response:has-text('Hello, Ada!')");
        assert.match((await page.textContent("#request-response"))!, /^200 OK\nx-request-id: [0-9a-f-]{36}/);
    });

    it("publishes an event and shows it reaching its task", async () => {
        await tab("events");
        await page.selectOption("#publish-hub", "events");
        await page.fill("#publish-type", "UserSignedUp");
        await page.fill("#publish-detail", JSON.stringify({ userId: "u-console", email: "console@example.com", name: "Console" }));
        await page.click("#publish-form button[type=submit]");
        await page.waitForSelector("[data-hub=events] li[data-task=send-welcome-email][data-outcome=processed]");
        await page.screenshot({ path: path.join(SCREENSHOTS, "events.png"), fullPage: true });
    });

    it("shows a failing event's dead letter and redrives it, which queues it again", async () => {
        await page.fill("#publish-detail", JSON.stringify({ userId: "u-broken", name: "No Email" }));
        await page.click("#publish-form button[type=submit]");
        // Retries after 1 s and 2 s locally, then the dead letter.
        await page.waitForSelector("[data-dead-letters=send-welcome-email]:text-is('1')", { timeout: 30_000 });
        await page.click("button[aria-label='Show the dead letters of send-welcome-email']");
        await page.waitForSelector("#dead-letter-table");
        assert.match((await page.textContent("#dead-letter-table"))!, /UserSignedUp without an email/);
        const before = await failedAttempts();
        await page.screenshot({ path: path.join(SCREENSHOTS, "dead-letter.png"), fullPage: true });
        await page.click("#dead-letter-table button[aria-label^='Redrive event']");
        await page.waitForSelector("#message:has-text('Redriven 1 dead letter(s) of send-welcome-email')");
        // Queued again: the task tries it once more (and, still without an email, fails again).
        await until("another attempt at the redriven event", async () => ((await failedAttempts()) > before ? true : undefined));
    });

    const failedAttempts = async (): Promise<number> => {
        const { tasks } = (await (await local("/_local/console/api/tasks")).json()) as { tasks: { name: string; failedAttempts: number }[] };
        return tasks.find((t) => t.name === "send-welcome-email")!.failedAttempts;
    };

    it("finds the failed invocation's error and stack in the log view", async () => {
        await tab("functions");
        await page.selectOption("#log-function", "send-welcome-email");
        await page.waitForSelector("#log article[data-status=error] pre.stack");
        const failed = page.locator("#log article[data-status=error]").first();
        assert.match((await failed.textContent())!, /Error: .*UserSignedUp without an email/);
        assert.match((await failed.locator("pre.stack").textContent())!, /welcome-email/);
        await page.screenshot({ path: path.join(SCREENSHOTS, "log.png"), fullPage: true });
    });

    it("has no serious or critical accessibility violations in any section, at desktop and phone width", async () => {
        const found: string[] = [];
        for (const width of [1280, 390]) {
            await page.setViewportSize({ width, height: 844 });
            for (const name of ["architecture", "functions", "api", "events", "runtime", "tables"]) {
                await tab(name);
                found.push(...(await seriousViolations(page)).map((v) => `${name} at ${width}px: ${v}`));
            }
        }
        await page.screenshot({ path: path.join(SCREENSHOTS, "phone.png"), fullPage: true });
        assert.deepEqual(found, []);
    });

    it("the shop's page has no serious or critical accessibility violations, signed out and signed in", async () => {
        const shop = await context.newPage();
        await shop.goto(`${app!.url}/`);
        await shop.waitForSelector("body[data-state=ready]");
        const found = (await seriousViolations(shop)).map((v) => `signed out: ${v}`);
        await shop.screenshot({ path: path.join(SCREENSHOTS, "shop.png"), fullPage: true });
        // Signed in (the local provider's form takes any email): the order form, the list, the attachments.
        await shop.click("#sign-in");
        await shop.waitForSelector("input[name=login]");
        await shop.fill("input[name=login]", "axe@example.com");
        await shop.fill("input[name=password]", "any");
        await shop.click("button[type=submit]");
        await shop.waitForSelector("body[data-state=ready][data-user]");
        found.push(...(await seriousViolations(shop)).map((v) => `signed in: ${v}`));
        await shop.screenshot({ path: path.join(SCREENSHOTS, "shop-signed-in.png"), fullPage: true });
        assert.deepEqual(found, []);
        // An order paid through the checkout workflow, for the next test.
        await shop.fill("#sku", "AXE-1");
        await shop.click("#order button");
        await shop.waitForSelector("#order-list li button.pay");
        await shop.click("#order-list li button.pay");
        await shop.waitForSelector("#order-list li[data-status=paid]", { timeout: 30_000 });
        await shop.close();
    });

    it("shows a workflow execution's history, state by state, with the state it ended in highlighted", async () => {
        await tab("runtime");
        await page.waitForSelector("#workflow-list button[aria-label^='Show the history of']");
        await page.click("#workflow-list button[aria-label^='Show the history of']");
        await page.waitForSelector("#execution ol.history li");
        assert.match((await page.textContent("#execution h4"))!, /of checkout: succeeded/);
        const states = await page.$$eval("#execution ol.history li", (items) => items.map((i) => i.getAttribute("data-state")));
        assert.ok(states.length >= 3, states.join(", "));
        const current = await page.$$eval("#execution li[aria-current=step]", (items) => items.map((i) => i.getAttribute("data-state")));
        assert.deepEqual(current, [states.at(-1)], "exactly the last state is marked current");
        await page.screenshot({ path: path.join(SCREENSHOTS, "workflow.png"), fullPage: true });
    });
});
