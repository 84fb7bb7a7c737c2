// Events: each hub's recent events with the rules that matched and what became of each delivery,
// a form that publishes an event, and each task's queue with its dead letters and a redrive
// (the same store operation `npm run dlq -- redrive` runs).
import { call, el, fill, fillIfChanged, parseField, pretty, table, time } from "../dom";
import type { View } from "../main";
import { section } from "./section";

interface Hub { name: string; busName: string; published: number; rules: { task: string; pattern: unknown }[]; recent: { id: string; type: string; source: string; time: string; detail: unknown; routes: { task: string; outcome: string; attempt?: number; error?: string }[] }[] }
interface Task { name: string; function: string; hub?: string; queued: number; inFlight: number; deadLetters: number; processed: number; failedAttempts: number }
interface DeadLetter { id: string; attempts: number; error: string; reason: string; failedAt: string; event: { type: string; detail: unknown } }

export function eventsView(say: (text: string, kind?: "ok" | "error") => void): View {
    const root = section("events", "Events", "Events published to the hubs, where each went, and the tasks' queues and dead letters.");
    const hubs = el("div", { id: "hub-list" });
    const hub = el("select", { id: "publish-hub" });
    const type = el("input", { id: "publish-type", value: "UserSignedUp", autocomplete: "off", required: true });
    const detail = el("textarea", { id: "publish-detail", spellcheck: "false" }, pretty({ userId: "console-user", email: "console@example.com", name: "Console" }));
    const form = el("form", { id: "publish-form" },
        el("label", { for: "publish-hub" }, "Hub"), hub,
        el("label", { for: "publish-type" }, "Type (detail-type)"), type,
        el("label", { for: "publish-detail" }, "Detail (JSON)"), detail,
        el("p", {}, el("button", { type: "submit" }, "Publish")));
    const tasks = el("div", { id: "task-list" });
    const letters = el("div", { id: "dead-letters", "aria-live": "polite" });
    root.append(el("h3", {}, "Publish an event"), form, hubs, el("h3", {}, "Tasks"), tasks, letters);
    let hubNames = "";
    let shownTask: string | undefined;

    form.addEventListener("submit", (event) => {
        event.preventDefault();
        void (async () => {
            try {
                const { ids } = await call<{ ids: string[] }>(`/_local/hubs/${encodeURIComponent(hub.value)}/events`, { type: type.value, detail: parseField("Detail", detail.value) ?? {}, source: "console" });
                say(`Published ${type.value} to ${hub.value}: ${ids.join(", ")}`);
                await refresh();
            } catch (err) {
                say(`Publishing failed: ${(err as Error).message}`, "error");
            }
        })();
    });

    const showLetters = async (task: string) => {
        shownTask = task;
        const { deadLetters } = await call<{ deadLetters: DeadLetter[] }>(`/_local/console/api/tasks/${encodeURIComponent(task)}/dead-letters`);
        fillIfChanged(letters, [task, deadLetters], () => [
            el("h4", { id: "dead-letters-title" }, `Dead letters of ${task}`),
            deadLetters.length === 0 ? el("p", {}, "None.") : table(`Dead letters of ${task}`, ["Event", "Type", "Attempts", "Reason", "Failed", "Error", ""], deadLetters.map((d) => [
                d.id, d.event.type, d.attempts, d.reason, time(d.failedAt), el("pre", {}, d.error),
                el("button", { type: "button", class: "secondary", "aria-label": `Redrive event ${d.id}`, onclick: () => void redrive(task, [d.id]) }, "Redrive"),
            ]), { id: "dead-letter-table" }),
            deadLetters.length > 1 && el("p", {}, el("button", { type: "button", onclick: () => void redrive(task) }, `Redrive all ${deadLetters.length}`)),
        ]);
    };
    const redrive = async (task: string, ids?: string[]) => {
        try {
            const { redriven, missing } = await call<{ redriven: string[]; missing: string[] }>(`/_local/console/api/tasks/${encodeURIComponent(task)}/redrive`, ids ? { ids } : {});
            say(`Redriven ${redriven.length} dead letter(s) of ${task}${missing.length ? `; not found: ${missing.join(", ")}` : ""}`);
            await refresh();
        } catch (err) {
            say(`Redrive failed: ${(err as Error).message}`, "error");
        }
    };

    const refresh = async () => {
        const [{ hubs: list }, { tasks: queues }] = await Promise.all([call<{ hubs: Hub[] }>("/_local/console/api/hubs"), call<{ tasks: Task[] }>("/_local/console/api/tasks")]);
        if (list.map((h) => h.busName).join() !== hubNames) {
            hubNames = list.map((h) => h.busName).join();
            fill(hub, ...list.map((h) => el("option", { value: h.busName }, h.name)));
        }
        fillIfChanged(hubs, list, () => list.map((h) => el("div", { "data-hub": h.name },
            el("h3", {}, `Hub ${h.name}: ${h.published} published since start`),
            el("p", {}, "Rules: ", h.rules.length === 0 ? "none" : h.rules.map((r) => `${r.task} ← ${JSON.stringify(r.pattern)}`).join("; ")),
            h.recent.length === 0 ? el("p", {}, "No events yet.") : table(`Recent events of ${h.name}`, ["Type", "Time", "Source", "Went to", "Detail"], h.recent.map((e) => [
                e.type, time(e.time), e.source,
                e.routes.length === 0 ? "no rule matched" : el("ul", {}, ...e.routes.map((r) => el("li", { "data-task": r.task, "data-outcome": r.outcome }, `${r.task}: ${r.outcome}${r.attempt ? ` (attempt ${r.attempt})` : ""}${r.error ? ` — ${r.error}` : ""}`))),
                el("details", {}, el("summary", {}, e.id), el("pre", {}, pretty(e.detail))),
            ]), { class: "events" }))));
        fillIfChanged(tasks, queues, () => [table("Tasks", ["Task", "Function", "Hub", "Queued", "In flight", "Dead letters", "Processed", "Failed attempts", ""], queues.map((t) => [
            t.name, t.function, t.hub ?? "—", t.queued, t.inFlight, el("span", { "data-dead-letters": t.name }, t.deadLetters), t.processed, t.failedAttempts,
            el("button", { type: "button", class: "secondary", "aria-label": `Show the dead letters of ${t.name}`, onclick: () => void showLetters(t.name).catch((err: Error) => say(err.message, "error")) }, "Dead letters"),
        ]), { id: "task-table" })]);
        if (shownTask) await showLetters(shownTask);
    };

    return { id: "events", title: "Events", root, refresh };
}
