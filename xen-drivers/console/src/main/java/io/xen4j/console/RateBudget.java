package io.xen4j.console;

/**
 * The output budget of one domain, shared by all its consoles: a token bucket of bytes that
 * refills at the configured rate up to the burst (xenconsoled limits each domain the same way).
 * Used only on the backend's agent thread.
 */
final class RateBudget {
    private final long rate;
    private final long burst;
    private long tokens;
    private long lastRefill;

    RateBudget(final long bytesPerSecond, final long burst, final long nowNanos) {
        this.rate = bytesPerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefill = nowNanos;
    }

    /** Adds what the time since the last refill earned; whole bytes only, the rest of the interval carries over. */
    void refill(final long nowNanos) {
        final long elapsed = nowNanos - lastRefill;
        if (elapsed <= 0) {
            return;
        }
        final long earned = elapsed >= 1_000_000_000L ? burst : Math.min(burst, elapsed * rate / 1_000_000_000L);
        if (earned > 0) {
            tokens = Math.min(burst, tokens + earned);
            lastRefill = nowNanos;
        }
    }

    long tokens() {
        return tokens;
    }

    void take(final long bytes) {
        tokens -= bytes;
    }
}
