// One Realtime's WebSocket endpoint in the local runtime, doing what API Gateway does around the
// functions: the endpoint's throttle, the token on the upgrade (401 before anything opens), the
// `$connect` function's verdict, each message to its route's function with the reply sent back,
// binary frames and frames over the size limit closed (1003, 1009), `$disconnect` once a
// connection ends however it ended, and pushes from linked functions to the open connections.
import { randomBytes, randomUUID } from "node:crypto";
import type * as http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { LocalRealtimeDescriptor } from "../../components/local/descriptor";
import { connectToken, TOKEN_SUBPROTOCOL, type SocketDelivery, type SocketOutcome } from "../../functions/runtime/adapters/socket";
import { verifyToken } from "../../functions/runtime/auth/jwt";
import { HttpError } from "../../functions/runtime/http";
import { SOCKET_LIMITS, type SocketErrorReply } from "../../functions/runtime/socket-limits";
import { TokenBucket } from "../api-throttle";
import { FunctionTimeoutError } from "../function-host";
import type { LocalRuntime } from "../runtime";
import { LiveConnection } from "./connection";
import { handshakeProblem, queryOf } from "./handshake";
import { invokeSocket } from "./invoke";
import type { LocalRealtimeOptions } from "./options";
import { refuseUpgrade } from "./refusal";
import { routeOf } from "./route";

/** The routes every Realtime has a function for (the user's or a built-in one). */
const OWN_ROUTES = ["$connect", "$disconnect", "$default"] as const;
/** How long a stopping runtime waits for clients to answer its close frames. */
const CLOSE_GRACE_MS = 1_000;

export class RealtimeEndpoint {
    readonly connections = new Map<string, LiveConnection>();
    private readonly bucket: TokenBucket;
    private readonly sockets: WebSocketServer;
    /** `$disconnect` invocations still running: a stopping runtime waits for them. */
    private readonly disconnecting = new Set<Promise<void>>();

    constructor(
        readonly definition: LocalRealtimeDescriptor,
        private readonly runtime: LocalRuntime,
        private readonly options: () => LocalRealtimeOptions,
    ) {
        const missing = OWN_ROUTES.filter((route) => definition.functions[route] === undefined);
        if (missing.length > 0) throw new Error(`local runtime: Realtime '${definition.name}' names no function for ${missing.join(", ")}`);
        for (const name of Object.values(definition.functions)) runtime.function(name); // loaded already: functions come first
        this.bucket = new TokenBucket(definition.throttle.rateLimit, definition.throttle.burstLimit);
        this.sockets = new WebSocketServer({
            noServer: true,
            clientTracking: false,
            // Over it, `ws` closes the connection with 1009 without reading the rest, as API Gateway does.
            maxPayload: SOCKET_LIMITS.maxMessageBytes,
            // The token came as the subprotocol after "bearer": the server must choose "bearer", or browsers drop the connection.
            handleProtocols: definition.tokenFrom === "protocol" ? (offered) => (offered.has(TOKEN_SUBPROTOCOL) ? TOKEN_SUBPROTOCOL : false) : undefined,
        });
    }

    /** Answers an upgrade request for this endpoint: refused with an HTTP status, or opened. Never rejects. */
    async upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
        const requestId = randomUUID();
        // A reset while the token and the connect function are checked is the client leaving.
        socket.on("error", () => socket.destroy());
        try {
            const admitted = await this.admit(req, socket, requestId);
            if (admitted) this.open(req, socket, head, admitted.connectionId);
        } catch (error) {
            console.error(`[${requestId}] local realtime '${this.definition.name}': connect failed:`, error);
            const timedOut = error instanceof FunctionTimeoutError;
            refuseUpgrade(socket, timedOut ? 504 : 500, timedOut ? "gateway_timeout" : "internal", timedOut ? "the connect function did not answer in time" : "internal error", requestId);
        }
    }

    /** Delivers `payload` to each connection open here; the ids that are not (gone). */
    post(connectionIds: string[], payload: string): string[] {
        return connectionIds.filter((id) => !this.connections.get(id)?.send(payload));
    }

    /** Closes a connection as API Gateway's DELETE @connections does; `$disconnect` follows. */
    disconnect(connectionId: string): void {
        this.connections.get(connectionId)?.close(1000, "closed by the server");
    }

    /** Pings every connection; those that missed the previous ping are terminated. */
    heartbeat(): void {
        for (const connection of this.connections.values()) connection.heartbeat();
    }

    /** Closes every connection with 1001 and waits for their `$disconnect` functions. */
    async shutdown(): Promise<void> {
        const open = [...this.connections.values()];
        for (const connection of open) connection.close(1001, "the local runtime is stopping");
        const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
        await Promise.race([Promise.all(open.map((c) => c.closed)), grace]);
        for (const connection of open) connection.terminate();
        await Promise.all(open.map((c) => c.closed));
        await Promise.allSettled([...this.disconnecting]);
    }

    /** The checks before the upgrade: the connection's id once admitted, else undefined (the refusal is written). */
    private async admit(req: http.IncomingMessage, socket: Duplex, requestId: string): Promise<{ connectionId: string } | undefined> {
        const { name, tokenFrom, jwt, functions } = this.definition;
        const problem = handshakeProblem(req);
        if (problem) return void refuseUpgrade(socket, 400, "bad_request", problem, requestId);
        if (this.options().throttling && !this.bucket.take()) {
            return void refuseUpgrade(socket, 429, "too_many_requests", `Realtime '${name}' is throttled: more than ${this.definition.throttle.rateLimit} connects and messages/s (burst ${this.definition.throttle.burstLimit})`, requestId);
        }
        const token = connectToken(tokenFrom, queryOf(req.url), req.headers["sec-websocket-protocol"]);
        if (token === undefined) {
            const where = tokenFrom === "protocol" ? `offer the subprotocols "${TOKEN_SUBPROTOCOL}" and then the access token` : "add ?token=<access token> to the URL";
            return void refuseUpgrade(socket, 401, "unauthorized", `missing token: ${where}`, requestId);
        }
        let claims: Record<string, unknown>;
        try {
            claims = await verifyToken(token, jwt);
        } catch (error) {
            if (!HttpError.is(error)) throw error;
            return void refuseUpgrade(socket, error.status, error.code, error.message, requestId);
        }
        const connectionId = newConnectionId();
        const outcome = await invokeSocket(this.runtime, functions.$connect, { kind: "connect", connectionId, claims, requestId });
        if (outcome.refused) {
            const { status, message } = outcome.refused;
            return void refuseUpgrade(socket, status, new HttpError(status, message).code, message, requestId);
        }
        return { connectionId };
    }

    /** Completes the upgrade of an admitted connection and serves it. */
    private open(req: http.IncomingMessage, socket: Duplex, head: Buffer, connectionId: string): void {
        // The connect function has stored the connection: if it never opens (the client left during
        // the checks), the store must forget it again, as after any other end.
        let opened = false;
        const forget = () => {
            if (!opened) this.track(this.runDisconnect(connectionId));
        };
        if (socket.destroyed) return forget();
        socket.once("close", forget);
        this.sockets.handleUpgrade(req, socket, head, (ws) => {
            opened = true;
            socket.off("close", forget);
            this.serve(ws, connectionId);
        });
    }

    private serve(ws: WebSocket, connectionId: string): void {
        const connection = new LiveConnection(connectionId, ws, this.options());
        this.connections.set(connectionId, connection);
        // `ws` reports an oversize or malformed frame here, then closes with the matching code.
        ws.on("error", () => undefined);
        ws.on("message", (data, isBinary) => this.receive(connection, data, isBinary));
        ws.once("close", () => {
            this.connections.delete(connectionId);
            // After the connection's messages in flight: they still find its record.
            this.track(connection.enqueue(() => this.runDisconnect(connectionId)));
        });
    }

    private receive(connection: LiveConnection, data: RawData, isBinary: boolean): void {
        connection.active();
        // API Gateway takes text frames only and closes with 1003 on a binary one.
        if (isBinary) return connection.close(1003, "binary frames are not supported: send text (JSON)");
        const requestId = randomUUID();
        if (this.options().throttling && !this.bucket.take()) {
            const reply = errorReply("too_many_requests", `Realtime '${this.definition.name}' is throttled: more than ${this.definition.throttle.rateLimit} connects and messages/s (burst ${this.definition.throttle.burstLimit}); this message was dropped`);
            return void connection.enqueue(async () => void connection.send(reply));
        }
        const text = textOf(data);
        const { route, functionName } = routeOf(text, this.definition);
        const delivery: SocketDelivery = { kind: "message", connectionId: connection.id, requestId, text, route };
        void connection.enqueue(async () => this.act(connection, await this.outcomeOf(functionName, delivery)));
    }

    /** The function's outcome; its crash or silence as the error reply API Gateway would send. */
    private async outcomeOf(functionName: string, delivery: SocketDelivery): Promise<SocketOutcome> {
        try {
            return await invokeSocket(this.runtime, functionName, delivery);
        } catch (error) {
            const timedOut = error instanceof FunctionTimeoutError;
            console.error(`[${delivery.requestId}] local realtime '${this.definition.name}' route ${delivery.route}: ${error instanceof Error ? error.message : String(error)}`);
            return { reply: errorReply(timedOut ? "gateway_timeout" : "internal", timedOut ? "the function did not answer in time" : "internal error", delivery.requestId) };
        }
    }

    private act(connection: LiveConnection, outcome: SocketOutcome): void {
        if (outcome.reply !== undefined) connection.send(outcome.reply);
        if (outcome.close) connection.close(outcome.close.code, outcome.close.reason);
    }

    private async runDisconnect(connectionId: string): Promise<void> {
        const requestId = randomUUID();
        try {
            await invokeSocket(this.runtime, this.definition.functions.$disconnect, { kind: "disconnect", connectionId, requestId });
        } catch (error) {
            console.error(`[${requestId}] local realtime '${this.definition.name}': disconnect of ${connectionId} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    private track(work: Promise<void>): void {
        this.disconnecting.add(work);
        void work.finally(() => this.disconnecting.delete(work));
    }
}

/** Like API Gateway's: 12 random bytes, URL-safe (the id goes into store keys and URLs). */
function newConnectionId(): string {
    return randomBytes(12).toString("base64url");
}

function textOf(data: RawData): string {
    if (Buffer.isBuffer(data)) return data.toString("utf8");
    if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
    return Buffer.from(data).toString("utf8");
}

function errorReply(code: string, message: string, requestId?: string): string {
    return JSON.stringify({ error: requestId === undefined ? { code, message } : { code, message, requestId } } satisfies SocketErrorReply);
}
