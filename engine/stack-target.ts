// Which cloud and region a stack deploys to, for the tools that act on a stack without running
// its program (plan output, dead-letter redrive, rollback). The same keys and rules the
// components read (components/config.ts), so a tool and the program never disagree.
import { CLOUDS, type CloudName, PROJECT } from "../components/config";
import { readStackConfig } from "./stack-config";

export interface StackTarget {
    cloud: CloudName;
    /** `aws:region` / `tencentcloud:region`; "local" for the local target. */
    region: string;
}

/** From a stack's config (as readStackConfig builds it); an Error naming the key when it is wrong. */
export function stackTarget(stack: string, config: Record<string, string>): StackTarget {
    const cloud = config[`${PROJECT}:cloud`] ?? "local";
    if (!(CLOUDS as readonly string[]).includes(cloud)) {
        throw new Error(`stack '${stack}': ${PROJECT}:cloud '${cloud}' is not allowed; allowed values: ${CLOUDS.join(", ")}`);
    }
    if (cloud === "local") return { cloud, region: "local" };
    const region = config[`${cloud}:region`];
    if (!region) throw new Error(`stack '${stack}': ${cloud}:region is missing; set it with \`pulumi config set ${cloud}:region <region>\``);
    return { cloud: cloud as CloudName, region };
}

/** Reads Pulumi.<stack>.yaml of the project in `projectDir`. */
export function readStackTarget(projectDir: string, stack: string): StackTarget {
    return stackTarget(stack, readStackConfig(projectDir, stack).config);
}
