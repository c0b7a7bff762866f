package io.xen4j.net;

/**
 * What netfront asks for; each feature is used only when the backend offers it too.
 *
 * @param queues             queue pairs wanted, 1 to {@link NetBackConfig#MAX_QUEUES}
 * @param sg                 scatter-gather ({@code feature-sg}): frames larger than a page
 * @param gsoTcpv4           take and send TCPv4 GSO frames ({@code feature-gso-tcpv4})
 * @param gsoTcpv6           take and send TCPv6 GSO frames ({@code feature-gso-tcpv6})
 * @param csumOffload        take and send frames with a blank checksum; false writes
 *                           {@code feature-no-csum-offload=1} and fills checksums in software
 * @param ipv6CsumOffload    the same for IPv6 ({@code feature-ipv6-csum-offload})
 * @param splitEventChannels ask for one event channel each for tx and rx
 * @param multicastControl   ask the backend to filter multicast ({@code request-multicast-control})
 * @param sendQueue          sizes the send queue, at least 1: {@link NetDevice#send} copies frames into
 *                           a ring of {@code sendQueue} KiB (at least 1 MiB, so a 64 KiB frame fits;
 *                           at most 64 MiB), so about that many full-size frames
 * @param controlRing        make a control ring when the backend offers {@code feature-ctrl-ring},
 *                           so that receive hashing can be set ({@link NetFront#configureHash})
 */
public record NetFrontConfig(int queues, boolean sg, boolean gsoTcpv4, boolean gsoTcpv6, boolean csumOffload,
                             boolean ipv6CsumOffload, boolean splitEventChannels, boolean multicastControl, int sendQueue,
                             boolean controlRing) {
    /**
     * A configuration without a control ring.
     *
     * @param queues             queue pairs wanted, 1 to {@link NetBackConfig#MAX_QUEUES}
     * @param sg                 scatter-gather
     * @param gsoTcpv4           TCPv4 GSO
     * @param gsoTcpv6           TCPv6 GSO
     * @param csumOffload        blank checksums
     * @param ipv6CsumOffload    blank checksums for IPv6
     * @param splitEventChannels one event channel each for tx and rx
     * @param multicastControl   multicast filtering by the backend
     * @param sendQueue          frames {@link NetDevice#send} may queue, at least 1
     * @throws IllegalArgumentException naming the bad value
     */
    public NetFrontConfig(final int queues, final boolean sg, final boolean gsoTcpv4, final boolean gsoTcpv6,
                          final boolean csumOffload, final boolean ipv6CsumOffload, final boolean splitEventChannels,
                          final boolean multicastControl, final int sendQueue) {
        this(queues, sg, gsoTcpv4, gsoTcpv6, csumOffload, ipv6CsumOffload, splitEventChannels, multicastControl, sendQueue, false);
    }

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public NetFrontConfig {
        if (queues < 1 || queues > NetBackConfig.MAX_QUEUES) {
            throw new IllegalArgumentException("netfront: queues=" + queues + " must be 1.." + NetBackConfig.MAX_QUEUES);
        }
        if (sendQueue < 1) {
            throw new IllegalArgumentException("netfront: sendQueue=" + sendQueue + " must be >= 1");
        }
    }

    /**
     * Every feature on, one queue.
     *
     * @return the configuration
     */
    public static NetFrontConfig defaults() {
        return new NetFrontConfig(1, true, true, true, true, true, false, false, 4096, false);
    }

    /**
     * The same configuration with or without a control ring.
     *
     * @param on whether to make a control ring
     * @return the configuration
     */
    public NetFrontConfig withControlRing(final boolean on) {
        return new NetFrontConfig(queues, sg, gsoTcpv4, gsoTcpv6, csumOffload, ipv6CsumOffload, splitEventChannels,
            multicastControl, sendQueue, on);
    }
}
