package io.xen4j.blk;

/**
 * What a backend advertises beyond what its store decides.
 *
 * @param maxRingPageOrder    {@code max-ring-page-order}: 0 to 4 (1 to 16 ring pages)
 * @param maxIndirectSegments {@code feature-max-indirect-segments}: 0 (off) or 12 to 4096
 * @param flush               {@code feature-flush-cache}
 * @param discardSecure       {@code discard-secure} (with {@code feature-discard} when the store supports discard)
 * @param persistentGrants    {@code feature-persistent}: keep a frontend's data grants mapped across requests
 * @param maxQueues           {@code multi-queue-max-queues}: 1 to 16 rings
 * @param barrier             {@code feature-barrier}: serve {@code BLKIF_OP_WRITE_BARRIER} (drain, flush,
 *                            write, flush), as Linux blkback does only where it can flush
 */
public record BlkBackConfig(int maxRingPageOrder, int maxIndirectSegments, boolean flush, boolean discardSecure,
                            boolean persistentGrants, int maxQueues, boolean barrier) {
    /** Most queues a backend offers. */
    public static final int MAX_QUEUES = 16;

    /** Largest {@code max-ring-page-order}: 16 pages, as {@code XENBUS_MAX_RING_GRANT_ORDER}. */
    public static final int MAX_RING_PAGE_ORDER = 4;
    /** Largest indirect segment count: 8 indirect pages of 512 segments. */
    public static final int MAX_INDIRECT_SEGMENTS = 4096;

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public BlkBackConfig {
        if (maxQueues < 1 || maxQueues > MAX_QUEUES) {
            throw new IllegalArgumentException("blkback: maxQueues=" + maxQueues + " must be 1.." + MAX_QUEUES);
        }
        if (maxRingPageOrder < 0 || maxRingPageOrder > MAX_RING_PAGE_ORDER) {
            throw new IllegalArgumentException("blkback: maxRingPageOrder=" + maxRingPageOrder + " must be 0.." + MAX_RING_PAGE_ORDER);
        }
        if (maxIndirectSegments != 0 && (maxIndirectSegments <= 11 || maxIndirectSegments > MAX_INDIRECT_SEGMENTS)) {
            throw new IllegalArgumentException("blkback: maxIndirectSegments=" + maxIndirectSegments + " must be 0 or 12.." + MAX_INDIRECT_SEGMENTS);
        }
        if (barrier && !flush) {
            // A barrier is a flush before and after a write: without a flush it cannot be kept.
            throw new IllegalArgumentException("blkback: barrier=true needs flush=true");
        }
    }

    /**
     * A configuration that serves barriers exactly when it serves flushes (as Linux blkback
     * advertises {@code feature-barrier} from the device's flush support).
     *
     * @param maxRingPageOrder    {@code max-ring-page-order}
     * @param maxIndirectSegments {@code feature-max-indirect-segments}, 0 for none
     * @param flush               {@code feature-flush-cache} and {@code feature-barrier}
     * @param discardSecure       {@code discard-secure}
     * @param persistentGrants    {@code feature-persistent}
     * @param maxQueues           {@code multi-queue-max-queues}
     */
    public BlkBackConfig(final int maxRingPageOrder, final int maxIndirectSegments, final boolean flush,
                         final boolean discardSecure, final boolean persistentGrants, final int maxQueues) {
        this(maxRingPageOrder, maxIndirectSegments, flush, discardSecure, persistentGrants, maxQueues, flush);
    }

    /**
     * The same configuration with {@code feature-barrier} on or off.
     *
     * @param on whether to serve barriers
     * @return the configuration
     */
    public BlkBackConfig withBarrier(final boolean on) {
        return new BlkBackConfig(maxRingPageOrder, maxIndirectSegments, flush, discardSecure, persistentGrants, maxQueues, on);
    }

    /**
     * A configuration with persistent grants on.
     *
     * @param maxRingPageOrder    {@code max-ring-page-order}
     * @param maxIndirectSegments {@code feature-max-indirect-segments}, 0 for none
     * @param flush               {@code feature-flush-cache}
     * @param discardSecure       {@code discard-secure}
     */
    public BlkBackConfig(final int maxRingPageOrder, final int maxIndirectSegments, final boolean flush, final boolean discardSecure) {
        this(maxRingPageOrder, maxIndirectSegments, flush, discardSecure, true, 4, flush);
    }

    /**
     * A configuration with up to 4 queues.
     *
     * @param maxRingPageOrder    {@code max-ring-page-order}
     * @param maxIndirectSegments {@code feature-max-indirect-segments}, 0 for none
     * @param flush               {@code feature-flush-cache}
     * @param discardSecure       {@code discard-secure}
     * @param persistentGrants    {@code feature-persistent}
     */
    public BlkBackConfig(final int maxRingPageOrder, final int maxIndirectSegments, final boolean flush,
                         final boolean discardSecure, final boolean persistentGrants) {
        this(maxRingPageOrder, maxIndirectSegments, flush, discardSecure, persistentGrants, 4, flush);
    }

    /**
     * Everything on: 16-page rings, 256 indirect segments, flush, barrier, secure discard, persistent
     * grants, 4 queues.
     *
     * @return the configuration
     */
    public static BlkBackConfig full() {
        return new BlkBackConfig(MAX_RING_PAGE_ORDER, 256, true, true);
    }

    /**
     * The classic protocol only: one ring page, no indirect segments, no flush, no barrier, no
     * secure discard, no persistent grants, one queue.
     *
     * @return the configuration
     */
    public static BlkBackConfig minimal() {
        return new BlkBackConfig(0, 0, false, false, false, 1, false);
    }
}
