// The typical app's stacks evaluated through the SDK's launcher once per test run: the launcher's
// own checks, the policy pack and the architecture graph read the same evaluations, each of which
// costs a program run (seconds), and none of them changes what it reads.
import * as path from "node:path";
import { evaluateStack, type Evaluation } from "../../engine/program";
import { SHOP_DIR } from "../../bin/shop";

const projectDir = SHOP_DIR;
const evaluations = new Map<string, Promise<Evaluation>>();

/** The app's `stack` as `npm run plan` evaluates it (`preview`), or as `pulumi up` would (`update`). */
export function appStack(stack: string, mode: "preview" | "update"): Promise<Evaluation> {
    const key = `${stack} ${mode}`;
    let evaluation = evaluations.get(key);
    if (!evaluation) {
        evaluation = evaluateStack(projectDir, stack, { mode });
        evaluations.set(key, evaluation);
        // A failed run is not kept: the next suite gets its own error.
        evaluation.catch(() => evaluations.delete(key));
    }
    return evaluation;
}
