// Realtime, uploads and workflows: the open WebSocket connections, the uploaded objects, and the
// workflows' executions, one of which can be opened to its state-by-state history (the state it
// is in now highlighted).
import { call, el, fill, fillIfChanged, table, time } from "../dom";
import type { View } from "../main";
import { section } from "./section";

interface Realtime { name: string; path: string; connections: number }
interface Upload { name: string; bucket: string; task?: string; objects: { key: string; size: number; contentType?: string; lastModified: string }[] }
interface Workflow { name: string; executions: Record<string, number>; recent: { name: string; executionId: string; status: string; startedAt: string }[] }
interface Execution { workflow: string; name: string; status: string; at?: { state: string }; history: { seq: number; state: string; type: string; enteredAt: string; exitedAt?: string; attempts: number; error?: string }[]; error?: string; cause?: string }

export function runtimeView(say: (text: string, kind?: "ok" | "error") => void): View {
    const root = section("runtime", "Realtime, uploads, workflows", "Live connections, stored files and workflow executions.");
    const realtimes = el("div", { id: "realtime-list" });
    const uploads = el("div", { id: "upload-list" });
    const workflows = el("div", { id: "workflow-list" });
    const history = el("div", { id: "execution", "aria-live": "polite" });
    root.append(el("h3", {}, "Realtime"), realtimes, el("h3", {}, "Uploads"), uploads, el("h3", {}, "Workflows"), workflows, history);
    let opened: { workflow: string; name: string } | undefined;

    const open = async (workflow: string, name: string) => {
        opened = { workflow, name };
        const execution = await call<Execution>(`/_local/workflows/${encodeURIComponent(workflow)}/executions/${encodeURIComponent(name)}`);
        const current = execution.status === "running" ? execution.at?.state : execution.history.at(-1)?.state;
        fillIfChanged(history, execution, () => [
            el("h4", {}, `Execution ${execution.name} of ${execution.workflow}: ${execution.status}`),
            execution.error && el("p", { class: "error" }, `${execution.error}: ${execution.cause ?? ""}`),
            el("ol", { class: "history" }, ...execution.history.map((step) => el("li", { "aria-current": step.state === current && step === execution.history.at(-1) ? "step" : undefined, "data-state": step.state },
                `${step.state} (${step.type}) entered ${time(step.enteredAt)}${step.exitedAt ? `, left ${time(step.exitedAt)}` : ", now here"}${step.attempts > 1 ? `, ${step.attempts} attempts` : ""}${step.error ? ` — ${step.error}` : ""}`))),
        ]);
    };

    return {
        id: "runtime",
        title: "Realtime, uploads, workflows",
        root,
        async refresh() {
            const [r, u, w] = await Promise.all([
                call<{ realtimes: Realtime[] }>("/_local/console/api/realtimes"),
                call<{ uploads: Upload[] }>("/_local/console/api/uploads"),
                call<{ workflows: Workflow[] }>("/_local/console/api/workflows"),
            ]);
            fillIfChanged(realtimes, r, () => [table("Realtimes", ["Realtime", "Path", "Open connections"], r.realtimes.map((x) => [x.name, x.path, x.connections]))]);
            fillIfChanged(uploads, u, () => u.uploads.map((x) => el("div", {},
                el("h4", {}, `${x.name}: ${x.objects.length} object(s)${x.task ? `, processed by ${x.task}` : ""}`),
                x.objects.length > 0 && table(`Objects of ${x.name}`, ["Key", "Size", "Type", "Stored"], x.objects.map((o) => [o.key, `${o.size} B`, o.contentType ?? "—", time(o.lastModified)])))));
            fillIfChanged(workflows, w, () => w.workflows.map((x) => el("div", {},
                el("h4", {}, `${x.name}: ${Object.entries(x.executions).map(([status, n]) => `${n} ${status}`).join(", ")}`),
                x.recent.length === 0 ? el("p", {}, "No executions yet.") : table(`Executions of ${x.name}`, ["Execution", "Status", "Started", ""], x.recent.map((e) => [
                    e.name, e.status, time(e.startedAt),
                    el("button", { type: "button", class: "secondary", "aria-label": `Show the history of ${e.name}`, onclick: () => void open(x.name, e.name).catch((err: Error) => say(err.message, "error")) }, "History"),
                ])))));
            if (opened) await open(opened.workflow, opened.name);
        },
        hide() {
            opened = undefined;
            fill(history);
        },
    };
}
