// Small DOM helpers for the console page: elements built from data with text (never HTML from
// data: what functions log is shown as it is), and the page's calls to /_local (the token rides
// along in the HttpOnly cookie the console URL set, local/console/page.ts).

type Child = Node | string | number | undefined | null | false;
type Attributes = Record<string, string | number | boolean | undefined | EventListener>;

/** `el("button", { type: "button", onclick: f }, "Redrive")`: attributes, listeners (on…), children as text or nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined || value === false) continue;
        if (typeof value === "function") node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? "" : String(value));
    }
    append(node, ...children);
    return node;
}

export function append(node: Node, ...children: Child[]): void {
    for (const child of children) {
        if (child === undefined || child === null || child === false) continue;
        node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
}

/** Replaces what `node` holds. */
export function fill(node: Node, ...children: Child[]): void {
    while (node.firstChild) node.removeChild(node.firstChild);
    append(node, ...children);
}

/**
 * Replaces what `node` holds only when `data` differs from what it was built from: a refresh that
 * changes nothing leaves the focus and the reading position where they were.
 */
export function fillIfChanged(node: HTMLElement, data: unknown, build: () => Child[]): void {
    const signature = JSON.stringify(data);
    if (node.dataset.signature === signature) return;
    node.dataset.signature = signature;
    fill(node, ...build());
}

/** A table with a caption and column headers; `rows` are cells (text or nodes). */
export function table(caption: string, headers: string[], rows: Child[][], attributes: Attributes = {}): HTMLElement {
    // A wide table scrolls sideways at phone width: the region is focusable so keyboards can scroll it too.
    return el(
        "div",
        { class: "scroll", tabindex: 0, role: "region", "aria-label": caption },
        el(
            "table",
            attributes,
            el("caption", { class: "visually-hidden" }, caption),
            el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
            el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c, i) => (i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c)))))),
        ),
    );
}

export class ApiError extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}

/** GET or POST (JSON) to the runtime; the JSON answer, or an ApiError with the runtime's message. */
export async function call<T = any>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(path, body === undefined ? { credentials: "same-origin" } : { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    let json: any;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? `${res.status} ${res.statusText}`);
    return json as T;
}

/** Parses a form field's JSON, naming the field when it is not JSON. */
export function parseField(label: string, text: string): unknown {
    if (text.trim() === "") return undefined;
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new Error(`${label} is not valid JSON: ${(err as Error).message}`);
    }
}

export function pretty(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

export function ms(value: number | undefined): string {
    return value === undefined ? "—" : `${value} ms`;
}

export function time(iso: string | undefined): string {
    return iso ? new Date(iso).toLocaleTimeString() : "—";
}
