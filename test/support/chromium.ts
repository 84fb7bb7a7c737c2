// Debian's Chromium driven by playwright-core (no browser download): the flags a root, sandboxless,
// offline machine needs. Playwright gives each launch a fresh temporary profile of its own.
import * as fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`no browser at ${CHROMIUM}: install the Debian package chromium (apt-get install chromium), or set CHROMIUM_PATH`);
    }
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        timeout: 30_000,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
}
