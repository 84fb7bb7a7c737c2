// What the benchmarks share: their command-line numbers and the summaries they print.
import * as os from "node:os";

/** `--<name> N` from the command line, a positive whole number; `fallback` when not given. */
export function wholeOption(name: string, fallback: number): number {
    const i = process.argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
    return value;
}

/** The nearest-rank percentile `p` (0-100) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** `--json`: the bench prints one JSON document on stdout (for bench/index.ts) instead of its text. */
export function jsonRequested(): boolean {
    return process.argv.includes("--json");
}

/** Where the numbers were measured: they mean little without it. */
export function machine(): { node: string; cores: number; cpu: string } {
    return { node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model.trim() ?? "unknown cpu" };
}
