// How local runtime clients reach the local runtime from function code. A local function runs in
// a worker thread of the runtime's process: a call is a message to the host, which answers it
// (no server needed). Code running elsewhere (a script next to `npm start`) uses the runtime's
// HTTP endpoint, SB_LOCAL_URL.
import { parentPort, workerData } from "node:worker_threads";

interface Reply { kind: "reply"; id: number; ok: boolean; result?: unknown; message?: string }

const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextId = 0;
let listening = false;

/** Whether this code runs inside a local runtime's function instance. */
export function inLocalFunction(): boolean {
    return parentPort !== null && (workerData as { localRuntime?: boolean } | undefined)?.localRuntime === true;
}

/** Calls `method` on the local runtime hosting this function; rejects with the runtime's error. */
export function callRuntime(method: string, args: unknown): Promise<unknown> {
    if (!inLocalFunction()) return Promise.reject(new Error(`${method}: not inside a local function instance`));
    const port = parentPort!;
    if (!listening) {
        listening = true;
        port.on("message", (msg: Reply) => {
            if (!msg || msg.kind !== "reply") return;
            const call = pending.get(msg.id);
            if (!call) return;
            pending.delete(msg.id);
            if (msg.ok) call.resolve(msg.result);
            else call.reject(new Error(msg.message ?? `${method} failed`));
        });
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ kind: "call", id, method, args });
    });
}
