// The architecture picture: the typical app's components and flows on every stack, evaluated as
// `npm run graph` evaluates them (the SDK's launcher), and a small program whose flows follow its
// links and subscriptions.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { AsyncTask, EventHub, Function, Table } from "../../components";
import { quote, toDot } from "../../engine/graph/dot";
import { Architecture, architectureOf, Flow, FlowKind } from "../../engine/graph/model";
import { renderSvg } from "../../engine/graph/svg";
import { CLOUDS, evaluate } from "../harness";
import { appStack } from "../support/app-stacks";

const projectDir = path.resolve(__dirname, "..", "..");

/** The typical app's components (stacks/app.ts), by kind and name. */
const APP_COMPONENTS = [
    "EventHub events",
    "Mailer mail",
    "Auth auth",
    "Table orders",
    "Realtime live",
    "PaymentWorkflow checkout",
    "BusinessApi shop",
    "AsyncTask confirm-order",
    "Table files",
    "FileUpload attachments",
    "AsyncTask send-welcome-email",
    "Function about",
    "StaticSite web",
];

/** The text of each <text> element of an SVG document, entities decoded. */
function svgTexts(svg: string): string[] {
    const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
        m[1].replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) =>
            e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (entities[e] ?? whole),
        ),
    );
}

/** Reads an architecture by component names rather than URNs. */
class Picture {
    constructor(readonly architecture: Architecture) {}

    component(label: string): string {
        const found = this.architecture.components.filter((c) => `${c.kind} ${c.name}` === label);
        assert.equal(found.length, 1, `expected one component '${label}'; there are: ${this.architecture.components.map((c) => `${c.kind} ${c.name}`).join(", ")}`);
        return found[0].id;
    }

    /** The components around a resource or component, itself included. */
    within(id: string): Set<string> {
        const owners = new Set<string>();
        const parentOf = new Map(this.architecture.components.map((c) => [c.id, c.parent]));
        let at: string | null | undefined = parentOf.has(id) ? id : this.architecture.components.find((c) => c.resources.some((r) => r.id === id))?.id;
        while (at) {
            owners.add(at);
            at = parentOf.get(at);
        }
        return owners;
    }

    /** Flows of `kind` from inside component `from` (not inside `notFrom`) to inside component `to`. */
    flows(kind: FlowKind, from: string, to: string, notFrom?: string): Flow[] {
        const [f, t, n] = [this.component(from), this.component(to), notFrom && this.component(notFrom)];
        return this.architecture.flows.filter((x) => x.kind === kind && this.within(x.from).has(f) && this.within(x.to).has(t) && !(n && this.within(x.from).has(n)));
    }

    one(kind: FlowKind, from: string, to: string, notFrom?: string): Flow {
        const found = this.flows(kind, from, to, notFrom);
        assert.equal(found.length, 1, `expected one ${kind} flow from ${from} to ${to}; ${kind} flows: ${this.describe(kind)}`);
        return found[0];
    }

    describe(kind: FlowKind): string {
        const name = (id: string) => id.split("::").pop();
        return this.architecture.flows.filter((f) => f.kind === kind).map((f) => `${name(f.from)} -> ${name(f.to)} [${f.label}]`).join("; ");
    }
}

for (const stack of ["dev", "prod", "local"]) {
    describe(`architecture of the typical app, stack ${stack}`, function () {
        this.timeout(180_000);
        let picture: Picture;

        before(async () => {
            const evaluation = await appStack(stack, "update");
            picture = new Picture(architectureOf(evaluation.resources));
        });

        it("has every component of the app, nested components inside their parents", () => {
            for (const label of APP_COMPONENTS) picture.component(label);
            const routeFunction = picture.architecture.components.find((c) => c.id === picture.component("Function shop-post-orders"))!;
            assert.equal(routeFunction.parent, picture.component("BusinessApi shop"));
            assert.ok(routeFunction.resources.length >= 1, "the route's Function holds its cloud function");
        });

        it("shows the users hub's rule running the welcome task's function", () => {
            const subscription = picture.one("subscribe", "EventHub events", "AsyncTask send-welcome-email");
            assert.match(subscription.label, /UserSignedUp/);
            const run = picture.one("trigger", "AsyncTask send-welcome-email", "Function send-welcome-email", "Function send-welcome-email");
            assert.equal(run.from, subscription.to, "the subscription's rule (or local task) is what runs the function");
            assert.equal(picture.flows("trigger", "AsyncTask confirm-order", "Function send-welcome-email").length, 0, "the order task does not run the welcome email");
        });

        if (stack !== "local") {
            it("sends the welcome task's failures to its dead-letter queue", () => {
                const deadLetters = picture.one("dead-letter", "Function send-welcome-email", "AsyncTask send-welcome-email");
                const queue = picture.architecture.components.find((c) => c.id === picture.component("AsyncTask send-welcome-email"))!.resources.find((r) => r.id === deadLetters.to);
                assert.ok(queue && /queue/i.test(queue.type), `dead letters go to a queue, not ${queue?.type}`);
            });
        }

        it("routes POST /orders to its function, which writes the orders table and publishes to the hub", () => {
            const route = picture.one("route", "BusinessApi shop", "Function shop-post-orders", "Function shop-post-orders");
            assert.equal(route.label, "POST /orders");
            const write = picture.one("link", "Function shop-post-orders", "Table orders");
            assert.equal(write.from, route.to, "the link starts at the routed function");
            assert.equal(write.to, picture.component("Table orders"));
            assert.equal(write.label, "reads, writes");
            assert.equal(picture.one("link", "Function shop-get-orders", "Table orders").label, "reads");
            assert.equal(picture.one("link", "Function shop-post-orders", "EventHub events").label, "publishes");
        });

        it("runs the upload processor for each uploaded file", () => {
            picture.one("upload", "FileUpload attachments", "Function attachments-processor", "Function attachments-processor");
        });

        it("runs each of the checkout workflow's task functions from its state machine", () => {
            for (const step of ["record", "request", "status", "finish", "notify"]) picture.one("workflow", "PaymentWorkflow checkout", `Function checkout-${step}`, `Function checkout-${step}`);
            assert.match(picture.one("workflow", "PaymentWorkflow checkout", "Function checkout-request", "Function checkout-request").label, /Request payment/);
        });

        it("routes the realtime connection's events to its functions", () => {
            for (const [fn, route] of [["live-connect", "$connect"], ["live-default", "$default"], ["live-disconnect", "$disconnect"]]) {
                assert.equal(picture.one("route", "Realtime live", `Function ${fn}`, `Function ${fn}`).label, route);
            }
        });

        it("renders as SVG with every component's label, the same every time", async () => {
            const dot = toDot(picture.architecture, { title: stack });
            assert.equal(toDot(picture.architecture, { title: stack }), dot);
            const svg = await renderSvg(dot);
            assert.match(svg, /^<\?xml[^>]*\?>\s*<!DOCTYPE svg/);
            assert.match(svg, /<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
            assert.ok(svg.trimEnd().endsWith("</svg>"));
            const texts = svgTexts(svg);
            for (const label of APP_COMPONENTS) assert.ok(texts.some((t) => t === label || t.startsWith(`${label} (+`)), `the SVG lacks a box labelled '${label}'`);
        });
    });
}

describe("architecture of a small program", () => {
    /** A task on a hub, and a function that uses the table only when `linked`. */
    const program = (options: { linked: boolean; subscribed: boolean }) => () => {
        const hub = new EventHub("bus");
        const table = new Table("items", { partitionKey: "id" });
        new Function("writer", { handler: "examples/shop/functions/hello/greet.handler", link: options.linked ? [table.link] : [] });
        new AsyncTask("worker", {
            handler: "examples/shop/functions/hello/greet.handler",
            ...(options.subscribed ? { subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["ItemAdded"] }) } } : { schedule: "rate(5 minutes)" }),
        });
    };

    const pictureOf = async (cloud: (typeof CLOUDS)[number], options: { linked: boolean; subscribed: boolean }) => {
        const stack = await evaluate(cloud, program(options));
        return new Picture(architectureOf([...stack.resources, ...stack.descriptors]));
    };

    for (const cloud of CLOUDS) {
        it(`draws the link and the subscription only while they exist (${cloud})`, async () => {
            const wired = await pictureOf(cloud, { linked: true, subscribed: true });
            assert.equal(wired.one("link", "Function writer", "Table items").label, "reads, writes");
            // Tencent's EventBridge names the event's type `type`.
            assert.match(wired.one("subscribe", "EventHub bus", "AsyncTask worker").label, /^(detail-)?type: ItemAdded$/);

            const unwired = await pictureOf(cloud, { linked: false, subscribed: false });
            assert.deepEqual(unwired.flows("link", "Function writer", "Table items"), []);
            assert.deepEqual(unwired.flows("subscribe", "EventHub bus", "AsyncTask worker"), []);
            // The rest of the picture stays: the task still runs its function.
            unwired.one("trigger", "AsyncTask worker", "Function worker", "Function worker");
        });
    }
});

describe("architecture from roles' policies", () => {
    for (const cloud of ["aws", "tencentcloud"] as const) {
        it(`draws what a function's role may do when no link variable says so (${cloud})`, async () => {
            const program = (withVariables: boolean) => () => {
                const hub = new EventHub("bus");
                // The hub's permissions without its variables: only the role's policy tells.
                const link = withVariables ? hub.link : hub.link.apply((l) => ({ ...l, environment: {} }));
                new Function("sender", { handler: "examples/shop/functions/hello/greet.handler", link: [link] });
            };
            const silent = new Picture(architectureOf((await evaluate(cloud, program(false))).resources));
            assert.deepEqual(silent.flows("link", "Function sender", "EventHub bus"), []);
            assert.match(silent.one("permission", "Function sender", "EventHub bus").label, /PutEvents/);

            const linked = new Picture(architectureOf((await evaluate(cloud, program(true))).resources));
            assert.equal(linked.one("link", "Function sender", "EventHub bus").label, "publishes");
            assert.deepEqual(linked.flows("permission", "Function sender", "EventHub bus"), [], "the link already says it");
        });
    }
});

describe("DOT text", () => {
    it("quotes and escapes labels: quotes, backslashes, line breaks", () => {
        assert.equal(quote('say "hi"\\now\nthen'), '"say \\"hi\\"\\\\now\\nthen"');
    });

    it("lays out names Graphviz would otherwise misread", async () => {
        const odd = 'api "v2" {x} \\ <b>&';
        const architecture: Architecture = {
            components: [{ id: "urn:c", kind: "BusinessApi", type: "serverless-blocks:index:BusinessApi", name: odd, parent: null, resources: [{ id: "urn:r", type: "aws:apigatewayv2/api:Api", name: odd, label: `apigatewayv2 Api ${odd}` }] }],
            resources: [],
            flows: [{ from: "urn:r", to: "urn:c", kind: "route", label: 'GET /"x"' }],
        };
        const texts = svgTexts(await renderSvg(toDot(architecture)));
        assert.ok(texts.includes(`BusinessApi ${odd}`), `the component's label survives: ${texts.join(" | ")}`);
        assert.ok(texts.includes(odd), "so does the resource's name");
        assert.ok(texts.includes('GET /"x"'), "and the flow's label");
    });
});

describe("README's architecture picture", () => {
    it("embeds docs/architecture-prod.svg under its Architecture heading, with the command that makes it", () => {
        const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
        const section = readme.split(/^## /m).find((s) => s.startsWith("Architecture\n"));
        assert.ok(section, "README has an Architecture section");
        assert.match(section, /!\[[^\]]*\]\(docs\/architecture-prod\.svg\)/);
        assert.match(section, /npm run graph -- --stack prod --out docs\/architecture-prod\.svg/);
        const texts = svgTexts(fs.readFileSync(path.join(projectDir, "docs", "architecture-prod.svg"), "utf8"));
        assert.ok(texts.includes("serverless-blocks / prod (aws)"), "the picture is of the prod stack");
        for (const label of APP_COMPONENTS) assert.ok(texts.some((t) => t === label || t.startsWith(`${label} (+`)), `the picture lacks '${label}'`);
    });
});

describe("npm run graph", function () {
    this.timeout(120_000);
    const graph = (...args: string[]) => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bin/graph.ts", ...args], { cwd: projectDir, encoding: "utf8" });

    it("prints the local stack's DOT, with the app's components as clusters", () => {
        const run = graph("--stack", "local", "--dot");
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^digraph architecture \{/);
        for (const label of APP_COMPONENTS) assert.match(run.stdout, new RegExp(`label="${label}( \\(\\+\\d+ supporting\\))?"`));
    });

    it("explains what is wrong with its arguments", () => {
        const missing = graph();
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /--stack is required/);
        const unknown = graph("--stack", "staging");
        assert.equal(unknown.status, 1);
        assert.match(unknown.stderr, /stack 'staging': no Pulumi\.staging\.yaml; stacks here: dev, local, prod/);
        const mismatch = graph("--stack", "local", "--dot", "--out", "picture.svg");
        assert.equal(mismatch.status, 2);
        assert.match(mismatch.stderr, /'picture\.svg' is a \.svg file but the output is DOT/);
        const both = graph("--stack", "local", "--dot", "--json");
        assert.equal(both.status, 2);
        assert.match(both.stderr, /--dot and --json: choose one format/);
    });
});
