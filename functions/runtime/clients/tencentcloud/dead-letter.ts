// Sends a dead letter to the task's TDMQ CMQ queue: TDMQ SendCmqMsg (tdmq 2020-02-17,
// cloud.tencent.com/document/api/1179/55919: QueueName, MsgContent, DelaySeconds; answers Result
// true and MsgId), with the function role's keys. The message is the JSON of
// `{ event, error, attempts, time }`: the original SCF event as it arrived, so a redrive can invoke
// the task with exactly that event again.
// The request goes through api3.ts, not tencentcloud-sdk-nodejs, to keep the SDK out of every
// Tencent function's bundle (api3.ts says why); any client with the SDK's SendCmqMsg shape,
// the SDK's own TDMQ client included, can be passed instead.
import type { SendCmqMsgRequest, SendCmqMsgResponse } from "tencentcloud-sdk-nodejs/tencentcloud/services/tdmq/v20200217/tdmq_models";
import { callApi3 } from "./api3";

/**
 * The variables that tell the adapter where dead letters go and what the retry settings are; an
 * AsyncTask's dead-letter link sets them (a Function's own variables may not start with SB_).
 */
export const DEAD_LETTER_ENV = {
    queue: "SB_DEAD_LETTER_QUEUE",
    region: "SB_DEAD_LETTER_REGION",
    retries: "SB_RETRIES",
    maxEventAge: "SB_MAX_EVENT_AGE",
} as const;

/** What a dead letter carries. */
export interface DeadLetterBody {
    /** The event the function was invoked with, unchanged. */
    event: unknown;
    /** The last attempt's error message. */
    error: string;
    /** Attempts counted by the instance that dead-lettered the event. */
    attempts: number;
    /** When it was dead-lettered, ISO 8601. */
    time: string;
}

/** Puts one dead letter on the queue; resolves to the message id, rejects when the queue did not take it. */
export type DeadLetterSender = (body: DeadLetterBody) => Promise<string>;

/** The part of the TDMQ client the sender calls. */
export interface CmqSendClient {
    SendCmqMsg(request: SendCmqMsgRequest): Promise<SendCmqMsgResponse>;
}

/**
 * A sender to the CMQ queue `queue` in `region`, over `client` or TDMQ's API with the function's keys.
 *
 * @example await cmqDeadLetterSender("ship-dlq", "ap-guangzhou")({ event, error: "timeout", attempts: 3, time: new Date().toISOString() })
 */
export function cmqDeadLetterSender(queue: string, region: string, client?: CmqSendClient): DeadLetterSender {
    const tdmq = client ?? tdmqClient(region);
    return async (body) => {
        const sent = await tdmq.SendCmqMsg({ QueueName: queue, MsgContent: JSON.stringify(body), DelaySeconds: 0 });
        if (sent.Result !== true || !sent.MsgId) {
            throw new Error(`CMQ queue ${queue} did not take the dead letter (Result ${String(sent.Result)}, request ${sent.RequestId ?? "unknown"})`);
        }
        return sent.MsgId;
    };
}

/** TDMQ's SendCmqMsg over API 3.0 with the keys in the environment at each call (SCF rotates them). */
export function tdmqClient(region: string, endpoint?: string): CmqSendClient {
    return {
        SendCmqMsg: async (request) =>
            (await callApi3({ service: "tdmq", version: "2020-02-17", action: "SendCmqMsg", region, endpoint, payload: { ...request } })) as SendCmqMsgResponse,
    };
}
