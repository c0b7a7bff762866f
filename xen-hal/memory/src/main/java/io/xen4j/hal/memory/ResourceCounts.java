package io.xen4j.hal.memory;

/**
 * What simulated domains hold, for leak checks: after a test closes what it opened, every count
 * is back to where it started.
 *
 * @param grantRefs       grant references allocated by shares, including those whose release
 *                        waits for the peer to unmap
 * @param pinnedGrantRefs grant references some domain maps (Xen's active entries)
 * @param grantMappings   open grant mappings
 * @param foreignMappings open foreign mappings
 * @param boundPorts      bound event-channel ports
 * @param pendingTimers   armed timers
 * @param openHandles     open handles of every kind
 * @param sharedPages     guest frames handed out to shares
 */
public record ResourceCounts(
    long grantRefs,
    long pinnedGrantRefs,
    long grantMappings,
    long foreignMappings,
    long boundPorts,
    long pendingTimers,
    long openHandles,
    long sharedPages) {

    /** Nothing held. */
    public static final ResourceCounts ZERO = new ResourceCounts(0, 0, 0, 0, 0, 0, 0, 0);

    ResourceCounts plus(final ResourceCounts o) {
        return new ResourceCounts(grantRefs + o.grantRefs, pinnedGrantRefs + o.pinnedGrantRefs,
            grantMappings + o.grantMappings, foreignMappings + o.foreignMappings, boundPorts + o.boundPorts,
            pendingTimers + o.pendingTimers, openHandles + o.openHandles, sharedPages + o.sharedPages);
    }
}
