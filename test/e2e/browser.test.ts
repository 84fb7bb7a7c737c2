// The typical app in a real browser: `npm start`, then Chromium registers a user, places an order
// and sees it listed; the welcome email lands in the outbox through the hub and the async task.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { RunningApp, startApp, waitForMail } from "../support/local-app";

describe("the typical app in Chromium", function () {
    this.timeout(90_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-browser-"));
    let app: RunningApp | undefined;
    let browser: Browser | undefined;

    before(async () => {
        // One after the other, so that whichever started is stopped in `after` if the other fails.
        app = await startApp(dataDir);
        browser = await launchChromium();
    });

    after(async () => {
        await browser?.close();
        app?.child.kill("SIGINT");
    });

    it("registers, places an order, lists it, and the welcome email is sent", async () => {
        const page = await browser!.newPage();
        const failures: string[] = [];
        page.on("pageerror", (err) => failures.push(err.message));
        await page.goto(`${app!.url}/`);
        await page.waitForSelector("body[data-state=ready]");
        assert.equal(await page.textContent("#api-url"), `${app!.url}/api`);

        await page.fill("#email", "Lin@Example.com");
        await page.fill("#name", "Lin");
        await page.click("#register button");
        await page.waitForSelector("#user[data-failed=false]");
        assert.match((await page.textContent("#user")) ?? "", /^[0-9a-f-]{36}$/);

        await page.fill("#sku", "BOOT-9");
        await page.fill("#quantity", "3");
        await page.click("#order button");
        await page.waitForSelector("#order-list li");
        assert.equal(await page.textContent("#order-list li"), "3 × BOOT-9: 37.50 EUR");
        assert.deepEqual(failures, []);

        const mail = await waitForMail(dataDir, "lin@example.com");
        assert.equal(mail?.subject, "Welcome, Lin!");
    });

    it("shows the API's refusal of a bad registration", async () => {
        const page = await browser!.newPage();
        await page.goto(`${app!.url}/`);
        await page.waitForSelector("body[data-state=ready]");
        await page.fill("#email", "not-checked-by-the-browser@x");   // passes the input's own check, not the API's
        await page.fill("#name", "   ");
        await page.click("#register button");
        await page.waitForSelector("#user[data-failed=true]");
        assert.match((await page.textContent("#user")) ?? "", /name: /);
    });
});
