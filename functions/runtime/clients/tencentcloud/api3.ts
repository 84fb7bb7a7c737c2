// A minimal Tencent Cloud API 3.0 call, signed TC3-HMAC-SHA256 (sign.ts), for every cloud API a
// Tencent function calls: the dead letter (TDMQ), hub publish (EB), email (SES), the auth secret
// (SSM), and redrive's SCF Invoke and TDMQ rewind. Requiring tencentcloud-sdk-nodejs in a bundle
// makes its zip about 210 KB bigger and its cold start about 10 ms longer (npm run
// bench:bundle-size); this is the same request in 2 KB. The unit tests check our Authorization
// header against the SDK's common/sign.js. Errors come back as `{ Response: { Error: { Code,
// Message }, RequestId } }` with HTTP 200, as the SDK reads them, and reject as TencentApiError
// with the same `code`, `message` and `requestId` the SDK's TencentCloudSDKHttpException has.
import { credentialFromEnv, type TencentCredential } from "./credentials";
import { TC3_CONTENT_TYPE as CONTENT_TYPE, tc3Authorization } from "./sign";

export { tc3Authorization };

export interface Api3Request {
    /** The product's endpoint prefix and signing service, e.g. `tdmq`. */
    service: string;
    /** API version, e.g. `2020-02-17`. */
    version: string;
    action: string;
    region: string;
    payload: Record<string, unknown>;
    /** Default `<service>.tencentcloudapi.com` over https. */
    endpoint?: string;
    credential?: TencentCredential;
    /** Seconds since the epoch. */
    timestamp?: number;
    fetch?: typeof fetch;
}

/** An API error answer: `code` as the API names it (e.g. `ResourceNotFound`), and its request id. */
export class TencentApiError extends Error {
    constructor(readonly code: string, message: string, readonly requestId?: string) {
        super(message);
        this.name = "TencentApiError";
    }
}

/** Calls `action` and resolves to its `Response` (without errors), or rejects with TencentApiError. */
export async function callApi3(request: Api3Request): Promise<Record<string, unknown>> {
    const credential = request.credential ?? credentialFromEnv();
    const url = new URL(request.endpoint ?? `https://${request.service}.tencentcloudapi.com/`);
    const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
    const body = JSON.stringify(request.payload);
    const headers: Record<string, string> = {
        Authorization: tc3Authorization({ host: url.hostname, service: request.service, body, timestamp, credential }),
        "Content-Type": CONTENT_TYPE,
        "X-TC-Action": request.action,
        "X-TC-Version": request.version,
        "X-TC-Timestamp": String(timestamp),
        "X-TC-Region": request.region,
        ...(credential.token ? { "X-TC-Token": credential.token } : {}),
    };
    const response = await (request.fetch ?? fetch)(url, { method: "POST", headers, body });
    const text = await response.text();
    let answer: { Response?: Record<string, any> };
    try {
        answer = JSON.parse(text);
    } catch {
        throw new TencentApiError(`HTTP${response.status}`, `${request.service} ${request.action}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    }
    const result = answer.Response;
    if (!result) throw new TencentApiError(`HTTP${response.status}`, `${request.service} ${request.action}: no Response in the answer`);
    if (result.Error) throw new TencentApiError(String(result.Error.Code), String(result.Error.Message), result.RequestId);
    return result;
}
