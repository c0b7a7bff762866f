package io.xen4j.net;

/**
 * What netback offers, and its limits.
 *
 * @param maxQueues          {@code multi-queue-max-queues}, 1 to {@link #MAX_QUEUES}
 * @param sg                 {@code feature-sg}
 * @param gsoTcpv4           {@code feature-gso-tcpv4}
 * @param gsoTcpv6           {@code feature-gso-tcpv6}
 * @param ipv6CsumOffload    {@code feature-ipv6-csum-offload}
 * @param splitEventChannels {@code feature-split-event-channels}
 * @param multicastControl   {@code feature-multicast-control}
 * @param mtu                the {@code mtu} node: payload bytes of a frame without GSO, 68 to 65521
 * @param rxQueueFrames      frames held per queue for a frontend that posts no receive buffers
 *                           (beyond this they are dropped and counted: XSA-39, XSA-392)
 * @param rxQueueBytes       bytes held per queue likewise
 */
public record NetBackConfig(int maxQueues, boolean sg, boolean gsoTcpv4, boolean gsoTcpv6, boolean ipv6CsumOffload,
                            boolean splitEventChannels, boolean multicastControl, int mtu, int rxQueueFrames,
                            int rxQueueBytes) {
    /** Most queue pairs a backend offers (Linux netback's default is the CPU count; 8 bounds the work). */
    public static final int MAX_QUEUES = 8;

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public NetBackConfig {
        if (maxQueues < 1 || maxQueues > MAX_QUEUES) {
            throw new IllegalArgumentException("netback: maxQueues=" + maxQueues + " must be 1.." + MAX_QUEUES);
        }
        if (mtu < 68 || mtu > 65521) {
            throw new IllegalArgumentException("netback: mtu=" + mtu + " must be 68..65521");
        }
        if (rxQueueFrames < 1 || rxQueueBytes < 65536) {
            throw new IllegalArgumentException("netback: rxQueueFrames=" + rxQueueFrames + " rxQueueBytes=" + rxQueueBytes
                + " must be >= 1 and >= 65536");
        }
    }

    /**
     * Every feature on, 4 queues, MTU 1500, 256 frames or 4 MiB per queue held for a slow frontend.
     *
     * @return the configuration
     */
    public static NetBackConfig full() {
        return new NetBackConfig(4, true, true, true, true, true, true, 1500, 256, 4 << 20);
    }

    /**
     * One queue, no offloads, MTU 1500.
     *
     * @return the configuration
     */
    public static NetBackConfig minimal() {
        return new NetBackConfig(1, false, false, false, false, false, false, 1500, 256, 4 << 20);
    }
}
