package io.xen4j.blk;

/**
 * What a frontend asks for; each is used only as far as the backend advertises it.
 *
 * @param protocol            {@code x86_64-abi} or {@code x86_32-abi}: the request layout
 * @param ringPageOrder       wanted {@code ring-page-order}, 0 to 4
 * @param maxIndirectSegments most indirect segments to use, 0 for none
 * @param persistentGrants    offer {@code feature-persistent} (used when the backend says 1 at
 *                            Connected): data and indirect pages from pools granted once
 * @param queues              wanted {@code multi-queue-num-queues}, 1 to 16
 */
public record BlkFrontConfig(String protocol, int ringPageOrder, int maxIndirectSegments, boolean persistentGrants,
                             int queues) {
    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public BlkFrontConfig {
        if (!protocol.equals("x86_64-abi") && !protocol.equals("x86_32-abi")) {
            throw new IllegalArgumentException("blkfront: protocol=" + protocol + " must be x86_64-abi or x86_32-abi");
        }
        if (ringPageOrder < 0 || ringPageOrder > BlkBackConfig.MAX_RING_PAGE_ORDER) {
            throw new IllegalArgumentException("blkfront: ringPageOrder=" + ringPageOrder + " must be 0..4");
        }
        if (queues < 1 || queues > BlkBackConfig.MAX_QUEUES) {
            throw new IllegalArgumentException("blkfront: queues=" + queues + " must be 1.." + BlkBackConfig.MAX_QUEUES);
        }
        if (maxIndirectSegments < 0 || maxIndirectSegments > BlkBackConfig.MAX_INDIRECT_SEGMENTS) {
            throw new IllegalArgumentException("blkfront: maxIndirectSegments=" + maxIndirectSegments + " must be 0..4096");
        }
    }

    /**
     * A configuration with persistent grants on.
     *
     * @param protocol            the request layout
     * @param ringPageOrder       wanted {@code ring-page-order}
     * @param maxIndirectSegments most indirect segments to use
     */
    public BlkFrontConfig(final String protocol, final int ringPageOrder, final int maxIndirectSegments) {
        this(protocol, ringPageOrder, maxIndirectSegments, true, 1);
    }

    /**
     * A configuration with one queue.
     *
     * @param protocol            the request layout
     * @param ringPageOrder       wanted {@code ring-page-order}
     * @param maxIndirectSegments most indirect segments to use
     * @param persistentGrants    use persistent grants
     */
    public BlkFrontConfig(final String protocol, final int ringPageOrder, final int maxIndirectSegments,
                          final boolean persistentGrants) {
        this(protocol, ringPageOrder, maxIndirectSegments, persistentGrants, 1);
    }

    /**
     * The x86_64 layout with every feature the backend offers, and up to 4 queues.
     *
     * @return the configuration
     */
    public static BlkFrontConfig defaults() {
        return new BlkFrontConfig("x86_64-abi", 4, 256, true, 4);
    }
}
