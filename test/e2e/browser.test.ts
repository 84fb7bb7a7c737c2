// The typical app in a real browser: `npm start`, then Chromium signs in through the local OpenID
// provider, places an order as that user, sees it listed and sees its confirmation pushed over
// the Realtime WebSocket, pays it through the payment workflow and sees it paid, uploads a file and
// sees it processed; the welcome email lands in the outbox through Auth's UserSignedUp event,
// the hub and the async task.
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
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

    it("signs in through the local provider, places an order as that user, lists it, and the welcome email is sent", async () => {
        const page = await browser!.newPage();
        const failures: string[] = [];
        page.on("pageerror", (err) => failures.push(err.message));
        await page.goto(`${app!.url}/`);
        await page.waitForSelector("body[data-state=ready]");
        assert.equal(await page.textContent("#api-url"), `${app!.url}/api`);
        assert.equal(await page.isVisible("#signed-in"), false);

        // The provider's own sign-in page (oidc-provider's development login form).
        await page.click("#sign-in");
        await page.waitForSelector("input[name=login]");
        await page.fill("input[name=login]", "Lin@Example.com");
        await page.fill("input[name=password]", "any");
        await page.click("button[type=submit]");
        await page.waitForSelector("body[data-state=ready][data-user]");
        assert.equal(await page.textContent("#user"), "Lin <lin@example.com>");
        assert.equal(await page.textContent("#user-roles"), "user");

        // The page holds a Realtime connection; the confirm-order task's push is how it learns the new status.
        await page.waitForSelector("#live:text('connected')");
        await page.fill("#sku", "BOOT-9");
        await page.fill("#quantity", "3");
        await page.click("#order button");
        await page.waitForSelector("#order-list li");
        await page.waitForSelector("#order-status:text('confirmed')");
        await page.waitForSelector("#order-list li[data-status=confirmed]");
        assert.equal(await page.textContent("#order-list li .summary"), "3 × BOOT-9: 37.50 EUR (confirmed)");

        // Paying runs the checkout workflow against the fake payment service, whose signed callback
        // settles it; the notice's push turns the order paid, with no reload.
        await page.click("#order-list li button.pay");
        await page.waitForSelector("#order-list li[data-status=paid]", { timeout: 30_000 });
        assert.equal(await page.textContent("#order-list li .summary"), "3 × BOOT-9: 37.50 EUR (paid)");
        assert.equal(await page.textContent("#order-status"), "paid");

        // A file goes straight to the local object store through a signed URL, then is processed once.
        const receipt = Buffer.from("receipt for BOOT-9\n");
        await page.setInputFiles("#file", { name: "réçu 1.txt", mimeType: "text/plain", buffer: receipt });
        await page.click("#upload button");
        await page.waitForSelector("#file-list li");
        const sha256 = createHash("sha256").update(receipt).digest("hex");
        assert.equal(await page.getAttribute("#file-list li", "data-sha256"), sha256);
        assert.equal(await page.textContent("#file-list li"), `réçu 1.txt: ${receipt.length} bytes, text/plain, sha256 ${sha256.slice(0, 12)}…`);
        assert.equal(await page.textContent("#upload-status"), "processed réçu 1.txt");

        // A reload keeps the session (the refresh cookie), never the access token.
        await page.reload();
        await page.waitForSelector("body[data-state=ready][data-user] #order-list li");
        const stored = await page.evaluate(() => {
            const w = globalThis as any; // the page's window (the test compiles without the DOM's types)
            return JSON.stringify({ ...w.localStorage }) + JSON.stringify({ ...w.sessionStorage }) + w.document.cookie;
        });
        assert.equal(stored, "{}{}", "no token where page scripts could read it");
        assert.deepEqual(failures, []);

        const mail = await waitForMail(dataDir, "lin@example.com");
        assert.equal(mail?.subject, "Welcome, Lin!");

        await page.click("#sign-out");
        await page.waitForSelector("#signed-out:not([hidden])");
        await page.reload();
        await page.waitForSelector("body[data-state=ready]");
        assert.equal(await page.isVisible("#signed-in"), false, "signed out stays signed out");
    });

    it("refuses the orders API without a token", async () => {
        const res = await fetch(`${app!.url}/api/orders`);
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unauthorized");
    });
});
