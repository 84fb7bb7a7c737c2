// Values Tencent Cloud documents and the provider (v1.83.25) passes on unchecked, held to their
// sources: SCF descriptions (SCF API CreateFunction, cloud.tencent.com/document/api/583/18586)
// and the CDN's HSTS max-age (CDN "HSTS 配置", 228/44867) and one cache mode per rule
// (resource_tc_cdn_domain.go, `rule_cache`). The site's own values are in static-site.test.ts.
import * as assert from "node:assert/strict";
import { BusinessApi, Function, Realtime } from "../../components";
import { SCF_DESCRIPTION_MAX_LENGTH, scfDescription } from "../../components/tencentcloud/function";
import { CDN_HSTS_MAX_AGE_LIMIT_SECONDS, CdnDomain, type CdnDomainRuleCache } from "../../components/tencentcloud/sdk";
import { evaluate, evaluateFailing } from "../harness";

const HANDLER = "examples/shop/functions/hello/greet.handler";
const SCF = "tencentcloud:index/scfFunction:ScfFunction";
/** SCF's documented set: English letters, digits, spaces, commas, full stops, newlines, Chinese. */
const SCF_CHARSET = /^[A-Za-z0-9 ,.\n\u3400-\u4dbf\u4e00-\u9fff]*$/;

describe("SCF descriptions on Tencent Cloud", () => {
    it("keeps what SCF takes and turns each run of anything else into a space", () => {
        assert.equal(scfDescription("Serves GET /users/{userId}/orders"), "Serves GET users userId orders");
        assert.equal(scfDescription("Realtime live connect"), "Realtime live connect");
        assert.equal(scfDescription("Site web's server-rendered paths"), "Site web s server rendered paths");
        assert.equal(scfDescription("订单服务, v2.\nSecond line"), "订单服务, v2.\nSecond line");
        assert.equal(scfDescription("!!!"), undefined, "nothing left: no description rather than an empty one");
        assert.equal(scfDescription(undefined), undefined);
    });

    it("cuts a description to SCF's 1,000 characters", () => {
        const cut = scfDescription(`${"word ".repeat(300)}end`)!;
        assert.ok(cut.length <= SCF_DESCRIPTION_MAX_LENGTH, `${cut.length} characters`);
        assert.match(cut, /^(word )+word$/);
    });

    it("sanitises a given description on Tencent Cloud and leaves it as given on AWS", async () => {
        const program = () => new Function("greet", { handler: HANDLER, description: "Greets {name} -> /hello (v2)" });
        const tencent = await evaluate("tencentcloud", program);
        assert.equal(tencent.one(SCF, "greet").inputs.description, "Greets name hello v2");
        const aws = await evaluate("aws", program);
        assert.equal(aws.one("aws:lambda/function:Function", "greet").inputs.description, "Greets {name} -> /hello (v2)");
    });

    it("fits every description the components generate for routes and realtime functions", async () => {
        const stack = await evaluate("tencentcloud", () => {
            new BusinessApi("shop", {
                routes: { "GET /users/{userId}/orders": { handler: HANDLER }, "POST /users": { handler: HANDLER, public: true } },
                jwt: { issuer: "https://auth.example.com", audience: ["shop-web"] },
            });
            new Realtime("live", {
                jwt: { issuer: "https://auth.example.com", audience: ["shop-web"] },
                tokenFrom: "protocol",
                routes: { "room.join": { handler: HANDLER } },
            });
        });
        const functions = stack.ofType(SCF);
        assert.ok(functions.length >= 5, `${functions.length} functions`);
        for (const fn of functions) {
            const description = fn.inputs.description as string | undefined;
            if (description !== undefined) assert.match(description, SCF_CHARSET, `${fn.name}: ${description}`);
        }
        const described = functions.map((f) => f.inputs.description);
        assert.ok(described.includes("Serves GET users userId orders"), described.join(" | "));
    });
});

describe("CdnDomain values Tencent CDN accepts", () => {
    const cdn = (hstsMaxAge: number, ruleCaches: CdnDomainRuleCache[] = []) => () => void new CdnDomain("site", {
        domain: "shop.example.com",
        serviceType: "web",
        origin: { originType: "cos", originLists: ["b-1250000000.cos.ap-guangzhou.myqcloud.com"] },
        httpsConfig: { httpsSwitch: "on", hsts: { switch: "on", maxAge: hstsMaxAge } },
        ruleCaches,
    });

    it("takes an HSTS max-age of up to 365 days, in seconds", async () => {
        assert.equal(CDN_HSTS_MAX_AGE_LIMIT_SECONDS, 31536000);
        const stack = await evaluate("tencentcloud", cdn(31536000));
        assert.equal((stack.one("tencentcloud:index/cdnDomain:CdnDomain").inputs.httpsConfig as any).hsts.maxAge, 31536000);
    });

    it("refuses a longer HSTS max-age before registering it", async () => {
        const { error, registered } = await evaluateFailing("tencentcloud", cdn(63072000));
        assert.match(error.message, /CdnDomain 'site' httpsConfig\.hsts\.maxAge: 63072000 is not allowed; Tencent CDN takes 0 to 31536000 seconds \(365 days\)/);
        assert.deepEqual(registered.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
    });

    it("refuses a cache rule with two cache modes on", async () => {
        const rules: CdnDomainRuleCache[] = [
            { ruleType: "all", rulePaths: ["*"], cacheTime: 0, followOriginSwitch: "on" },
            { ruleType: "file", rulePaths: ["html"], cacheTime: 0, switch: "on", noCacheSwitch: "on" },
        ];
        const { error } = await evaluateFailing("tencentcloud", cdn(31536000, rules));
        assert.match(error.message, /CdnDomain 'site' ruleCaches\[1\]: switch, noCacheSwitch are all on; turn on one of switch, noCacheSwitch, followOriginSwitch per rule/);
    });
});
