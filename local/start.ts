// Runs the typical app on this machine: evaluates the stack program for the local target, builds
// the local runtime from the resources it recorded, and serves it on one port.
import * as fs from "node:fs";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { evaluateStack } from "../engine/program";
import { readStackConfig } from "../engine/stack-config";
import { consoleState } from "./console/state";
import { endLogStreams } from "./console/log-stream";
import { newLocalToken, writeLocalToken } from "./console/token";
import { loadResources } from "./load";
import { localRealtimeServer } from "./realtime/server";
import { startLocalOidc } from "./oidc";
import { localSignIn } from "./oidc/config";
import { localPaymentService } from "./payment-service/config";
import { FakePaymentService } from "./payment-service/service";
import { LocalRuntimeOptions, resetLocalRuntime } from "./runtime";
import { createLocalServer, type ServerContext } from "./server";

export interface LocalApp {
    url: string;
    port: number;
    /** This run's token for /_local/* (also in `<data dir>/local-token`). */
    token: string;
    stop(): Promise<void>;
}

export async function startLocal(options: { projectDir: string; stack?: string; port?: number; host?: string; runtime?: LocalRuntimeOptions }): Promise<LocalApp> {
    const stack = options.stack ?? "local";
    const runtime = resetLocalRuntime(options.projectDir, options.runtime);
    fs.mkdirSync(runtime.dataDir, { recursive: true });
    fs.mkdirSync(path.join(options.projectDir, ".data"), { recursive: true });
    // Listen first: the program is then told the real address (an API's url, the site's config.json).
    const context: ServerContext = { stack, runtime, components: [], token: newLocalToken() };
    const server = createLocalServer(context);
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", resolve);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    runtime.sharedEnvironment.SB_LOCAL_URL = url;
    const overrides: Record<string, string> = { "serverless-blocks:cloud": "local", "serverless-blocks:localUrl": url };
    try {
        // Sign-in configured without a provider's issuer: the local OpenID provider stands in, on this port.
        const stackConfig = readStackConfig(options.projectDir, stack, overrides).config;
        const signIn = localSignIn(stackConfig, url);
        if (signIn) {
            context.oidc = await startLocalOidc(signIn.options);
            Object.assign(overrides, signIn.overrides);
        }
        // A callback secret configured: the fake payment service calls the app back, signed with it.
        const payments = localPaymentService(stackConfig, (line) => console.log(line));
        // Kept on disk and retrying callbacks for a minute, as a real provider outlives a restart of
        // the app it calls back (and retries for hours).
        if (payments) context.paymentService = new FakePaymentService({ retry: { attempts: 60, delayMs: 1000 }, ...payments, stateFile: path.join(runtime.dataDir, "payment-service.json") });
        const evaluation = await evaluateStack(options.projectDir, stack, {
            mode: "update",
            overrides,
            // Table files and the outbox the program names are where this runtime keeps its data.
            env: { SB_LOCAL_DATA_DIR: runtime.dataDir },
        });
        loadResources(runtime, evaluation.resources);
        context.components = evaluation.resources;
        // Hubs, queues and schedules run from here on; work a previous run left in flight is recovered.
        runtime.start();
        // The console's recent events start with the hubs; the token is written once the data directory is this run's (locked).
        consoleState(runtime);
        writeLocalToken(runtime.dataDir, context.token!);
    } catch (err) {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runtime.close();
        await context.oidc?.close();
        context.paymentService?.close();
        throw err;
    }
    return {
        url,
        port,
        token: context.token!,
        async stop() {
            // WebSockets first: the server's close waits for every socket, and their $disconnect functions must still run.
            await localRealtimeServer(runtime).shutdown();
            endLogStreams(runtime); // the console's live logs: open until ended, and the server's close waits for them

            await new Promise<void>((resolve) => server.close(() => resolve()));
            server.closeAllConnections();
            // The fake payment service sends no more callbacks into a stopping runtime.
            context.paymentService?.close();
            // Deliveries in flight finish (or go back to their queue) before the functions stop.
            await runtime.close();
            await context.oidc?.close();
        },
    };
}
