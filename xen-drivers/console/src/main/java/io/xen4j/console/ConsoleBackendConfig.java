package io.xen4j.console;

/**
 * Limits of a {@link ConsoleBackend}: the buffers are per console, the rate per domain (its
 * primary and secondary consoles share one budget).
 *
 * @param bufferBytes        output kept for a sink that cannot take it yet (xenconsoled's buffer);
 *                           on overflow the oldest bytes are discarded and counted; a guest's
 *                           {@code console/limit} may lower it, never raise it
 * @param rateBytesPerSecond output read from one domain's rings per second; above it the rings are
 *                           left alone until the budget refills, so a flooding guest waits for room
 *                           instead of starving the others (xenconsoled's rate limit)
 * @param burstBytes         budget a quiet console saves up, at least one ring ({@code 2048})
 * @param inputBytes         input queued for a guest that does not read its {@code in} ring
 */
public record ConsoleBackendConfig(int bufferBytes, long rateBytesPerSecond, int burstBytes, int inputBytes) {
    /** 64 KiB of output per console, 1 MiB/s, bursts of 64 KiB, 4 KiB of input. */
    public static final ConsoleBackendConfig DEFAULTS = new ConsoleBackendConfig(64 * 1024, 1 << 20, 64 * 1024, 4096);
    /** Smallest buffer: one {@code out} ring. */
    public static final int MIN_BUFFER = 2048;
    /** Largest buffer per console: bounds the memory a domain can make the backend hold (R9). */
    public static final int MAX_BUFFER = 16 << 20;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public ConsoleBackendConfig {
        if (bufferBytes < MIN_BUFFER || bufferBytes > MAX_BUFFER) {
            throw new IllegalArgumentException("console backend: bufferBytes=" + bufferBytes + " must be " + MIN_BUFFER + ".." + MAX_BUFFER);
        }
        if (rateBytesPerSecond < 1) {
            throw new IllegalArgumentException("console backend: rateBytesPerSecond=" + rateBytesPerSecond + " must be >= 1");
        }
        if (burstBytes < 2048 || burstBytes > MAX_BUFFER) {
            throw new IllegalArgumentException("console backend: burstBytes=" + burstBytes + " must be 2048.." + MAX_BUFFER);
        }
        if (inputBytes < 1 || inputBytes > 1 << 20) {
            throw new IllegalArgumentException("console backend: inputBytes=" + inputBytes + " must be 1..1048576");
        }
    }

    /**
     * The same limits with another rate.
     *
     * @param bytesPerSecond the rate
     * @param burst          the burst
     * @return the new limits
     */
    public ConsoleBackendConfig withRate(final long bytesPerSecond, final int burst) {
        return new ConsoleBackendConfig(bufferBytes, bytesPerSecond, burst, inputBytes);
    }

    /**
     * The same limits with another buffer size.
     *
     * @param bytes the buffer
     * @return the new limits
     */
    public ConsoleBackendConfig withBuffer(final int bytes) {
        return new ConsoleBackendConfig(bytes, rateBytesPerSecond, burstBytes, inputBytes);
    }
}
