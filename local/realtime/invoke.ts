// One socket event to one of a Realtime's functions, and what it answered. The function's adapter
// (functions/runtime/adapters/local.ts) runs it through runSocket, so the answer is a
// SocketOutcome; anything else means the handler is not made with onSocket(...).
import type { SocketDelivery, SocketOutcome } from "../../functions/runtime/adapters/socket";
import type { LocalRuntime } from "../runtime";

export async function invokeSocket(runtime: LocalRuntime, functionName: string, delivery: SocketDelivery): Promise<SocketOutcome> {
    const outcome = await runtime.function(functionName).invoke({ kind: "socket", delivery });
    if (typeof outcome !== "object" || outcome === null) {
        throw new Error(`function '${functionName}' answered no socket outcome: is its handler made with onSocket(...)?`);
    }
    return outcome as SocketOutcome;
}
