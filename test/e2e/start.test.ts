// `npm start` for real: the command in a child process, real HTTP, real worker threads.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const projectDir = path.resolve(__dirname, "..", "..");

function startApp(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/start.ts"], {
        cwd: projectDir,
        env: { ...process.env, PORT: "0" },
    });
    let output = "";
    return new Promise((resolve, reject) => {
        child.stdout!.on("data", (chunk) => {
            output += chunk;
            const match = /running locally at (http:\/\/\S+)/.exec(output);
            if (match) resolve({ child, url: match[1], output: () => output });
        });
        child.stderr!.on("data", (chunk) => (output += chunk));
        child.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
}

const json = (res: Response): Promise<any> => res.json();

const request = (name: string, query: Record<string, string> = {}) => ({
    kind: "http",
    request: { method: "GET", path: "/hello", headers: {}, query, params: {}, requestId: `test-${name}` },
});

describe("npm start", function () {
    this.timeout(60_000);
    let app: Awaited<ReturnType<typeof startApp>>;

    before(async () => {
        app = await startApp();
    });

    after(() => {
        if (app.child.exitCode === null) app.child.kill("SIGKILL");
    });

    const invoke = (name: string, body: unknown) =>
        fetch(`${app.url}/_local/functions/${name}/invoke`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

    it("serves a page at / listing the app's components", async () => {
        const res = await fetch(`${app.url}/`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type")!, /text\/html/);
        const html = await res.text();
        assert.match(html, /serverless-blocks is running locally/);
        assert.match(html, /serverless-blocks:index:Function<\/code> greet/);
    });

    it("reports the components and functions at /_local/status", async () => {
        const status = await json(await fetch(`${app.url}/_local/status`));
        assert.equal(status.cloud, "local");
        assert.deepEqual(status.components.map((c: any) => `${c.type.split(":")[2]} ${c.name}`).sort(), [
            "AsyncTask send-welcome-email", "EventHub events", "Function about", "Function greet",
            "Function register", "Function send-welcome-email", "Mailer mail",
        ]);
        assert.deepEqual(status.functions.map((f: any) => f.name).sort(), ["about", "greet", "register", "send-welcome-email"]);
    });

    it("invokes a bundled function in its worker", async () => {
        const res = await invoke("greet", request("greet", { name: "Ada" }));
        assert.equal(res.status, 200);
        const { result } = await json(res);
        assert.equal(result.status, 200);
        assert.deepEqual(JSON.parse(result.body), { message: "Hello, Ada!" });
        const status = await json(await fetch(`${app.url}/_local/status`));
        assert.equal(status.functions.find((f: any) => f.name === "greet").invocations, 1);
    });

    it("answers the function's own 400 for bad input", async () => {
        const { result } = await json(await invoke("greet", request("greet", { name: "x".repeat(65) })));
        assert.equal(result.status, 400);
        assert.match(JSON.parse(result.body).error.message, /query parameter 'name' is too long: 65 characters, at most 64/);
    });

    it("gives a closure function its links' variables", async () => {
        const { result } = await json(await invoke("about", request("about")));
        assert.deepEqual(JSON.parse(result.body), { service: "serverless-blocks", greeter: "greet" });
    });

    it("refuses bad invocations with clear errors", async () => {
        const bad = await invoke("greet", "{nope");
        assert.equal(bad.status, 400);
        assert.match((await json(bad)).error.message, /body is not valid JSON/);
        const unknown = await invoke("nobody", request("x"));
        assert.equal(unknown.status, 404);
        assert.match((await json(unknown)).error.message, /no function named 'nobody'; known: .*greet/);
        const wrongMethod = await fetch(`${app.url}/_local/functions/greet/invoke`);
        assert.equal(wrongMethod.status, 405);
        const tooLarge = await invoke("greet", "x".repeat(6 * 1024 * 1024 + 1));
        assert.equal(tooLarge.status, 413);
        const nowhere = await fetch(`${app.url}/nowhere`);
        assert.equal(nowhere.status, 404);
    });

    it("sends the welcome email after a registration, through the hub and the async task", async () => {
        const registration = { kind: "http", request: { method: "POST", path: "/users", headers: { "content-type": "application/json" }, query: {}, params: {}, body: JSON.stringify({ email: "Grace@Example.com", name: "Grace" }), requestId: "reg-1" } };
        const { result } = await json(await invoke("register", registration));
        assert.equal(result.status, 201);
        const { userId } = JSON.parse(result.body);
        assert.match(userId, /^[0-9a-f-]{36}$/);
        const outbox = path.join(projectDir, ".data", "outbox", "mail");
        const deadline = Date.now() + 15_000;
        let mail: any;
        while (!mail && Date.now() < deadline) {
            const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith(".json")) : [];
            mail = files.map((f) => JSON.parse(fs.readFileSync(path.join(outbox, f), "utf8"))).find((m) => m.to[0] === "grace@example.com");
            if (!mail) await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(mail, "the welcome email reached the outbox");
        assert.equal(mail.subject, "Welcome, Grace!");
        assert.equal(mail.from, "hello@example.com");
    });

    it("answers a bad registration with 400 naming the fields", async () => {
        const bad = { kind: "http", request: { method: "POST", path: "/users", headers: {}, query: {}, params: {}, body: JSON.stringify({ email: "nope" }), requestId: "reg-2" } };
        const { result } = await json(await invoke("register", bad));
        assert.equal(result.status, 400);
        const { error } = JSON.parse(result.body);
        assert.deepEqual(error.details.map((d: any) => d.field), ["email", "name"]);
    });

    it("stops cleanly on Ctrl-C", async () => {
        const exited = new Promise<number | null>((resolve) => app.child.once("exit", resolve));
        app.child.kill("SIGINT");
        assert.equal(await exited, 0);
        assert.match(app.output(), /SIGINT: stopping/);
    });
});
