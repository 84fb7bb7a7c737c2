// npm run dlq -- list|show|redrive <task> [options]: an AsyncTask's dead letters.
//
// Local (the default, --stack local): opens the local event database directly, no server needed
// (it may run meanwhile: a redriven message is picked up within its poll interval).
//   list <task>                  id, event type, attempts, reason, time, error
//   show <task> --id <id>        the full original event, the error and the attempts
//   redrive <task> [--id <id>]   queue them again with attempts reset; each leaves the DLQ only as it is queued
//   --data-dir <dir>             the runtime's data directory (default .data, or SB_LOCAL_DATA_DIR)
//
// Clouds (--stack dev = Tencent Cloud, --stack prod = AWS): calls functions/runtime/redrive/<cloud>,
// with the task's stack outputs: --queue <url or name> is its `deadLetterQueue` (an SQS queue URL
// on AWS, a TDMQ CMQ queue name on Tencent Cloud) and --function <name> its `functionName`
// (`pulumi stack output` shows both). Credentials come from the environment, as for the SDKs.
//   list --queue <q>; show --queue <q> --id <id>; redrive --queue <q> --function <f> [--max <n>]
import * as path from "node:path";
import { readStackTarget } from "../engine/stack-target";
import type { DeadLetter, RedriveModule } from "../functions/runtime/redrive/dead-letter";
import { DeadLetterRecord, EventStore } from "../local/events/store";
import { SHOP_DIR } from "./shop";

const projectDir = SHOP_DIR;
const COMMANDS = ["list", "show", "redrive"] as const;
type Command = (typeof COMMANDS)[number];
const FLAGS = ["stack", "data-dir", "id", "queue", "function", "max"] as const;

const USAGE = `usage: npm run dlq -- <list|show|redrive> <task> [--id <message id>] [--stack local] [--data-dir .data]
       npm run dlq -- <list|show|redrive> [<task>] --stack <dev|prod> --queue <deadLetterQueue> [--function <functionName>] [--id <id>] [--max <n>]`;

class UsageError extends Error {}

interface Args {
    command: Command;
    task?: string;
    flags: Partial<Record<(typeof FLAGS)[number], string>>;
}

function parseArgs(argv: string[]): Args {
    const [command, ...rest] = argv;
    if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command '${command ?? ""}'; expected list, show or redrive`);
    const flags: Args["flags"] = {};
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (!arg.startsWith("--")) {
            positional.push(arg);
            continue;
        }
        const [name, inline] = arg.slice(2).split(/=(.*)/s);
        if (!FLAGS.includes(name as (typeof FLAGS)[number])) throw new UsageError(`unknown option --${name}; options: ${FLAGS.map((f) => `--${f}`).join(", ")}`);
        const value = inline ?? rest[++i];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
        flags[name as (typeof FLAGS)[number]] = value;
    }
    if (positional.length > 1) throw new UsageError(`one task at a time; got ${positional.join(", ")}`);
    return { command: command as Command, task: positional[0], flags };
}

async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv);
    const stack = args.flags.stack ?? "local";
    const { cloud, region } = stack === "local" ? { cloud: "local", region: "local" } : targetOf(stack);
    if (cloud === "local") return local(args);
    return remote(args, cloud, region);
}

function targetOf(stack: string) {
    try {
        return readStackTarget(projectDir, stack);
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
}

function local(args: Args): number {
    if (!args.task) throw new UsageError("name the task, e.g. npm run dlq -- list send-welcome-email");
    if (args.flags.queue || args.flags.function || args.flags.max) throw new UsageError("--queue, --function and --max are for cloud stacks (--stack dev|prod)");
    const dataDir = path.resolve(args.flags["data-dir"] ?? process.env.SB_LOCAL_DATA_DIR ?? path.join(projectDir, ".data"));
    const store = EventStore.open(dataDir, { mustExist: true });
    try {
        const task = args.task;
        const known = () => store.tasks();
        switch (args.command) {
            case "list": {
                const letters = store.deadLetters(task);
                if (letters.length === 0) {
                    console.log(`no dead letters for task '${task}'${known().includes(task) ? "" : ` (tasks with data here: ${known().join(", ") || "none"})`}`);
                    return 0;
                }
                table(letters.map((d) => [d.id, d.event.type, String(d.attempts), d.reason, new Date(d.failedAt).toISOString(), oneLine(d.error)]), ["id", "type", "attempts", "reason", "dead-lettered", "error"]);
                return 0;
            }
            case "show": {
                const id = required(args, "id");
                const letter = store.deadLetter(task, id);
                if (!letter) throw new UsageError(`task '${task}' has no dead letter with id ${id}; list them with: npm run dlq -- list ${task}`);
                console.log(JSON.stringify(describe(letter), null, 2));
                return 0;
            }
            case "redrive": {
                const { redriven, missing } = store.redrive(task, args.flags.id ? [args.flags.id] : undefined);
                console.log(`redriven ${redriven.length} dead letter(s) of task '${task}'${redriven.length ? `: ${redriven.join(", ")}` : ""}`);
                if (missing.length > 0) console.error(`not found: ${missing.join(", ")}`);
                return missing.length > 0 ? 1 : 0;
            }
        }
    } finally {
        store.close();
    }
}

async function remote(args: Args, cloud: string, region: string): Promise<number> {
    const deadLetterQueue = required(args, "queue");
    const module = loadRedrive(cloud);
    switch (args.command) {
        case "list": {
            const letters = await module.list({ deadLetterQueue, region });
            if (letters.length === 0) console.log(`no dead letters in ${deadLetterQueue}`);
            else table(letters.map((d) => [d.id, eventType(d.event), d.attempts === undefined ? "" : String(d.attempts), d.time ?? "", oneLine(d.error ?? "")]), ["id", "type", "attempts", "time", "error"]);
            return 0;
        }
        case "show": {
            const id = required(args, "id");
            const letter = (await module.list({ deadLetterQueue, region })).find((d) => d.id === id);
            if (!letter) throw new UsageError(`no dead letter with id ${id} in ${deadLetterQueue} (list shows the ones visible now)`);
            console.log(JSON.stringify(letter, null, 2));
            return 0;
        }
        case "redrive": {
            if (args.flags.id) throw new UsageError("--id is for local stacks; on a cloud, redrive takes the queue in order (--max <n> limits how many)");
            const max = args.flags.max === undefined ? undefined : Number(args.flags.max);
            if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new UsageError(`--max '${args.flags.max}' must be a positive whole number`);
            const result = await module.redrive({ deadLetterQueue, functionName: required(args, "function"), region, max });
            console.log(`redriven ${result.redriven}, failed ${result.failed} (from ${deadLetterQueue})`);
            return result.failed > 0 ? 1 : 0;
        }
    }
}

function loadRedrive(cloud: string): RedriveModule {
    const request = `../functions/runtime/redrive/${cloud}`;
    let loaded: Partial<RedriveModule>;
    try {
        loaded = require(request);
    } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((err as Error).message).includes(`redrive/${cloud}'`);
        if (missing) throw new UsageError(`no dead-letter tooling for ${cloud} yet: functions/runtime/redrive/${cloud}.ts does not exist`);
        throw err;
    }
    if (typeof loaded.list !== "function" || typeof loaded.redrive !== "function") {
        throw new UsageError(`functions/runtime/redrive/${cloud}.ts must export list() and redrive()`);
    }
    return loaded as RedriveModule;
}

function required(args: Args, flag: "id" | "queue" | "function"): string {
    const value = args.flags[flag];
    if (!value) {
        const hint = flag === "queue" ? " (the AsyncTask's deadLetterQueue stack output)" : flag === "function" ? " (the AsyncTask's functionName stack output)" : "";
        throw new UsageError(`${args.command} needs --${flag}${hint}`);
    }
    return value;
}

function describe(letter: DeadLetterRecord) {
    return {
        id: letter.id,
        task: letter.task,
        attempts: letter.attempts,
        reason: letter.reason,
        error: letter.error,
        queuedAt: new Date(letter.enqueuedAt).toISOString(),
        deadLetteredAt: new Date(letter.failedAt).toISOString(),
        event: letter.event,
    };
}

function eventType(event: DeadLetter["event"]): string {
    const e = event as Record<string, unknown> | null;
    return String(e?.["detail-type"] ?? e?.type ?? "");
}

function oneLine(text: string): string {
    const flat = text.replace(/\s+/g, " ");
    return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

function table(rows: string[][], header: string[]): void {
    const all = [header, ...rows];
    const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
    for (const row of all) console.log(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join("  "));
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(`dlq: ${err instanceof Error ? err.message : String(err)}`);
        if (err instanceof UsageError) console.error(USAGE);
        process.exit(err instanceof UsageError ? 2 : 1);
    },
);
