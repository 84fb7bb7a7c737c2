// The local runtime's function instances: isolation, timeouts and recovery, like a cloud's.
import * as assert from "node:assert/strict";
import { closure, Function } from "../../components";
import { http } from "../../functions/runtime";
import { FunctionTimeoutError } from "../../local/function-host";
import { evaluate } from "../harness";

const call = { kind: "http", request: { method: "GET", path: "/", headers: {}, query: {}, params: {}, requestId: "t" } };

describe("local function instances", function () {
    this.timeout(30_000);

    it("ends an instance that runs past its timeout, then starts a fresh one", async () => {
        const stack = await evaluate("local", () =>
            new Function("slow", {
                timeout: 1,
                code: closure(http(async (req) => {
                    const state = globalThis as { calls?: number };
                    state.calls = (state.calls ?? 0) + 1;
                    if (req.query.wait) await new Promise((r) => setTimeout(r, 5_000));
                    return { calls: state.calls };
                })),
            }));
        const host = stack.runtime.function("slow");
        try {
            assert.deepEqual(JSON.parse(((await host.invoke(call)) as any).body), { calls: 1 });
            const started = Date.now();
            await assert.rejects(host.invoke({ ...call, request: { ...call.request, query: { wait: "1" } } }), FunctionTimeoutError);
            assert.ok(Date.now() - started < 4_000, "the timeout, not the handler, ended the call");
            // A new instance: module state starts over, as after a cold start.
            assert.deepEqual(JSON.parse(((await host.invoke(call)) as any).body), { calls: 1 });
            assert.equal(host.errors, 1);
        } finally {
            await stack.runtime.close();
        }
    });

    it("fails only the call whose input cannot reach the instance, and leaves no timer behind to end the others", async () => {
        const stack = await evaluate("local", () =>
            new Function("steady", {
                timeout: 1,
                code: closure(http(async (req) => {
                    if (req.query.wait) await new Promise((r) => setTimeout(r, Number(req.query.wait)));
                    return { ok: true };
                })),
            }));
        const host = stack.runtime.function("steady");
        try {
            await host.invoke(call); // the instance is up before the clock starts
            let deep: unknown = {};
            for (let i = 0; i < 10_000; i++) deep = [deep];
            await assert.rejects(host.invoke({ ...call, deep }), /function 'steady' failed: its input cannot be passed to the instance/);
            // In flight when the bad call's timer (1 s) would have fired: it must still answer.
            await new Promise((r) => setTimeout(r, 500));
            const body = JSON.parse(((await host.invoke({ ...call, request: { ...call.request, query: { wait: "800" } } })) as any).body);
            assert.deepEqual(body, { ok: true });
        } finally {
            await stack.runtime.close();
        }
    });

    it("gives an instance its own variables and none of the host's", async () => {
        process.env.HOST_ONLY_SECRET = "must-not-leak";
        const stack = await evaluate("local", () =>
            new Function("env", { environment: { MODE: "dev" }, code: closure(http(async () => ({ env: { ...process.env } }))) }));
        try {
            const { env } = JSON.parse(((await stack.runtime.function("env").invoke(call)) as any).body);
            assert.equal(env.MODE, "dev");
            assert.equal(env.NODE_OPTIONS, "--enable-source-maps");
            assert.equal(env.HOST_ONLY_SECRET, undefined);
        } finally {
            delete process.env.HOST_ONLY_SECRET;
            await stack.runtime.close();
        }
    });

    it("reports a handler's crash without taking the runtime down", async () => {
        const stack = await evaluate("local", () =>
            new Function("crash", {
                code: closure(http(async (req) => {
                    if (req.query.exit) process.exit(3);
                    return { ok: true };
                })),
            }));
        const host = stack.runtime.function("crash");
        try {
            await assert.rejects(host.invoke({ ...call, request: { ...call.request, query: { exit: "1" } } }), /function 'crash' failed: instance exited/);
            assert.deepEqual(JSON.parse(((await host.invoke(call)) as any).body), { ok: true });
        } finally {
            await stack.runtime.close();
        }
    });
});
