// What every target's dead-letter tooling reports for one failed piece of work: the contract
// between `npm run dlq` and the per-cloud redrive modules (functions/runtime/redrive/<cloud>.ts).
export interface DeadLetter {
    /** The message's id in its queue (SQS / CMQ message id; the event id locally). */
    id: string;
    /** The original event, as the task's function received it. */
    event: unknown;
    /** The last error, where the platform records it. */
    error?: string;
    /** How many attempts were made, where the platform records it. */
    attempts?: number;
    /** When it was dead-lettered, ISO 8601. */
    time?: string;
}

/** The module `functions/runtime/redrive/<cloud>` exports, which `npm run dlq -- --stack <stack>` calls. */
export interface RedriveModule {
    list(options: { deadLetterQueue: string; region: string }): Promise<DeadLetter[]>;
    redrive(options: { deadLetterQueue: string; functionName: string; region: string; max?: number }): Promise<{ redriven: number; failed: number }>;
}
