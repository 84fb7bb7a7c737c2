// Receiving and deleting TDMQ CMQ queue messages, for redrive. tencentcloud-sdk-nodejs has no API
// for these: TDMQ's cloud API 3.0 sends CMQ messages (SendCmqMsg) but consuming them is CMQ's
// "HTTP data flow" API, unchanged from CMQ API 2.0 (TDMQ CMQ "API 概述",
// tencentcloud.com/document/product/1111/46396): POST `<endpoint>/v2/index.php` with form
// parameters, the endpoint being the queue service's API address the TDMQ CMQ console shows
// (e.g. https://cmq-gz.publicXXX.tencenttdmq.com, or http://gz.mqadapter.cmq.tencentyun.com inside
// Tencent Cloud; cloud.tencent.com/document/product/1496/70954).
// - BatchReceiveMessage(queueName, numOfMsg 1-16, pollingWaitSeconds) answers msgInfoList of
//   { msgId, receiptHandle, msgBody, enqueueTime, dequeueCount, ... }; code 7000 with
//   "(10200)no message" means the queue is empty.
// - DeleteMessage(queueName, receiptHandle): only the latest receive's handle deletes.
// Signing (API 2.0 common parameters, cloud.tencent.com/document/api/598/13879): Action, Region,
// Timestamp, Nonce, SecretId, SignatureMethod=HmacSHA256 (and Token for temporary keys); the
// Signature is the base64 HMAC-SHA256, with the secret key, of
// `POST<host><path>?<parameters sorted by name, joined as name=value with &, not URL-encoded>`.
import { credentialFromEnv, type TencentCredential } from "./credentials";
import { signedParameters } from "./sign";

export { signedParameters };

export interface CmqMessage {
    msgId: string;
    receiptHandle: string;
    msgBody: string;
    /** When the message was sent, seconds since the epoch. */
    enqueueTime?: number;
    /** How many times it has been received. */
    dequeueCount?: number;
}

/** The queue operations redrive uses. */
export interface CmqQueueClient {
    /** Up to `max` (1-16) visible messages, hidden for the queue's visibility timeout; [] when none. */
    receive(queue: string, max: number): Promise<CmqMessage[]>;
    delete(queue: string, receiptHandle: string): Promise<void>;
}

export interface CmqDataClientOptions {
    /** The queue service's API address from the TDMQ CMQ console, e.g. https://cmq-gz.public.tencenttdmq.com. */
    endpoint: string;
    region: string;
    credential?: TencentCredential;
    /** The HTTP client; Node's fetch by default. */
    fetch?: typeof fetch;
    /** Seconds since the epoch; the clock by default. */
    now?: () => number;
}

const PATH = "/v2/index.php";
/** CMQ's "no message" answer to a receive on an empty queue. */
const NO_MESSAGE = 7000;

export function cmqDataClient(options: CmqDataClientOptions): CmqQueueClient {
    const url = new URL(PATH, options.endpoint);
    const doFetch = options.fetch ?? fetch;
    const now = options.now ?? (() => Math.floor(Date.now() / 1000));

    async function call(action: string, params: Record<string, string | number>): Promise<Record<string, any>> {
        const credential = options.credential ?? credentialFromEnv();
        const form = signedParameters(url, action, params, credential, options.region, now());
        const response = await doFetch(url, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams(form).toString(),
        });
        const text = await response.text();
        let answer: Record<string, any>;
        try {
            answer = JSON.parse(text);
        } catch {
            throw new Error(`CMQ ${action} at ${url.host}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
        }
        return answer;
    }

    const failure = (action: string, queue: string, answer: Record<string, any>) =>
        new Error(`CMQ ${action} on ${queue}: code ${answer.code}: ${answer.message ?? ""} (request ${answer.requestId ?? "unknown"})`);

    return {
        async receive(queue, max) {
            const answer = await call("BatchReceiveMessage", { queueName: queue, numOfMsg: Math.max(1, Math.min(16, max)), pollingWaitSeconds: 0 });
            if (answer.code === NO_MESSAGE) return [];
            if (answer.code !== 0) throw failure("BatchReceiveMessage", queue, answer);
            return (answer.msgInfoList ?? []) as CmqMessage[];
        },
        async delete(queue, receiptHandle) {
            const answer = await call("DeleteMessage", { queueName: queue, receiptHandle });
            if (answer.code !== 0) throw failure("DeleteMessage", queue, answer);
        },
    };
}
