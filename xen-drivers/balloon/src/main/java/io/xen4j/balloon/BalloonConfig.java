package io.xen4j.balloon;

/**
 * How the guest's balloon works.
 *
 * @param batchPages          frames per hypercall, 1..{@value #MAX_BATCH} (Linux: a page of frame
 *                            numbers, 512)
 * @param minimumPages        the floor: targets below it are raised to it, so that a hostile or
 *                            mistaken toolstack cannot balloon the guest to death (Linux's
 *                            {@code minimum_target})
 * @param maxRetries          refusals by the hypervisor tolerated for one target before the
 *                            balloon stalls, 0..1000
 * @param initialBackoffNanos the wait after the first refusal; it doubles per refusal (Linux:
 *                            1 s)
 * @param maxBackoffNanos     the longest wait (Linux: 32 s)
 * @param publishProgress     whether to write progress to {@code data/balloon/*} for the toolstack
 */
public record BalloonConfig(
    int batchPages, long minimumPages, int maxRetries, long initialBackoffNanos, long maxBackoffNanos,
    boolean publishProgress) {

    /** The most frames per hypercall. */
    public static final int MAX_BATCH = 4096;

    /** 512 frames per batch, an 8 MiB floor, 8 retries from 1 s up to 32 s, progress published. */
    public static final BalloonConfig DEFAULTS = new BalloonConfig(512, 2048, 8, 1_000_000_000L, 32_000_000_000L, true);

    /**
     * Checks the values.
     *
     * @param batchPages          frames per hypercall
     * @param minimumPages        the floor
     * @param maxRetries          refusals tolerated
     * @param initialBackoffNanos first wait
     * @param maxBackoffNanos     longest wait
     * @param publishProgress     whether to publish progress
     */
    public BalloonConfig {
        if (batchPages < 1 || batchPages > MAX_BATCH || minimumPages < 0 || maxRetries < 0 || maxRetries > 1000
            || initialBackoffNanos < 0 || maxBackoffNanos < initialBackoffNanos) {
            throw new IllegalArgumentException("batchPages=" + batchPages + " minimumPages=" + minimumPages
                + " maxRetries=" + maxRetries + " initialBackoffNanos=" + initialBackoffNanos + " maxBackoffNanos="
                + maxBackoffNanos + ": need 1 <= batchPages <= " + MAX_BATCH + ", minimumPages >= 0,"
                + " 0 <= maxRetries <= 1000, 0 <= initialBackoffNanos <= maxBackoffNanos");
        }
    }

    /**
     * This configuration with another batch size.
     *
     * @param value frames per hypercall
     * @return the new configuration
     */
    public BalloonConfig withBatchPages(final int value) {
        return new BalloonConfig(value, minimumPages, maxRetries, initialBackoffNanos, maxBackoffNanos, publishProgress);
    }

    /**
     * This configuration with another floor.
     *
     * @param value the floor, in pages
     * @return the new configuration
     */
    public BalloonConfig withMinimumPages(final long value) {
        return new BalloonConfig(batchPages, value, maxRetries, initialBackoffNanos, maxBackoffNanos, publishProgress);
    }

    /**
     * This configuration with other retry limits.
     *
     * @param retries             refusals tolerated
     * @param initialBackoffNanos first wait
     * @param maxBackoffNanos     longest wait
     * @return the new configuration
     */
    public BalloonConfig withRetries(final int retries, final long initialBackoffNanos, final long maxBackoffNanos) {
        return new BalloonConfig(batchPages, minimumPages, retries, initialBackoffNanos, maxBackoffNanos, publishProgress);
    }
}
