// API Gateway's stage throttling, locally: a token bucket per route holding up to `burstLimit`
// requests, refilled at `rateLimit` per second. A request finding it empty is answered 429
// without invoking the function, as on AWS.

export class TokenBucket {
    private tokens: number;
    private refilledAt: number;

    constructor(private readonly rateLimit: number, private readonly burstLimit: number, private readonly now: () => number = () => performance.now()) {
        this.tokens = burstLimit;
        this.refilledAt = now();
    }

    /** Takes one token; false when none is left. */
    take(): boolean {
        const now = this.now();
        this.tokens = Math.min(this.burstLimit, this.tokens + ((now - this.refilledAt) / 1000) * this.rateLimit);
        this.refilledAt = now;
        if (this.tokens < 1) return false;
        this.tokens -= 1;
        return true;
    }
}
