// A cloud stack's functions for a rollback. Their physical names exist only in the Pulumi state
// (Lambda and SCF names carry a suffix Pulumi chose), so they come from `pulumi stack export`: run
// for the stack when the Pulumi CLI is installed, or read from a file it wrote (--state). Each
// `live` alias resource in it names its function, and its parent Function component the name the
// stack config's pinnedVersions uses.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import type { AliasState } from "./plan";

/** A cloud's alias operations (./aws.ts, ./tencentcloud.ts). */
export interface AliasApi {
    /** The versions the alias routes to: its primary version, then any weighted additional one. */
    live(functionName: string, alias: string): Promise<string[]>;
    /** Published versions ($LATEST left out). */
    versions(functionName: string): Promise<string[]>;
    /** Points the alias at `version` alone, clearing any weighted routing. */
    point(functionName: string, alias: string, version: string): Promise<void>;
}

export interface DeployedFunction {
    /** The Function component's name. */
    name: string;
    /** The cloud's name for the function. */
    functionName: string;
    alias: string;
    /** SCF's namespace. */
    namespace?: string;
}

/** The alias resource type on each cloud, as Pulumi records it. */
export const ALIAS_TYPES = {
    aws: "aws:lambda/alias:Alias",
    tencentcloud: "tencentcloud:index/scfFunctionAlias:ScfFunctionAlias",
} as const;

const FUNCTION_COMPONENT = "serverless-blocks:index:Function";

interface StateResource {
    urn: string;
    type: string;
    parent?: string;
    outputs?: Record<string, unknown>;
}

/** The `pulumi stack export` JSON of `stack`: from `stateFile` when given, else from the Pulumi CLI. */
export function readStackExport(stack: string, stateFile?: string): unknown {
    if (stateFile !== undefined) return JSON.parse(fs.readFileSync(stateFile, "utf8"));
    try {
        return JSON.parse(execFileSync("pulumi", ["stack", "export", "--stack", stack], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] }));
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
            throw new Error(`the Pulumi CLI is not installed here, and the functions' names are in stack '${stack}''s state: pass --state FILE, a file written by \`pulumi stack export --stack ${stack} > FILE\``);
        }
        throw err;
    }
}

/** Each Function's live alias in an exported deployment, by component name. */
export function deployedFunctions(exported: unknown, cloud: keyof typeof ALIAS_TYPES): DeployedFunction[] {
    const resources = (exported as { deployment?: { resources?: StateResource[] } })?.deployment?.resources;
    if (!Array.isArray(resources)) throw new Error("the state is not a `pulumi stack export` document: no deployment.resources");
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const componentOf = (r: StateResource): string | undefined => {
        for (let p = r.parent && byUrn.get(r.parent); p; p = p.parent ? byUrn.get(p.parent) : undefined) if (p.type === FUNCTION_COMPONENT) return urnName(p.urn);
        return undefined;
    };
    return resources
        .filter((r) => r.type === ALIAS_TYPES[cloud] && r.outputs)
        .flatMap((r) => {
            const name = componentOf(r);
            const { functionName, name: alias, namespace } = r.outputs as { functionName?: string; name?: string; namespace?: string };
            if (!name || !functionName || !alias) return [];
            return [{ name, functionName, alias, ...(namespace ? { namespace } : {}) }];
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads each function's alias through the cloud's API. */
export async function cloudAliases(api: (fn: DeployedFunction) => AliasApi, functions: readonly DeployedFunction[]): Promise<AliasState[]> {
    return Promise.all(
        functions.map(async (fn) => {
            const [live, versions] = await Promise.all([api(fn).live(fn.functionName, fn.alias), api(fn).versions(fn.functionName)]);
            return { name: fn.name, live, versions: versions.sort((a, b) => Number(a) - Number(b)) };
        }),
    );
}

function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}
