// One open WebSocket of a Realtime, and what the server keeps for it: its message queue (a
// connection's messages run one after another: its message budget in the store is read, spent
// and written back per message, and its replies come back in order), the idle and lifetime
// clocks API Gateway applies, and whether it answered the last ping.
import WebSocket from "ws";

/** A close frame's reason is at most 123 bytes (RFC 6455 5.5). */
const MAX_REASON_BYTES = 123;

export interface ConnectionClocks {
    idleTimeoutMs: number;
    maxConnectionMs: number;
}

export class LiveConnection {
    /** Whether the client answered the last ping. */
    private alive = true;
    private work: Promise<void> = Promise.resolve();
    private readonly idle: NodeJS.Timeout;
    private readonly lifetime: NodeJS.Timeout;
    /** Settles when the socket has closed, however it ended. */
    readonly closed: Promise<void>;

    constructor(readonly id: string, private readonly socket: WebSocket, clocks: ConnectionClocks) {
        this.idle = setTimeout(() => this.close(1001, `idle for ${seconds(clocks.idleTimeoutMs)}: no message from the client`), clocks.idleTimeoutMs).unref();
        this.lifetime = setTimeout(() => this.close(1001, `open for ${seconds(clocks.maxConnectionMs)}, the longest a connection may last; connect again`), clocks.maxConnectionMs).unref();
        socket.on("pong", () => (this.alive = true));
        this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
        void this.closed.then(() => {
            clearTimeout(this.idle);
            clearTimeout(this.lifetime);
        });
    }

    get open(): boolean {
        return this.socket.readyState === WebSocket.OPEN;
    }

    /** The client sent a message: the idle clock starts again. */
    active(): void {
        this.idle.refresh();
    }

    /** Runs `task` after the connection's earlier work; a failure is logged, never left unhandled. */
    enqueue(task: () => Promise<void>): Promise<void> {
        this.work = this.work.then(task).catch((error: unknown) => console.error(`local realtime: connection ${this.id}:`, error));
        return this.work;
    }

    /** Sends one text frame; false when the connection is no longer open. */
    send(text: string): boolean {
        if (!this.open) return false;
        this.socket.send(text);
        return true;
    }

    /** Starts the closing handshake (no error when it has begun already). */
    close(code: number, reason: string): void {
        if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, truncate(reason));
    }

    /** Ends the connection without a closing handshake. */
    terminate(): void {
        this.socket.terminate();
    }

    /** The server's heartbeat: a client that did not answer the previous ping is gone, else it is pinged again. */
    heartbeat(): void {
        if (!this.open) return;
        if (!this.alive) return this.terminate();
        this.alive = false;
        this.socket.ping();
    }
}

function seconds(ms: number): string {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function truncate(reason: string): string {
    let text = reason;
    while (Buffer.byteLength(text) > MAX_REASON_BYTES) text = text.slice(0, -1);
    return text;
}
