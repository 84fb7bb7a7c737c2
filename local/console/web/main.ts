// The local console: one page, a section per part of the app (the tabs are links to #names, so
// the browser's back button and a bookmark work). Each section loads its data from
// /_local/console/api (local/console/api.ts) when shown, and again every REFRESH_MS while shown;
// forms live outside what is refreshed, so typing is never lost. Function logs stream (SSE).
import { ApiError, call, el, fill } from "./dom";
import { apiView } from "./views/api";
import { architectureView } from "./views/architecture";
import { eventsView } from "./views/events";
import { functionsView } from "./views/functions";
import { runtimeView } from "./views/runtime";
import { tablesView } from "./views/tables";

/** A section of the console: built once, `refresh` called when shown and on the timer, `hide` when left. */
export interface View {
    id: string;
    title: string;
    root: HTMLElement;
    refresh(): Promise<void>;
    hide?(): void;
}

const REFRESH_MS = 1_500;

async function main(): Promise<void> {
    const status = await call("/_local/status").catch((err: Error) => {
        fill(document.getElementById("stack")!, err instanceof ApiError && err.status === 401 ? "Not signed in to this runtime: open the console URL npm start printed (it carries this run's token)." : `The runtime did not answer: ${err.message}`);
        throw err;
    });
    fill(document.getElementById("stack")!, `Stack `, el("strong", {}, status.stack), ` on this machine · ${status.functions.length} functions`);
    const message = document.getElementById("message")!;
    const say = (text: string, kind: "ok" | "error" = "ok") => {
        message.className = kind;
        fill(message, text);
    };
    const views: View[] = [architectureView(status), functionsView(say), apiView(say), eventsView(say), runtimeView(say), tablesView(say)];
    const main = document.getElementById("main")!;
    const tabs = document.getElementById("tabs")!;
    for (const view of views) {
        view.root.hidden = true;
        main.appendChild(view.root);
        tabs.appendChild(el("li", {}, el("a", { href: `#${view.id}`, id: `tab-${view.id}` }, view.title)));
    }
    let current: View | undefined;
    let timer: number | undefined;
    const show = async () => {
        const wanted = views.find((v) => `#${v.id}` === location.hash) ?? views[0];
        if (wanted !== current) {
            current?.hide?.();
            for (const v of views) {
                v.root.hidden = v !== wanted;
                const tab = document.getElementById(`tab-${v.id}`)!;
                if (v === wanted) tab.setAttribute("aria-current", "page");
                else tab.removeAttribute("aria-current");
            }
            current = wanted;
            document.title = `${wanted.title} · serverless-blocks local console`;
        }
        await refresh();
    };
    const refresh = async () => {
        window.clearTimeout(timer);
        const view = current!;
        try {
            await view.refresh();
            view.root.dataset.loaded = "true";
        } catch (err) {
            say(`${view.title}: ${(err as Error).message}`, "error");
        }
        if (view === current) timer = window.setTimeout(refresh, REFRESH_MS);
    };
    window.addEventListener("hashchange", () => {
        fill(message); // the last section's news
        void show();
        // After a tab is chosen, focus moves to its heading: keyboard and screen reader users land on the content.
        current?.root.querySelector<HTMLElement>("h2")?.focus();
    });
    await show();
    document.body.dataset.state = "ready";
}

main().catch(() => {
    document.body.dataset.state = "failed";
});
