// npm run graph -- --stack dev|prod|local [--out FILE.svg] [--dot | --json] [--all] [--project DIR] [--config k=v]
// Draws the stack's architecture: its components as boxes around their cloud resources, and the
// flows between them (events, routes, uploads, workflow steps, links). The program runs as
// `npm run plan -- --outputs` runs it (the SDK's launcher, the in-process engine, nothing
// deployed), so the ARNs and ids that wire resources together are known and every flow shows.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { toDot } from "../engine/graph/dot";
import { architectureOf } from "../engine/graph/model";
import { renderSvg } from "../engine/graph/svg";
import { evaluateStack } from "../engine/program";
import { SHOP_DIR } from "./shop";

const USAGE = `usage: npm run graph -- --stack <name> [--out FILE.svg] [--dot | --json] [--all] [--project DIR] [--config key=value ...]
  --stack    the stack to draw: dev (Tencent Cloud), prod (AWS), local (npm start), or another Pulumi.<stack>.yaml
  --out      where to write the picture (default: standard output)
  --dot      write Graphviz DOT instead of SVG
  --json     write the architecture itself (components, resources, flows) as JSON
  --all      draw every resource (default: supporting ones, e.g. roles and log groups, are counted in their component's label)`;

class UsageError extends Error {}

async function main(): Promise<void> {
    let values;
    try {
        ({ values } = parseArgs({
            options: {
                stack: { type: "string" },
                out: { type: "string", short: "o" },
                dot: { type: "boolean" },
                json: { type: "boolean" },
                all: { type: "boolean" },
                project: { type: "string" },
                config: { type: "string", multiple: true, short: "c" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    if (values.help) return void console.log(USAGE);
    if (!values.stack) throw new UsageError("--stack is required");
    if (values.dot && values.json) throw new UsageError("--dot and --json: choose one format");
    const format = values.dot ? "dot" : values.json ? "json" : "svg";
    const extension = values.out ? path.extname(values.out).toLowerCase().slice(1) : "";
    if (["svg", "dot", "json"].includes(extension) && extension !== format) {
        throw new UsageError(`--out '${values.out}' is a .${extension} file but the output is ${format.toUpperCase()}: ${extension === "svg" ? "drop --dot/--json" : `use --${extension}`} or rename the file`);
    }
    const overrides: Record<string, string> = {};
    for (const pair of values.config ?? []) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new UsageError(`--config '${pair}': expected key=value`);
        overrides[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const projectDir = path.resolve(values.project ?? SHOP_DIR);
    const evaluation = await evaluateStack(projectDir, values.stack, { mode: "update", overrides });
    for (const log of evaluation.logs) if (log.severity === "warning") console.error(`warning: ${log.message.trim()}`);
    if (evaluation.resources.length === 0) console.error("warning: the program registered no resources: the picture is empty");
    const cloud = evaluation.config["serverless-blocks:cloud"] ?? "local";
    const architecture = architectureOf(evaluation.resources);
    const dot = toDot(architecture, { title: `${evaluation.project} / ${values.stack} (${cloud})`, detail: values.all ? "all" : "main" });
    const text = format === "json" ? `${JSON.stringify(architecture, null, 2)}\n` : format === "dot" ? dot : await renderSvg(dot);
    if (!values.out) return void process.stdout.write(text);
    fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
    fs.writeFileSync(values.out, text);
    console.error(`wrote ${values.out} (${format.toUpperCase()}, ${text.length} bytes)`);
}

main().catch((err) => {
    console.error(`graph failed: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exit(err instanceof UsageError ? 2 : 1);
});
