// A console request the client got wrong (or that cannot be answered): the status and message
// local/server.ts sends back as `{ error: { message } }`.
export class ConsoleRequestError extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
    }
}
