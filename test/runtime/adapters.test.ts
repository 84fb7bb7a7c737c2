import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { invokeLocal } from "../../functions/runtime/adapters/local";
import { toLambda } from "../../functions/runtime/adapters/aws";
import { ROLES_ENV } from "../../functions/runtime/adapters/route-roles";
import { toScf } from "../../functions/runtime/adapters/tencentcloud";
import type { Handler } from "../../functions/runtime/handler";
import {
  http,
  HttpError,
  isEventHandler,
  isHttpHandler,
  jsonBody,
  onEvent,
  requireHandler,
  setCookie,
  type HttpHandler,
  type HttpRequest,
  type HubEvent,
} from "../../functions/runtime";

type Json = Record<string, unknown>;

function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "events", name), "utf8")) as Json;
}

/** A response read back from any adapter's wire shape, with the body decoded. */
interface WireResponse {
  status: number;
  /** One value per name, `set-cookie` apart. */
  headers: Record<string, string>;
  /** The Set-Cookie headers the client gets, one per value. */
  cookies: string[];
  text: string;
  isBase64: boolean;
  rawBody: string;
}

/** Runs `fn` with console.error captured, so expected error logs neither print nor go unchecked. */
async function capturingErrors<T>(fn: () => Promise<T>): Promise<{ result: T; logged: unknown[][] }> {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    return { result: await fn(), logged };
  } finally {
    console.error = original;
  }
}

/** Records the request a handler saw and answers with `answer`. */
function recordingHandler(answer: (req: HttpRequest) => unknown = () => ({ ok: true })) {
  const seen: HttpRequest[] = [];
  const handler = http(async (req) => {
    seen.push(req);
    return answer(req);
  });
  return { handler, seen };
}

interface HttpTarget {
  name: string;
  /** The main sample request, in this target's shape. */
  sample(): unknown;
  /** A request whose body arrives base64-encoded, carrying the UTF-8 JSON below. */
  base64Sample(): unknown;
  /** A request with a binary body (image/png), as this target delivers one. */
  binarySample(bytes: Buffer): unknown;
  withBody(event: unknown, body: string | undefined): unknown;
  requestIdOf(event: unknown): string;
  invoke(handler: HttpHandler, event: unknown): Promise<WireResponse>;
  /** An event of another kind delivered to the HTTP handler; undefined when the target cannot receive one. */
  wrongShape?: () => unknown;
  /**
   * The event as it arrives after the gateway verified a token with these claims; undefined where
   * the adapter verifies the token itself (Tencent: test/runtime/api-auth.test.ts).
   */
  withVerifiedClaims?: (event: unknown, claims: Record<string, unknown>) => unknown;
}

const BASE64_JSON = { name: "Zoë", note: "ünïcode ✓" };

function decodeWire(status: number, wireHeaders: Record<string, string | string[]>, body: string, isBase64: boolean, wireCookies?: string[]): WireResponse {
  const text = isBase64 ? Buffer.from(body, "base64").toString("utf8") : body;
  const { "set-cookie": setCookies, ...rest } = wireHeaders;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rest)) {
    assert.equal(typeof value, "string", `header ${name} is one string on the wire`);
    headers[name] = value as string;
  }
  const cookies = [...(wireCookies ?? []), ...(setCookies === undefined ? [] : Array.isArray(setCookies) ? setCookies : [setCookies])];
  return { status, headers, cookies, text, isBase64, rawBody: body };
}

/** A gateway event carrying `bytes` as a base64 image/png body. */
function withPng(event: unknown, bytes: Buffer): unknown {
  const headers = { ...((event as Json).headers as Json), "content-type": "image/png" };
  return { ...(event as Json), headers, body: bytes.toString("base64"), isBase64Encoded: true };
}

const localSample = (): HttpRequest => ({
  method: "post",
  path: "/orders/42/items",
  headers: { "Content-Type": "application/json", Cookie: "session=abc123; theme=dark" },
  query: { limit: "10", tag: "new,gift" },
  params: { orderId: "42" },
  body: '{"sku":"SHOE-RED-42","qty":2}',
  requestId: "local-req-1",
  sourceIp: "127.0.0.1",
});

const httpTargets: HttpTarget[] = [
  {
    name: "aws (API Gateway HTTP API, payload 2.0)",
    sample: () => fixture("aws-http-api-v2.json"),
    base64Sample: () => fixture("aws-http-api-v2-base64.json"),
    // HTTP APIs base64-encode every body that is not text (the documented isBase64Encoded rule).
    binarySample: (bytes) => withPng(fixture("aws-http-api-v2.json"), bytes),
    withBody: (event, body) => ({ ...(event as Json), body, isBase64Encoded: false }),
    requestIdOf: (event) => ((event as Json).requestContext as Json).requestId as string,
    invoke: async (handler, event) => {
      const r = await toLambda(handler)(event, { awsRequestId: "lambda-context-id" });
      assert.equal(r.headers["set-cookie"], undefined, "payload 2.0 sends cookies in `cookies`");
      return decodeWire(r.statusCode, r.headers, r.body, r.isBase64Encoded, r.cookies);
    },
    wrongShape: () => fixture("aws-eventbridge.json"),
    // API Gateway renders an array claim as one string: "[admin user]".
    withVerifiedClaims: (event, claims) => ({
      ...(event as Json),
      requestContext: { ...((event as Json).requestContext as Json), authorizer: { jwt: { claims, scopes: null } } },
    }),
  },
  {
    name: "tencentcloud (SCF API Gateway trigger)",
    sample: () => fixture("tencent-apigw.json"),
    base64Sample: () => fixture("tencent-apigw-base64.json"),
    binarySample: (bytes) => withPng(fixture("tencent-apigw.json"), bytes),
    withBody: (event, body) => ({ ...(event as Json), body, isBase64Encoded: false }),
    requestIdOf: (event) => ((event as Json).requestContext as Json).requestId as string,
    invoke: async (handler, event) => {
      const r = await toScf(handler)(event, { request_id: "scf-context-id" });
      return decodeWire(r.statusCode, r.headers, r.body, r.isBase64Encoded);
    },
    wrongShape: () => fixture("tencent-eb-cloudevent.json"),
  },
  {
    name: "local",
    sample: localSample,
    // The local server decodes bodies itself, so its "base64 case" is the already-decoded text.
    base64Sample: () => ({ ...localSample(), body: JSON.stringify(BASE64_JSON), requestId: "local-req-2" }),
    // The local gateway hands over a binary body's bytes (a Uint8Array once across the worker boundary).
    binarySample: (bytes) => ({ ...localSample(), headers: { "content-type": "image/png" }, body: undefined, bytes: new Uint8Array(bytes) }),
    withBody: (event, body) => ({ ...(event as HttpRequest), body }),
    requestIdOf: (event) => (event as HttpRequest).requestId,
    invoke: async (handler, event) => {
      const r = await invokeLocal(handler, { kind: "http", request: event as HttpRequest });
      return decodeWire(r.status, r.headers, r.body, r.isBase64, r.cookies);
    },
    withVerifiedClaims: (event, claims) => ({ ...(event as HttpRequest), claims }),
  },
];

describe("runtime adapters", () => {
  describe("AWS: API Gateway HTTP API (payload 2.0) event -> HttpRequest", () => {
    it("maps method, path, params, query, headers, cookies, body, request id, source ip and JWT claims", async () => {
      const { handler, seen } = recordingHandler();
      await toLambda(handler)(fixture("aws-http-api-v2.json"), { awsRequestId: "lambda-context-id" });
      const req = seen[0];
      const { headers, ...rest } = req;
      assert.deepEqual(rest, {
        method: "POST",
        path: "/orders/42/items",
        query: { limit: "10", tag: "new,gift", q: "red shoes" },
        params: { orderId: "42" },
        body: '{"sku":"SHOE-RED-42","qty":2}',
        requestId: "JKJaXmPLvHcESHA=",
        sourceIp: "203.0.113.7",
        cookies: { session: "abc123", theme: "dark" },
        claims: {
          sub: "user-7f3a",
          email: "ada@example.com",
          iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
          aud: "5r8oa2dq3l1c0example",
          token_use: "id",
        },
      });
      assert.equal(headers.cookie, "session=abc123; theme=dark");
      assert.equal(headers["content-type"], "application/json");
      assert.equal(headers["x-custom"], "one,two");
    });

    it("parses rawQueryString when queryStringParameters is absent, joining repeated keys", async () => {
      const { handler, seen } = recordingHandler();
      const event = fixture("aws-http-api-v2.json");
      delete event.queryStringParameters;
      event.rawQueryString = "tag=a&tag=b&q=caf%C3%A9";
      await toLambda(handler)(event);
      assert.deepEqual(seen[0].query, { tag: "a,b", q: "café" });
    });

    it("falls back to the Lambda context's request id when the event has none", async () => {
      const { handler, seen } = recordingHandler();
      const event = fixture("aws-http-api-v2-base64.json");
      delete (event.requestContext as Json).requestId;
      const response = await toLambda(handler)(event, { awsRequestId: "lambda-context-id" });
      assert.equal(seen[0].requestId, "lambda-context-id");
      assert.equal(response.headers["x-request-id"], "lambda-context-id");
    });

    it("sends several cookies as the `cookies` list, one Set-Cookie header each", async () => {
      const handler = http(() => ({
        headers: { "set-cookie": [setCookie("refresh", "r-1", { path: "/auth" }), setCookie("csrf", "c-1", { httpOnly: false })] },
        body: { ok: true },
      }));
      const response = await toLambda(handler)(fixture("aws-http-api-v2.json"));
      assert.deepEqual(response.cookies, [
        "refresh=r-1; Path=/auth; HttpOnly; Secure; SameSite=Lax",
        "csrf=c-1; Path=/; Secure; SameSite=Lax",
      ]);
      assert.equal(response.headers["set-cookie"], undefined);
    });

    it("answers in the payload 2.0 response shape, moving set-cookie to `cookies`", async () => {
      const handler = http(() => ({
        status: 201,
        headers: { "Set-Cookie": "session=new; HttpOnly; Secure", Location: "/orders/42" },
        body: { id: "42" },
      }));
      const response = await toLambda(handler)(fixture("aws-http-api-v2.json"));
      assert.deepEqual(response, {
        statusCode: 201,
        headers: {
          location: "/orders/42",
          "content-type": "application/json; charset=utf-8",
          "x-request-id": "JKJaXmPLvHcESHA=",
        },
        body: '{"id":"42"}',
        isBase64Encoded: false,
        cookies: ["session=new; HttpOnly; Secure"],
      });
    });
  });

  describe("Tencent Cloud: SCF API Gateway trigger event -> HttpRequest", () => {
    it("maps method, path, params, the full queryString, lower-cased headers, body, request id and source ip", async () => {
      const { handler, seen } = recordingHandler();
      await toScf(handler)(fixture("tencent-apigw.json"), { request_id: "scf-context-id" });
      const { headers, ...rest } = seen[0];
      assert.deepEqual(rest, {
        method: "POST",
        path: "/orders/42/items",
        // Repeated keys arrive as arrays, a bare key as `true`.
        query: { limit: "10", tag: "new,gift", q: "red shoes", debug: "" },
        params: { orderId: "42" },
        body: '{"sku":"SHOE-RED-42","qty":2}',
        requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        sourceIp: "203.0.113.7",
        cookies: { session: "abc123", theme: "dark" },
      });
      assert.equal(headers.cookie, "session=abc123; theme=dark");
      assert.equal(headers["content-type"], "application/json");
      assert.equal(headers["x-api-requestid"], "5d1b2c3e4f5a6b7c8d9e0f1a2b3c4d5e");
      assert.ok(Object.keys(headers).every((name) => name === name.toLowerCase()), "header names are lower-case");
    });

    it("takes the request id from x-scf-request-id, then the SCF context, when requestContext has none", async () => {
      const { handler, seen } = recordingHandler();
      const event = fixture("tencent-apigw.json");
      event.requestContext = { sourceIp: "203.0.113.7" };
      await toScf(handler)({ ...event, headers: { "X-Scf-Request-Id": "hdr-id" } }, { request_id: "ctx-id" });
      await toScf(handler)({ ...event, headers: {} }, { request_id: "ctx-id" });
      assert.deepEqual(
        seen.map((req) => req.requestId),
        ["hdr-id", "ctx-id"],
      );
    });

    it("sends several cookies as an array under set-cookie, and one cookie as a string", async () => {
      const two = http(() => ({ headers: { "Set-Cookie": ["a=1; Path=/", "b=2; Path=/"], Vary: ["origin", "cookie"] }, body: "ok" }));
      const response = await toScf(two)(fixture("tencent-apigw.json"));
      assert.deepEqual(response.headers["set-cookie"], ["a=1; Path=/", "b=2; Path=/"]);
      assert.equal(response.headers.vary, "origin, cookie");
      const one = await toScf(http(() => ({ headers: { "set-cookie": "a=1; Path=/" } })))(fixture("tencent-apigw.json"));
      assert.equal(one.headers["set-cookie"], "a=1; Path=/");
    });

    it("answers in the integrated response shape", async () => {
      const handler = http(() => ({ status: 202, body: "queued" }));
      const response = await toScf(handler)(fixture("tencent-apigw.json"));
      assert.deepEqual(response, {
        isBase64Encoded: false,
        statusCode: 202,
        headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" },
        body: "queued",
      });
    });
  });

  for (const target of httpTargets) {
    describe(`HTTP through ${target.name}`, () => {
      it("decodes a base64 request body to text", async () => {
        const { handler, seen } = recordingHandler((req) => jsonBody(req));
        const response = await target.invoke(handler, target.base64Sample());
        assert.equal(seen[0].body, JSON.stringify(BASE64_JSON));
        assert.equal(response.status, 200);
        assert.deepEqual(JSON.parse(response.text), BASE64_JSON);
      });

      it("gives a handler a binary body's exact bytes, never a UTF-8 string", async () => {
        // Not valid UTF-8: a decode to text would replace these bytes.
        const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0xc3]);
        const { handler, seen } = recordingHandler((req) => ({ size: req.bytes?.length }));
        const response = await target.invoke(handler, target.binarySample(png));
        assert.equal(seen[0].body, undefined);
        assert.ok(Buffer.isBuffer(seen[0].bytes));
        assert.deepEqual([...seen[0].bytes!], [...png]);
        assert.deepEqual(JSON.parse(response.text), { size: png.length });
      });

      it("sends a Buffer response body as base64 with an octet-stream type", async () => {
        const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
        const response = await target.invoke(http(() => ({ body: bytes })), target.sample());
        assert.equal(response.isBase64, true);
        assert.equal(response.rawBody, bytes.toString("base64"));
        assert.deepEqual(Buffer.from(response.rawBody, "base64"), bytes);
        assert.equal(response.headers["content-type"], "application/octet-stream");
      });

      it("sends a Uint8Array with the handler's content-type kept", async () => {
        const bytes = new Uint8Array([1, 2, 3]);
        const handler = http(() => ({ headers: { "Content-Type": "image/png" }, body: bytes }));
        const response = await target.invoke(handler, target.sample());
        assert.equal(response.rawBody, "AQID");
        assert.equal(response.headers["content-type"], "image/png");
      });

      it("turns an HttpError into its status with a JSON error body", async () => {
        const handler = http(() => {
          throw new HttpError(404, "order 42 not found", { details: { orderId: "42" } });
        });
        const response = await target.invoke(handler, target.sample());
        assert.equal(response.status, 404);
        assert.match(response.headers["content-type"], /^application\/json/);
        assert.deepEqual(JSON.parse(response.text), {
          error: { code: "not_found", message: "order 42 not found", details: { orderId: "42" } },
        });
      });

      it("turns any other error into a 500 with the request id and no message or stack", async () => {
        const event = target.sample();
        const requestId = target.requestIdOf(event);
        const handler = http(() => {
          throw new Error("connect ECONNREFUSED db.internal:5432 password=hunter2");
        });
        const { result: response, logged } = await capturingErrors(() => target.invoke(handler, event));
        assert.equal(response.status, 500);
        assert.deepEqual(JSON.parse(response.text), {
          error: { code: "internal", message: "internal error", requestId },
        });
        assert.doesNotMatch(response.text, /hunter2|ECONNREFUSED|\bat\s|\.ts:\d/);
        assert.equal(response.headers["x-request-id"], requestId);
        assert.equal(logged.length, 1, "the error is logged once");
        assert.match(String(logged[0][0]), new RegExp(requestId.replace(/[=+/]/g, "\\$&")));
        assert.match(String((logged[0][1] as Error).message), /hunter2/, "the log keeps the real cause");
      });

      it("answers 400 naming the problem when jsonBody meets a non-JSON body", async () => {
        const handler = http((req) => jsonBody<{ sku: string }>(req).sku);
        const response = await target.invoke(handler, target.withBody(target.sample(), "sku=SHOE&qty=2"));
        assert.equal(response.status, 400);
        const { error } = JSON.parse(response.text) as { error: { code: string; message: string } };
        assert.equal(error.code, "invalid_json");
        assert.match(error.message, /^body is not valid JSON: /);
      });

      it("answers 400 'body is required' when jsonBody meets an empty body", async () => {
        const handler = http((req) => jsonBody(req));
        const response = await target.invoke(handler, target.withBody(target.sample(), undefined));
        assert.equal(response.status, 400);
        assert.deepEqual(JSON.parse(response.text), { error: { code: "missing_body", message: "body is required" } });
      });

      it("sends a plain returned value as 200 JSON with the request id header", async () => {
        const event = target.sample();
        const response = await target.invoke(http(() => ({ status: "active", count: 2 })), event);
        assert.equal(response.status, 200);
        assert.deepEqual(JSON.parse(response.text), { status: "active", count: 2 });
        assert.equal(response.headers["x-request-id"], target.requestIdOf(event));
      });

      it("answers 204 with an empty body when the handler returns nothing", async () => {
        const response = await target.invoke(http(() => undefined), target.sample());
        assert.equal(response.status, 204);
        assert.equal(response.text, "");
      });

      it("parses the request's cookies for the handler, keeping the cookie header", async () => {
        const { handler, seen } = recordingHandler();
        await target.invoke(handler, target.sample());
        assert.deepEqual(seen[0].cookies, { session: "abc123", theme: "dark" });
        assert.equal(seen[0].headers.cookie, "session=abc123; theme=dark");
      });

      it("sends two cookies set in one response as two Set-Cookie values; other array headers joined", async () => {
        const handler = http(() => ({
          headers: {
            "Set-Cookie": [setCookie("refresh", "r-1", { path: "/auth", sameSite: "Strict" }), setCookie("theme", "dark", { httpOnly: false })],
            "Cache-Control": ["no-store", "private"],
          },
          body: { ok: true },
        }));
        const response = await target.invoke(handler, target.sample());
        assert.equal(response.status, 200);
        assert.deepEqual(response.cookies, [
          "refresh=r-1; Path=/auth; HttpOnly; Secure; SameSite=Strict",
          "theme=dark; Path=/; Secure; SameSite=Lax",
        ]);
        assert.equal(response.headers["cache-control"], "no-store, private");
        assert.deepEqual(JSON.parse(response.text), { ok: true });
      });

      if (target.withVerifiedClaims) {
        const withClaims = target.withVerifiedClaims;
        describe("a route's roles (SB_API_ROLES)", () => {
          const saved = process.env[ROLES_ENV];
          afterEach(() => {
            if (saved === undefined) delete process.env[ROLES_ENV];
            else process.env[ROLES_ENV] = saved;
          });

          it("answers 403 without calling the handler when the token has none of them", async () => {
            process.env[ROLES_ENV] = JSON.stringify(["admin"]);
            const { handler, seen } = recordingHandler();
            const claims = target.name.startsWith("aws") ? { sub: "u-1", roles: "[user]" } : { sub: "u-1", roles: ["user"] };
            const response = await target.invoke(handler, withClaims(target.sample(), claims));
            assert.equal(response.status, 403);
            assert.deepEqual(JSON.parse(response.text), {
              error: { code: "forbidden", message: "this route needs the role 'admin'; the token's roles claim has 'user'", details: { anyOf: ["admin"] } },
            });
            assert.equal(seen.length, 0);
            const none = await target.invoke(handler, withClaims(target.sample(), { sub: "u-1" }));
            assert.equal(none.status, 403);
          });

          it("calls the handler when the token has one of them", async () => {
            process.env[ROLES_ENV] = JSON.stringify(["admin", "support"]);
            const { handler, seen } = recordingHandler();
            const claims = target.name.startsWith("aws") ? { sub: "u-1", roles: "[user support]" } : { sub: "u-1", roles: ["user", "support"] };
            const response = await target.invoke(handler, withClaims(target.sample(), claims));
            assert.equal(response.status, 200);
            assert.equal(seen[0].claims?.sub, "u-1");
          });

          it("checks nothing on a route without roles", async () => {
            delete process.env[ROLES_ENV];
            const response = await target.invoke(recordingHandler().handler, withClaims(target.sample(), { sub: "u-1" }));
            assert.equal(response.status, 200);
          });
        });
      }

      if (target.wrongShape) {
        const wrongShape = target.wrongShape;
        it("rejects an event of the wrong shape with an error naming what arrived", async () => {
          const { handler, seen } = recordingHandler();
          await assert.rejects(target.invoke(handler, wrongShape()), (error: Error) => {
            assert.match(error.message, /expected an API Gateway .*event/);
            assert.match(error.message, /got an object with keys \[[^\]]*\bsource\b/);
            return true;
          });
          assert.equal(seen.length, 0, "the handler is not called");
        });
      }
    });
  }

  describe("AWS: EventBridge event -> HubEvent", () => {
    it("maps id, source, detail-type, time and detail", async () => {
      const seen: HubEvent[] = [];
      await toLambda(onEvent((event) => void seen.push(event)))(fixture("aws-eventbridge.json"));
      assert.deepEqual(seen, [
        {
          id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
          source: "app.orders",
          type: "OrderPlaced",
          time: "2024-03-13T10:15:43Z",
          detail: { orderId: "42", total: { amount: 8990, currency: "EUR" }, items: [{ sku: "SHOE-RED-42", qty: 2 }] },
        },
      ]);
    });

    it("rethrows the handler's error so Lambda retries the delivery", async () => {
      const failure = new Error("downstream unavailable");
      const lambda = toLambda(
        onEvent(() => {
          throw failure;
        }),
      );
      await assert.rejects(lambda(fixture("aws-eventbridge.json")), (error) => error === failure);
    });

    it("rejects an HTTP event with an error naming the expected shape and the keys that arrived", async () => {
      const lambda = toLambda(onEvent(() => undefined));
      await assert.rejects(
        lambda(fixture("aws-http-api-v2.json")),
        /toLambda: expected an EventBridge event \(id, source, detail-type, time, detail\); got an object with keys \[version, routeKey, rawPath,/,
      );
      await assert.rejects(lambda([]), /got an array of 0 item\(s\)/);
    });
  });

  describe("Tencent Cloud: EB CloudEvent -> HubEvent", () => {
    it("maps id, source, type, millisecond time (as ISO) and data", async () => {
      const seen: HubEvent[] = [];
      await toScf(onEvent((event) => void seen.push(event)))(fixture("tencent-eb-cloudevent.json"));
      assert.deepEqual(seen, [
        {
          id: "13a3f42d-7258-4ada-da6d-023a333b4662",
          source: "app.orders",
          type: "OrderPlaced",
          time: "2024-03-13T10:15:43.000Z",
          detail: { orderId: "42", total: { amount: 8990, currency: "EUR" }, items: [{ sku: "SHOE-RED-42", qty: 2 }] },
        },
      ]);
    });

    it("accepts a numeric time and parses JSON data sent as a string", async () => {
      const seen: HubEvent[] = [];
      const event = { ...fixture("tencent-eb-cloudevent.json"), time: 1615430559146, data: '{"orderId":"7"}' };
      await toScf(onEvent((e) => void seen.push(e)))(event);
      assert.equal(seen[0].time, "2021-03-11T02:42:39.146Z");
      assert.deepEqual(seen[0].detail, { orderId: "7" });
    });

    it("rejects a time that is neither a timestamp nor a date", async () => {
      const event = { ...fixture("tencent-eb-cloudevent.json"), time: "yesterday" };
      await assert.rejects(toScf(onEvent(() => undefined))(event), /EB event time "yesterday"/);
    });

    it("rethrows the handler's error so SCF retries the delivery", async () => {
      const scf = toScf(
        onEvent(() => {
          throw new Error("downstream unavailable");
        }),
      );
      await assert.rejects(scf(fixture("tencent-eb-cloudevent.json")), /downstream unavailable/);
    });

    it("refuses an EB batch delivery (EventList), naming it and the fix, without running the handler on any of its events", async () => {
      const seen: HubEvent[] = [];
      const batch = { EventList: [fixture("tencent-eb-cloudevent.json"), { ...fixture("tencent-eb-cloudevent.json"), id: "second" }] };
      await assert.rejects(toScf(onEvent((e) => void seen.push(e)))(batch), /got an EB batch delivery \(EventList of 2 event\(s\)\).*turn batch delivery off on the EB target/);
      assert.deepEqual(seen, []);
    });

    it("rejects an API Gateway event with an error naming the expected shape and the keys that arrived", async () => {
      await assert.rejects(
        toScf(onEvent(() => undefined))(fixture("tencent-apigw.json")),
        /toScf: expected an EventBridge \(EB\) CloudEvent .*; got an object with keys \[requestContext, headers, body,/,
      );
    });
  });

  describe("local: invokeLocal", () => {
    it("normalises a hand-built request (method case, header names)", async () => {
      const { handler, seen } = recordingHandler();
      await invokeLocal(handler, { kind: "http", request: localSample() });
      assert.equal(seen[0].method, "POST");
      assert.deepEqual(seen[0].headers, { "content-type": "application/json", cookie: "session=abc123; theme=dark" });
    });

    it("delivers a hub event and answers undefined", async () => {
      const seen: HubEvent[] = [];
      const event: HubEvent = {
        id: "evt-1",
        source: "app.orders",
        type: "OrderPlaced",
        time: "2024-03-13T10:15:43.000Z",
        detail: { orderId: "42" },
        attempt: 2,
      };
      const result = await invokeLocal(onEvent((e) => void seen.push(e)), { kind: "event", event });
      assert.equal(result, undefined);
      assert.deepEqual(seen, [event]);
    });

    it("rethrows an event handler's error so the local bus can retry", async () => {
      const handler = onEvent(() => {
        throw new Error("try again");
      });
      const event: HubEvent = { id: "e", source: "s", type: "t", time: "2024-01-01T00:00:00.000Z", detail: null };
      await assert.rejects(invokeLocal(handler, { kind: "event", event }), /try again/);
    });

    it("refuses an input of the other kind", async () => {
      const handler: Handler = onEvent(() => undefined);
      await assert.rejects(
        invokeLocal(handler, { kind: "http", request: localSample() }),
        /invokeLocal: a handler created with onEvent\(\.\.\.\) cannot take an http input/,
      );
    });

    // Found by the fuzzer (direct invocation with any body): these were the function's failure, a 502.
    it("refuses, as a LocalInputError, an input without a kind or without the part its kind needs", async () => {
      const onHttp = http(async () => ({ ok: true }));
      const refused = (pattern: RegExp) => (err: Error) => err.name === "LocalInputError" && pattern.test(err.message);
      await assert.rejects(invokeLocal(onHttp, { kind: "upload" } as any), refused(/cannot take a "upload" kind of input/));
      await assert.rejects(invokeLocal(onHttp, null as any), refused(/cannot take a missing kind of input/));
      await assert.rejects(invokeLocal(onHttp, { kind: "http", request: "GET /" } as any), refused(/an http input needs 'request' as an object, got string/));
      await assert.rejects(invokeLocal(onEvent(() => undefined), { kind: "event" } as any), refused(/an event input needs 'event' as an object, got undefined/));
    });
  });

  describe("tagged handlers", () => {
    it("tags http(...) and onEvent(...) handlers without mutating the given function", () => {
      const fn = () => "x";
      assert.equal(isHttpHandler(http(fn)), true);
      assert.equal(isEventHandler(http(fn)), false);
      assert.equal(isEventHandler(onEvent(() => undefined)), true);
      assert.equal(isHttpHandler(fn), false);
      assert.equal((fn as { kind?: string }).kind, undefined);
    });

    it("explains which export is not a tagged handler", () => {
      assert.throws(
        () => requireHandler(() => undefined, "functions/x.ts"),
        {
          message:
            "functions/x.ts: export 'handler' must be created with http(...), onEvent(...), onSocket(...) or onTask(...) (found: a plain function)",
        },
      );
      assert.throws(() => requireHandler(undefined, "functions/y.ts", "main"), /functions\/y\.ts: export 'main' must be created/);
      const tagged = http(() => 1);
      assert.equal(requireHandler(tagged, "functions/z.ts"), tagged);
    });

    it("refuses to adapt an untagged function", () => {
      const plain = (() => undefined) as unknown as Handler;
      assert.throws(() => toLambda(plain), /toLambda: expected a handler created with http\(\.\.\.\), onEvent\(\.\.\.\), onSocket\(\.\.\.\) or onTask\(\.\.\.\)/);
      assert.throws(() => toScf(plain), /toScf: expected a handler created with http/);
    });

    it("keeps HttpError statuses to 4xx/5xx and derives a code", () => {
      assert.throws(() => new HttpError(200, "ok"), RangeError);
      assert.equal(new HttpError(409, "taken").code, "conflict");
      assert.equal(new HttpError(418, "teapot").code, "http_418");
      assert.equal(new HttpError(422, "bad", { code: "invalid_order" }).code, "invalid_order");
    });
  });
});
