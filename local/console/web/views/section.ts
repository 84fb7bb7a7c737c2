// A console section: its landmark, its heading (focusable, for the tab change) and its parts.
import { el } from "../dom";

export function section(id: string, title: string, intro: string): HTMLElement {
    return el("section", { id, "aria-labelledby": `${id}-title` }, el("h2", { id: `${id}-title`, tabindex: -1 }, title), el("p", {}, intro));
}
