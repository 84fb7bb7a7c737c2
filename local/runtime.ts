// The local runtime: what the `local` target's components register into, and what `npm start`
// serves. One per process; the program registers, the server reads.
import { FunctionHost, LocalFunctionDefinition } from "./function-host";

export class LocalRuntime {
    readonly functions = new Map<string, FunctionHost>();
    /** Variables every local function gets, e.g. where the runtime listens. */
    readonly sharedEnvironment: Record<string, string> = {};

    constructor(readonly projectDir: string = process.cwd()) {}

    registerFunction(definition: LocalFunctionDefinition): void {
        if (this.functions.has(definition.name)) {
            throw new Error(`local runtime: a function named '${definition.name}' is already registered; component names must be unique`);
        }
        this.functions.set(definition.name, new FunctionHost(definition, this.projectDir, this.sharedEnvironment));
    }

    function(name: string): FunctionHost {
        const host = this.functions.get(name);
        if (!host) throw new Error(`local runtime: no function named '${name}'; known: ${[...this.functions.keys()].join(", ") || "none"}`);
        return host;
    }

    /** Stops every function instance: the end of `npm start`, or of a test. */
    async close(): Promise<void> {
        await Promise.all([...this.functions.values()].map((f) => f.stop()));
    }
}

let current = new LocalRuntime();

/** The runtime the local components register into. */
export function localRuntime(): LocalRuntime {
    return current;
}

/** Starts over with an empty runtime (each evaluation of the program gets its own). */
export function resetLocalRuntime(projectDir?: string): LocalRuntime {
    current = new LocalRuntime(projectDir);
    return current;
}
