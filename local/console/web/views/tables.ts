// Tables: browse a table's items (read-only), a page at a time, optionally only those containing
// some text.
import { call, el, fill, pretty, table } from "../dom";
import type { View } from "../main";
import { section } from "./section";

interface AppTable { name: string; tableName: string; partitionKey?: string; sortKey?: string }

const PAGE = 25;

export function tablesView(say: (text: string, kind?: "ok" | "error") => void): View {
    const root = section("tables", "Tables", "The app's tables, read-only.");
    const picker = el("select", { id: "table-name" });
    const filter = el("input", { id: "table-filter", type: "search", autocomplete: "off" });
    const items = el("div", { id: "table-items", "aria-live": "polite" });
    let offset = 0;
    const form = el("form", { id: "table-form" },
        el("label", { for: "table-name" }, "Table"), picker,
        el("label", { for: "table-filter" }, "Only items containing (optional)"), filter,
        el("p", {}, el("button", { type: "submit" }, "Show items")));
    root.append(form, items);
    let names = "";

    const load = async () => {
        if (!picker.value) return;
        const page = await call<{ items: unknown[]; total: number }>(`/_local/console/api/tables/${encodeURIComponent(picker.value)}/items?limit=${PAGE}&offset=${offset}${filter.value ? `&filter=${encodeURIComponent(filter.value)}` : ""}`);
        fill(items,
            el("p", {}, page.total === 0 ? "No items." : `Items ${offset + 1}–${offset + page.items.length} of ${page.total}`),
            page.items.length > 0 && table(`Items of ${picker.value}`, ["#", "Item"], page.items.map((item, i) => [offset + i + 1, el("pre", {}, pretty(item))])),
            el("p", {},
                offset > 0 && el("button", { type: "button", class: "secondary", onclick: () => ((offset = Math.max(0, offset - PAGE)), void load()) }, "Previous page"), " ",
                offset + PAGE < page.total && el("button", { type: "button", class: "secondary", onclick: () => ((offset += PAGE), void load()) }, "Next page")));
    };
    form.addEventListener("submit", (event) => {
        event.preventDefault();
        offset = 0;
        void load().catch((err: Error) => say(err.message, "error"));
    });

    return {
        id: "tables",
        title: "Tables",
        root,
        async refresh() {
            // Items load when asked (the form): a refresh would move the reader's place.
            const { tables } = await call<{ tables: AppTable[] }>("/_local/console/api/tables");
            if (tables.map((t) => t.name).join() === names) return;
            names = tables.map((t) => t.name).join();
            fill(picker, ...tables.map((t) => el("option", { value: t.name }, `${t.tableName} (key: ${[t.partitionKey, t.sortKey].filter(Boolean).join(", ")})`)));
        },
    };
}
