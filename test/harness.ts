// The one way tests evaluate Pulumi programs: through the project's in-process engine (the
// only place that sets Pulumi's mocks), with the config of a target cloud.
import * as assert from "node:assert/strict";
import type { CloudName } from "../components/config";
import { isLocalDescriptor } from "../components/local/descriptor";
import { EnginePackage, EngineResource, runProgram } from "../engine/run";
import { loadResources } from "../local/load";
import { LocalRuntime, resetLocalRuntime } from "../local/runtime";

export const TARGET_CONFIG: Record<CloudName, Record<string, string>> = {
    aws: { "serverless-blocks:cloud": "aws", "aws:region": "us-east-1" },
    tencentcloud: { "serverless-blocks:cloud": "tencentcloud", "tencentcloud:region": "ap-guangzhou" },
    local: { "serverless-blocks:cloud": "local" },
};

export const CLOUDS: CloudName[] = ["aws", "tencentcloud", "local"];

export class Evaluated {
    /** The component and cloud resources the program registered, as a plan lists them for review. */
    readonly resources: EngineResource[];
    /** The local target's descriptors: the local runtime's input, already loaded into `runtime`. */
    readonly descriptors: EngineResource[];

    constructor(
        registered: EngineResource[],
        readonly outputs: Record<string, any>,
        readonly runtime: LocalRuntime,
        readonly packages: EnginePackage[],
    ) {
        this.resources = registered.filter((r) => !isLocalDescriptor(r.type));
        this.descriptors = registered.filter((r) => isLocalDescriptor(r.type));
    }

    ofType(type: string): EngineResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` (named `name`, when given); fails listing what there is. */
    one(type: string, name?: string): EngineResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}; resources: ${this.resources.map((r) => `${r.type} ${r.name}`).join(", ")}`);
        return found[0];
    }

    childrenOf(parent: string): EngineResource[] {
        return this.resources.filter((r) => r.parent === parent);
    }
}

/**
 * Evaluates `program` for `cloud`; the local runtime is fresh for each evaluation and built from
 * what the program recorded, as `npm start` builds it. The program and the runtime find the data
 * directory the same way (SB_LOCAL_DATA_DIR, else .data).
 */
export async function evaluate(cloud: CloudName, program: () => unknown, config: Record<string, string> = {}): Promise<Evaluated> {
    const runtime = resetLocalRuntime(process.cwd());
    const result = await runProgram(program, { project: "serverless-blocks", stack: "test", config: { ...TARGET_CONFIG[cloud], ...config } });
    loadResources(runtime, result.resources);
    return new Evaluated(result.resources, result.outputs, runtime, result.packages);
}

/** Evaluates `program`, expecting it to fail; returns the error and what got registered anyway. */
export async function evaluateFailing(cloud: CloudName, program: () => unknown, config: Record<string, string> = {}): Promise<{ error: Error; registered: EngineResource[] }> {
    const registered: EngineResource[] = [];
    try {
        await runProgram(program, { project: "serverless-blocks", stack: "test", config: { ...TARGET_CONFIG[cloud], ...config }, onRegister: (r) => registered.push(r as EngineResource) });
    } catch (error) {
        return { error: error as Error, registered };
    }
    throw new assert.AssertionError({ message: `expected the program to fail on ${cloud}` });
}

/** Policies and documents arrive as JSON text in resource inputs. */
export const json = (text: unknown): any => JSON.parse(String(text));
