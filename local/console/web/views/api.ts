// API: every BusinessApi route with the function behind it and whether it needs a signed-in
// user, and a request runner that sends a request to the app's /api and shows the answer.
import { call, el, fill, fillIfChanged, table } from "../dom";
import type { View } from "../main";
import { section } from "./section";

interface Api { name: string; routes: { key: string; functionName: string; auth: boolean }[] }

export function apiView(say: (text: string, kind?: "ok" | "error") => void): View {
    const root = section("api", "API", "The app's HTTP routes, and a runner that sends them a request.");
    const list = el("div", { id: "route-list" });
    const method = el("select", { id: "request-method" }, ...["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => el("option", { value: m }, m)));
    const path = el("input", { id: "request-path", value: "/api/hello?name=console", autocomplete: "off" });
    const auth = el("input", { id: "request-auth", placeholder: "Bearer eyJ…", autocomplete: "off" });
    const body = el("textarea", { id: "request-body", spellcheck: "false" });
    const response = el("pre", { id: "request-response", "aria-live": "polite" });
    const form = el("form", { id: "request-form" },
        el("label", { for: "request-method" }, "Method"), method,
        el("label", { for: "request-path" }, "Path"), path,
        el("label", { for: "request-auth" }, "Authorization header (optional)"), auth,
        el("label", { for: "request-body" }, "Body (JSON, optional)"), body,
        el("p", {}, el("button", { type: "submit" }, "Send")),
        el("h4", {}, "Response"), response);
    root.append(list, el("h3", {}, "Send a request"), form);

    form.addEventListener("submit", (event) => {
        event.preventDefault();
        void (async () => {
            if (!path.value.startsWith("/api/")) return say("The path must start with /api/ (the app's routes)", "error");
            fill(response, "…");
            try {
                const headers: Record<string, string> = {};
                if (auth.value.trim()) headers.authorization = auth.value.trim();
                if (body.value.trim()) headers["content-type"] = "application/json";
                const res = await fetch(path.value, { method: method.value, headers, body: body.value.trim() && method.value !== "GET" ? body.value : undefined });
                const text = await res.text();
                let shown = text;
                try {
                    shown = JSON.stringify(JSON.parse(text), null, 2);
                } catch {
                    // not JSON: shown as it came
                }
                fill(response, `${res.status} ${res.statusText}\nx-request-id: ${res.headers.get("x-request-id") ?? "—"}\n\n${shown}`);
            } catch (err) {
                fill(response, `The request failed: ${(err as Error).message}`);
            }
        })();
    });

    return {
        id: "api",
        title: "API",
        root,
        async refresh() {
            const { apis } = await call<{ apis: Api[] }>("/_local/console/api/apis");
            fillIfChanged(list, apis, () => apis.map((api) => el("div", {},
                el("h3", {}, `API ${api.name}`),
                table(`Routes of ${api.name}`, ["Route", "Function", "Sign-in"], api.routes.map((r) => [
                    r.key, r.functionName,
                    el("span", {}, r.auth ? "required" : "public"),
                ])))));
        },
    };
}
