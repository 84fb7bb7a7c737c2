// DOT to SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no system binary,
// the same layout on every machine.
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let loaded: Promise<Graphviz> | undefined;

/** Lays out `dot` with Graphviz's `dot` engine and returns the SVG document. */
export async function renderSvg(dot: string): Promise<string> {
    loaded ??= Graphviz.load();
    const graphviz = await loaded;
    try {
        return graphviz.dot(dot, "svg");
    } catch (err) {
        throw new Error(`Graphviz could not lay out the graph: ${err instanceof Error ? err.message : String(err)}`);
    }
}
