// Functions: each with its invocations, errors, latency and last cold start; the selected one's
// recent invocations with what it logged, its errors and their stacks, streaming as they happen;
// and a form that invokes a function with a JSON input.
import { call, el, fill, fillIfChanged, ms, parseField, pretty, table, time } from "../dom";
import type { View } from "../main";
import { section } from "./section";

interface FunctionRow { name: string; invocations: number; errors: number; latencyMs: { p50?: number; p99?: number }; lastColdStart?: string }
interface LogLine { at: string; level: string; text: string; fields?: Record<string, unknown> }
interface Invocation { function: string; invocation: number; requestId: string; correlationId?: string; startedAt: string; durationMs?: number; coldStart: boolean; status: string; error?: { message: string; stack?: string }; lines: LogLine[]; droppedLines: number }

const HTTP_EXAMPLE = { kind: "http", request: { method: "GET", path: "/", headers: {}, query: {}, params: {}, requestId: "console" } };

export function functionsView(say: (text: string, kind?: "ok" | "error") => void): View {
    const root = section("functions", "Functions", "Every function of the app: pick one to see its recent invocations and what it logged, live.");
    const list = el("div", { id: "function-list" });
    const picker = el("select", { id: "log-function" });
    const logs = el("div", { class: "log", id: "log", "aria-live": "polite", "aria-relevant": "additions" });
    const target = el("select", { id: "invoke-function" });
    const input = el("textarea", { id: "invoke-input", spellcheck: "false" }, pretty(HTTP_EXAMPLE));
    const result = el("pre", { id: "invoke-result", "aria-live": "polite" });
    const form = el("form", { id: "invoke-form" },
        el("label", { for: "invoke-function" }, "Function"), target,
        el("label", { for: "invoke-input" }, "Input (JSON, as the runtime passes it: an http request, an event, …)"), input,
        el("p", {}, el("button", { type: "submit" }, "Invoke")),
        el("h4", {}, "Result"), result);
    root.append(list, el("h3", {}, "Log"), el("label", { for: "log-function" }, "Function"), picker, logs, el("h3", {}, "Invoke"), form);

    let names: string[] = [];
    let stream: EventSource | undefined;
    const records = new Map<number, HTMLElement>();

    const render = (inv: Invocation): HTMLElement => {
        const node = el("article", { class: "invocation", "data-status": inv.status, "data-request-id": inv.requestId, "data-invocation": inv.invocation },
            el("h4", {}, `${time(inv.startedAt)} · ${inv.requestId} · ${inv.status === "running" ? "running" : `${inv.status}, ${ms(inv.durationMs)}`}${inv.coldStart ? " · cold start" : ""}${inv.correlationId && inv.correlationId !== inv.requestId ? ` · correlation ${inv.correlationId}` : ""}`),
            ...inv.lines.map(line),
            inv.droppedLines > 0 && el("p", {}, `(${inv.droppedLines} more line(s) not kept)`),
            inv.error && el("div", { class: "error" }, el("p", {}, `Error: ${inv.error.message}`), inv.error.stack && el("pre", { class: "stack" }, inv.error.stack)));
        return node;
    };
    const line = (l: LogLine) => el("pre", { class: `line ${l.level === "error" || l.level === "warn" ? "error" : ""}`, "data-level": l.level }, `${l.level.toUpperCase()} ${l.text}${l.fields ? ` ${JSON.stringify(l.fields)}` : ""}`);
    const upsert = (inv: Invocation) => {
        const node = render(inv);
        const old = records.get(inv.invocation);
        if (old) old.replaceWith(node);
        else logs.prepend(node);
        records.set(inv.invocation, node);
    };

    const follow = async (name: string) => {
        stream?.close();
        records.clear();
        fill(logs);
        if (!name) return;
        const { invocations } = await call<{ invocations: Invocation[] }>(`/_local/console/api/functions/${encodeURIComponent(name)}/invocations`);
        for (const inv of [...invocations].reverse()) upsert(inv);
        // New invocations and lines as they happen; "end" brings the whole record, error and stack included.
        stream = new EventSource(`/_local/console/api/logs?function=${encodeURIComponent(name)}`);
        stream.addEventListener("start", (e) => upsert({ ...JSON.parse((e as MessageEvent).data), lines: [] }));
        stream.addEventListener("line", (e) => {
            const data = JSON.parse((e as MessageEvent).data) as { invocation: number; line: LogLine };
            const record = records.get(data.invocation);
            // After the lines already shown (the heading, then the lines in order, then the error).
            const shown = record?.querySelectorAll("pre.line");
            if (record) (shown && shown.length > 0 ? shown[shown.length - 1] : record.querySelector("h4"))!.after(line(data.line));
        });
        stream.addEventListener("end", (e) => upsert(JSON.parse((e as MessageEvent).data)));
    };
    picker.addEventListener("change", () => void follow(picker.value).catch((err: Error) => say(err.message, "error")));

    form.addEventListener("submit", (event) => {
        event.preventDefault();
        void (async () => {
            fill(result, "…");
            try {
                const payload = parseField("Input", input.value) ?? {};
                const answer = await call(`/_local/functions/${encodeURIComponent(target.value)}/invoke`, payload);
                fill(result, pretty(answer.result));
                say(`Invoked ${target.value}`);
            } catch (err) {
                fill(result, `Error: ${(err as Error).message}`);
                say(`Invoking ${target.value} failed: ${(err as Error).message}`, "error");
            }
        })();
    });

    return {
        id: "functions",
        title: "Functions",
        root,
        async refresh() {
            const { functions } = await call<{ functions: FunctionRow[] }>("/_local/console/api/functions");
            if (names.join() !== functions.map((f) => f.name).join()) {
                names = functions.map((f) => f.name);
                fill(picker, el("option", { value: "" }, "Choose a function"), ...names.map((n) => el("option", { value: n }, n)));
                fill(target, ...names.map((n) => el("option", { value: n }, n)));
            }
            fillIfChanged(list, functions, () => [table("Functions", ["Function", "Invocations", "Errors", "p50", "p99", "Last cold start", ""], functions.map((f) => [
                f.name, f.invocations, f.errors, ms(f.latencyMs.p50), ms(f.latencyMs.p99), time(f.lastColdStart),
                el("button", { type: "button", class: "secondary", "aria-label": `Show the log of ${f.name}`, onclick: () => {
                    picker.value = f.name;
                    void follow(f.name).then(() => picker.focus(), (err: Error) => say(err.message, "error"));
                } }, "Log"),
            ]), { id: "function-table" })]);
        },
        hide() {
            stream?.close();
            stream = undefined;
            picker.value = "";
            fill(logs);
        },
    };
}
