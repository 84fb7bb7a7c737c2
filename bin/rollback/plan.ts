// What `npm run rollback` does, decided the same way on every target from each function's alias:
// its published versions and the versions its `live` alias sends traffic to (one, or two during a
// canary). Without --to it goes back to the newest published version below the newest live one
// (during a canary: the version taking the rest of the traffic), and the alias ends up on that
// version alone, its weighted routing cleared.

/** One function's alias as read from the target (the runtime, Lambda, SCF). */
export interface AliasState {
    /** The Function component's name: what the stack config's pinnedVersions names. */
    name: string;
    /** Published versions, oldest first ("1", "2", ...). */
    versions: string[];
    /** The versions the alias routes to: its primary version, then any weighted additional one. */
    live: string[];
}

export interface RollbackStep {
    name: string;
    from: string[];
    to: string;
}

export class RollbackError extends Error {}

/**
 * The rollback of `only` (or of every function that has somewhere to go back to) to `to` (or to
 * each one's previous version). Throws RollbackError naming the known functions or versions.
 */
export function planRollback(aliases: readonly AliasState[], only?: string, to?: string): RollbackStep[] {
    if (to !== undefined && only === undefined) throw new RollbackError("--to needs --function: versions are numbered per function");
    if (only !== undefined) {
        const alias = aliases.find((a) => a.name === only);
        if (!alias) throw new RollbackError(`unknown function '${only}'; functions: ${aliases.map((a) => a.name).join(", ") || "none"}`);
        if (to !== undefined) {
            if (!alias.versions.includes(to)) throw new RollbackError(`function '${only}' has no version '${to}'; published: ${alias.versions.join(", ") || "none"}`);
            if (alias.live.length === 1 && alias.live[0] === to) throw new RollbackError(`function '${only}' runs version ${to} already`);
            return [{ name: only, from: alias.live, to }];
        }
        const previous = previousVersion(alias);
        if (previous === undefined) throw new RollbackError(`function '${only}' has nothing to roll back to: live ${describeLive(alias.live)}, published: ${alias.versions.join(", ") || "none"}`);
        return [{ name: only, from: alias.live, to: previous }];
    }
    const steps = aliases.flatMap((alias) => {
        const previous = previousVersion(alias);
        return previous === undefined ? [] : [{ name: alias.name, from: alias.live, to: previous }];
    });
    if (steps.length === 0) throw new RollbackError(`nothing to roll back to: no function has a version before its live one (${aliases.map((a) => `${a.name} ${describeLive(a.live)}`).join(", ") || "no functions"})`);
    return steps;
}

/** The newest published version below the newest live one. */
export function previousVersion(alias: AliasState): string | undefined {
    const newestLive = Math.max(...alias.live.map(Number));
    return alias.versions.filter((v) => Number(v) < newestLive).sort((a, b) => Number(a) - Number(b)).at(-1);
}

export function describeLive(live: readonly string[]): string {
    return live.length === 1 ? `version ${live[0]}` : `versions ${live.join(" and ")}`;
}

export function describeStep(step: RollbackStep): string {
    return `${step.name}: live ${describeLive(step.from)} -> version ${step.to}`;
}
