// npm run rollback -- --stack <local|dev|prod> [--function NAME] [--to VERSION] [--dry-run]
//
// Points functions' `live` aliases back to the previous (or the given) published version through
// the target's API, without a build, then pins it in the stack config
// (`serverless-blocks:pinnedVersions` in Pulumi.<stack>.yaml) so the next `pulumi up` / `npm start`
// keeps it until the pin is removed. docs/releases.md explains releases, canaries and rollbacks.
import * as path from "node:path";
import { readStackConfig } from "../engine/stack-config";
import { stackTarget } from "../engine/stack-target";
import { cloudAliases, deployedFunctions, readStackExport, type AliasApi, type DeployedFunction } from "./rollback/cloud";
import { runningAliases, runningRuntime, storedAliases, type LocalTarget } from "./rollback/local";
import { describeStep, planRollback, RollbackError, type AliasState, type RollbackStep } from "./rollback/plan";
import { PINNED_VERSIONS_KEY, stackFile, writePins } from "./rollback/stack-pin";
import { SHOP_DIR } from "./shop";

export const USAGE = `usage: npm run rollback -- --stack <local|dev|prod> [--function NAME] [--to VERSION] [--dry-run]

Points each function's live alias back to its previous published version (or to --to VERSION),
through the target's API and without a build, and pins that version in Pulumi.<stack>.yaml
(${PINNED_VERSIONS_KEY}) so the next pulumi up or npm start keeps it; remove the pin to release it.
Without --function: every function that has a version before its live one.

  --stack NAME        the stack (default local); its config names the cloud
  --function NAME     one function, by its component name (as the stack config's pins name it)
  --to VERSION        that published version instead of the previous one (needs --function)
  --dry-run           print what would change; change nothing
  --state FILE        cloud stacks: a \`pulumi stack export\` file, when the Pulumi CLI is not installed
  --data-dir DIR      local: the runtime's data directory (default SB_LOCAL_DATA_DIR, else .data)
  --url URL           local: where npm start listens (default SB_LOCAL_URL, else http://127.0.0.1:$PORT or :3000)
  --project-dir DIR   where Pulumi.yaml and Pulumi.<stack>.yaml are (default this project)
  --help              this text

Clouds are called with the SDKs' usual credentials; AWS_ENDPOINT_URL_LAMBDA and
TENCENTCLOUD_SCF_ENDPOINT send the calls to another address.`;

const VALUE_FLAGS = ["stack", "function", "to", "state", "data-dir", "url", "project-dir"] as const;
type Flag = (typeof VALUE_FLAGS)[number];

export interface RollbackArgs {
    flags: Partial<Record<Flag, string>>;
    dryRun: boolean;
    help: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): RollbackArgs {
    const args: RollbackArgs = { flags: {}, dryRun: false, help: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") args.help = true;
        else if (arg === "--dry-run") args.dryRun = true;
        else if (arg.startsWith("--")) {
            const [name, inline] = arg.slice(2).split(/=(.*)/s);
            if (!VALUE_FLAGS.includes(name as Flag)) throw new UsageError(`unknown option --${name}; options: ${[...VALUE_FLAGS, "dry-run", "help"].map((f) => `--${f}`).join(", ")}`);
            const value = inline ?? argv[++i];
            if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
            args.flags[name as Flag] = value;
        } else throw new UsageError(`unexpected argument '${arg}'`);
    }
    return args;
}

/** Runs a rollback; every line it reports goes to `out`. Resolves to the exit code. */
export async function rollback(argv: readonly string[], out: (line: string) => void = console.log): Promise<number> {
    const args = parseArgs(argv);
    if (args.help) {
        out(USAGE);
        return 0;
    }
    const projectDir = path.resolve(args.flags["project-dir"] ?? SHOP_DIR);
    const stack = args.flags.stack ?? "local";
    const config = readStackConfig(projectDir, stack).config;
    const target = await openTarget(stack, config, projectDir, args);
    const steps = planRollback(target.aliases, args.flags.function, args.flags.to);
    for (const step of steps) out(`${args.dryRun ? "would roll back" : "rolling back"} ${describeStep(step)}`);
    if (args.dryRun) {
        out(`dry run: no alias changed, ${path.basename(stackFile(projectDir, stack))} not written`);
        return 0;
    }
    const moved: RollbackStep[] = [];
    try {
        for (const step of steps) {
            await target.point(step);
            moved.push(step);
        }
    } finally {
        // What moved is pinned even when a later function fails: the next deploy must not undo it.
        if (moved.length > 0 && moved.length < steps.length) writePins(projectDir, stack, Object.fromEntries(moved.map((s) => [s.name, s.to])));
    }
    const file = writePins(projectDir, stack, Object.fromEntries(steps.map((s) => [s.name, s.to])));
    out(`${target.applied} pinned in ${path.relative(process.cwd(), file) || file} (${PINNED_VERSIONS_KEY}) so that ${target.keeps}; remove the pin to release it`);
    return 0;
}

interface Target {
    aliases: AliasState[];
    point(step: RollbackStep): Promise<void>;
    /** What happened to the aliases, for the last line. */
    applied: string;
    /** What the pin does next. */
    keeps: string;
}

async function openTarget(stack: string, config: Record<string, string>, projectDir: string, args: RollbackArgs): Promise<Target> {
    const { cloud, region } = stackTarget(stack, config);
    if (cloud === "local") return localTarget(config, projectDir, args);
    const functions = deployedFunctions(readStackExport(stack, args.flags.state), cloud);
    // Loaded only for a cloud stack: the AWS SDK alone takes a second or two to load.
    const { lambdaAliasApi } = await import("./rollback/aws");
    const { scfAliasApi } = await import("./rollback/tencentcloud");
    const api = (fn: DeployedFunction): AliasApi => (cloud === "aws" ? lambdaAliasApi(region) : scfAliasApi(region, fn.namespace ?? "default"));
    const byName = new Map(functions.map((f) => [f.name, f]));
    return {
        aliases: await cloudAliases(api, functions),
        async point(step) {
            const fn = byName.get(step.name)!;
            await api(fn).point(fn.functionName, fn.alias, step.to);
        },
        applied: "Moved;",
        keeps: "the next pulumi up keeps it there",
    };
}

async function localTarget(config: Record<string, string>, projectDir: string, args: RollbackArgs): Promise<Target> {
    if (args.flags.state) throw new UsageError("--state is for cloud stacks; the local stack's versions are in its data directory");
    const target: LocalTarget = {
        // As the runtime finds it (components/local/settings.ts localDataDirOf, not imported: it loads @pulumi/pulumi).
        dataDir: args.flags["data-dir"] === undefined ? path.resolve(projectDir, process.env.SB_LOCAL_DATA_DIR ?? ".data") : path.resolve(args.flags["data-dir"]),
        url: (args.flags.url ?? process.env.SB_LOCAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, ""),
        release: {
            canary: jsonConfig(config, "serverless-blocks:canary") as LocalTarget["release"]["canary"],
            pinnedVersions: (jsonConfig(config, PINNED_VERSIONS_KEY) as Record<string, string> | undefined) ?? {},
        },
    };
    const runtime = await runningRuntime(target);
    if (runtime) {
        return {
            aliases: await runningAliases(runtime),
            point: async (step) => void (await runtime.pin(step.name, step.to)),
            applied: `Switched in the runtime at ${runtime.url} (the next invocation runs it);`,
            keeps: "the next npm start keeps it there",
        };
    }
    const aliases = storedAliases(target);
    if (aliases.length === 0) throw new RollbackError(`no function has a published version in ${target.dataDir}, and no runtime answers at ${target.url}: npm start publishes a version of each function's build`);
    return {
        aliases,
        point: async () => {},
        applied: `No runtime answers at ${target.url} with ${target.dataDir}'s token, so nothing switched now;`,
        keeps: "the next npm start routes there",
    };
}

function jsonConfig(config: Record<string, string>, key: string): unknown {
    return config[key] === undefined ? undefined : JSON.parse(config[key]);
}

if (require.main === module) {
    rollback(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: Error) => {
            console.error(`rollback: ${err.message}`);
            if (err instanceof UsageError) console.error(USAGE.split("\n")[0]);
            process.exit(err instanceof UsageError || err instanceof RollbackError ? 2 : 1);
        },
    );
}
