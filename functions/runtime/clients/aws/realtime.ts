// Pushing on AWS: the API Gateway Management API of the Realtime's stage (its @connections
// endpoint, https://<api>.execute-api.<region>.amazonaws.com/<stage>). PostToConnection per
// connection, a bounded number at once; a connection API Gateway reports gone (410,
// GoneException) is returned so that the client forgets it. DeleteConnection closes one: the
// connection's $disconnect route runs as when the client leaves.
// The IAM actions used, exactly: execute-api:ManageConnections on the stage's POST and DELETE
// @connections paths (what components/aws/realtime.ts grants a linking function).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
import {
    ApiGatewayManagementApiClient,
    DeleteConnectionCommand,
    PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import type { RealtimeTransport } from "../realtime";

/** Posts in flight at once per push: a broadcast to thousands stays within the API's throttle and the socket pool. */
export const POST_CONCURRENCY = 50;

export interface AwsRealtimeOptions {
    /** The client for an endpoint; by default one per endpoint per container, made at first use. */
    client?: (endpoint: string) => ApiGatewayManagementApiClient;
    /** Posts in flight at once. Default POST_CONCURRENCY. */
    concurrency?: number;
}

const shared = new Map<string, ApiGatewayManagementApiClient>();

/** Made lazily and kept for the container's life: cold starts pay for each endpoint's client once. */
function sharedClient(endpoint: string): ApiGatewayManagementApiClient {
    let client = shared.get(endpoint);
    if (!client) shared.set(endpoint, (client = new ApiGatewayManagementApiClient({ endpoint })));
    return client;
}

export function createAwsRealtime(options: AwsRealtimeOptions = {}): RealtimeTransport {
    const client = options.client ?? sharedClient;
    const concurrency = options.concurrency ?? POST_CONCURRENCY;

    return {
        async post(endpoint, connectionIds, payload) {
            const data = Buffer.from(payload, "utf8");
            const gone: string[] = [];
            const failures: unknown[] = [];
            // Every connection gets its post even when another fails: one throttled post must not stop a broadcast.
            await eachAtMost(connectionIds, concurrency, async (connectionId) => {
                try {
                    await client(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
                } catch (error) {
                    if (isGone(error)) gone.push(connectionId);
                    else failures.push(error);
                }
            });
            if (failures.length > 0) {
                const first = failures[0] as Error;
                throw new AggregateError(failures, `PostToConnection failed for ${failures.length} of ${connectionIds.length} connections (${first.name}: ${first.message})`);
            }
            return gone;
        },
        async close(endpoint, connectionId) {
            try {
                await client(endpoint).send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
            } catch (error) {
                if (!isGone(error)) throw error;
            }
        },
    };
}

/** The transport `realtime(name)` uses on AWS. */
export const awsRealtime: RealtimeTransport = createAwsRealtime();

/** API Gateway answers 410 GoneException for a connection that has ended. */
export function isGone(error: unknown): boolean {
    const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
    return e?.name === "GoneException" || e?.$metadata?.httpStatusCode === 410;
}

/** Runs `task` for every item, at most `limit` at once. */
async function eachAtMost<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) await task(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
