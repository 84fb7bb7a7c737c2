// An evaluated program served as npm start serves it (local/start.ts after the evaluation):
// listen on a free port, tell the functions the URL, start the runtime. Shared by the end-to-end
// tests that evaluate a program in-process.
import type { AddressInfo } from "node:net";
import type { LocalRuntimeOptions } from "../../local/runtime";
import { createLocalServer, type ServerContext } from "../../local/server";
import type { Evaluated } from "../harness";

export interface ServedLocally {
    url: string;
    /** The run's /_local token. */
    token: string;
    /** Closes the server (and its open connections), then the runtime. */
    stop(): Promise<void>;
}

export async function serveLocally(stack: Evaluated, options: LocalRuntimeOptions): Promise<ServedLocally> {
    const context: ServerContext = { stack: "test", runtime: stack.runtime, components: stack.resources };
    const server = createLocalServer(context);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack.runtime.sharedEnvironment.SB_LOCAL_URL = url;
    stack.runtime.start(options);
    return {
        url,
        token: context.token!,
        async stop() {
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            await stack.runtime.close();
        },
    };
}
