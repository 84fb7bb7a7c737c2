// One product's Tencent Cloud API 3.0 (e.g. apigateway 2018-08-08) as a dynamic provider calls it:
// a JSON POST signed TC3-HMAC-SHA256 by the functions' signer (tc3Authorization in
// functions/runtime/clients/tencentcloud/api3.ts, checked against tencentcloud-sdk-nodejs's), so the
// serialized provider needs nothing from node_modules (see ./provider.ts). Errors come back as
// `{ Response: { Error: { Code, Message }, RequestId } }` with HTTP 200.
//
// Not api3.ts's callApi3: it throws a class extending Error, and a serialized class calls `Error`
// as a function for `super(message)`, which sets nothing on the instance: the API's message was
// lost in the plugin. So errors here are plain Errors with `code` and `requestId`, and their
// message names the product, action, region, code and request id: the `pulumi-nodejs` plugin
// shows the CLI only an error's message.
import { tc3Authorization } from "../../../functions/runtime/clients/tencentcloud/api3";
import type { TencentCredential } from "./credentials";

/** A product's API: its endpoint prefix and signing service (`apigateway`), and version (`2018-08-08`). */
export interface Api3Product {
    service: string;
    version: string;
}

/** Where and how the calls go. */
export interface Api3Access {
    credential: TencentCredential;
    region: string;
    /** Every call goes here instead of `https://<service>.tencentcloudapi.com/` (tests: a fake API on 127.0.0.1). */
    endpoint?: string;
}

/** Calls one action; resolves to its `Response`, rejects with an ApiError when the API answers one. */
export type Api3Call = (action: string, payload: Record<string, unknown>) => Promise<Record<string, any>>;

/** An error the API answered: `code` as the API names it (e.g. `ResourceNotFound.InvalidApi`). */
export type ApiError = Error & { code: string; requestId?: string };

const CONTENT_TYPE = "application/json; charset=utf-8";

export function api3Client(product: Api3Product, access: Api3Access): Api3Call {
    const url = new URL(access.endpoint ?? `https://${product.service}.tencentcloudapi.com/`);
    return async (action, payload) => {
        const where = `${product.service} ${action} (${access.region})`;
        const timestamp = Math.floor(Date.now() / 1000);
        const body = JSON.stringify(payload);
        const { credential } = access;
        const headers: Record<string, string> = {
            Authorization: tc3Authorization({ host: url.hostname, service: product.service, body, timestamp, credential }),
            "Content-Type": CONTENT_TYPE,
            "X-TC-Action": action,
            "X-TC-Version": product.version,
            "X-TC-Timestamp": String(timestamp),
            "X-TC-Region": access.region,
            ...(credential.token ? { "X-TC-Token": credential.token } : {}),
        };
        let response: Response;
        try {
            response = await fetch(url, { method: "POST", headers, body });
        } catch (error) {
            // fetch's own message is "fetch failed"; the reason (refused, DNS, TLS) is its cause.
            const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
            throw new Error(`${where} failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
        }
        const text = await response.text();
        let answer: { Response?: Record<string, any> } | undefined;
        try {
            answer = JSON.parse(text);
        } catch {
            answer = undefined;
        }
        const result = answer?.Response;
        if (!result) throw apiError(where, `HTTP${response.status}`, `no API answer (HTTP ${response.status}): ${text.slice(0, 200)}`);
        if (result.Error) throw apiError(where, String(result.Error.Code), String(result.Error.Message), result.RequestId);
        return result;
    };
}

function apiError(where: string, code: string, message: string, requestId?: string): ApiError {
    const error = new Error(`${where} failed: ${code}: ${message}${requestId ? ` (RequestId ${requestId})` : ""}`);
    return Object.assign(error, { name: "TencentApiError", code, ...(requestId ? { requestId } : {}) });
}

/** True for an API error with one of `codes`. */
export function isApiError(error: unknown, ...codes: string[]): error is ApiError {
    return error instanceof Error && typeof (error as Partial<ApiError>).code === "string" && codes.includes((error as ApiError).code);
}
