// The component package as a Python or YAML program gets it (`pulumi package add <this repo>`):
// the nodejs language host starts the SDK's `cmd/run-plugin` with this repository as its program,
// the engine's address as its argument and the CONSUMER's project as its working directory, then
// asks it for GetSchema and Construct over gRPC. Here the consumer is an empty folder (a
// Pulumi.yaml, its handler files, no tsconfig.json, no node_modules) and the engine is the
// in-process one. run-plugin registers ts-node with type-checking and the consumer's settings
// (here none): the package must load as compiled JavaScript (package.json main → dist/), or
// our sources get compiled with someone else's tsconfig (Table on Tencent Cloud failed with TS2554).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { unzipFiles } from "../../components/build/zip";
import { EngineServer } from "../../engine/monitor";
import { EngineResource, toEngineResources } from "../../engine/registrations";
import { Plugin, Struct, buildPackage, connect, getSchema, provproto, repo, rpc, startPlugin } from "../support/component-plugin";

const { specialSigKey, specialSecretSig, specialOutputValueSig, unknownValue } = require("@pulumi/pulumi/runtime/rpc");

const PROJECT = "consumer";
const STACK = "dev";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
const COMPONENTS = ["Function", "EventHub", "AsyncTask", "Alarms", "Mailer", "Table", "BusinessApi", "StaticSite", "Auth", "Realtime", "FileUpload", "PaymentWorkflow"];

const CONSUMER_FILES: Record<string, string> = {
    "Pulumi.yaml": `name: ${PROJECT}\nruntime: yaml\n`,
    // Handler files of the consumer's own project: plain CommonJS; the runtime comes from the
    // package by name (the bundler resolves it; the consumer installs nothing).
    "handlers/hello.js":
        `const { http } = require("serverless-blocks/functions/runtime");\n` +
        `exports.handler = http(async (req) => ({ body: { hello: "world", path: req.path } }));\n`,
    "handlers/tick.js":
        `const { onEvent } = require("serverless-blocks/functions/runtime");\n` +
        `exports.handler = onEvent(async (event) => { console.log("tick", event.id); });\n`,
    // `code` as an archive: a folder whose index.js exports the handler, with a module of its own.
    "app/index.js":
        `const { http } = require("serverless-blocks/functions/runtime");\n` +
        `const { greeting } = require("./greeting");\n` +
        `exports.handler = http(async (req) => ({ body: { greeting: greeting(req.query.name) } }));\n`,
    "app/greeting.js": `exports.greeting = (name) => "hello, " + (name || "stranger");\n`,
    "site/index.html": `<!doctype html><title>shop</title><h1>shop</h1>\n`,
};

const CLOUDS = {
    aws: { region: "us-east-1", config: { "serverless-blocks:cloud": "aws", "aws:region": "us-east-1" } },
    tencentcloud: { region: "ap-guangzhou", config: { "serverless-blocks:cloud": "tencentcloud", "tencentcloud:region": "ap-guangzhou" } },
} as const;
type Cloud = keyof typeof CLOUDS;
type Mode = "update" | "preview";
const MODES: Mode[] = ["update", "preview"];
const engineKey = (cloud: Cloud, mode: Mode) => `${cloud}-${mode}`;

interface Constructed {
    urn: string;
    /** The outputs as a program reads them (secrets revealed, unknowns undefined). */
    state: Record<string, any>;
    /** The outputs as they came over the wire. */
    wire: Record<string, any>;
}

/** Strips secret markers from a wire value, telling whether there were any. */
function revealSecrets(value: any): { value: any; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(revealSecrets);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value && typeof value === "object") {
        if (value[specialSigKey] === specialSecretSig) return { value: revealSecrets(value.value).value, secret: true };
        const entries = Object.entries(value).map(([k, v]) => [k, revealSecrets(v)] as const);
        return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
    }
    return { value, secret: false };
}

/**
 * A component's output as a program in another language hands it to the next component, and as
 * the engine passes it on (the provider accepts output values): an output value, secret when
 * anything in it is, unknown in a preview until the component exists, depending on the component.
 */
function outputOf(component: Constructed, key: string): Record<string, unknown> {
    const { value, secret } = revealSecrets(component.wire[key]);
    const known = value !== undefined && !JSON.stringify(value).includes(unknownValue);
    return { [specialSigKey]: specialOutputValueSig, ...(known ? { value } : {}), secret, dependencies: [component.urn] };
}

describe("the component package through Pulumi's run-plugin, from a consumer's empty folder", function () {
    this.timeout(180_000); // every component, twice per cloud, bundled in the plugin on 2 cores

    let consumerDir: string;
    let plugin: Plugin | undefined;
    let client: any;
    const engines: Record<string, EngineServer> = {};

    before(async function () {
        this.timeout(120_000);
        // What `npm ci` (prepare) does: the compiled library under dist/, which package.json `main` names.
        buildPackage();
        consumerDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-consumer-"));
        for (const [file, text] of Object.entries(CONSUMER_FILES)) {
            fs.mkdirSync(path.dirname(path.join(consumerDir, file)), { recursive: true });
            fs.writeFileSync(path.join(consumerDir, file), text);
        }
        for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
            for (const mode of MODES) {
                const engine = await EngineServer.start({ mode, region: CLOUDS[cloud].region });
                engine.identity = { project: PROJECT, stack: STACK };
                engines[engineKey(cloud, mode)] = engine;
            }
        }
        // One plugin process serves every Construct, as under the CLI; its engine (logs, root
        // resource) is the first one, each Construct names its own monitor.
        plugin = await startPlugin(consumerDir, Object.values(engines)[0].address);
        client = connect(plugin);
    });

    after(async () => {
        client?.close();
        plugin?.child.kill("SIGKILL");
        for (const engine of Object.values(engines)) await engine?.close();
        if (consumerDir) fs.rmSync(consumerDir, { recursive: true, force: true });
    });

    const consumerHasNo = (file: string) => assert.ok(!fs.existsSync(path.join(consumerDir, file)), `the consumer has a ${file}`);

    /** Construct as the engine sends it for a component of a program in another language. */
    async function construct(cloud: Cloud, mode: Mode, type: string, name: string, inputs: Record<string, unknown>): Promise<Constructed> {
        const req = new provproto.ConstructRequest();
        req.setProject(PROJECT);
        req.setStack(STACK);
        req.setDryrun(mode === "preview");
        req.setParallel(16);
        req.setMonitorendpoint(engines[engineKey(cloud, mode)].address);
        req.setType(`serverless-blocks:index:${type}`);
        req.setName(name);
        req.setParent(STACK_URN);
        req.setAcceptsOutputValues(true);
        const config = req.getConfigMap();
        for (const [key, value] of Object.entries(CLOUDS[cloud].config)) config.set(key, value);
        req.setInputs(Struct.fromJavaScript(await pulumi.runtime.serializeProperties(`${type} ${name}`, inputs)));
        try {
            const response: any = await rpc(client, "construct", req);
            return { urn: response.getUrn(), state: pulumi.runtime.deserializeProperties(response.getState()), wire: response.getState().toJavaScript() };
        } catch (err) {
            throw new Error(`Construct ${type} '${name}' on ${cloud} (${mode}): ${(err as Error).message}\n${plugin?.stderr() ?? ""}`);
        }
    }

    /** Every component, as one program in another language would declare them, outputs feeding inputs. */
    async function constructAll(cloud: Cloud, mode: Mode): Promise<Record<string, Constructed>> {
        const built: Record<string, Constructed> = {};
        const make = async (type: string, name: string, inputs: Record<string, unknown>) => (built[name] = await construct(cloud, mode, type, name, inputs));
        await make("Function", "hello", { handler: "handlers/hello.handler" });
        await make("Function", "archived", { code: new pulumi.asset.FileArchive("app") });
        await make("Function", "asset-archived", { code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset("app/index.js") }) });
        await make("EventHub", "events", {});
        await make("Alarms", "ops", cloud === "tencentcloud" ? { tencentUserIds: [100012345678] } : { email: "oncall@example.com" });
        await make("AsyncTask", "tick", { handler: "handlers/tick.handler", subscribe: { hub: outputOf(built.events, "link"), pattern: JSON.stringify({ "detail-type": ["Tick"] }) }, alarms: outputOf(built.ops, "target") });
        // Auth's own functions ship with the package (their TypeScript sources), found from it, not from the consumer.
        await make("Auth", "auth", { providers: { main: { issuer: "https://login.example.com", clientId: "shop" } }, signedInUrl: "https://shop.example.com/", events: outputOf(built.events, "link") });
        await make("Mailer", "mail", { from: "hello@example.com", ...(cloud === "tencentcloud" ? { templateIds: { welcome: 31415 } } : {}) });
        await make("Table", "orders", { partitionKey: "userId", sortKey: "orderId" });
        await make("Function", "reader", { handler: "handlers/hello.handler", link: [outputOf(built.orders, "link")] });
        // A Tencent table's link holds its password as a secret: the route gets it as a secret output value.
        await make("BusinessApi", "shop", { routes: { "GET /hello": { handler: "handlers/hello.handler", link: [outputOf(built.orders, "link"), outputOf(built.mail, "link")], public: true } } });
        await make("StaticSite", "web", {
            path: "site",
            config: { apiUrl: outputOf(built.shop, "url") },
            ...(cloud === "tencentcloud" ? { domain: "shop.example.com", certificateId: "cert-abc123" } : {}),
        });
        return built;
    }

    /** The custom resources registered under a component (at any depth), by type. */
    const registered = (cloud: Cloud, mode: Mode = "update") => toEngineResources(engines[engineKey(cloud, mode)].registrations);
    function childTypes(cloud: Cloud, component: string): string[] {
        const resources = registered(cloud);
        const under = (r: EngineResource): boolean => r.parent === component || (r.parent !== null && under(resources.find((p) => p.name === r.parent)!));
        return [...new Set(resources.filter((r) => r.custom && under(r)).map((r) => r.type))].sort();
    }
    const resource = (cloud: Cloud, type: string, name: string) => {
        const found = registered(cloud).find((r) => r.type === type && r.name === name);
        assert.ok(found, `no ${type} '${name}' registered on ${cloud}`);
        return found;
    };

    /** Loads a function's zip as the cloud would and calls it with an HTTP event. */
    async function callZip(zipPath: string, event: unknown): Promise<any> {
        const dir = fs.mkdtempSync(path.join(consumerDir, ".zip-"));
        for (const [file, data] of Object.entries(unzipFiles(fs.readFileSync(path.resolve(consumerDir, zipPath))))) fs.writeFileSync(path.join(dir, file), data);
        return require(path.join(dir, "index.js")).handler(event, { awsRequestId: "req-1" });
    }

    it("GetSchema: every component of components/index.ts, from the TypeScript sources, with no tsconfig in the consumer", async () => {
        consumerHasNo("tsconfig.json");
        consumerHasNo("node_modules");
        assert.equal(require.resolve(repo), path.join(repo, "dist", "components", "index.js"), "run-plugin requires the compiled entry");
        const schema = await getSchema(client);
        assert.equal(schema.name, "serverless-blocks");
        const exported = Object.entries(require("../../components")).filter(([, v]) => typeof v === "function" && (v as any).prototype instanceof pulumi.ComponentResource).map(([k]) => k);
        assert.deepEqual([...exported].sort(), [...COMPONENTS].sort(), "the test covers every exported component");
        for (const name of COMPONENTS) assert.ok(schema.resources[`serverless-blocks:index:${name}`]?.isComponent, `${name} is not in the schema`);
        const fn = schema.resources["serverless-blocks:index:Function"];
        assert.equal(fn.inputProperties.code.$ref, "pulumi.json#/Archive");
        assert.equal(fn.inputProperties.handler.type, "string");
        assert.ok(schema.types["serverless-blocks:index:Link"], "Link is a type of the schema");
    });

    for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
        describe(`Construct of every component on ${cloud}`, () => {
            const built: Record<string, Constructed> = {};

            before(async () => Object.assign(built, await constructAll(cloud, "update")));

            it("answers each Construct with the component's URN and outputs", () => {
                for (const [name, { urn }] of Object.entries(built)) assert.match(urn, new RegExp(`^urn:pulumi:${STACK}::${PROJECT}::serverless-blocks:index:\\w+::${name}$`));
                assert.deepEqual(Object.keys(built.hello.state).sort(), ["alias", "aliasId", "functionName", "link", "resourceId"]);
                assert.equal(built.hello.state.link.type, "function");
                assert.deepEqual(Object.keys(built.events.state).sort(), ["busName", "link", "resourceId"]);
                assert.deepEqual(Object.keys(built.tick.state).sort(), ["deadLetterQueue", "functionName", "resourceId"]);
                assert.equal(built.mail.state.from, "hello@example.com");
                assert.deepEqual(Object.keys(built.orders.state).sort(), ["link", "readLink", "resourceId", "tableName"]);
                assert.match(built.shop.state.url, /^https:\/\//);
                assert.match(built.web.state.url, /^https:\/\//);
                assert.ok(built.web.state.contentHash);
                if (cloud === "aws") {
                    assert.match(built.hello.state.resourceId, /^arn:aws:lambda:us-east-1:\d{12}:function:/);
                    assert.match(built.orders.state.resourceId, /^arn:aws:dynamodb:us-east-1:/);
                } else {
                    assert.match(built.hello.state.resourceId, /^qcs::scf:ap-guangzhou:/);
                }
            });

            it("registers each component's children in the consumer's stack", () => {
                const expected: Record<Cloud, Record<string, string[]>> = {
                    aws: {
                        hello: ["aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:lambda/function:Function"],
                        archived: ["aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:lambda/function:Function"],
                        events: ["aws:cloudwatch/eventArchive:EventArchive", "aws:cloudwatch/eventBus:EventBus"],
                        tick: ["aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:lambda/function:Function", "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "aws:sqs/queue:Queue"],
                        mail: ["aws:sesv2/emailIdentity:EmailIdentity"],
                        auth: ["aws:dynamodb/table:Table", "aws:lambda/function:Function", "aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion", "tls:index/privateKey:PrivateKey"],
                        orders: ["aws:dynamodb/table:Table"],
                        shop: ["aws:apigatewayv2/api:Api", "aws:iam/rolePolicy:RolePolicy", "aws:apigatewayv2/integration:Integration", "aws:apigatewayv2/route:Route", "aws:apigatewayv2/stage:Stage", "aws:lambda/function:Function", "aws:lambda/permission:Permission"],
                        reader: ["aws:iam/rolePolicy:RolePolicy", "aws:lambda/function:Function"],
                        web: ["aws:cloudfront/distribution:Distribution", "aws:cloudfront/originAccessControl:OriginAccessControl", "aws:s3/bucket:Bucket", "aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
                    },
                    tencentcloud: {
                        hello: ["tencentcloud:index/camRole:CamRole", "tencentcloud:index/scfFunction:ScfFunction"],
                        archived: ["tencentcloud:index/camRole:CamRole", "tencentcloud:index/scfFunction:ScfFunction"],
                        events: ["tencentcloud:index/ebEventBus:EbEventBus"],
                        auth: ["tencentcloud:index/cynosdbCluster:CynosdbCluster", "tencentcloud:index/scfFunction:ScfFunction", "tencentcloud:index/ssmSecret:SsmSecret", "tencentcloud:index/ssmSecretVersion:SsmSecretVersion", "tls:index/privateKey:PrivateKey"],
                        tick: ["tencentcloud:index/camPolicy:CamPolicy", "tencentcloud:index/camRole:CamRole", "tencentcloud:index/ebEventRule:EbEventRule", "tencentcloud:index/ebEventTarget:EbEventTarget", "tencentcloud:index/scfFunction:ScfFunction", "tencentcloud:index/scfFunctionEventInvokeConfig:ScfFunctionEventInvokeConfig", "tencentcloud:index/tcmqQueue:TcmqQueue"],
                        orders: ["random:index/randomPassword:RandomPassword", "tencentcloud:index/cynosdbCluster:CynosdbCluster"],
                        // A provider has no stack resource to share one network by: each table gets its own.
                        "orders-network": ["tencentcloud:index/securityGroup:SecurityGroup", "tencentcloud:index/securityGroupLiteRule:SecurityGroupLiteRule", "tencentcloud:index/subnet:Subnet", "tencentcloud:index/vpc:Vpc"],
                        reader: ["tencentcloud:index/camPolicy:CamPolicy", "tencentcloud:index/camRolePolicyAttachment:CamRolePolicyAttachment", "tencentcloud:index/scfFunction:ScfFunction"],
                        shop: ["tencentcloud:index/apiGatewayApi:ApiGatewayApi", "tencentcloud:index/apiGatewayService:ApiGatewayService", "tencentcloud:index/apiGatewayServiceRelease:ApiGatewayServiceRelease", "tencentcloud:index/scfFunction:ScfFunction"],
                        web: ["tencentcloud:index/cdnDomain:CdnDomain", "tencentcloud:index/cosBucket:CosBucket", "tencentcloud:index/cosBucketObject:CosBucketObject", "tencentcloud:index/cosBucketPolicy:CosBucketPolicy"],
                    },
                };
                for (const [component, types] of Object.entries(expected[cloud])) {
                    const registered = childTypes(cloud, component);
                    for (const type of types) assert.ok(registered.includes(type), `${component} on ${cloud} registered no ${type}; it registered ${registered.join(", ")}`);
                }
                const errors = Object.values(engines).flatMap((e) => e.logs).filter((l) => l.severity === "error");
                assert.deepEqual(errors, []);
            });

            it("gives a function linking the table what it needs: least-privilege access (AWS), the table's VPC (Tencent Cloud)", () => {
                if (cloud === "aws") {
                    const policy = JSON.parse(String(resource(cloud, "aws:iam/rolePolicy:RolePolicy", "reader-policy").inputs.policy));
                    const onTable = policy.Statement.find((s: any) => [s.Resource].flat().includes(built.orders.state.resourceId));
                    assert.deepEqual([onTable.Resource].flat(), [built.orders.state.resourceId]);
                    assert.ok([onTable.Action].flat().every((a: string) => a.startsWith("dynamodb:")), JSON.stringify(onTable));
                } else {
                    const fn = resource(cloud, "tencentcloud:index/scfFunction:ScfFunction", "reader");
                    assert.equal(fn.state.vpcId, resource(cloud, "tencentcloud:index/vpc:Vpc", "orders-network-vpc").state.id);
                    assert.ok(fn.state.subnetId);
                }
            });

            it("bundles a handler file of the consumer's project into the function", () => {
                if (cloud === "aws") {
                    const fn = resource(cloud, "aws:lambda/function:Function", "hello");
                    assert.match(String(fn.inputs.runtime), /^nodejs\d+\.x$/);
                    assert.match((fn.inputs.code as { archive: string }).archive, /^\.build\/functions\/hello-[0-9a-f]{12}\.zip$/);
                } else {
                    const fn = resource(cloud, "tencentcloud:index/scfFunction:ScfFunction", "hello");
                    assert.match(String(fn.inputs.runtime), /^Nodejs/);
                    assert.match(String(fn.inputs.zipFile), /^\.build\/functions\/hello-[0-9a-f]{12}\.zip$/);
                }
                assert.ok(fs.readdirSync(path.join(consumerDir, ".build", "functions")).some((f) => /^hello-[0-9a-f]{12}\.zip$/.test(f)), "the zip is written in the consumer's project");
            });

            if (cloud === "aws") {
                it("runs the functions it bundled: a handler file, and code archives (a folder with index.js; an index.js file asset)", async () => {
                    const event = (query: Record<string, string>) => ({
                        rawPath: "/hello",
                        rawQueryString: new URLSearchParams(query).toString(),
                        queryStringParameters: query,
                        headers: {},
                        requestContext: { http: { method: "GET", path: "/hello" }, requestId: "req-1" },
                        isBase64Encoded: false,
                    });
                    const zipOf = (name: string) => (resource("aws", "aws:lambda/function:Function", name).inputs.code as { archive: string }).archive;
                    const hello = await callZip(zipOf("hello"), event({}));
                    assert.equal(hello.statusCode, 200);
                    assert.deepEqual(JSON.parse(hello.body), { hello: "world", path: "/hello" });
                    const archived = await callZip(zipOf("archived"), event({ name: "ada" }));
                    assert.equal(archived.statusCode, 200);
                    assert.deepEqual(JSON.parse(archived.body), { greeting: "hello, ada" });
                    const fromAsset = await callZip(zipOf("asset-archived"), event({}));
                    assert.deepEqual(JSON.parse(fromAsset.body), { greeting: "hello, stranger" });
                });
            }

            if (cloud === "tencentcloud") {
                it("constructs Table without type-checking our sources under the consumer's settings (it failed with TS2554)", () => {
                    consumerHasNo("tsconfig.json");
                    assert.ok(built.orders.state.tableName);
                    assert.ok(!/TS\d{4}/.test(plugin!.stderr()), plugin!.stderr());
                });
            }
        });

        describe(`Construct of every component on ${cloud}, in a preview`, () => {
            let built: Record<string, Constructed>;

            before(async () => (built = await constructAll(cloud, "preview")));

            it("registers what the update registers, with what is not known yet unknown", () => {
                const identities = (mode: Mode) => registered(cloud, mode).map((r) => `${r.type} ${r.name} <${r.parent ?? ""}`).sort();
                assert.deepEqual(identities("preview"), identities("update"));
                for (const name of ["hello", "orders", "shop"]) assert.equal(built[name].wire.resourceId, unknownValue, `${name}'s resourceId in a preview`);
                const errors = Object.values(engines).flatMap((e) => e.logs).filter((l) => l.severity === "error");
                assert.deepEqual(errors, []);
            });
        });
    }
});
